// The confirmation before a visit is cancelled (see CancelVisitDialog.h).
#include "CancelVisitDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace clinicflow::client {

CancelVisitDialog::CancelVisitDialog(const QString &ticket, const QString &patient, QWidget *parent)
    : QDialog(parent)
    , m_reason(new QLineEdit(this))
{
    setObjectName(QStringLiteral("cancelVisitDialog"));
    setWindowTitle(tr("Cancel visit %1").arg(ticket));
    auto *text = new QLabel(tr("Cancel the visit %1 of %2? The doctor's consultation and any examinations not yet "
                               "done are withdrawn.")
                                .arg(ticket, patient),
                            this);
    text->setWordWrap(true);
    m_reason->setObjectName(QStringLiteral("cancelReason"));
    m_reason->setPlaceholderText(tr("Why, e.g. the patient left"));
    m_reason->setMaxLength(200);
    auto *buttons = new QDialogButtonBox(this);
    m_cancelVisit = buttons->addButton(tr("Cancel the visit"), QDialogButtonBox::AcceptRole);
    m_cancelVisit->setObjectName(QStringLiteral("confirmCancelVisit"));
    m_cancelVisit->setEnabled(false);
    buttons->addButton(tr("Keep the visit"), QDialogButtonBox::RejectRole)->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_reason, &QLineEdit::textChanged, this,
            [this](const QString &reason) { m_cancelVisit->setEnabled(!reason.trimmed().isEmpty()); });
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addWidget(new QLabel(tr("Reason:"), this));
    layout->addWidget(m_reason);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

QString CancelVisitDialog::reason() const
{
    return m_reason->text().trimmed();
}

} // namespace clinicflow::client
