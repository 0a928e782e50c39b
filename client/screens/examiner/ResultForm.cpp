// The result field and the examiner's two actions (see ResultForm.h).
#include "ResultForm.h"

#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

ResultForm::ResultForm(QWidget *parent)
    : QWidget(parent)
    , m_label(new QLabel(this))
    , m_result(new QPlainTextEdit(this))
    , m_error(new QLabel(this))
    , m_perform(new QPushButton(this))
    , m_cancel(new QPushButton(this))
{
    setObjectName(u"resultForm"_s);
    m_label->setObjectName(u"resultLabel"_s);
    m_label->setBuddy(m_result);
    QFont heading = m_label->font();
    heading.setPointSizeF(heading.pointSizeF() * 1.2);
    heading.setBold(true);
    m_label->setFont(heading);
    m_result->setObjectName(u"result"_s);
    m_result->setTabChangesFocus(true);
    m_result->setMinimumHeight(110);
    m_result->installEventFilter(this);
    m_error->setObjectName(u"resultError"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #DC2626;"_s);
    m_error->hide();
    m_perform->setObjectName(u"perform"_s);
    m_perform->setIcon(QIcon(u":/icons/perform.svg"_s));
    m_perform->setIconSize(QSize(20, 20));
    m_perform->setMinimumHeight(40);
    m_perform->setDefault(true);
    QFont bold = m_perform->font();
    bold.setBold(true);
    m_perform->setFont(bold);
    m_cancel->setObjectName(u"cancelExamination"_s);
    m_cancel->setIcon(QIcon(u":/icons/cancel-exam.svg"_s));
    m_cancel->setMinimumHeight(40);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_cancel);
    actions->addStretch();
    actions->addWidget(m_perform);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_result, 1);
    layout->addWidget(m_error);
    layout->addLayout(actions);
    setTabOrder(m_result, m_perform);
    setTabOrder(m_perform, m_cancel);

    connect(m_perform, &QPushButton::clicked, this, &ResultForm::performClicked);
    connect(m_cancel, &QPushButton::clicked, this, &ResultForm::cancelClicked);
    connect(m_result, &QPlainTextEdit::textChanged, m_error, &QWidget::hide);
    retranslate();
}

QString ResultForm::text() const
{
    return m_result->toPlainText();
}

void ResultForm::setText(const QString &text)
{
    m_result->setPlainText(text);
    m_result->moveCursor(QTextCursor::End);
    m_error->hide();
}

void ResultForm::showError(const QString &text)
{
    m_error->setText(text);
    m_error->show();
}

void ResultForm::setRequestInHand(bool inHand)
{
    m_result->setEnabled(inHand);
    m_perform->setEnabled(inHand);
    m_cancel->setEnabled(inHand);
}

void ResultForm::retranslate()
{
    m_label->setText(tr("&Result"));
    m_result->setPlaceholderText(tr("Type the result here, then Perform (Ctrl+Enter)"));
    m_perform->setText(tr("Perform  Ctrl+Enter"));
    m_cancel->setText(tr("Cancel with reason…"));
    m_perform->setToolTip(tr("Perform the examination with this result (Ctrl+Enter)"));
    m_cancel->setToolTip(tr("Cancel the examination; you are asked why (Ctrl+Delete)"));
}

// Ctrl+Delete cancels the selected item on every screen (the desk's visits too); a text field would take it as
// "delete the next word", so the result field lets it through to the screen's shortcut.
bool ResultForm::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_result && event->type() == QEvent::ShortcutOverride) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == Qt::Key_Delete && (key->modifiers() & ~Qt::KeypadModifier) == Qt::ControlModifier) {
            event->ignore();
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace clinicflow::client
