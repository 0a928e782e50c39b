// Minimum necessary (ARCHITECTURE §7, docs/protocol.md "Who receives what"): the personal fields each role's
// stations receive, and the PUB topics that carry them. The server redacts every event it hands a station, on PUB
// and in FetchEvents pages, for the station's role:
//
//   field of ReceptionRegistered        receptionist  doctor  examiner  board
//   patient name                              x          x        x        x
//   patient number, birth date or age, sex    x          x        x
//   chief complaint                           x          x
//   phone, address                            x
//
// Every other event carries no personal field and goes to every station alike.
#pragma once

#include "clinicflow/v1/envelope.pb.h"
#include "domain/Types.h"

#include <string>

namespace clinicflow::proto {

// PUB topics (the first of two frames): the events on the topic of each role, every one of them, in sequence order and
// redacted for the role, in batches (EventBatch); the other publications (outcomes, heartbeats) on the common one. A
// station subscribes to the common topic and its role's; the server refuses any other subscription. (Stations built
// before December 2026 subscribe to "status.<role>", where events went one per message: refused, and logged once,
// they still follow the log through the heartbeats and FetchEvents. No topic is a prefix of another.)
inline constexpr char kCommonTopic[] = "common";
std::string roleTopic(domain::Role role); // "events.receptionist", ...

// Whether some role receives less of this event than another.
bool hasPersonalFields(const v1::Event &event);
// Clears what `role` may not receive.
void redactFor(domain::Role role, v1::Event &event);

} // namespace clinicflow::proto
