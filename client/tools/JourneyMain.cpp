// clinicflow-journey: one patient's whole journey, played by four headless stations against a running server, with
// every status change printed as the board sees it. The README's run command uses it when there is no display to
// open the windows on; it is also a quick end-to-end check of an installation.
//   clinicflow-journey --server tcp://127.0.0.1:7470 [--pub tcp://127.0.0.1:7471] [--data DIR]
#include "JourneyScript.h"
#include "MorningScript.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"clinicflow-journey"_s);
    QCommandLineParser parser;
    parser.setApplicationDescription(u"Plays one patient's journey through a ClinicFlow server."_s);
    parser.addHelpOption();
    parser.addOptions({{u"server"_s, u"The server's requests endpoint."_s, u"endpoint"_s, u"tcp://127.0.0.1:7470"_s},
                       {u"pub"_s, u"The server's status endpoint (default: the next port)."_s, u"endpoint"_s},
                       {u"data"_s, u"Folder for the four stations' stores."_s, u"dir"_s, u"var/journey"_s},
                       {u"enrolments"_s,
                        u"Folder of the stations' enrolment files, <code>.enrolment.json (default: --data). The "
                        "journey's stations are JD, JK (dr.kim), JL and JB; the morning's MA, MB, ML and a room per "
                        "doctor: MD (dr.kim), MD2 (dr.lee), MD3 (dr.park), MD4 (dr.choi), MD5 "
                        "(dr.jung), MD6 (dr.kang)."_s,
                        u"dir"_s},
                       {u"timeout"_s, u"Seconds each step may take."_s, u"seconds"_s, u"30"_s},
                       {u"morning"_s, u"Instead of one journey, a morning of N patients in every state."_s, u"n"_s},
                       {u"verbose"_s, u"Also print the stations' own log lines."_s}});
    parser.process(app);
    if (!parser.isSet(u"verbose"_s))
        QLoggingCategory::setFilterRules(u"clinicflow.*.debug=false\nclinicflow.*.info=false"_s);
    if (parser.isSet(u"morning"_s)) {
        clinicflow::client::MorningScript morning(parser.value(u"server"_s), parser.value(u"pub"_s),
                                                  parser.value(u"data"_s), parser.value(u"morning"_s).toInt());
        morning.setEnrolmentDir(parser.value(u"enrolments"_s));
        QObject::connect(&morning, &clinicflow::client::MorningScript::finished, &app, &QCoreApplication::exit);
        QTimer::singleShot(0, &morning, &clinicflow::client::MorningScript::start);
        return app.exec();
    }
    clinicflow::client::JourneyScript script(parser.value(u"server"_s), parser.value(u"pub"_s), parser.value(u"data"_s),
                                             parser.value(u"timeout"_s).toInt());
    script.setEnrolmentDir(parser.value(u"enrolments"_s));
    QObject::connect(&script, &clinicflow::client::JourneyScript::finished, &app, &QCoreApplication::exit);
    QTimer::singleShot(0, &script, &clinicflow::client::JourneyScript::start);
    return app.exec();
}
