// Identifiers made where a thing is created, so an offline workstation never needs the server to name something:
// UUIDs for every aggregate and command, and a human queue ticket ("A-017") from the station code and a daily counter.
#pragma once

#include "Result.h"

#include <QString>
#include <QUuid>

namespace clinicflow::domain {

// Version 7 (RFC 9562): the millisecond it was made, then 74 random bits. What is made together sorts together, also
// as text, so a new row's key lands on the last pages of each index keyed by it (the inboxes' command ids; the log,
// the audit trail and the status view by visit), in both stores, where a random UUID dirtied a page per index and row.
// On SQLite the write-ahead log per command fell from 6.2 pages to 4.2-4.9, and submit -> Applied p99 at 2,500
// commands/s from 41-95 ms to 15-19 ms (docs/performance.md). It tells when a thing was made, as its record does.
QUuid newId();

// Deterministic id derived from another one: the same command always yields the same event ids and the same
// diagnosis id, so replaying it can never mint a second copy.
QUuid derivedId(const QUuid &from, QStringView purpose);

// Canonical text form without braces, as stored and sent.
QString idString(const QUuid &id);
QUuid idFromString(QStringView text); // null for text that is not a UUID

struct Ticket
{
    QString station; // 1 to 4 upper-case letters or digits, starting with a letter
    int number = 0;  // 1 .. 9999, restarting each day at each station

    bool isValid() const;
    QString toString() const; // "A-017": at least three digits
    static Result<Ticket> parse(QStringView text);
    friend bool operator==(const Ticket &, const Ticket &) = default;
};

bool isValidStationCode(QStringView code);

} // namespace clinicflow::domain
