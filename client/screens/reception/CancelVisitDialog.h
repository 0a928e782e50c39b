// Cancelling a visit asks first (SCREENS.md: nothing is ambiguous about safety): which visit, what cancelling does
// (the doctor's consultation and open examinations are withdrawn), and why, which the record keeps.
#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace clinicflow::client {

class CancelVisitDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CancelVisitDialog)

public:
    CancelVisitDialog(const QString &ticket, const QString &patient, QWidget *parent = nullptr);

    QString reason() const;

private:
    QLineEdit *m_reason;
    QPushButton *m_cancelVisit;
};

} // namespace clinicflow::client
