// The prescription dialog (see PrescribeDialog.h).
#include "PrescribeDialog.h"

#include "domain/Commands.h"
#include "screens/common/ShortcutText.h"

#include <QDialogButtonBox>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace clinicflow::client {

namespace {

constexpr int CodeRole = Qt::UserRole;

} // namespace

PrescribeDialog::PrescribeDialog(const QList<domain::ExaminationType> &types, const QStringList &openCodes,
                                 const QString &patient, QWidget *parent)
    : QDialog(parent)
    , m_search(new QLineEdit(this))
    , m_list(new QListWidget(this))
    , m_noMatch(new QLabel(this))
    , m_chosen(new QLabel(this))
    , m_note(new QLineEdit(this))
{
    setObjectName(QStringLiteral("prescribeDialog"));
    setWindowTitle(tr("Prescribe examinations: %1").arg(patient));
    setMinimumWidth(460);
    m_search->setObjectName(QStringLiteral("examinationSearch"));
    m_search->setPlaceholderText(tr("Search by name or code, Enter ticks"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(QIcon(QStringLiteral(":/icons/search.svg")), QLineEdit::LeadingPosition);
    m_search->installEventFilter(this);
    m_list->setObjectName(QStringLiteral("examinationChoices"));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setMinimumHeight(260);
    m_list->setStyleSheet(QStringLiteral("QListWidget::item { padding: 4px 2px; }")); // rows easy to hit
    m_list->installEventFilter(this);
    // Ticking is done here (a click anywhere on the row, Space, Enter in the search), never by the delegate: the
    // items are not user-checkable, so a click on the box itself cannot toggle twice.
    for (const auto &type : types) {
        const bool open = openCodes.contains(type.code);
        auto *item = new QListWidgetItem(open ? tr("%1 (already requested)").arg(type.name) : type.name, m_list);
        item->setData(CodeRole, type.code);
        item->setToolTip(type.code);
        item->setCheckState(Qt::Unchecked);
        item->setFlags(open ? Qt::NoItemFlags : Qt::ItemIsEnabled | Qt::ItemIsSelectable);
    }
    m_noMatch->setObjectName(QStringLiteral("examinationNoMatch"));
    m_noMatch->setWordWrap(true);
    m_noMatch->hide();
    m_chosen->setObjectName(QStringLiteral("chosenExaminations"));
    m_chosen->setWordWrap(true);
    m_note->setObjectName(QStringLiteral("prescriptionNote"));
    m_note->setPlaceholderText(tr("Optional, e.g. fasting since last night"));
    m_note->setMaxLength(domain::kMaxLongTextLength);

    auto *buttons = new QDialogButtonBox(this);
    m_prescribe = buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    m_prescribe->setObjectName(QStringLiteral("confirmPrescribe"));
    m_prescribe->setIcon(QIcon(QStringLiteral(":/icons/prescribe.svg")));
    m_prescribe->setDefault(true);
    buttons->addButton(QDialogButtonBox::Cancel)->setObjectName(QStringLiteral("cancelPrescribe"));
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (!codes().isEmpty())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *send = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(send, &QShortcut::activated, m_prescribe, &QPushButton::click);
    connect(m_search, &QLineEdit::textChanged, this, &PrescribeDialog::filter);
    connect(m_list, &QListWidget::itemClicked, this, &PrescribeDialog::toggle);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Choose the examinations to prescribe:"), this));
    layout->addWidget(m_search);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_noMatch);
    layout->addWidget(m_chosen);
    auto *noteLabel = new QLabel(tr("Note for the examination room:"), this);
    noteLabel->setBuddy(m_note);
    layout->addWidget(noteLabel);
    layout->addWidget(m_note);
    layout->addWidget(buttons);
    if (m_list->count() > 0)
        m_list->setCurrentRow(0);
    refreshChosen();
    m_search->setFocus();
}

QStringList PrescribeDialog::codes() const
{
    QStringList ticked;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem *item = m_list->item(row);
        if (item->checkState() == Qt::Checked)
            ticked.append(item->data(CodeRole).toString());
    }
    return ticked;
}

QString PrescribeDialog::note() const
{
    return m_note->text().trimmed();
}

void PrescribeDialog::filter(const QString &text)
{
    const QString needle = text.trimmed();
    int visible = 0;
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        const bool match = needle.isEmpty() || item->text().contains(needle, Qt::CaseInsensitive) ||
                           item->data(CodeRole).toString().contains(needle, Qt::CaseInsensitive);
        item->setHidden(!match);
        visible += match ? 1 : 0;
    }
    m_noMatch->setText(tr("No examination in the catalogue matches \"%1\".").arg(needle));
    m_noMatch->setVisible(visible == 0);
    if (QListWidgetItem *item = highlighted())
        m_list->setCurrentItem(item);
}

QListWidgetItem *PrescribeDialog::highlighted() const
{
    QListWidgetItem *current = m_list->currentItem();
    if (current && !current->isHidden() && (current->flags() & Qt::ItemIsEnabled))
        return current;
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        if (!item->isHidden() && (item->flags() & Qt::ItemIsEnabled))
            return item;
    }
    return nullptr;
}

void PrescribeDialog::toggle(QListWidgetItem *item)
{
    if (!item || !(item->flags() & Qt::ItemIsEnabled))
        return;
    item->setCheckState(item->checkState() == Qt::Checked ? Qt::Unchecked : Qt::Checked);
    refreshChosen();
}

void PrescribeDialog::refreshChosen()
{
    QStringList names;
    for (int row = 0; row < m_list->count(); ++row) {
        const QListWidgetItem *item = m_list->item(row);
        if (item->checkState() == Qt::Checked)
            names.append(item->text());
    }
    const int n = int(names.size());
    m_chosen->setText(n == 0 ? tr("Nothing chosen yet.")
                             : tr("Chosen: %1").arg(names.join(tr(", ", "between examination names"))));
    m_prescribe->setText(n == 0 ? tr("Prescribe  %1").arg(shortcutText(QKeySequence(Qt::CTRL | Qt::Key_Return)))
                                : tr("Prescribe %n examination(s)  %1", nullptr, n)
                                      .arg(shortcutText(QKeySequence(Qt::CTRL | Qt::Key_Return))));
    m_prescribe->setEnabled(n > 0);
}

bool PrescribeDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QDialog::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    const bool plain = key->modifiers() == Qt::NoModifier || key->modifiers() == Qt::KeypadModifier;
    if (watched == m_search && plain && (key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter)) {
        toggle(highlighted());
        m_search->selectAll(); // the next examination's name replaces the search
        return true;
    }
    if (watched == m_search && key->key() == Qt::Key_Down) {
        m_list->setFocus();
        if (QListWidgetItem *item = highlighted())
            m_list->setCurrentItem(item);
        return true;
    }
    if (watched == m_list && plain && key->key() == Qt::Key_Space) {
        toggle(m_list->currentItem());
        return true;
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace clinicflow::client
