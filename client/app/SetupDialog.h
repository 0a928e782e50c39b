// The first start of a workstation (and Settings > Station later): the station's enrolment file, which says its
// code, role, doctor and server and holds its key (ARCHITECTURE §7), and the language. The server's address may be
// changed (it may be reached under another name from here); the rest is the enrolment's. Each value is checked
// before it is kept, with the message beside the field.
#pragma once

#include "StationOptions.h"
#include "domain/Catalogue.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;

namespace clinicflow::client {

class SetupDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SetupDialog)

public:
    // roster: the doctors to choose from (the station's last known roster, or the built-in one before any).
    SetupDialog(const StationOptions &options, const domain::Catalogue &roster, QWidget *parent = nullptr);

    StationOptions options() const;
    // Imports an enrolment file (what Import does after its file dialog): true, or the error shown beside it.
    bool importFrom(const QString &path);

public Q_SLOTS:
    void accept() override;

private:
    void chooseEnrolment();
    void showEnrolment();
    void updateDoctorRow();

    StationOptions m_options;
    QLabel *m_enrolment;
    QLabel *m_enrolmentError;
    QLineEdit *m_server;
    QLabel *m_serverError;
    QLineEdit *m_station;
    QComboBox *m_role;
    QLabel *m_doctorLabel;
    QComboBox *m_doctor;
    QComboBox *m_language;
};

} // namespace clinicflow::client
