// The review, completion and refusal dialogs (see OutcomeDialog.h).
#include "OutcomeDialog.h"

#include "screens/common/ShortcutText.h"
#include "screens/common/StatusStyle.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QVBoxLayout>

namespace clinicflow::client {

OutcomeDialog::OutcomeDialog(Kind kind, const QString &patient, const QStringList &withdrawn, QWidget *parent)
    : QDialog(parent)
    , m_kind(kind)
    , m_note(new QPlainTextEdit(this))
{
    const QString confirmKeys = shortcutText(QKeySequence(Qt::CTRL | Qt::Key_Return));
    auto *text = new QLabel(this);
    text->setObjectName(QStringLiteral("outcomeQuestion"));
    text->setWordWrap(true);
    auto *noteLabel = new QLabel(this);
    auto *buttons = new QDialogButtonBox(this);
    m_confirm = buttons->addButton(QString(), QDialogButtonBox::AcceptRole);
    m_confirm->setObjectName(QStringLiteral("confirmOutcomeDialog"));
    QPushButton *keep = buttons->addButton(QString(), QDialogButtonBox::RejectRole);
    keep->setObjectName(QStringLiteral("keepOutcomeDialog"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);

    switch (kind) {
    case Kind::Review:
        setObjectName(QStringLiteral("reviewDialog"));
        setWindowTitle(tr("Review results: %1").arg(patient));
        // The rules close the prescriptions at the review (ResultsAlreadyReviewed): the doctor learns it here, before.
        text->setText(tr("Mark the examination results of %1 as reviewed. No more examinations can be prescribed "
                         "after that: the next step is to complete the treatment.")
                          .arg(patient));
        noteLabel->setText(tr("Findings (optional):"));
        m_confirm->setText(tr("Mark reviewed  %1").arg(confirmKeys));
        m_confirm->setIcon(QIcon(QStringLiteral(":/icons/review.svg")));
        keep->setText(tr("Not yet"));
        break;
    case Kind::Complete:
        setObjectName(QStringLiteral("completeDialog"));
        setWindowTitle(tr("Complete treatment: %1").arg(patient));
        text->setText(tr("Complete the treatment of %1. The front desk then confirms the outcome and closes the visit.")
                          .arg(patient));
        noteLabel->setText(tr("Outcome note for the record (optional), e.g. diagnosis and advice:"));
        m_confirm->setText(tr("Complete treatment  %1").arg(confirmKeys));
        m_confirm->setIcon(QIcon(QStringLiteral(":/icons/complete.svg")));
        keep->setText(tr("Not yet"));
        break;
    case Kind::Refuse: {
        setObjectName(QStringLiteral("refuseDialog"));
        setWindowTitle(tr("Refuse treatment: %1").arg(patient));
        text->setText(
            tr("Refuse the treatment of %1? The front desk is told, and the visit leaves your queue.").arg(patient));
        auto *list = new QLabel(this);
        list->setObjectName(QStringLiteral("withdrawnExaminations"));
        list->setWordWrap(true);
        list->setTextFormat(Qt::PlainText);
        if (withdrawn.isEmpty()) {
            list->setText(tr("No examination is waiting: nothing will be withdrawn."));
        } else {
            QStringList lines{
                tr("These examinations have not been done and will be withdrawn:", nullptr, int(withdrawn.size()))};
            for (const QString &name : withdrawn)
                lines.append(QStringLiteral("  •  %1").arg(name));
            list->setText(lines.join(u'\n'));
            list->setStyleSheet(QStringLiteral("color: %1; font-weight: 600;")
                                    .arg(StatusStyle::colour(StatusTone::Cancelled).darker(120).name()));
        }
        layout->addWidget(list);
        noteLabel->setText(tr("Reason (required), e.g. the patient declined the examinations:"));
        m_confirm->setText(tr("Refuse treatment  %1").arg(confirmKeys));
        m_confirm->setIcon(QIcon(QStringLiteral(":/icons/refuse.svg")));
        m_confirm->setEnabled(false);
        keep->setText(tr("Keep treating"));
        keep->setDefault(true);
        connect(m_note, &QPlainTextEdit::textChanged, this, [this] { m_confirm->setEnabled(!note().isEmpty()); });
        break;
    }
    }
    noteLabel->setBuddy(m_note);
    m_note->setObjectName(QStringLiteral("outcomeNote"));
    m_note->setTabChangesFocus(true);
    m_note->setMinimumHeight(90);
    layout->addWidget(noteLabel);
    layout->addWidget(m_note, 1);
    layout->addWidget(buttons);
    setMinimumWidth(480);
    if (kind != Kind::Refuse)
        m_confirm->setDefault(true);

    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_confirm->isEnabled())
            accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *confirm = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(confirm, &QShortcut::activated, m_confirm, &QPushButton::click);
    auto *confirmKeypad = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this);
    connect(confirmKeypad, &QShortcut::activated, m_confirm, &QPushButton::click);
    m_note->setFocus();
}

QString OutcomeDialog::note() const
{
    return m_note->toPlainText().trimmed();
}

} // namespace clinicflow::client
