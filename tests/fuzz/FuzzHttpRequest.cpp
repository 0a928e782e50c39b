// libFuzzer entry for the HTTP/1.1 request head parser at the operators' endpoint (server/http/HttpRequestParser.h).
// The input is what a peer sends on one connection: one or more pipelined requests, or garbage. It is parsed as the
// connection does (feed, and after a complete head reset() and feed the rest), in one piece, one byte at a time and in
// pieces cut at positions derived from the input, with the default limits and with small ones the input picks. Every
// way must give the same heads, errors and byte counts; feed() never takes more than it is given, takes everything
// while it needs more and nothing after a result; an error is one of the statuses the parser promises. A disagreement
// traps.
#include "HttpRequestParser.h"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

using clinicflow::server::http::HttpRequestParser;
using clinicflow::server::http::ParserLimits;
using clinicflow::server::http::RequestHead;

namespace {

// One result of the parser on the connection: where in the input it came, and what it was.
struct Outcome
{
    std::size_t end = 0; // offset just past the last byte the parser took for it
    HttpRequestParser::Status status = HttpRequestParser::Status::NeedMore;
    int errorStatus = 0;
    RequestHead head;
    bool idle = false; // only for the final NeedMore: nothing of a next request was read yet

    friend bool operator==(const Outcome &a, const Outcome &b)
    {
        const RequestHead &x = a.head;
        const RequestHead &y = b.head;
        return a.end == b.end && a.status == b.status && a.errorStatus == b.errorStatus && a.idle == b.idle &&
               x.method == y.method && x.target == y.target && x.minorVersion == y.minorVersion &&
               x.authorization == y.authorization && x.hasContentLength == y.hasContentLength &&
               x.contentLength == y.contentLength && x.hasTransferEncoding == y.hasTransferEncoding &&
               x.keepAlive == y.keepAlive;
    }
};

bool isToken(std::string_view text)
{
    if (text.empty())
        return false;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u >= 0x7f || std::string_view("\"(),/:;<=>?@[\\]{}").find(c) != std::string_view::npos)
            return false;
    }
    return true;
}

// What a result must look like whatever the input.
void checkOutcome(const HttpRequestParser &parser, const ParserLimits &limits)
{
    const RequestHead &head = parser.head();
    switch (parser.status()) {
    case HttpRequestParser::Status::Complete:
        if (parser.errorStatus() != 0 || !parser.errorMessage().empty())
            __builtin_trap();
        if (!isToken(head.method) || head.target.empty() || head.target.size() > limits.maxRequestLine)
            __builtin_trap();
        if (head.minorVersion != 0 && head.minorVersion != 1)
            __builtin_trap();
        // Every endpoint is GET: a head that announces a body is never complete.
        if (head.hasTransferEncoding || head.contentLength != 0)
            __builtin_trap();
        if (head.authorization.size() > limits.maxHeaderBytes)
            __builtin_trap();
        break;
    case HttpRequestParser::Status::Error:
        switch (parser.errorStatus()) {
        case 400:
        case 413:
        case 414:
        case 431:
        case 505:
            break;
        default:
            __builtin_trap();
        }
        if (parser.errorMessage().empty() || head.keepAlive)
            __builtin_trap();
        break;
    case HttpRequestParser::Status::NeedMore:
        if (parser.errorStatus() != 0)
            __builtin_trap();
        break;
    }
}

// Parses the whole input as one connection, handing it to the parser in pieces that end at `cuts` (increasing
// offsets; the input's end is always one).
std::vector<Outcome> parseConnection(std::string_view input, const ParserLimits &limits,
                                     const std::vector<std::size_t> &cuts)
{
    std::vector<Outcome> outcomes;
    HttpRequestParser parser(limits);
    std::size_t offset = 0;
    auto cut = cuts.begin();
    while (offset < input.size()) {
        while (cut != cuts.end() && *cut <= offset)
            ++cut;
        const std::size_t pieceEnd = cut == cuts.end() ? input.size() : *cut;
        const std::size_t given = pieceEnd - offset;
        const std::size_t used = parser.feed(input.data() + offset, given);
        if (used > given)
            __builtin_trap();
        offset += used;
        if (parser.status() == HttpRequestParser::Status::NeedMore) {
            if (used != given) // while it needs more it takes everything
                __builtin_trap();
            continue;
        }
        checkOutcome(parser, limits);
        if (parser.feed(input.data() + offset, input.size() - offset) != 0) // after a result it takes nothing
            __builtin_trap();
        outcomes.push_back(Outcome{offset, parser.status(), parser.errorStatus(), parser.head(), false});
        if (parser.status() == HttpRequestParser::Status::Error)
            return outcomes; // the connection answers and closes
        parser.reset();
        if (parser.status() != HttpRequestParser::Status::NeedMore || !parser.idle() || parser.errorStatus() != 0)
            __builtin_trap();
    }
    checkOutcome(parser, limits);
    if (parser.feed(nullptr, 0) != 0)
        __builtin_trap();
    outcomes.push_back(Outcome{offset, parser.status(), parser.errorStatus(), {}, parser.idle()});
    return outcomes;
}

// A small deterministic generator seeded by the input, for the cut positions and the small limits.
struct SplitMix
{
    std::uint64_t state;
    std::uint64_t next()
    {
        std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        return z ^ (z >> 31);
    }
};

std::uint64_t hashOf(std::string_view input)
{
    std::uint64_t h = 0xcbf29ce484222325ULL; // FNV-1a
    for (const char c : input)
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
    return h;
}

void checkAllSplits(std::string_view input, const ParserLimits &limits, SplitMix &random)
{
    const std::vector<Outcome> whole = parseConnection(input, limits, {});

    std::vector<std::size_t> everyByte;
    if (input.size() <= 8192) { // one call per byte: bounded, to keep the runs fast
        everyByte.reserve(input.size());
        for (std::size_t i = 1; i < input.size(); ++i)
            everyByte.push_back(i);
        if (parseConnection(input, limits, everyByte) != whole)
            __builtin_trap();
    }

    for (int round = 0; round < 3; ++round) {
        std::vector<std::size_t> cuts;
        // Pieces of 1 to 2^k bytes, k from the generator: short pieces cut inside line ends and tokens, long ones
        // cross whole lines and requests.
        const unsigned spread = 1 + unsigned(random.next() % 12);
        for (std::size_t at = 0;;) {
            at += 1 + std::size_t(random.next() % (std::uint64_t{1} << spread));
            if (at >= input.size())
                break;
            cuts.push_back(at);
        }
        if (parseConnection(input, limits, cuts) != whole)
            __builtin_trap();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const std::string_view input(reinterpret_cast<const char *>(data), size);
    SplitMix random{hashOf(input)};

    // The limits the server runs with (beyond them only with inputs longer than the fuzzer usually makes).
    checkAllSplits(input, ParserLimits{}, random);

    // Small limits, so that short inputs reach every limit and land on its edges.
    ParserLimits small;
    small.maxRequestLine = 1 + std::size_t(random.next() % 64);
    small.maxHeaderBytes = 1 + std::size_t(random.next() % 128);
    small.maxHeaderLines = std::size_t(random.next() % 8);
    checkAllSplits(input, small, random);
    return 0;
}
