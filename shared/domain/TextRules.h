// Which characters a name or a text may hold. Control characters (C0, DEL, C1) and Unicode's invisible formatting
// characters (bidi overrides such as U+202E, zero-width spaces, the byte-order mark) can break a line on a board,
// a ticket or a log, or make a name read differently on screen than it is stored. Both the workstation and the
// server refuse them, by this rule, before anything is stored.
#pragma once

#include "Result.h"

#include <QStringView>
#include <optional>

namespace clinicflow::domain {

enum class TextKind
{
    Name,     // one line: a patient's name or number, a phone, codes, doctor ids, station names
    FreeText, // what a person writes: a complaint, an address, a note, a result, a reason; may hold \n and \t
};

// Whether `c` (a Unicode code point) may not appear in a text of this kind. The zero-width joiners (U+200C, U+200D)
// stay allowed: some scripts and emoji need them to be written at all.
bool isForbiddenCharacter(char32_t c, TextKind kind);

// The first forbidden character of `text` (a lone surrogate counts as one), as InvalidCharacters with the field's
// name and the character's code point in the detail ("patient name: U+202E"), never the text itself.
std::optional<Error> characterError(QStringView text, TextKind kind, QStringView field);

} // namespace clinicflow::domain
