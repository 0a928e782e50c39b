// Handing a patient over to a colleague, asked before it is stored: which doctor of the roster (own department first)
// and why (optional; kept in the record and the audit trail). After it, the patient leaves this doctor's queue and
// appears in the colleague's. Enter in the list confirms; Esc closes.
#pragma once

#include "domain/Catalogue.h"

#include <QDialog>

class QComboBox;
class QLineEdit;

namespace clinicflow::client {

class HandOverDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HandOverDialog)

public:
    // `patient` names the visit ("김민준 (A-003)"); `colleagues` are the doctors to choose from, in order.
    HandOverDialog(const QString &patient, const QList<domain::Doctor> &colleagues, const domain::Catalogue &catalogue,
                   QWidget *parent = nullptr);

    QString doctorId() const; // the chosen doctor's roster id
    QString note() const;

private:
    QComboBox *m_doctor;
    QLineEdit *m_note;
};

} // namespace clinicflow::client
