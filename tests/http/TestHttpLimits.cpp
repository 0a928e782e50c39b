// The operators' HTTP endpoint under a broken or hostile peer (issue #12, "HTTP hardening"), against the real
// clinicflow-server over raw sockets: a 16 MiB URL or header, a body announced and never sent, a 64 MiB upload, a
// head that stalls, an idle keep-alive connection, and more connections than the cap. Each is refused early, the
// server's resident memory stays small, and the others are still served. The timeouts and the cap are shortened
// through CLINICFLOW_HTTP_* variables so that each case takes a second or two.
#include "ServerProcess.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTest>
#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::testsupport;

namespace {

constexpr int kHeaderTimeoutMs = 1500;
constexpr int kIdleTimeoutMs = 2000;

// A kB figure of /proc/<pid>/status: VmRSS (resident now) or VmHWM (the most it ever was).
qint64 memoryKb(qint64 pid, const char *field)
{
    QFile status(u"/proc/%1/status"_s.arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field)) + 1).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

// A blocking-free TCP client over a plain socket, so the test sees exactly what the server does: how much of a
// stream it took before answering, its answer, and its FIN or reset.
class RawClient
{
public:
    RawClient() = default;
    ~RawClient() { close(); }
    Q_DISABLE_COPY_MOVE(RawClient)

    // From `source` (any of 127/8: another host, as far as the server can tell).
    bool connectTo(quint16 port, quint32 source = INADDR_LOOPBACK)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_fd >= 0 && source != INADDR_LOOPBACK) {
            sockaddr_in from{};
            from.sin_family = AF_INET;
            from.sin_addr.s_addr = htonl(source);
            if (::bind(m_fd, reinterpret_cast<sockaddr *>(&from), sizeof from) != 0)
                return false;
        }
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (m_fd < 0 || ::connect(m_fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
            return false;
        ::fcntl(m_fd, F_SETFL, ::fcntl(m_fd, F_GETFL) | O_NONBLOCK);
        return true;
    }
    void close()
    {
        if (m_fd >= 0)
            ::close(m_fd);
        m_fd = -1;
    }

    // Sends `bytes`, then `filler` more bytes of 'x', reading what comes back meanwhile; stops early once an
    // answer's head has arrived (to this request) or the server closed or reset. The bytes sent.
    qint64 send(const QByteArray &bytes, qint64 filler = 0, int timeoutMs = 20000)
    {
        static const QByteArray chunk(64 * 1024, 'x');
        qint64 sent = 0;
        const qint64 total = bytes.size() + filler;
        const qsizetype before = m_received.size(); // answers to earlier requests do not stop this one
        QElapsedTimer clock;
        clock.start();
        while (sent < total && m_received.indexOf("\r\n\r\n", before) < 0 && !m_closed && clock.elapsed() < timeoutMs) {
            pollfd p{m_fd, short(POLLIN | POLLOUT), 0};
            if (::poll(&p, 1, 100) <= 0)
                continue;
            if (p.revents & (POLLIN | POLLHUP | POLLERR))
                readSome();
            if (!(p.revents & POLLOUT) || m_closed)
                continue;
            const char *data = sent < bytes.size() ? bytes.constData() + sent : chunk.constData();
            const qint64 size = sent < bytes.size() ? bytes.size() - sent : std::min(chunk.size(), total - sent);
            const ssize_t written = ::send(m_fd, data, size_t(size), MSG_NOSIGNAL);
            if (written > 0)
                sent += written;
            else if (written < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
                m_closed = true; // EPIPE, ECONNRESET: the server is gone
        }
        return sent;
    }

    // Reads until `answers` whole answers are in (or the server closed, or the time is up).
    bool waitForAnswers(int answers, int timeoutMs = 5000)
    {
        QElapsedTimer clock;
        clock.start();
        while (statuses().size() < answers && !m_closed && clock.elapsed() < timeoutMs)
            waitAndRead(int(timeoutMs - clock.elapsed()));
        return statuses().size() >= answers;
    }
    // Reads until the server closes (FIN or reset); the milliseconds it took, or -1 at the deadline.
    qint64 waitForClose(int timeoutMs)
    {
        QElapsedTimer clock;
        clock.start();
        while (!m_closed && clock.elapsed() < timeoutMs)
            waitAndRead(int(timeoutMs - clock.elapsed()));
        return m_closed ? clock.elapsed() : -1;
    }

    // The status of each whole answer received, in order.
    QList<int> statuses() const
    {
        QList<int> found;
        qsizetype at = 0;
        while (at < m_received.size()) {
            const qsizetype end = m_received.indexOf("\r\n\r\n", at);
            if (end < 0 || !m_received.mid(at).startsWith("HTTP/1.1 "))
                break;
            static const QRegularExpression length(u"\r\nContent-Length: (\\d+)\r\n"_s,
                                                   QRegularExpression::CaseInsensitiveOption);
            const auto match = length.match(QString::fromLatin1(m_received.mid(at, end + 2 - at)));
            const qsizetype next = end + 4 + (match.hasMatch() ? match.captured(1).toLongLong() : 0);
            if (next > m_received.size())
                break;
            found << m_received.mid(at + 9, 3).toInt();
            at = next;
        }
        return found;
    }
    int firstStatus() const { return statuses().value(0, 0); }
    const QByteArray &received() const { return m_received; }
    bool closed() const { return m_closed; }

private:
    void waitAndRead(int ms)
    {
        pollfd p{m_fd, POLLIN, 0};
        if (::poll(&p, 1, std::max(1, std::min(ms, 100))) > 0)
            readSome();
    }
    void readSome()
    {
        char buffer[16384];
        for (;;) {
            const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, 0);
            if (n > 0) {
                m_received.append(buffer, n);
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR))
                m_closed = true;
            return;
        }
    }

    int m_fd = -1;
    bool m_closed = false;
    QByteArray m_received;
};

QByteArray get(const QByteArray &path, const QByteArray &extra = {})
{
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + extra + "\r\n";
}

} // namespace

class TestHttpLimits : public QObject
{
    Q_OBJECT

    ServerProcess m_server;
    qint64 m_baselineKb = 0;

    bool startServer(ServerProcess &server, int maxConnections = 0, int maxPerAddress = 0)
    {
        QProcessEnvironment env;
        env.insert(u"CLINICFLOW_HTTP_HEADER_TIMEOUT_MS"_s, QString::number(kHeaderTimeoutMs));
        env.insert(u"CLINICFLOW_HTTP_IDLE_TIMEOUT_MS"_s, QString::number(kIdleTimeoutMs));
        if (maxConnections > 0)
            env.insert(u"CLINICFLOW_HTTP_MAX_CONNECTIONS"_s, QString::number(maxConnections));
        if (maxPerAddress > 0)
            env.insert(u"CLINICFLOW_HTTP_MAX_CONNECTIONS_PER_ADDRESS"_s, QString::number(maxPerAddress));
        server.setExtraEnvironment(env);
        return server.start();
    }

    // The server's peak resident memory has stayed within `allowedMb` of what it used before the attacks.
    void checkMemory(const char *what, qint64 allowedMb)
    {
        const qint64 peak = memoryKb(m_server.pid(), "VmHWM:");
        qInfo("%s: resident %lld MB before, peak %lld MB, now %lld MB", what, m_baselineKb / 1024, peak / 1024,
              memoryKb(m_server.pid(), "VmRSS:") / 1024);
        QVERIFY2(
            peak > 0 && peak < m_baselineKb + allowedMb * 1024,
            qPrintable(u"%1: peak %2 kB, baseline %3 kB"_s.arg(QLatin1StringView(what)).arg(peak).arg(m_baselineKb)));
    }

    int refusedTotal(const QString &reason)
    {
        const HttpResult metrics = m_server.httpGet(u"/metrics"_s);
        const QRegularExpression line(u"^clinicflow_http_refused_total\\{reason=\"%1\"\\} (\\d+)$"_s.arg(reason),
                                      QRegularExpression::MultilineOption);
        return line.match(QString::fromUtf8(metrics.body)).captured(1).toInt();
    }

private slots:
    void initTestCase()
    {
        QVERIFY2(startServer(m_server), qPrintable(m_server.errorString()));
        QCOMPARE(m_server.httpGet(u"/metrics"_s).status, 200); // warm: the first scrape's allocations
        m_baselineKb = std::max(memoryKb(m_server.pid(), "VmRSS:"), memoryKb(m_server.pid(), "VmHWM:"));
        QVERIFY(m_baselineKb > 0);
    }

    void aNormalClientIsServedWithPipelining()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server.httpPort()));
        client.send(get("/health/live") + get("/health/ready") + get("/nope") +
                    get("/health/live", "Connection: close\r\n"));
        QVERIFY(client.waitForAnswers(4));
        QCOMPARE(client.statuses(), (QList<int>{200, 200, 404, 200}));
        QVERIFY(client.waitForClose(2000) >= 0); // after the Connection: close
        RawClient head;
        QVERIFY(head.connectTo(m_server.httpPort()));
        head.send("HEAD /health/live HTTP/1.1\r\nConnection: close\r\n\r\n");
        QVERIFY(head.waitForClose(2000) >= 0);
        QVERIFY2(head.received().startsWith("HTTP/1.1 405 "), head.received().constData());
        QVERIFY2(head.received().endsWith("\r\n\r\n"), "an answer to HEAD has no body");
        RawClient old;
        QVERIFY(old.connectTo(m_server.httpPort()));
        old.send("GET /health/live HTTP/1.0\r\n\r\n");
        QVERIFY(old.waitForAnswers(1));
        QCOMPARE(old.firstStatus(), 200);
        QVERIFY(old.waitForClose(2000) >= 0); // HTTP/1.0 without keep-alive
    }

    void aMalformedRequestIs400()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server.httpPort()));
        client.send("GET /health/live HTTP/1.1\r\nHost : x\r\n\r\n");
        QVERIFY(client.waitForAnswers(1));
        QCOMPARE(client.firstStatus(), 400);
        QVERIFY(client.received().contains("\"error\":\"bad_request\""));
        QVERIFY(client.waitForClose(3000) >= 0);
    }

    void aHugeUrlIs414()
    {
        QElapsedTimer clock;
        clock.start();
        RawClient client;
        QVERIFY(client.connectTo(m_server.httpPort()));
        const qint64 sent = client.send("GET /visits?", 16 * 1024 * 1024);
        QVERIFY2(client.waitForAnswers(1), client.received().left(200).constData());
        QCOMPARE(client.firstStatus(), 414);
        QVERIFY(client.received().contains("\"error\":\"uri_too_long\""));
        QVERIFY(client.waitForClose(3000) >= 0);
        qInfo("414 after %lld ms; %lld of 16 MiB sent", clock.elapsed(), sent);
        QVERIFY2(sent < 16 * 1024 * 1024, "the server read the whole URL");
        QVERIFY(clock.elapsed() < 5000);
        checkMemory("16 MiB URL", 20);
    }

    void headersOverTheLimitAre431()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server.httpPort()));
        QByteArray many = "GET /health/live HTTP/1.1\r\nHost: x\r\n";
        for (int i = 0; i < 101; ++i)
            many += "X-Pad-" + QByteArray::number(i) + ": v\r\n";
        client.send(many + "\r\n");
        QVERIFY(client.waitForAnswers(1));
        QCOMPARE(client.firstStatus(), 431);
        QVERIFY(client.waitForClose(3000) >= 0);

        RawClient huge;
        QVERIFY(huge.connectTo(m_server.httpPort()));
        const qint64 sent = huge.send("GET /health/live HTTP/1.1\r\nHost: x\r\nX-Huge: ", 16 * 1024 * 1024);
        QVERIFY(huge.waitForAnswers(1));
        QCOMPARE(huge.firstStatus(), 431);
        QVERIFY(huge.received().contains("\"error\":\"header_fields_too_large\""));
        QVERIFY(huge.waitForClose(3000) >= 0);
        QVERIFY2(sent < 16 * 1024 * 1024, "the server read the whole header");
        checkMemory("16 MiB header", 20);
    }

    void aBodyAnnouncedAndNeverSentIs413AtOnce()
    {
        QElapsedTimer clock;
        clock.start();
        RawClient client;
        QVERIFY(client.connectTo(m_server.httpPort()));
        client.send(get("/health/live", "Content-Length: 99999999999\r\n"));
        QVERIFY(client.waitForAnswers(1, 2000));
        QCOMPARE(client.firstStatus(), 413);
        QVERIFY(client.received().contains("Connection: close\r\n"));
        QVERIFY(client.received().contains("\"error\":\"content_too_large\""));
        QVERIFY(client.waitForClose(2000) >= 0);
        QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
    }

    void anUploadIs413AndClosedEarly()
    {
        constexpr qint64 upload = 64 * 1024 * 1024;
        const int refusedBefore = refusedTotal(u"content_too_large"_s);
        for (const QByteArray &framing :
             {"Content-Length: " + QByteArray::number(upload) + "\r\n", QByteArray("Transfer-Encoding: chunked\r\n")}) {
            QElapsedTimer clock;
            clock.start();
            RawClient client;
            QVERIFY(client.connectTo(m_server.httpPort()));
            const qint64 sent = client.send("POST /visits HTTP/1.1\r\nHost: x\r\n" + framing + "\r\n", upload);
            QVERIFY(client.waitForAnswers(1));
            QCOMPARE(client.firstStatus(), 413);
            QVERIFY(client.waitForClose(3000) >= 0);
            qInfo("413 after %lld ms; %lld kB of the 64 MiB upload sent", clock.elapsed(), sent / 1024);
            QVERIFY2(sent < upload / 2, qPrintable(QString::number(sent)));
        }
        QCOMPARE(refusedTotal(u"content_too_large"_s), refusedBefore + 2); // each upload counted once
        checkMemory("64 MiB upload", 100);
    }

    void aStalledHeadIsClosedWithin408()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server.httpPort()));
        client.send("GET /health/li");
        const qint64 closedAfter = client.waitForClose(kHeaderTimeoutMs + 3000);
        QVERIFY2(closedAfter >= 0, "the stalled connection is still open");
        QVERIFY2(closedAfter >= kHeaderTimeoutMs - 200, qPrintable(QString::number(closedAfter)));
        QCOMPARE(client.firstStatus(), 408);
        QVERIFY(client.received().contains("\"error\":\"request_timeout\""));

        // A connection that says nothing at all: the same.
        RawClient silent;
        QVERIFY(silent.connectTo(m_server.httpPort()));
        QVERIFY(silent.waitForClose(kHeaderTimeoutMs + 3000) >= 0);
        QCOMPARE(silent.firstStatus(), 408);

        // A slow head on a kept-alive connection: its clock starts with its first byte.
        RawClient slow;
        QVERIFY(slow.connectTo(m_server.httpPort()));
        slow.send(get("/health/live"));
        QVERIFY(slow.waitForAnswers(1));
        QTest::qWait(kHeaderTimeoutMs / 2);
        slow.send("GET /health/live HTTP/1.1\r\n");
        QVERIFY(slow.waitForClose(kHeaderTimeoutMs + 3000) >= 0);
        QCOMPARE(slow.statuses(), (QList<int>{200, 408}));
        QVERIFY(refusedTotal(u"request_timeout"_s) >= 3);
    }

    void anIdleKeepAliveConnectionIsClosed()
    {
        RawClient client;
        QVERIFY(client.connectTo(m_server.httpPort()));
        client.send(get("/health/live"));
        QVERIFY(client.waitForAnswers(1));
        QElapsedTimer clock;
        clock.start();
        QVERIFY2(client.waitForClose(kIdleTimeoutMs + 3000) >= 0, "the idle connection is still open");
        QVERIFY2(clock.elapsed() >= kIdleTimeoutMs - 200, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(client.statuses(), QList<int>{200}); // closed without a word: no 408 after an answer
    }

    // More connections than the cap (8 here): the extra ones get 503 at once and are closed, with one warning line
    // rather than one per connection; once the idle ones are closed by the idle timeout, a new client is served.
    void theConnectionCap()
    {
        constexpr int cap = 8;
        constexpr int extra = 20;
        ServerProcess server;
        QVERIFY2(startServer(server, cap), qPrintable(server.errorString()));
        QTest::qWait(kIdleTimeoutMs + 500); // the readiness check's kept-alive connection is closed by now

        std::vector<std::unique_ptr<RawClient>> idle;
        for (int i = 0; i < cap; ++i) {
            idle.push_back(std::make_unique<RawClient>());
            QVERIFY(idle.back()->connectTo(server.httpPort()));
            idle.back()->send(get("/health/live"));
            QVERIFY(idle.back()->waitForAnswers(1));
            QCOMPARE(idle.back()->firstStatus(), 200);
        }
        for (int i = 0; i < extra; ++i) {
            RawClient turnedAway;
            QVERIFY(turnedAway.connectTo(server.httpPort()));
            turnedAway.send(get("/health/live"));
            QVERIFY2(turnedAway.waitForAnswers(1), turnedAway.received().constData());
            QCOMPARE(turnedAway.firstStatus(), 503);
            QVERIFY(turnedAway.received().contains("\"error\":\"unavailable\""));
            QVERIFY(turnedAway.waitForClose(3000) >= 0);
        }
        for (const auto &client : idle) // the idle timeout frees the slots
            QVERIFY(client->waitForClose(kIdleTimeoutMs + 3000) >= 0);
        RawClient late;
        QVERIFY(late.connectTo(server.httpPort()));
        late.send(get("/health/live", "Connection: close\r\n"));
        QVERIFY(late.waitForAnswers(1));
        QCOMPARE(late.firstStatus(), 200);

        const int lines = server.countLog([](const LogLine &l) {
            return l.message.contains(u"(the cap)"_s) || l.message.contains(u"(too_many_connections)"_s);
        });
        qInfo("%d connections turned away, %d log lines about it", extra, lines);
        QVERIFY2(lines >= 1 && lines <= 2, qPrintable(server.logTail()));
        const HttpResult metrics = server.httpGet(u"/metrics"_s);
        QVERIFY2(metrics.body.contains("clinicflow_http_refused_total{reason=\"too_many_connections\"} " +
                                       QByteArray::number(extra)),
                 metrics.body.constData());
    }

    // One address holding its share of connections (4 here) gets 503 for more, while another address, such as the
    // orchestrator probing /health/live, is still served: an idle flood from one host cannot take every slot.
    void oneAddressCannotTakeEverySlot()
    {
        constexpr int perAddress = 4;
        constexpr quint32 flooder = 0x7f000002; // 127.0.0.2
        ServerProcess server;
        QVERIFY2(startServer(server, 0, perAddress), qPrintable(server.errorString()));
        std::vector<std::unique_ptr<RawClient>> held;
        for (int i = 0; i < perAddress; ++i) {
            held.push_back(std::make_unique<RawClient>());
            QVERIFY(held.back()->connectTo(server.httpPort(), flooder));
            held.back()->send(get("/health/live"));
            QVERIFY(held.back()->waitForAnswers(1));
            QCOMPARE(held.back()->firstStatus(), 200);
        }
        RawClient more;
        QVERIFY(more.connectTo(server.httpPort(), flooder));
        more.send(get("/health/live"));
        QVERIFY2(more.waitForAnswers(1), more.received().constData());
        QCOMPARE(more.firstStatus(), 503);
        RawClient probe; // from 127.0.0.1
        QVERIFY(probe.connectTo(server.httpPort()));
        probe.send(get("/health/live", "Connection: close\r\n"));
        QVERIFY(probe.waitForAnswers(1));
        QCOMPARE(probe.firstStatus(), 200);
        QVERIFY(server.waitForLog(
            [](const LogLine &l) { return l.message.contains(u"from 127.0.0.2 (the cap per address)"_s); }));
        const HttpResult metrics = server.httpGet(u"/metrics"_s);
        QVERIFY2(metrics.body.contains("clinicflow_http_refused_total{reason=\"too_many_from_address\"} 1"),
                 metrics.body.constData());
    }

    void cleanupTestCase() { QVERIFY2(m_server.terminate(), qPrintable(m_server.errorString())); }
};

QTEST_GUILESS_MAIN(TestHttpLimits)
#include "TestHttpLimits.moc"
