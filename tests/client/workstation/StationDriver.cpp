// clinicflow-test-station-driver: a headless workstation in a process of its own, so tests can kill -9 it in the
// middle of its work. It opens a Workstation, registers --register visits one after another while the engine
// syncs, prints "submitted <visit id> <ticket>" for each as soon as its local commit returned, and with --drain
// waits until the server answered everything, then prints "drained <pending> <last sequence>" and exits.
#include "security/Enrolment.h"
#include "station/Workstation.h"
#include "store/LocalStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{u"store"_s, u"Local store file."_s, u"path"_s},
                       {u"station"_s, u"Station code."_s, u"code"_s, u"A"_s},
                       {u"port"_s, u"Gateway request port."_s, u"port"_s},
                       {u"enrolment"_s, u"The station's enrolment file (its keys)."_s, u"file"_s},
                       {u"pub-port"_s, u"Gateway status port."_s, u"port"_s},
                       {u"register"_s, u"Visits to register."_s, u"n"_s, u"0"_s},
                       {u"drain"_s, u"Wait until every action is answered."_s}});
    parser.process(app);

    client::WorkstationSettings settings;
    settings.storePath = parser.value(u"store"_s);
    settings.station = parser.value(u"station"_s);
    settings.role = Role::Receptionist;
    settings.requestEndpoint = u"tcp://127.0.0.1:"_s + parser.value(u"port"_s);
    settings.publishEndpoint = u"tcp://127.0.0.1:"_s + parser.value(u"pub-port"_s);
    auto enrolment = security::Enrolment::load(parser.value(u"enrolment"_s));
    if (!enrolment) {
        std::fprintf(stderr, "%s\n", qPrintable(enrolment.error().message()));
        return 2;
    }
    settings.keys = enrolment->keys;
    auto opened = client::Workstation::open(settings);
    if (!opened) {
        std::fprintf(stderr, "cannot open the station: %s\n", qPrintable(opened.error().message()));
        return 2;
    }
    auto station = std::move(opened).value();
    station->start();

    int remaining = parser.value(u"register"_s).toInt();
    const bool drain = parser.isSet(u"drain"_s);
    QTimer work;
    // One registration per turn of the event loop, so the engine's answers and events are applied in between, as
    // at a real desk that keeps working while the station syncs.
    QObject::connect(&work, &QTimer::timeout, &app, [&] {
        if (remaining > 0) {
            RegisterVisit r;
            r.patient.name = u"Driver patient %1"_s.arg(remaining);
            r.patient.birthDate = QDate(1990, 5, 1);
            r.department = u"GS"_s;
            r.chiefComplaint = u"pain"_s;
            auto registered = station->store().registerVisit(r);
            if (!registered) {
                std::fprintf(stderr, "registration refused: %s\n", qPrintable(registered.error().message()));
                QCoreApplication::exit(3);
                return;
            }
            std::printf("submitted %s %s\n", qPrintable(idString(registered->visitId)),
                        qPrintable(registered->ticket.toString()));
            std::fflush(stdout);
            --remaining;
            return;
        }
        if (!drain) {
            QCoreApplication::exit(0);
        } else if (station->store().pendingCount() == 0 && station->state() == client::ConnectionState::Online) {
            std::printf("drained %d %llu\n", station->store().pendingCount(),
                        static_cast<unsigned long long>(station->store().lastSequence()));
            std::fflush(stdout);
            QCoreApplication::exit(0);
        }
    });
    work.start(0);
    const int code = app.exec();
    station->stop();
    return code;
}
