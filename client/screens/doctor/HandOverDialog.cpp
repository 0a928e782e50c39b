// The hand-over dialog (see HandOverDialog.h).
#include "HandOverDialog.h"

#include "domain/Commands.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace clinicflow::client {

HandOverDialog::HandOverDialog(const QString &patient, const QList<domain::Doctor> &colleagues,
                               const domain::Catalogue &catalogue, QWidget *parent)
    : QDialog(parent)
    , m_doctor(new QComboBox(this))
    , m_note(new QLineEdit(this))
{
    setObjectName(QStringLiteral("handOverDialog"));
    setWindowTitle(tr("Hand over: %1").arg(patient));
    auto *text = new QLabel(
        tr("Hand %1 over to a colleague. The patient leaves your queue and appears in theirs; only they can act on "
           "this consultation from then on.")
            .arg(patient),
        this);
    text->setWordWrap(true);
    m_doctor->setObjectName(QStringLiteral("handOverDoctor"));
    for (const domain::Doctor &d : colleagues) {
        const domain::Department *department = catalogue.department(d.department);
        m_doctor->addItem(department ? tr("%1 · %2", "doctor, then department").arg(d.name, department->name) : d.name,
                          d.id);
    }
    m_note->setObjectName(QStringLiteral("handOverNote"));
    m_note->setMaxLength(domain::kMaxLongTextLength);
    m_note->setPlaceholderText(tr("e.g. end of my shift; needs a surgeon"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Colleague:"), m_doctor);
    form->addRow(tr("&Reason (optional):"), m_note);
    auto *buttons = new QDialogButtonBox(this);
    QPushButton *confirm = buttons->addButton(tr("Hand over"), QDialogButtonBox::AcceptRole);
    confirm->setObjectName(QStringLiteral("confirmHandOver"));
    confirm->setIcon(QIcon(QStringLiteral(":/icons/handover.svg")));
    confirm->setDefault(true);
    confirm->setEnabled(m_doctor->count() > 0);
    buttons->addButton(tr("Keep the patient"), QDialogButtonBox::RejectRole);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(text);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(460);
    m_doctor->setFocus();
}

QString HandOverDialog::doctorId() const
{
    return m_doctor->currentData().toString();
}

QString HandOverDialog::note() const
{
    return m_note->text().trimmed();
}

} // namespace clinicflow::client
