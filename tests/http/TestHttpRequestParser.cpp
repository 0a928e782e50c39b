// The HTTP request head parser alone (server/http/HttpRequestParser): complete heads, the limits (414, 431, 413 for
// any body), bad request and header lines (400, 505), keep-alive, pipelined requests, and the same answer whatever
// the pieces the bytes come in (one at a time, split anywhere).
#include "HttpRequestParser.h"

#include <QRandomGenerator>
#include <QTest>
#include <string>

using clinicflow::server::http::HttpRequestParser;
using clinicflow::server::http::ParserLimits;
using clinicflow::server::http::RequestHead;
using Status = HttpRequestParser::Status;

Q_DECLARE_METATYPE(std::string)

namespace {

struct Outcome
{
    Status status = Status::NeedMore;
    int error = 0;
    std::size_t used = 0;
    RequestHead head;
};

// Feeds the bytes in pieces of `piece` bytes (0: all at once) until the parser stops taking them.
Outcome parse(const std::string &bytes, std::size_t piece = 0, ParserLimits limits = {})
{
    HttpRequestParser parser(limits);
    Outcome outcome;
    while (outcome.used < bytes.size() && parser.status() == Status::NeedMore) {
        const std::size_t size =
            piece == 0 ? bytes.size() - outcome.used : std::min(piece, bytes.size() - outcome.used);
        const std::size_t used = parser.feed(bytes.data() + outcome.used, size);
        if (used > size)
            qFatal("feed() took more than it was given");
        outcome.used += used;
        if (used < size)
            break;
    }
    outcome.status = parser.status();
    outcome.error = parser.errorStatus();
    outcome.head = parser.head();
    return outcome;
}

const std::string kSimple = "GET /visits?limit=2 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n"
                            "Authorization:   Bearer abc  \r\nAccept: */*\r\n\r\n";

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void aCompleteHead()
    {
        const Outcome o = parse(kSimple);
        QCOMPARE(o.status, Status::Complete);
        QCOMPARE(o.used, kSimple.size());
        QCOMPARE(o.head.method, std::string("GET"));
        QCOMPARE(o.head.target, std::string("/visits?limit=2"));
        QCOMPARE(o.head.minorVersion, 1);
        QCOMPARE(o.head.authorization, std::string("Bearer abc"));
        QVERIFY(o.head.keepAlive);
        QVERIFY(!o.head.hasContentLength);
        QVERIFY(!o.head.hasTransferEncoding);
    }

    void byteByByteAndEverySplit()
    {
        const Outcome whole = parse(kSimple);
        const Outcome bytewise = parse(kSimple, 1);
        QCOMPARE(bytewise.status, Status::Complete);
        QCOMPARE(bytewise.used, whole.used);
        QCOMPARE(bytewise.head.target, whole.head.target);
        QCOMPARE(bytewise.head.authorization, whole.head.authorization);
        for (std::size_t split = 0; split <= kSimple.size(); ++split) {
            HttpRequestParser parser;
            std::size_t used = parser.feed(kSimple.data(), split);
            QCOMPARE(used, split);
            QCOMPARE(parser.idle(), split == 0);
            used += parser.feed(kSimple.data() + split, kSimple.size() - split);
            QCOMPARE(used, kSimple.size());
            QCOMPARE(parser.status(), Status::Complete);
            QCOMPARE(parser.head().authorization, std::string("Bearer abc"));
        }
        HttpRequestParser parser;
        QCOMPARE(parser.feed(nullptr, 0), std::size_t(0));
        QCOMPARE(parser.status(), Status::NeedMore);
    }

    void pipelinedRequests()
    {
        const std::string first = "GET /health/live HTTP/1.1\r\nHost: a\r\n\r\n";
        const std::string second = "GET /metrics HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";
        const std::string third = "GET /vis";
        const std::string bytes = first + second + third;
        HttpRequestParser parser;
        std::size_t offset = parser.feed(bytes.data(), bytes.size());
        QCOMPARE(offset, first.size()); // stops at the end of the first head
        QCOMPARE(parser.status(), Status::Complete);
        QCOMPARE(parser.head().target, std::string("/health/live"));
        QCOMPARE(parser.feed(bytes.data() + offset, bytes.size() - offset), std::size_t(0)); // until reset()
        parser.reset();
        QVERIFY(parser.idle());
        offset += parser.feed(bytes.data() + offset, bytes.size() - offset);
        QCOMPARE(offset, first.size() + second.size());
        QCOMPARE(parser.head().target, std::string("/metrics"));
        QVERIFY(!parser.head().keepAlive);
        parser.reset();
        offset += parser.feed(bytes.data() + offset, bytes.size() - offset);
        QCOMPARE(offset, bytes.size());
        QCOMPARE(parser.status(), Status::NeedMore);
        QVERIFY(!parser.idle());
    }

    void emptyLinesBeforeTheRequestAreSkipped()
    {
        QCOMPARE(parse("\r\n\nGET / HTTP/1.1\r\n\r\n").status, Status::Complete);
        const Outcome flood = parse(std::string(20000, '\n'));
        QCOMPARE(flood.status, Status::Error);
        QCOMPARE(flood.error, 400);
    }

    void requestLineLimit()
    {
        const ParserLimits limits;
        const std::string prefix = "GET /";
        const std::string suffix = " HTTP/1.1";
        const std::size_t pad = limits.maxRequestLine - prefix.size() - suffix.size();
        const std::string longest = prefix + std::string(pad, 'a') + suffix + "\r\n\r\n";
        QCOMPARE(parse(longest).status, Status::Complete);
        QCOMPARE(parse(longest, 1).status, Status::Complete);
        const std::string over = prefix + std::string(pad + 1, 'a') + suffix + "\r\n\r\n";
        QCOMPARE(parse(over).error, 414);
        QCOMPARE(parse(over, 1).error, 414);
        QCOMPARE(parse(prefix + std::string(pad + 1, 'a') + suffix + "\n\n").error, 414); // bare LF: same limit

        // 16 MiB of URL in 64 KiB pieces: refused once the limit is passed, the rest never read.
        const std::string huge = prefix + std::string(16 * 1024 * 1024, 'a');
        const Outcome o = parse(huge, 64 * 1024);
        QCOMPARE(o.status, Status::Error);
        QCOMPARE(o.error, 414);
        QVERIFY2(o.used <= limits.maxRequestLine + 2, std::to_string(o.used).c_str());
    }

    void headerLimits()
    {
        const ParserLimits limits;
        const std::string line = "GET / HTTP/1.1\r\n";
        // Exactly maxHeaderBytes with the blank line: accepted; one byte more: 431.
        const std::size_t pad = limits.maxHeaderBytes - 2 - std::string("X-Pad: \r\n").size();
        const std::string fits = line + "X-Pad: " + std::string(pad, 'p') + "\r\n\r\n";
        QCOMPARE(parse(fits).status, Status::Complete);
        QCOMPARE(parse(fits, 7).status, Status::Complete);
        const std::string over = line + "X-Pad: " + std::string(pad + 1, 'p') + "\r\n\r\n";
        QCOMPARE(parse(over).error, 431);
        QCOMPARE(parse(over, 1).error, 431);

        std::string hundred = line;
        for (int i = 0; i < 100; ++i)
            hundred += "X-" + std::to_string(i) + ": v\r\n";
        QCOMPARE(parse(hundred + "\r\n").status, Status::Complete);
        QCOMPARE(parse(hundred + "X-100: v\r\n\r\n").error, 431);

        const std::string huge = line + "X-Huge: " + std::string(16 * 1024 * 1024, 'h');
        const Outcome o = parse(huge, 64 * 1024);
        QCOMPARE(o.error, 431);
        QVERIFY(o.used <= line.size() + limits.maxHeaderBytes);
    }

    void bodies_data()
    {
        QTest::addColumn<std::string>("headers");
        QTest::addColumn<int>("status"); // 0: complete
        QTest::newRow("no length") << std::string() << 0;
        QTest::newRow("length 0") << std::string("Content-Length: 0\r\n") << 0;
        QTest::newRow("length 0 twice") << std::string("Content-Length: 0\r\nContent-Length: 0\r\n") << 0;
        QTest::newRow("length 5") << std::string("Content-Length: 5\r\n") << 413;
        QTest::newRow("length 99999999999") << std::string("Content-Length: 99999999999\r\n") << 413;
        QTest::newRow("length beyond 64 bits") << std::string("Content-Length: 999999999999999999999999999\r\n") << 413;
        QTest::newRow("chunked") << std::string("Transfer-Encoding: chunked\r\n") << 413;
        QTest::newRow("length and chunked")
            << std::string("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") << 400;
        QTest::newRow("two lengths") << std::string("Content-Length: 5\r\nContent-Length: 6\r\n") << 400;
        QTest::newRow("negative") << std::string("Content-Length: -1\r\n") << 400;
        QTest::newRow("not a number") << std::string("Content-Length: 1e3\r\n") << 400;
        QTest::newRow("empty") << std::string("Content-Length:\r\n") << 400;
        QTest::newRow("a list") << std::string("Content-Length: 5, 5\r\n") << 400;
    }

    void bodies()
    {
        QFETCH(std::string, headers);
        QFETCH(int, status);
        const std::string request = "POST /visits HTTP/1.1\r\nHost: a\r\n" + headers + "\r\n";
        const std::string withBody = request + "hello"; // the body is never read
        for (std::size_t piece : {std::size_t(0), std::size_t(1)}) {
            const Outcome o = parse(withBody, piece);
            if (status == 0) {
                QCOMPARE(o.status, Status::Complete);
                QCOMPARE(o.used, request.size());
            } else {
                QCOMPARE(o.status, Status::Error);
                QCOMPARE(o.error, status);
                QVERIFY(o.used <= request.size());
                QCOMPARE(o.head.method, std::string("POST")); // for the log
            }
        }
    }

    void badHeads_data()
    {
        QTest::addColumn<std::string>("bytes");
        QTest::addColumn<int>("status");
        QTest::newRow("HTTP/0.9") << std::string("GET /\r\n\r\n") << 400;
        QTest::newRow("no target") << std::string("GET HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("two spaces") << std::string("GET  / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("trailing space") << std::string("GET / HTTP/1.1 \r\n\r\n") << 400;
        QTest::newRow("bad method") << std::string("G(T / HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("not a path") << std::string("GET visits HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("asterisk for GET") << std::string("GET * HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("authority form") << std::string("CONNECT a:443 HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("control in target") << std::string("GET /a\x01z HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("non-ASCII target") << std::string("GET /\xc3\xa9 HTTP/1.1\r\n\r\n") << 400;
        QTest::newRow("lower-case version") << std::string("GET / http/1.1\r\n\r\n") << 400;
        QTest::newRow("version 1.10") << std::string("GET / HTTP/1.10\r\n\r\n") << 400;
        QTest::newRow("HTTP/2.0") << std::string("GET / HTTP/2.0\r\n\r\n") << 505;
        QTest::newRow("bare CR in line") << std::string("GET / HTTP/1.1\r\r\n\r\n") << 400;
        QTest::newRow("bare CR in header") << std::string("GET / HTTP/1.1\r\nA: b\rc\r\n\r\n") << 400;
        QTest::newRow("no colon") << std::string("GET / HTTP/1.1\r\nHost a\r\n\r\n") << 400;
        QTest::newRow("space before colon") << std::string("GET / HTTP/1.1\r\nHost : a\r\n\r\n") << 400;
        QTest::newRow("empty name") << std::string("GET / HTTP/1.1\r\n: a\r\n\r\n") << 400;
        QTest::newRow("folded") << std::string("GET / HTTP/1.1\r\nA: b\r\n  c\r\n\r\n") << 400;
        QTest::newRow("NUL in value") << std::string("GET / HTTP/1.1\r\nA: b\0c\r\n\r\n", 27) << 400;
        QTest::newRow("DEL in value") << std::string("GET / HTTP/1.1\r\nA: b\x7f\r\n\r\n") << 400;
        QTest::newRow("two Authorizations")
            << std::string("GET / HTTP/1.1\r\nAuthorization: a\r\nAuthorization: b\r\n\r\n") << 400;
    }

    void badHeads()
    {
        QFETCH(std::string, bytes);
        QFETCH(int, status);
        for (std::size_t piece : {std::size_t(0), std::size_t(1), std::size_t(5)}) {
            const Outcome o = parse(bytes, piece);
            QCOMPARE(o.status, Status::Error);
            QCOMPARE(o.error, status);
            QVERIFY(!o.head.keepAlive);
        }
        HttpRequestParser parser;
        parser.feed(bytes.data(), bytes.size());
        QVERIFY(!parser.errorMessage().empty());
        QCOMPARE(parser.feed(bytes.data(), bytes.size()), std::size_t(0)); // takes nothing after an error
        parser.reset();
        const std::string good = "GET / HTTP/1.1\r\n\r\n";
        QCOMPARE(parser.feed(good.data(), good.size()), good.size());
        QCOMPARE(parser.status(), Status::Complete);
    }

    void goodHeads_data()
    {
        QTest::addColumn<std::string>("bytes");
        QTest::addColumn<std::string>("target");
        QTest::addColumn<bool>("keepAlive");
        QTest::newRow("1.1") << std::string("GET /a HTTP/1.1\r\n\r\n") << std::string("/a") << true;
        QTest::newRow("1.1 close") << std::string("GET /a HTTP/1.1\r\nConnection: Close\r\n\r\n") << std::string("/a")
                                   << false;
        QTest::newRow("1.1 list") << std::string("GET /a HTTP/1.1\r\nconnection: TE, close\r\n\r\n")
                                  << std::string("/a") << false;
        QTest::newRow("1.0") << std::string("GET /a HTTP/1.0\r\n\r\n") << std::string("/a") << false;
        QTest::newRow("1.0 keep-alive") << std::string("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                                        << std::string("/a") << true;
        QTest::newRow("1.2 reads as 1.1") << std::string("GET /a HTTP/1.2\r\n\r\n") << std::string("/a") << true;
        QTest::newRow("bare LF") << std::string("GET /a HTTP/1.1\nHost: x\n\n") << std::string("/a") << true;
        QTest::newRow("absolute form") << std::string("GET http://h:1/visits?x=1 HTTP/1.1\r\n\r\n")
                                       << std::string("http://h:1/visits?x=1") << true;
        QTest::newRow("OPTIONS *") << std::string("OPTIONS * HTTP/1.1\r\n\r\n") << std::string("*") << true;
        QTest::newRow("obs-text value") << std::string("GET /a HTTP/1.1\r\nX: caf\xc3\xa9\t!\r\n\r\n")
                                        << std::string("/a") << true;
        QTest::newRow("empty value") << std::string("GET /a HTTP/1.1\r\nX:\r\n\r\n") << std::string("/a") << true;
    }

    void goodHeads()
    {
        QFETCH(std::string, bytes);
        QFETCH(std::string, target);
        QFETCH(bool, keepAlive);
        for (std::size_t piece : {std::size_t(0), std::size_t(1)}) {
            const Outcome o = parse(bytes, piece);
            QCOMPARE(o.status, Status::Complete);
            QCOMPARE(o.used, bytes.size());
            QCOMPARE(o.head.target, target);
            QCOMPARE(o.head.keepAlive, keepAlive);
        }
    }

    // Arbitrary bytes in arbitrary pieces: never more taken than given, never past a stop, and the same outcome as
    // one feed of everything (what a fuzzer checks, here with a fixed seed).
    void randomPiecesGiveTheSameOutcome()
    {
        QRandomGenerator random(12);
        const std::string alphabet = "GET /\r\n:HTP1.0aZ \t,-\x01\x7f\xff";
        for (int round = 0; round < 2000; ++round) {
            std::string bytes;
            if (round % 2)
                bytes = kSimple.substr(0, random.bounded(int(kSimple.size())));
            const int extra = random.bounded(200);
            for (int i = 0; i < extra; ++i)
                bytes += alphabet[random.bounded(int(alphabet.size()))];
            ParserLimits small;
            small.maxRequestLine = 40;
            small.maxHeaderBytes = 60;
            small.maxHeaderLines = 3;
            const Outcome whole = parse(bytes, 0, small);
            const Outcome pieces = parse(bytes, 1 + random.bounded(9), small);
            QCOMPARE(pieces.status, whole.status);
            QCOMPARE(pieces.error, whole.error);
            QCOMPARE(pieces.used, whole.used);
            QCOMPARE(pieces.head.target, whole.head.target);
        }
    }
};

QTEST_GUILESS_MAIN(TestHttpRequestParser)
#include "TestHttpRequestParser.moc"
