// clinicflow-server: parse the configuration, log JSON to stdout, run until SIGTERM or SIGINT, then drain and exit 0.
#include "Server.h"
#include "common/Config.h"
#include "common/LogWriter.h"
#include "common/Logging.h"
#include "common/SignalWatcher.h"
#include "proto/Codec.h"
#include "security/AdminCommands.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

int main(int argc, char *argv[])
{
    // Everything the server creates (the data folder, the databases, their logs) holds patients' data: it is the
    // server's account's alone.
    ::umask(S_IRWXG | S_IRWXO);
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"clinicflow-server"_s);
    QCoreApplication::setApplicationVersion(clinicflow::common::clinicflowVersion());
    // enrol, revoke, stations: the operators' commands, beside a running server.
    if (auto exitCode = clinicflow::server::runAdminCommand(app.arguments()))
        return *exitCode;

    const auto parsed =
        clinicflow::common::serverOptions().parse(app.arguments(), QProcessEnvironment::systemEnvironment());
    if (auto exitCode = clinicflow::common::exitCodeFor(parsed))
        return *exitCode;
    const auto config = clinicflow::common::ServerConfig::fromValues(parsed.values);
    clinicflow::common::installJsonLogging(config.logLevel);
    // The last lines (the drain, "stopped") reach stdout before the process ends, if stdout takes them within 2 s.
    struct FlushLogAtExit
    {
        ~FlushLogAtExit() { clinicflow::common::stopLogWriter(std::chrono::seconds(2)); }
    } flushLogAtExit;
    clinicflow::proto::installProtobufLogHandler();

    clinicflow::server::Server server(config);
    clinicflow::common::SignalWatcher watcher;
    // A graceful stop in two steps, the event loop running throughout so that HTTP still answers (readiness 503):
    // first the drain (no new commands; those already taken are applied and answered), then the stop, once nothing
    // waits or after --drain-seconds. A second signal stops at once: nothing is lost either way, since what is
    // still queued is durable and applied after the restart.
    QTimer drainCheck;
    QElapsedTimer draining;
    const auto stopNow = [&] {
        drainCheck.stop();
        server.stop();
        app.quit();
    };
    QObject::connect(&drainCheck, &QTimer::timeout, &app, [&] {
        const bool done = server.drained();
        if (!done && draining.elapsed() < config.drainSeconds * 1000LL)
            return;
        if (done)
            qCInfo(clinicflow::common::lcApp).noquote()
                << u"drained in %1 ms: every command taken is applied; stopping"_s.arg(draining.elapsed());
        else
            qCWarning(clinicflow::common::lcApp).noquote()
                << u"drain: commands still queued after %1 s; stopping anyway (they are kept and applied after the "
                   "restart)"_s.arg(config.drainSeconds);
        stopNow();
    });
    QObject::connect(&watcher, &clinicflow::common::SignalWatcher::stopRequested, &app, [&](int signal) {
        if (draining.isValid()) {
            qCInfo(clinicflow::common::lcApp) << "signal" << signal << "received again: stopping now";
            stopNow();
            return;
        }
        qCInfo(clinicflow::common::lcApp).noquote()
            << u"signal %1 received: draining (not ready; new commands answered SERVER_UNAVAILABLE; up to %2 s)"_s
                   .arg(signal)
                   .arg(config.drainSeconds);
        draining.start();
        server.beginDrain();
        drainCheck.start(20);
    });
    // Enrolments and revocations are read again within a second anyway; the rest needs a restart to change.
    QObject::connect(&watcher, &clinicflow::common::SignalWatcher::hangUp, &app, [] {
        qCInfo(clinicflow::common::lcApp) << "SIGHUP received: nothing to reload (stations are re-read every second); "
                                             "still running";
    });
    if (auto started = server.start(); !started) {
        qCCritical(clinicflow::common::lcApp).noquote() << "cannot start:" << started.error().message();
        return 1;
    }
    const int code = app.exec();
    server.stop();
    qCInfo(clinicflow::common::lcApp) << "stopped";
    return code;
}
