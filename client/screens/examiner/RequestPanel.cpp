// The selected request's details (see RequestPanel.h).
#include "RequestPanel.h"

#include "models/ModelText.h"
#include "screens/common/StatusStyle.h"

#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace clinicflow::client {

namespace {

// One line each (a wrapped label in a form is given the height of one line too often); what does not fit is cut at
// the panel's edge, and the tooltip holds the whole.
QLabel *valueLabel(const QString &name, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(name);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    return label;
}

void setLine(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setToolTip(text);
}

// The locale's short date with the whole year: a birth date's century must never be guessed ("5/17/1980",
// "1980. 5. 17.").
} // namespace

RequestPanel::RequestPanel(QWidget *parent)
    : QFrame(parent)
    , m_placeholder(new QLabel(this))
    , m_body(new QWidget(this))
    , m_examination(valueLabel(QStringLiteral("requestExamination"), m_body))
    , m_urgent(new QLabel(m_body))
    , m_ticket(valueLabel(QStringLiteral("requestTicket"), m_body))
    , m_patientLabel(new QLabel(m_body))
    , m_patient(valueLabel(QStringLiteral("requestPatient"), m_body))
    , m_birthLabel(new QLabel(m_body))
    , m_birth(valueLabel(QStringLiteral("requestBirth"), m_body))
    , m_departmentLabel(new QLabel(m_body))
    , m_department(valueLabel(QStringLiteral("requestDepartment"), m_body))
    , m_requestedLabel(new QLabel(m_body))
    , m_requested(valueLabel(QStringLiteral("requestTime"), m_body))
    , m_noteLabel(new QLabel(m_body))
    , m_note(valueLabel(QStringLiteral("requestNote"), m_body))
{
    setObjectName(QStringLiteral("requestPanel"));
    setFrameShape(QFrame::StyledPanel);
    m_placeholder->setObjectName(QStringLiteral("requestPlaceholder"));
    m_placeholder->setWordWrap(true);
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setStyleSheet(QStringLiteral("color: #6B7280; padding: 24px;"));
    m_examination->setStyleSheet(QStringLiteral("font-size: 17pt; font-weight: 700;"));
    m_ticket->setStyleSheet(QStringLiteral("font-size: 17pt; font-weight: 700; color: #0F766E;"));
    m_ticket->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred); // short, and never cut
    m_ticket->setAlignment(Qt::AlignRight | Qt::AlignTop);
    m_urgent->setObjectName(QStringLiteral("requestUrgent"));
    m_urgent->setStyleSheet(QStringLiteral("color: white; background: %1; border-radius: 4px; padding: 2px 8px; "
                                           "font-weight: 700;")
                                .arg(StatusStyle::urgentColour().name()));
    QFont strong = m_patient->font();
    strong.setPointSizeF(strong.pointSizeF() * 1.25);
    strong.setBold(true);
    m_patient->setFont(strong);
    m_note->setWordWrap(true); // the note alone may run over several lines
    m_note->setStyleSheet(QStringLiteral("background: #FEF9C3; color: #1F2937; border-radius: 4px; padding: 6px;"));

    auto *top = new QHBoxLayout;
    top->addWidget(m_examination, 1);
    top->addWidget(m_urgent, 0, Qt::AlignTop);
    top->addWidget(m_ticket, 0, Qt::AlignTop);
    auto *form = new QFormLayout;
    form->setRowWrapPolicy(QFormLayout::DontWrapRows);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    form->setLabelAlignment(Qt::AlignLeft | Qt::AlignTop);
    form->addRow(m_patientLabel, m_patient);
    form->addRow(m_birthLabel, m_birth);
    form->addRow(m_departmentLabel, m_department);
    form->addRow(m_requestedLabel, m_requested);
    auto *body = new QVBoxLayout(m_body);
    body->setContentsMargins(0, 0, 0, 0);
    body->addLayout(top);
    body->addLayout(form);
    body->addWidget(m_noteLabel);
    body->addWidget(m_note);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_placeholder);
    layout->addWidget(m_body);
    retranslate();
}

void RequestPanel::setRequest(const std::optional<ExaminationRequest> &request, const QDateTime &now)
{
    m_request = request;
    m_now = now;
    render();
}

void RequestPanel::setPlaceholder(const QString &text)
{
    m_placeholder->setText(text);
}

void RequestPanel::retranslate()
{
    m_urgent->setText(tr("Urgent"));
    m_patientLabel->setText(tr("Patient"));
    m_birthLabel->setText(tr("Born"));
    m_departmentLabel->setText(tr("Requested by"));
    m_requestedLabel->setText(tr("Requested at"));
    m_noteLabel->setText(tr("The doctor's note"));
    render();
}

void RequestPanel::render()
{
    m_placeholder->setVisible(!m_request);
    m_body->setVisible(m_request.has_value());
    if (!m_request)
        return;
    const ExaminationRequest &r = *m_request;
    setLine(m_examination, r.examination);
    m_ticket->setText(r.ticket);
    m_urgent->setVisible(r.urgent);
    setLine(m_patient, r.patientName);
    const QString ageSex = r.ageSex.isEmpty() ? QStringLiteral("?") : r.ageSex;
    setLine(m_birth, r.birthDate.isValid()
                         ? tr("%1 (%2)", "birth date, then age and sex").arg(ModelText::birthDate(r.birthDate), ageSex)
                         : tr("Birth date unknown (%1)", "age and sex").arg(ageSex));
    setLine(m_department,
            r.doctor.isEmpty() ? r.department : tr("%1, %2", "doctor, then department").arg(r.doctor, r.department));
    const qint64 minutes =
        r.requestedAt.isValid() && m_now.isValid() ? std::max<qint64>(0, r.requestedAt.secsTo(m_now)) / 60 : 0;
    setLine(m_requested,
            tr("%1 · %n min ago", "request time, then how long ago", int(minutes)).arg(ModelText::time(r.requestedAt)));
    m_note->setText(r.note.trimmed().isEmpty() ? tr("No note") : r.note);
    m_note->setEnabled(!r.note.trimmed().isEmpty());
}

} // namespace clinicflow::client
