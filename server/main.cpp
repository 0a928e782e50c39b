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
#include <memory>
#include <optional>
#include <sys/stat.h>

using namespace Qt::StringLiterals;

namespace {
// How often a server waiting for its database tries again, and how often a running one is checked.
constexpr int kRetryEveryMs = 1000;
} // namespace

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

    // The server, or none while the database is unreachable: at start, or after it went away under the running
    // modules (a PostgreSQL restart). Then the modules stop (the transactions in flight die with their connection:
    // nothing half-done stays), /health/ready refuses connections, and a new server starts as soon as the database
    // answers again; stations meanwhile keep their commands in their outboxes.
    std::unique_ptr<clinicflow::server::Server> server;
    QElapsedTimer waitingForDatabase;
    const auto startServer = [&]() -> std::optional<int> {
        server = std::make_unique<clinicflow::server::Server>(config);
        auto started = server->start();
        if (started) {
            if (waitingForDatabase.isValid())
                qCInfo(clinicflow::common::lcApp).noquote()
                    << u"the database is back after %1 s: started"_s.arg(waitingForDatabase.elapsed() / 1000);
            waitingForDatabase.invalidate();
            return std::nullopt;
        }
        server.reset();
        if (started.error().code != clinicflow::domain::ErrorCode::ServerUnavailable) {
            qCCritical(clinicflow::common::lcApp).noquote() << "cannot start:" << started.error().message();
            return 1;
        }
        if (!waitingForDatabase.isValid() || waitingForDatabase.elapsed() % 30000 < kRetryEveryMs)
            qCWarning(clinicflow::common::lcApp).noquote()
                << started.error().message() << u"; trying again every %1 s"_s.arg(kRetryEveryMs / 1000);
        if (!waitingForDatabase.isValid())
            waitingForDatabase.start();
        return std::nullopt;
    };
    clinicflow::common::SignalWatcher watcher;
    // A graceful stop in two steps, the event loop running throughout so that HTTP still answers (readiness 503):
    // first the drain (no new commands; those already taken are applied and answered), then the stop, once nothing
    // waits or after --drain-seconds. A second signal stops at once: nothing is lost either way, since what is
    // still queued is durable and applied after the restart.
    QTimer drainCheck;
    QTimer supervise;
    QElapsedTimer draining;
    const auto stopNow = [&] {
        drainCheck.stop();
        supervise.stop();
        if (server)
            server->stop();
        app.quit();
    };
    QObject::connect(&drainCheck, &QTimer::timeout, &app, [&] {
        const bool done = !server || server->drained();
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
    QObject::connect(&supervise, &QTimer::timeout, &app, [&] {
        if (draining.isValid())
            return;
        if (server && server->databaseLost()) {
            qCCritical(clinicflow::common::lcApp)
                << "the database went away: stopping the modules; they start again when it answers";
            server->stop();
            server.reset();
            waitingForDatabase.start();
            return;
        }
        if (!server) {
            if (auto exitCode = startServer()) {
                supervise.stop();
                app.exit(*exitCode);
            }
        }
    });
    QObject::connect(&watcher, &clinicflow::common::SignalWatcher::stopRequested, &app, [&](int signal) {
        if (draining.isValid() || !server) {
            qCInfo(clinicflow::common::lcApp) << "signal" << signal << "received: stopping now";
            stopNow();
            return;
        }
        qCInfo(clinicflow::common::lcApp).noquote()
            << u"signal %1 received: draining (not ready; new commands answered SERVER_UNAVAILABLE; up to %2 s)"_s
                   .arg(signal)
                   .arg(config.drainSeconds);
        draining.start();
        server->beginDrain();
        drainCheck.start(20);
    });
    // Enrolments and revocations are read again within a second anyway; the rest needs a restart to change.
    QObject::connect(&watcher, &clinicflow::common::SignalWatcher::hangUp, &app, [] {
        qCInfo(clinicflow::common::lcApp) << "SIGHUP received: nothing to reload (stations are re-read every second); "
                                             "still running";
    });
    if (auto exitCode = startServer())
        return *exitCode;
    supervise.start(kRetryEveryMs);
    const int code = app.exec();
    if (server)
        server->stop();
    qCInfo(clinicflow::common::lcApp) << "stopped";
    return code;
}
