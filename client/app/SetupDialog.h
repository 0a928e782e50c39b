// The first start of a workstation (and Settings > Station later): where the server is, this station's code and
// role, and for a doctor's station which doctor of the roster it belongs to. Each value is checked before it is
// kept, with the message beside the field.
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

public Q_SLOTS:
    void accept() override;

private:
    void updateDoctorRow();

    StationOptions m_options;
    QLineEdit *m_server;
    QLabel *m_serverError;
    QLineEdit *m_station;
    QLabel *m_stationError;
    QComboBox *m_role;
    QLabel *m_doctorLabel;
    QComboBox *m_doctor;
    QComboBox *m_language;
};

} // namespace clinicflow::client
