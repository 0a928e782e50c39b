// The question before an examination is cancelled (see CancelExaminationDialog.h).
#include "CancelExaminationDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace clinicflow::client {

CancelExaminationDialog::CancelExaminationDialog(const QString &examination, const QString &ticket,
                                                 const QString &patient, QWidget *parent)
    : QDialog(parent)
    , m_reason(new QComboBox(this))
{
    setObjectName(QStringLiteral("cancelExaminationDialog"));
    setWindowTitle(tr("Cancel %1 for %2").arg(examination, ticket));
    auto *text = new QLabel(tr("Cancel the %1 of %2 (%3)? The doctor sees the cancellation and your reason.")
                                .arg(examination, patient, ticket),
                            this);
    text->setWordWrap(true);
    // Typed freely, or one of the usual reasons picked and completed; nothing is chosen at first, so a reason is
    // always given on purpose.
    m_reason->setObjectName(QStringLiteral("cancelExaminationReason"));
    m_reason->setEditable(true);
    m_reason->setInsertPolicy(QComboBox::NoInsert);
    m_reason->addItems({tr("The patient did not come"), tr("The patient declined the examination"),
                        tr("Not possible for the patient's condition"), tr("The equipment is unavailable")});
    m_reason->setCurrentIndex(-1);
    m_reason->lineEdit()->setMaxLength(200);
    m_reason->lineEdit()->setPlaceholderText(tr("Why, e.g. the patient did not come"));
    m_reason->setMinimumContentsLength(32);
    auto *label = new QLabel(tr("&Reason:"), this);
    label->setBuddy(m_reason);
    auto *buttons = new QDialogButtonBox(this);
    m_cancelExamination = buttons->addButton(tr("Cancel the examination"), QDialogButtonBox::AcceptRole);
    m_cancelExamination->setObjectName(QStringLiteral("confirmCancelExamination"));
    m_cancelExamination->setIcon(QIcon(QStringLiteral(":/icons/cancel-exam.svg")));
    m_cancelExamination->setEnabled(false);
    buttons->addButton(tr("Keep it"), QDialogButtonBox::RejectRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reason, &QComboBox::currentTextChanged, this, [this](const QString &reason) {
        m_cancelExamination->setEnabled(!reason.trimmed().isEmpty());
        m_cancelExamination->setDefault(!reason.trimmed().isEmpty()); // Enter confirms once there is a reason
    });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(label);
    layout->addWidget(m_reason);
    layout->addWidget(buttons);
    setMinimumWidth(460);
    m_reason->setFocus();
}

QString CancelExaminationDialog::reason() const
{
    return m_reason->currentText().trimmed();
}

} // namespace clinicflow::client
