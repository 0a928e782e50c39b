// The selected request, read at a glance before the examiner acts: the examination and the ticket large, the urgent
// badge, the patient's name, birth date, age and sex (enough to check the patient in front of the room; never the
// phone or the address), the department and doctor, when it was requested and how long ago, and the doctor's note.
// With nothing selected it says where a request comes from.
#pragma once

#include "ExaminerController.h"

#include <QFrame>

class QLabel;

namespace clinicflow::client {

class RequestPanel : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RequestPanel)

public:
    explicit RequestPanel(QWidget *parent = nullptr);

    // `now`: for the age of the request ("23 min ago").
    void setRequest(const std::optional<ExaminationRequest> &request, const QDateTime &now);
    const std::optional<ExaminationRequest> &request() const { return m_request; }
    // What the panel says with no request in hand (nothing selected, or nothing waiting).
    void setPlaceholder(const QString &text);
    void retranslate();

private:
    void render();

    std::optional<ExaminationRequest> m_request;
    QDateTime m_now;
    QLabel *m_placeholder;
    QWidget *m_body;
    QLabel *m_examination;
    QLabel *m_urgent;
    QLabel *m_ticket;
    QLabel *m_patientLabel;
    QLabel *m_patient;
    QLabel *m_birthLabel;
    QLabel *m_birth;
    QLabel *m_departmentLabel;
    QLabel *m_department;
    QLabel *m_requestedLabel;
    QLabel *m_requested;
    QLabel *m_noteLabel;
    QLabel *m_note;
};

} // namespace clinicflow::client
