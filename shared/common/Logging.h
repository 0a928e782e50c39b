// The one logging path of both executables: a QLoggingCategory per module and a Qt message handler that writes one
// JSON object per line to stdout, for journald, `kubectl logs` and any log shipper (EFK, Loki):
//   {"time":"2026-12-01T09:02:11.408Z","level":"info","module":"reception","station":"R1",
//    "visit":"6f1c2b1e-…","message":"reception rejected command … : VISIT_NOT_FOUND"}
// "station" and "visit" are there when the line is about one (a LogContext on the thread, or logEvent's fields);
// other structured fields are nested under "fields", and builds that record them add "file"/"line".
//
// Privacy (ARCHITECTURE §7): log ids, tickets, codes and counts, NEVER a patient's name, phone, address or birth
// date, in the message or in the fields. Error messages from the domain are written to follow the same rule.
#pragma once

#include <QJsonObject>
#include <QLoggingCategory>
#include <QString>
#include <QStringList>
#include <optional>

class QIODevice;

namespace clinicflow::common {

// One category per module, named "clinicflow.<module>"; defined in Logging.cpp.
Q_DECLARE_LOGGING_CATEGORY(lcApp)         // clinicflow.app: start-up, shutdown, configuration summary
Q_DECLARE_LOGGING_CATEGORY(lcConfig)      // clinicflow.config
Q_DECLARE_LOGGING_CATEGORY(lcGateway)     // clinicflow.gateway
Q_DECLARE_LOGGING_CATEGORY(lcReception)   // clinicflow.reception
Q_DECLARE_LOGGING_CATEGORY(lcDiagnosis)   // clinicflow.diagnosis
Q_DECLARE_LOGGING_CATEGORY(lcExamination) // clinicflow.examination
Q_DECLARE_LOGGING_CATEGORY(lcView)        // clinicflow.view
Q_DECLARE_LOGGING_CATEGORY(lcStorage)     // clinicflow.storage
Q_DECLARE_LOGGING_CATEGORY(lcHttp)        // clinicflow.http
Q_DECLARE_LOGGING_CATEGORY(lcSync)        // clinicflow.sync (client)
Q_DECLARE_LOGGING_CATEGORY(lcStore)       // clinicflow.store (client)
Q_DECLARE_LOGGING_CATEGORY(lcMetrics)     // clinicflow.metrics

// While one lives, every line its thread logs names this station and visit (top-level "station" and "visit"), so
// that a log pipeline can index them. The gateway opens one per request, a worker one per command or event it
// applies. Nested contexts hide the outer one until they end. Ids and station codes only: never a patient's data.
class LogContext
{
    Q_DISABLE_COPY_MOVE(LogContext)
public:
    explicit LogContext(QString station, QString visit = {});
    ~LogContext();
    void setVisit(QString visit) { m_visit = std::move(visit); }

    // The innermost context of this thread, or nullptr.
    static const LogContext *current();
    const QString &station() const { return m_station; }
    const QString &visit() const { return m_visit; }

private:
    QString m_station;
    QString m_visit;
    const LogContext *m_outer;
};

// Level names used by --log-level and the "level" field: debug, info, warning, error (QtCriticalMsg).
QStringList logLevelNames();
std::optional<QtMsgType> logLevelFromName(const QString &name); // case-insensitive
QString logLevelName(QtMsgType type);                           // QtFatalMsg -> "fatal"
int logLevelRank(QtMsgType type);                               // debug 0 < info 1 < warning 2 < error 3 < fatal 4

// Installs the JSON handler (replacing any earlier one; the previous Qt handler is kept for uninstall) and applies
// minimumLevel both through QLoggingCategory::setFilterRules (so disabled messages cost nothing) and in the handler
// (for messages of categories the rules do not cover). output = nullptr writes to stdout; otherwise the device must
// be open for writing and outlive the handler. Every line is written whole, so lines from many threads never
// interleave. QT_LOGGING_RULES still overrides the rules for one category.
void installJsonLogging(QtMsgType minimumLevel, QIODevice *output = nullptr);

// Longest message written; a longer one is cut, saying how much was cut.
inline constexpr int kMaxLogMessage = 2000;
// With output = nullptr, lines go through a bounded queue to stdout (LogWriter.h): logging never waits for a reader.
// Restores the handler that was installed before installJsonLogging() and clears the filter rules.
void uninstallJsonLogging();

// Changes the minimum level of an installed handler (and the filter rules).
void setMinimumLogLevel(QtMsgType minimumLevel);

// One JSON line (with its '\n') as the handler writes it. "module" is the category without its "clinicflow."
// prefix; "station" and "visit" come from fields of those names, else from this thread's LogContext; the other
// fields are nested under "fields" when there are any.
QByteArray jsonLogLine(QtMsgType type, const QMessageLogContext &context, const QString &message,
                       const QJsonObject &fields = {});

// A message with structured fields, e.g.
//   logEvent(lcGateway(), QtInfoMsg, u"command queued"_s, {{"command", id}, {"station", code}});
// gives {"module":"gateway","station":"A","fields":{"command":"…"},"level":"info",…}.
// Without the JSON handler installed, the fields are appended to the message as compact JSON.
void logEvent(const QLoggingCategory &category, QtMsgType level, const QString &message, const QJsonObject &fields);

} // namespace clinicflow::common
