// The incremental, bounded HTTP/1.1 request head parser (see HttpRequestParser.h).
#include "HttpRequestParser.h"

#include <cstring>
#include <limits>

namespace clinicflow::server::http {

namespace {

bool isTchar(unsigned char c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return true;
    return c != 0 && std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isToken(std::string_view text)
{
    if (text.empty())
        return false;
    for (const char c : text)
        if (!isTchar(static_cast<unsigned char>(c)))
            return false;
    return true;
}

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool equalsIgnoringCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

bool startsWithIgnoringCase(std::string_view text, std::string_view prefix)
{
    return text.size() >= prefix.size() && equalsIgnoringCase(text.substr(0, prefix.size()), prefix);
}

std::string_view trimmed(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
        text.remove_suffix(1);
    return text;
}

// Visible ASCII, spaces, tabs and obs-text (bytes from 0x80): no control character, no DEL.
bool isFieldValue(std::string_view value)
{
    for (const char c : value) {
        const auto u = static_cast<unsigned char>(c);
        if ((u < 0x20 && u != '\t') || u == 0x7f)
            return false;
    }
    return true;
}

// A Content-Length value: one or more digits; a value too large for 64 bits saturates (it is refused anyway).
bool parseLength(std::string_view text, std::uint64_t &value)
{
    if (text.empty())
        return false;
    constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
    value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
        const auto digit = std::uint64_t(c - '0');
        value = value > (max - digit) / 10 ? max : value * 10 + digit;
    }
    return true;
}

} // namespace

HttpRequestParser::HttpRequestParser(ParserLimits limits)
    : m_limits(limits)
{
    m_line.reserve(256);
}

void HttpRequestParser::reset()
{
    m_phase = Phase::RequestLine;
    m_status = Status::NeedMore;
    m_head = RequestHead();
    m_line.clear();
    m_blankBytes = 0;
    m_headerBytes = 0;
    m_headerLines = 0;
    m_connectionClose = false;
    m_connectionKeepAlive = false;
    m_errorStatus = 0;
    m_errorMessage.clear();
}

std::size_t HttpRequestParser::feed(const char *data, std::size_t size)
{
    std::size_t used = 0;
    while (used < size && m_status == Status::NeedMore) {
        const char *start = data + used;
        const std::size_t available = size - used;
        const auto *newline = static_cast<const char *>(std::memchr(start, '\n', available));
        const std::size_t take = newline ? std::size_t(newline - start) + 1 : available;
        // The most this line may hold with its line end (CRLF) before it is refused.
        const std::size_t room =
            m_phase == Phase::RequestLine ? m_limits.maxRequestLine + 2 : m_limits.maxHeaderBytes - m_headerBytes;
        if (m_line.size() + take > room) {
            used += room - m_line.size(); // what fitted; the rest is never read
            m_line.clear();
            if (m_phase == Phase::RequestLine)
                fail(414, "the request line is too long");
            else
                fail(431, "the request's header fields are too large");
            break;
        }
        m_line.append(start, take);
        used += take;
        if (!newline)
            break;
        std::string_view line(m_line);
        line.remove_suffix(1); // the LF
        if (!line.empty() && line.back() == '\r')
            line.remove_suffix(1);
        const std::size_t raw = m_line.size();
        if (m_phase == Phase::Headers)
            m_headerBytes += raw;
        else if (line.empty())
            m_blankBytes += raw;
        const bool more = takeLine(line);
        m_line.clear();
        if (!more)
            break;
    }
    return used;
}

bool HttpRequestParser::takeLine(std::string_view line)
{
    if (line.find('\r') != std::string_view::npos)
        return fail(400, "a bare CR in the request's head");
    if (m_phase == Phase::RequestLine) {
        if (line.empty()) // an empty line before the request line is tolerated, within the line's limit
            return m_blankBytes <= m_limits.maxRequestLine || fail(400, "too many empty lines before the request");
        if (line.size() > m_limits.maxRequestLine)
            return fail(414, "the request line is too long");
        return requestLine(line);
    }
    return line.empty() ? endOfHead() : headerLine(line);
}

bool HttpRequestParser::requestLine(std::string_view line)
{
    const std::size_t firstSpace = line.find(' ');
    const std::size_t lastSpace = line.rfind(' ');
    if (firstSpace == std::string_view::npos || firstSpace == lastSpace)
        return fail(400, "a malformed request line (expected: METHOD target HTTP/1.1)");
    const std::string_view method = line.substr(0, firstSpace);
    const std::string_view target = line.substr(firstSpace + 1, lastSpace - firstSpace - 1);
    const std::string_view version = line.substr(lastSpace + 1);
    if (!isToken(method))
        return fail(400, "a malformed request method");
    if (target.empty())
        return fail(400, "an empty request target");
    for (const char c : target) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f)
            return fail(400, "a request target with a space, a control character or a non-ASCII byte");
    }
    const bool origin = target.front() == '/';
    const bool absolute = startsWithIgnoringCase(target, "http://") || startsWithIgnoringCase(target, "https://");
    const bool asterisk = target == "*" && method == "OPTIONS";
    if (!origin && !absolute && !asterisk)
        return fail(400, "a request target that is not a path (/...) or an http:// URL");
    if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' || version[5] < '0' ||
        version[5] > '9' || version[7] < '0' || version[7] > '9')
        return fail(400, "a malformed HTTP version");
    if (version[5] != '1')
        return fail(505, "only HTTP/1.0 and HTTP/1.1 are served");
    m_head.method.assign(method);
    m_head.target.assign(target);
    m_head.minorVersion = version[7] == '0' ? 0 : 1;
    m_phase = Phase::Headers;
    return true;
}

bool HttpRequestParser::headerLine(std::string_view line)
{
    if (line.front() == ' ' || line.front() == '\t')
        return fail(400, "a folded header line (obsolete line folding is not accepted)");
    if (++m_headerLines > m_limits.maxHeaderLines)
        return fail(431, "too many header fields");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos)
        return fail(400, "a header line without a colon");
    const std::string_view name = line.substr(0, colon);
    if (!isToken(name))
        return fail(400, "a malformed header field name");
    const std::string_view value = trimmed(line.substr(colon + 1));
    if (!isFieldValue(value))
        return fail(400, "a control character in a header field value");

    if (equalsIgnoringCase(name, "authorization")) {
        if (!m_head.authorization.empty())
            return fail(400, "Authorization given twice");
        m_head.authorization.assign(value);
    } else if (equalsIgnoringCase(name, "content-length")) {
        std::uint64_t length = 0;
        if (!parseLength(value, length))
            return fail(400, "a Content-Length that is not a number");
        if (m_head.hasContentLength && length != m_head.contentLength)
            return fail(400, "two different Content-Length values");
        m_head.hasContentLength = true;
        m_head.contentLength = length;
    } else if (equalsIgnoringCase(name, "transfer-encoding")) {
        m_head.hasTransferEncoding = true;
    } else if (equalsIgnoringCase(name, "connection")) {
        std::string_view rest = value;
        while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            const std::string_view option = trimmed(rest.substr(0, comma));
            if (equalsIgnoringCase(option, "close"))
                m_connectionClose = true;
            else if (equalsIgnoringCase(option, "keep-alive"))
                m_connectionKeepAlive = true;
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    }
    return true;
}

bool HttpRequestParser::endOfHead()
{
    m_head.keepAlive = !m_connectionClose && (m_head.minorVersion >= 1 || m_connectionKeepAlive);
    if (m_head.hasTransferEncoding && m_head.hasContentLength)
        return fail(400, "both Content-Length and Transfer-Encoding");
    if (m_head.hasTransferEncoding || m_head.contentLength > 0)
        return fail(413, "a request with a body: every endpoint is GET and takes none");
    m_phase = Phase::Done;
    m_status = Status::Complete;
    return false;
}

bool HttpRequestParser::fail(int status, const char *message)
{
    m_phase = Phase::Done;
    m_status = Status::Error;
    m_errorStatus = status;
    m_errorMessage = message;
    m_head.keepAlive = false;
    return false;
}

} // namespace clinicflow::server::http
