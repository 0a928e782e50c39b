// When a command says its user acted (Submit.at_ms): the one rule, shared by the gateway (before it stores a
// command) and the context workers (where a command is decided). docs/protocol.md, "Times".
#pragma once

#include "Result.h"

#include <QtGlobal>

namespace clinicflow::domain {

// A station works offline for days (a weekend, a network cut), and its actions keep the time they were done: those
// are valid for 30 days. A station's clock may run a little ahead of the server's: 10 minutes. Anything further is a
// wrong clock (or a forged time), which would otherwise show waits of decades or from the future.
inline constexpr qint64 kActedAtMaxAgeMs = 30LL * 24 * 60 * 60 * 1000;
inline constexpr qint64 kActedAtMaxAheadMs = 10LL * 60 * 1000;

// Whether `actedAtMs` (UTC ms since the epoch, by the station's clock) is within
// [serverNowMs - kActedAtMaxAgeMs, serverNowMs + kActedAtMaxAheadMs]. `serverNowMs` is the server's time when the
// command arrived, so a command waiting in an inbox is judged as it was when it came. Out of the window:
// ActedAtOutOfRange, whose detail says by how much (never anything about the patient). 0 is proto3's absent
// at_ms: the command then takes the server's time, and is accepted.
Result<bool> checkActedAt(qint64 actedAtMs, qint64 serverNowMs);

} // namespace clinicflow::domain
