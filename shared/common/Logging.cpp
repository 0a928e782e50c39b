// The JSON log handler and the module categories (see Logging.h).
#include "Logging.h"

#include "LogWriter.h"

#include <QDateTime>
#include <QFileDevice>
#include <QIODevice>
#include <QJsonDocument>
#include <QMutex>
#include <QMutexLocker>
#include <atomic>
#include <cstdio>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace clinicflow::common {

Q_LOGGING_CATEGORY(lcApp, "clinicflow.app")
Q_LOGGING_CATEGORY(lcConfig, "clinicflow.config")
Q_LOGGING_CATEGORY(lcGateway, "clinicflow.gateway")
Q_LOGGING_CATEGORY(lcReception, "clinicflow.reception")
Q_LOGGING_CATEGORY(lcDiagnosis, "clinicflow.diagnosis")
Q_LOGGING_CATEGORY(lcExamination, "clinicflow.examination")
Q_LOGGING_CATEGORY(lcView, "clinicflow.view")
Q_LOGGING_CATEGORY(lcStorage, "clinicflow.storage")
Q_LOGGING_CATEGORY(lcHttp, "clinicflow.http")
Q_LOGGING_CATEGORY(lcSync, "clinicflow.sync")
Q_LOGGING_CATEGORY(lcStore, "clinicflow.store")
Q_LOGGING_CATEGORY(lcMetrics, "clinicflow.metrics")

namespace {

struct HandlerState
{
    QMutex mutex;
    QIODevice *device = nullptr; // nullptr = stdout
    QtMessageHandler previous = nullptr;
    std::atomic<bool> installed{false};
    std::atomic<int> minimumRank{1};
};

HandlerState &state()
{
    static HandlerState instance;
    return instance;
}

// Fields of the logEvent() call running on this thread, read by the handler it triggers.
thread_local const QJsonObject *t_fields = nullptr;
// The innermost LogContext of this thread.
thread_local const LogContext *t_context = nullptr;
// Set while this thread is inside the handler: a warning raised by writing is sent to stderr, not back in.
thread_local bool t_inHandler = false;

QString filterRules(QtMsgType minimumLevel)
{
    switch (logLevelRank(minimumLevel)) {
    case 0:
        return u"clinicflow.*.debug=true"_s; // Qt's own debug categories stay as they are
    case 1:
        return u"*.debug=false"_s;
    case 2:
        return u"*.debug=false\n*.info=false"_s;
    default:
        return u"*.debug=false\n*.info=false\n*.warning=false"_s;
    }
}

void writeLine(const QByteArray &line)
{
    HandlerState &s = state();
    QMutexLocker lock(&s.mutex);
    if (s.device) {
        s.device->write(line);
        if (auto *file = qobject_cast<QFileDevice *>(s.device))
            file->flush();
    } else {
        lock.unlock();
        writeLogLine(line); // queued: a stdout nobody reads costs lines, never a wait
    }
}

// When the database goes away, Qt's PostgreSQL driver warns once for every prepared statement it cannot free on the
// dead connection, and Qt once for every query then run on it: hundreds of lines that say nothing more (the
// statements went with the connection). The server logs the loss itself, and each failed piece of work with what
// it was.
QtMsgType withoutDriverNoise(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const bool uncategorized = !context.category || qstrcmp(context.category, "default") == 0;
    if (type == QtWarningMsg && uncategorized &&
        (message.startsWith(u"Unable to free statement"_s) || message == u"QSqlQuery::exec: database not open"_s))
        return QtDebugMsg;
    return type;
}

void jsonHandler(QtMsgType givenType, const QMessageLogContext &context, const QString &message)
{
    const QtMsgType type = withoutDriverNoise(givenType, context, message);
    if (t_inHandler) {
        std::fprintf(stderr, "%s\n", qUtf8Printable(message));
        return;
    }
    if (type != QtFatalMsg && logLevelRank(type) < state().minimumRank.load(std::memory_order_relaxed))
        return;
    t_inHandler = true;
    if (type == QtFatalMsg)
        flushLogWriter(std::chrono::seconds(1)); // the lines before it, then it, before the abort
    writeLine(jsonLogLine(type, context, message, t_fields ? *t_fields : QJsonObject()));
    t_inHandler = false;
}

} // namespace

QStringList logLevelNames()
{
    return {u"debug"_s, u"info"_s, u"warning"_s, u"error"_s};
}

std::optional<QtMsgType> logLevelFromName(const QString &name)
{
    const QString lower = name.trimmed().toLower();
    if (lower == u"debug"_s)
        return QtDebugMsg;
    if (lower == u"info"_s)
        return QtInfoMsg;
    if (lower == u"warning"_s)
        return QtWarningMsg;
    if (lower == u"error"_s || lower == u"critical"_s)
        return QtCriticalMsg;
    return std::nullopt;
}

QString logLevelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return u"debug"_s;
    case QtInfoMsg:
        return u"info"_s;
    case QtWarningMsg:
        return u"warning"_s;
    case QtCriticalMsg:
        return u"error"_s;
    case QtFatalMsg:
        return u"fatal"_s;
    }
    return u"info"_s;
}

int logLevelRank(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return 0;
    case QtInfoMsg:
        return 1;
    case QtWarningMsg:
        return 2;
    case QtCriticalMsg:
        return 3;
    case QtFatalMsg:
        return 4;
    }
    return 1;
}

QByteArray jsonLogLine(QtMsgType type, const QMessageLogContext &context, const QString &message,
                       const QJsonObject &fields)
{
    // A message may quote what a peer sent: a line stays a line, whatever its size.
    const QString text =
        message.size() <= kMaxLogMessage
            ? message
            : message.left(kMaxLogMessage) + u"… (%1 more characters)"_s.arg(message.size() - kMaxLogMessage);
    QString module = context.category ? QString::fromUtf8(context.category) : u"default"_s;
    if (const auto prefix = "clinicflow."_L1; module.startsWith(prefix))
        module.remove(0, prefix.size());
    QJsonObject line{
        {u"time"_s, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)},
        {u"level"_s, logLevelName(type)},
        {u"module"_s, module},
        {u"message"_s, text},
    };
    // Qt fills file and line only in debug builds or with QT_MESSAGELOGCONTEXT.
    if (context.file && *context.file) {
        line.insert(u"file"_s, QString::fromUtf8(context.file));
        line.insert(u"line"_s, context.line);
    }
    QJsonObject rest = fields;
    for (const QString &key : {u"station"_s, u"visit"_s}) {
        QString value = rest.take(key).toString();
        if (value.isEmpty() && t_context)
            value = key == u"station"_s ? t_context->station() : t_context->visit();
        if (!value.isEmpty())
            line.insert(key, value);
    }
    if (!rest.isEmpty())
        line.insert(u"fields"_s, rest);
    QByteArray bytes = QJsonDocument(line).toJson(QJsonDocument::Compact);
    bytes.append('\n');
    return bytes;
}

void installJsonLogging(QtMsgType minimumLevel, QIODevice *output)
{
    HandlerState &s = state();
    {
        QMutexLocker lock(&s.mutex);
        s.device = output;
    }
    setMinimumLogLevel(minimumLevel);
    if (!output)
        startLogWriter(STDOUT_FILENO);
    QtMessageHandler previous = qInstallMessageHandler(jsonHandler);
    if (!s.installed) {
        s.previous = previous;
        s.installed = true;
    }
}

void uninstallJsonLogging()
{
    HandlerState &s = state();
    if (!s.installed)
        return;
    qInstallMessageHandler(s.previous);
    QLoggingCategory::setFilterRules(QString());
    stopLogWriter(std::chrono::seconds(2));
    QMutexLocker lock(&s.mutex);
    s.installed = false;
    s.previous = nullptr;
    s.device = nullptr;
}

void setMinimumLogLevel(QtMsgType minimumLevel)
{
    state().minimumRank.store(logLevelRank(minimumLevel), std::memory_order_relaxed);
    QLoggingCategory::setFilterRules(filterRules(minimumLevel));
}

LogContext::LogContext(QString station, QString visit)
    : m_station(std::move(station))
    , m_visit(std::move(visit))
    , m_outer(t_context)
{
    t_context = this;
}

LogContext::~LogContext()
{
    t_context = m_outer;
}

const LogContext *LogContext::current()
{
    return t_context;
}

void logEvent(const QLoggingCategory &category, QtMsgType level, const QString &message, const QJsonObject &fields)
{
    if (level == QtFatalMsg)
        level = QtCriticalMsg; // logEvent never aborts the process
    if (!category.isEnabled(level))
        return;
    const bool structured = state().installed;
    const QString text = structured || fields.isEmpty()
                             ? message
                             : message + u' ' + QString::fromUtf8(QJsonDocument(fields).toJson(QJsonDocument::Compact));
    const QMessageLogger logger(nullptr, 0, nullptr, category.categoryName());
    t_fields = structured ? &fields : nullptr;
    switch (level) {
    case QtDebugMsg:
        logger.debug(category).noquote() << text;
        break;
    case QtInfoMsg:
        logger.info(category).noquote() << text;
        break;
    case QtWarningMsg:
        logger.warning(category).noquote() << text;
        break;
    case QtCriticalMsg:
    case QtFatalMsg:
        logger.critical(category).noquote() << text;
        break;
    }
    t_fields = nullptr;
}

} // namespace clinicflow::common
