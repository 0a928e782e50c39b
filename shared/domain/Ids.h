// Identifiers made where a thing is created, so an offline workstation never needs the server to name something:
// UUIDs for every aggregate and command, and a human queue ticket ("A-017") from the station code and a daily counter.
#pragma once

#include "Result.h"

#include <QString>
#include <QUuid>

namespace clinicflow::domain {

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
