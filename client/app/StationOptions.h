// Who this workstation is and where its server is: from the command line, else from the settings the setup dialog
// kept (QSettings), else nobody yet (the setup dialog asks). Command-line values are used for the run, never saved,
// so a demonstration with four windows does not overwrite a real station's settings.
#pragma once

#include "domain/Types.h"
#include "security/Enrolment.h"

#include <QSet>
#include <QString>
#include <QStringList>
#include <optional>

class QCommandLineParser;

namespace clinicflow::client {

struct StationOptions
{
    domain::Role role = domain::Role::Receptionist;
    QString station;         // station code, e.g. "A"
    QString server;          // the gateway's requests, "tcp://host:7470"
    QString pub;             // its status; empty: the same host, the next port
    QString dataDir;         // where the station's store lives; empty: the user's application data folder
    QString language;        // "ko", "en"; empty: the system's
    QString doctor;          // a doctor's station: the roster id of its doctor
    QSet<QString> examTypes; // an examiner's station: the catalogue codes it does; empty: all
    QString enrolment;       // the station's enrolment as the app keeps it (readable by the user only)

    // Complete enough to open a station with: an enrolment, and what it says.
    bool isComplete() const;
    // Takes the station, role, doctor and server from an enrolment and keeps a copy of the file beside the
    // station's store, readable by the user only (it holds the station's secret key). An error sentence otherwise.
    bool importEnrolment(const security::Enrolment &enrolment, QString *error);
    // The kept enrolment, read again.
    domain::Result<security::Enrolment> loadEnrolment() const;
    // The PUB endpoint: `pub`, or the server's host with its port plus one.
    QString publishEndpoint() const;
    // <dataDir>/station-<code>.sqlite, or the store's default path when no data folder is set.
    QString storePath() const;

    static void addTo(QCommandLineParser &parser);
    // Values from the parser over `base`; an error sentence (translated) for a value that cannot be right.
    static std::optional<StationOptions> fromParser(const QCommandLineParser &parser, StationOptions base,
                                                    QString *error);
    static StationOptions load(); // from QSettings
    void save() const;            // to QSettings
    static bool isEndpoint(const QString &text);
};

} // namespace clinicflow::client
