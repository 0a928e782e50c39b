// Tests of the JSON log handler: one parseable object per line with its fields, level filtering, structured fields,
// whole lines under concurrent logging, and the real stdout path.
#include "common/LogWriter.h"
#include "common/Logging.h"
#include "common/Metrics.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryFile>
#include <QTest>
#include <QThread>
#include <cstdio>
#include <fcntl.h>
#include <memory>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace Qt::StringLiterals;
using namespace clinicflow::common;

namespace {

QList<QJsonObject> parseLines(const QByteArray &bytes)
{
    QList<QJsonObject> objects;
    const QList<QByteArray> lines = bytes.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (lines.at(i).isEmpty() && i == lines.size() - 1)
            break; // the text ends with a newline
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(lines.at(i), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject()) {
            qWarning("not a JSON object: %s", lines.at(i).constData());
            return {};
        }
        objects.append(document.object());
    }
    return objects;
}

} // namespace

class TestLogging : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_buffer = std::make_unique<QBuffer>();
        m_buffer->open(QIODevice::WriteOnly);
    }

    void cleanup()
    {
        uninstallJsonLogging();
        m_buffer.reset();
    }

    void eachLineIsOneJsonObjectWithTheFields()
    {
        installJsonLogging(QtInfoMsg, m_buffer.get());
        qCInfo(lcGateway) << "station A connected";
        qCWarning(lcStorage).noquote() << "two\nlines";
        const QList<QJsonObject> lines = parseLines(m_buffer->data());
        QCOMPARE(lines.size(), 2);

        const QJsonObject first = lines.at(0);
        static const QRegularExpression iso(uR"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$)"_s);
        QVERIFY2(iso.match(first.value(u"time"_s).toString()).hasMatch(),
                 qPrintable(first.value(u"time"_s).toString()));
        QCOMPARE(first.value(u"level"_s).toString(), u"info"_s);
        QCOMPARE(first.value(u"module"_s).toString(), u"gateway"_s);
        QCOMPARE(first.value(u"message"_s).toString(), u"station A connected"_s);
        QVERIFY(!first.contains(u"fields"_s));

        QCOMPARE(lines.at(1).value(u"level"_s).toString(), u"warning"_s);
        QCOMPARE(lines.at(1).value(u"module"_s).toString(), u"storage"_s);
        QCOMPARE(lines.at(1).value(u"message"_s).toString(), u"two\nlines"_s); // escaped, still one line
    }

    void criticalIsError()
    {
        installJsonLogging(QtInfoMsg, m_buffer.get());
        qCCritical(lcHttp) << "bind failed";
        const QList<QJsonObject> lines = parseLines(m_buffer->data());
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.at(0).value(u"level"_s).toString(), u"error"_s);
    }

    void minimumLevelFilters()
    {
        installJsonLogging(QtWarningMsg, m_buffer.get());
        qCDebug(lcView) << "d";
        qCInfo(lcView) << "i";
        qCWarning(lcView) << "w";
        qCCritical(lcView) << "c";
        qInfo() << "default category info";
        QList<QJsonObject> lines = parseLines(m_buffer->data());
        QCOMPARE(lines.size(), 2);
        QCOMPARE(lines.at(0).value(u"message"_s).toString(), u"w"_s);
        QCOMPARE(lines.at(1).value(u"message"_s).toString(), u"c"_s);

        m_buffer->buffer().clear();
        m_buffer->seek(0);
        setMinimumLogLevel(QtDebugMsg);
        qCDebug(lcView) << "d";
        lines = parseLines(m_buffer->data());
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.at(0).value(u"level"_s).toString(), u"debug"_s);

        m_buffer->buffer().clear();
        m_buffer->seek(0);
        setMinimumLogLevel(QtCriticalMsg);
        qCWarning(lcView) << "w";
        qWarning() << "default category warning";
        qCCritical(lcView) << "c";
        lines = parseLines(m_buffer->data());
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.at(0).value(u"message"_s).toString(), u"c"_s);
    }

    // Qt's PostgreSQL driver writes a warning for each statement it cannot free on a connection already gone, and
    // Qt one for each query run on it: hundreds when the database goes away. They are debug lines; other warnings,
    // Qt's too, stay warnings.
    void driverNoiseIsDebug()
    {
        installJsonLogging(QtInfoMsg, m_buffer.get());
        for (int i = 0; i < 50; ++i) {
            qWarning("Unable to free statement: no connection to the server");
            qWarning("QSqlQuery::exec: database not open");
        }
        qWarning("QSqlQuery::prepare: database not open");
        QList<QJsonObject> lines = parseLines(m_buffer->data());
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.at(0).value(u"level"_s).toString(), u"warning"_s);
        QVERIFY(lines.at(0).value(u"message"_s).toString().contains(u"prepare: database not open"_s));

        m_buffer->buffer().clear();
        m_buffer->seek(0);
        setMinimumLogLevel(QtDebugMsg);
        qWarning("Unable to free statement: server closed the connection unexpectedly");
        lines = parseLines(m_buffer->data());
        QCOMPARE(lines.size(), 1);
        QCOMPARE(lines.at(0).value(u"level"_s).toString(), u"debug"_s);
    }

    void structuredFields()
    {
        installJsonLogging(QtInfoMsg, m_buffer.get());
        logEvent(lcGateway(), QtInfoMsg, u"command queued"_s,
                 {{u"command"_s, u"c-1"_s}, {u"station"_s, u"A"_s}, {u"sequence"_s, 42}});
        logEvent(lcGateway(), QtDebugMsg, u"below the minimum"_s, {{u"x"_s, 1}});
        qCInfo(lcGateway) << "no fields after a structured line";
        const QList<QJsonObject> lines = parseLines(m_buffer->data());
        QCOMPARE(lines.size(), 2);
        const QJsonObject fields = lines.at(0).value(u"fields"_s).toObject();
        QCOMPARE(fields.value(u"command"_s).toString(), u"c-1"_s);
        QCOMPARE(fields.value(u"sequence"_s).toInt(), 42);
        // The station is a top-level field, for the log pipeline to index, not a nested one.
        QCOMPARE(lines.at(0).value(u"station"_s).toString(), u"A"_s);
        QVERIFY(!fields.contains(u"station"_s));
        QCOMPARE(lines.at(0).value(u"message"_s).toString(), u"command queued"_s);
        QVERIFY(!lines.at(1).contains(u"fields"_s));
        QVERIFY(!lines.at(1).contains(u"station"_s));
    }

    // What a Loki or EFK pipeline indexes: time, level, module, station and visit at the top level of every line
    // logged while a request or a command of that station and visit is handled, on that thread only.
    void aLogContextNamesTheStationAndVisitOfItsThread()
    {
        installJsonLogging(QtInfoMsg, m_buffer.get());
        const QString visit = u"6f1c2b1e-3a4d-4c5e-8f90-123456789abc"_s;
        {
            LogContext request(u"R1"_s);
            qCInfo(lcGateway) << "hello";
            {
                LogContext command(u"D1"_s, visit);
                qCInfo(lcDiagnosis) << "applied";
                std::thread([] { qCInfo(lcView) << "another thread"; }).join();
            }
            qCWarning(lcGateway) << "back to the request";
        }
        qCInfo(lcApp) << "no context";
        const QList<QJsonObject> lines = parseLines(m_buffer->data());
        QCOMPARE(lines.size(), 5);
        QCOMPARE(lines.at(0).value(u"station"_s).toString(), u"R1"_s);
        QVERIFY(!lines.at(0).contains(u"visit"_s));
        QCOMPARE(lines.at(1).value(u"station"_s).toString(), u"D1"_s);
        QCOMPARE(lines.at(1).value(u"visit"_s).toString(), visit);
        QCOMPARE(lines.at(1).value(u"module"_s).toString(), u"diagnosis"_s);
        QVERIFY(!lines.at(2).contains(u"station"_s)); // the context is the thread's, not the process's
        QCOMPARE(lines.at(3).value(u"station"_s).toString(), u"R1"_s);
        QVERIFY(!lines.at(3).contains(u"visit"_s));
        QVERIFY(!lines.at(4).contains(u"station"_s));
        for (const QJsonObject &line : lines) {
            for (const QString &key : {u"time"_s, u"level"_s, u"module"_s, u"message"_s})
                QVERIFY2(line.contains(key), qPrintable(key));
        }
    }

    void manyThreadsWriteWholeLines()
    {
        installJsonLogging(QtInfoMsg, m_buffer.get());
        constexpr int threadCount = 8;
        constexpr int perThread = 400;
        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < threadCount; ++t) {
            threads.emplace_back(QThread::create([t] {
                for (int i = 0; i < perThread; ++i) {
                    if (i % 2)
                        qCInfo(lcSync, "thread %d message %d with some padding to make lines longer", t, i);
                    else
                        logEvent(lcSync(), QtWarningMsg, u"thread %1 message %2"_s.arg(t).arg(i), {{u"i"_s, i}});
                }
            }));
            threads.back()->start();
        }
        for (auto &thread : threads)
            QVERIFY(thread->wait(30000));

        const QList<QJsonObject> lines = parseLines(m_buffer->data());
        QCOMPARE(lines.size(), threadCount * perThread);
        QHash<QString, int> perThreadCount;
        static const QRegularExpression pattern(uR"(^thread (\d) message (\d+)( with some padding.*)?$)"_s);
        for (const QJsonObject &line : lines) {
            const auto match = pattern.match(line.value(u"message"_s).toString());
            QVERIFY2(match.hasMatch(), qPrintable(line.value(u"message"_s).toString()));
            const bool structured = match.captured(2).toInt() % 2 == 0;
            QCOMPARE(line.contains(u"fields"_s), structured);
            if (structured)
                QCOMPARE(line.value(u"fields"_s).toObject().value(u"i"_s).toInt(), match.captured(2).toInt());
            ++perThreadCount[match.captured(1)];
        }
        for (int t = 0; t < threadCount; ++t)
            QCOMPARE(perThreadCount.value(QString::number(t)), perThread);
    }

    // A stdout nobody reads (a full pipe) costs lines, never a wait: every call returns, the lines beyond the queue
    // are counted as dropped (and in /metrics), and once stdout is read again the writer says how many it dropped.
    void aStdoutNobodyReadsDropsLinesWithoutWaiting()
    {
        int fds[2];
        QCOMPARE(::pipe(fds), 0);
        const std::uint64_t before = droppedLogLines();
        startLogWriter(fds[1], LogWriterSettings{64 * 1024});
        const QByteArray line = QByteArray(120, 'x') + '\n';
        int accepted = 0;
        for (int i = 0; i < 20000; ++i) // 2.4 MB into a 64 KiB pipe and a 64 KiB queue
            accepted += writeLogLine(line) ? 1 : 0;
        QVERIFY2(accepted < 20000, "every line was queued although nobody read the pipe");
        QVERIFY(droppedLogLines() - before >= quint64(20000 - accepted));
        const QByteArray metrics = Metrics::global().prometheusText();
        QVERIFY2(metrics.contains("clinicflow_log_lines_dropped_total"), metrics.constData());

        // Read the pipe: what was written comes out, then the note of what was dropped.
        ::fcntl(fds[0], F_SETFL, O_NONBLOCK);
        QByteArray out;
        char buffer[65536];
        QVERIFY(QTest::qWaitFor(
            [&] {
                ssize_t n;
                while ((n = ::read(fds[0], buffer, sizeof buffer)) > 0)
                    out.append(buffer, qsizetype(n));
                return out.contains("log line(s) dropped");
            },
            10000));
        flushLogWriter(std::chrono::seconds(2));
        stopLogWriter(std::chrono::seconds(1));
        ::close(fds[0]);
        ::close(fds[1]);
    }

    void writesToStdout()
    {
        QTemporaryFile capture;
        QVERIFY(capture.open());
        std::fflush(stdout);
        const int saved = ::dup(STDOUT_FILENO);
        QVERIFY(saved >= 0);
        QVERIFY(::dup2(capture.handle(), STDOUT_FILENO) >= 0);
        installJsonLogging(QtInfoMsg);
        qCInfo(lcApp) << "to stdout";
        uninstallJsonLogging();
        std::fflush(stdout);
        ::dup2(saved, STDOUT_FILENO);
        ::close(saved);

        QFile file(capture.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray text = file.readAll();
        const QList<QJsonObject> lines = parseLines(text);
        QVERIFY2(!lines.isEmpty(), text.constData());
        QCOMPARE(lines.constLast().value(u"message"_s).toString(), u"to stdout"_s);
        QCOMPARE(lines.constLast().value(u"module"_s).toString(), u"app"_s);
    }

    void levelNames()
    {
        QCOMPARE(logLevelNames(), (QStringList{u"debug"_s, u"info"_s, u"warning"_s, u"error"_s}));
        for (const QString &name : logLevelNames())
            QCOMPARE(logLevelName(*logLevelFromName(name)), name);
        QCOMPARE(logLevelFromName(u"ERROR"_s), std::optional<QtMsgType>(QtCriticalMsg));
        QVERIFY(!logLevelFromName(u"verbose"_s));
        QVERIFY(logLevelRank(QtDebugMsg) < logLevelRank(QtInfoMsg));
        QVERIFY(logLevelRank(QtInfoMsg) < logLevelRank(QtWarningMsg));
        QVERIFY(logLevelRank(QtWarningMsg) < logLevelRank(QtCriticalMsg));
    }

private:
    std::unique_ptr<QBuffer> m_buffer;
};

// ctest sets QT_LOGGING_RULES=*.debug=false for every test; this one checks debug filtering itself.
int main(int argc, char **argv)
{
    qunsetenv("QT_LOGGING_RULES");
    QCoreApplication app(argc, argv);
    TestLogging test;
    return QTest::qExec(&test, argc, argv);
}

#include "TestLogging.moc"
