// The HTTP/1.1 request head parser at the operators' endpoint's boundary (issue #12, "HTTP hardening"). Plain C++, no
// Qt: bytes go in with feed() in pieces of any size (one byte at a time or many requests at once), and it answers
// "need more", "a complete head" or "an error, answer it with this status". It is deterministic and bounded: it
// never holds more than one line of the head, itself capped by the limits, so a peer cannot make it grow.
//
// Every endpoint is GET, so a request that announces a body (Content-Length above 0, or any Transfer-Encoding) is an
// error 413 as soon as its head is complete: the body is never read. What it checks (RFC 9112):
//   request line   METHOD SP target SP HTTP/1.x, at most maxRequestLine bytes (414 beyond); the method a token, the
//                  target visible ASCII, "/…" (origin form), "http(s)://…" (absolute form) or "*" (OPTIONS only);
//                  another major version is 505; up to maxRequestLine bytes of empty lines before it are skipped
//   header lines   "name: value", at most maxHeaderLines lines and maxHeaderBytes bytes with their line ends and
//                  the blank line (431 beyond); a token name with no space before the colon, no control characters
//                  in the value, no folded lines (400)
//   line ends      CRLF or a bare LF; a CR anywhere else is 400
//   framing        Content-Length digits only, repeated only with the same value; with Transfer-Encoding too, 400
// Host is not required: the endpoint serves one site whatever it is called.
//
// Use: feed() until status() is not NeedMore; feed() returns how many bytes it took, and the rest (the next pipelined
// request) is the caller's to feed again after reset(). After Complete or Error, feed() takes nothing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace clinicflow::server::http {

struct ParserLimits
{
    std::size_t maxRequestLine = 8 * 1024;  // bytes, without its line end: 414 beyond
    std::size_t maxHeaderBytes = 16 * 1024; // every header line with its line end, and the blank line: 431 beyond
    std::size_t maxHeaderLines = 100;       // 431 beyond
};

// What the server uses of a request's head; every other header is checked for shape and dropped.
struct RequestHead
{
    std::string method;        // as sent (methods are case-sensitive): "GET"
    std::string target;        // as sent: "/visits?limit=2", "http://host/visits", "*"
    int minorVersion = 1;      // HTTP/1.<minor>: 0 or 1 (a later 1.x reads as 1.1)
    std::string authorization; // the Authorization value, without surrounding spaces; empty when absent
    bool hasContentLength = false;
    std::uint64_t contentLength = 0; // saturates at the largest value instead of wrapping
    bool hasTransferEncoding = false;
    // Whether the connection stays open after the answer: HTTP/1.1 unless "Connection: close", HTTP/1.0 only with
    // "Connection: keep-alive".
    bool keepAlive = true;
};

class HttpRequestParser
{
public:
    enum class Status
    {
        NeedMore,
        Complete,
        Error
    };

    explicit HttpRequestParser(ParserLimits limits = {});

    // Takes bytes of the request and returns how many it used: all of them while it needs more, fewer when a head
    // ends or an error is found inside them, none after Complete or Error. data may be null when size is 0.
    std::size_t feed(const char *data, std::size_t size);

    Status status() const { return m_status; }
    // Complete: the request's head. Error: what was read of it before the error (for the log).
    const RequestHead &head() const { return m_head; }
    // On Error: the status to answer (400, 413, 414, 431 or 505) and why, in English, quoting none of the peer's
    // bytes; 0 and empty otherwise.
    int errorStatus() const { return m_errorStatus; }
    const std::string &errorMessage() const { return m_errorMessage; }
    // True until the first byte of a request (an empty line before it counts): between two requests, the connection
    // is idle rather than sending a head.
    bool idle() const { return m_phase == Phase::RequestLine && m_line.empty() && m_blankBytes == 0; }

    // Ready for the next request on the same connection; keeps the limits.
    void reset();

    const ParserLimits &limits() const { return m_limits; }

private:
    enum class Phase
    {
        RequestLine,
        Headers,
        Done
    };

    bool takeLine(std::string_view line); // a whole line, its line end removed; false when it ended the parse
    bool requestLine(std::string_view line);
    bool headerLine(std::string_view line);
    bool endOfHead();
    bool fail(int status, const char *message);

    ParserLimits m_limits;
    Phase m_phase = Phase::RequestLine;
    Status m_status = Status::NeedMore;
    RequestHead m_head;
    std::string m_line;           // the line being read, never longer than its limit
    std::size_t m_blankBytes = 0; // empty lines before the request line
    std::size_t m_headerBytes = 0;
    std::size_t m_headerLines = 0;
    bool m_connectionClose = false;
    bool m_connectionKeepAlive = false;
    int m_errorStatus = 0;
    std::string m_errorMessage;
};

} // namespace clinicflow::server::http
