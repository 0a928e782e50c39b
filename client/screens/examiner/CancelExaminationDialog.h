// Cancelling an examination asks first, and asks why (the reason is required by the rules and goes to the doctor
// with the cancellation): which examination of which patient, and a reason, with a few common ones to pick.
#pragma once

#include <QDialog>

class QComboBox;
class QPushButton;

namespace clinicflow::client {

class CancelExaminationDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CancelExaminationDialog)

public:
    CancelExaminationDialog(const QString &examination, const QString &ticket, const QString &patient,
                            QWidget *parent = nullptr);

    QString reason() const;

private:
    QComboBox *m_reason;
    QPushButton *m_cancelExamination;
};

} // namespace clinicflow::client
