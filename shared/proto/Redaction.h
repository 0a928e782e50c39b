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

// PUB topics (the first of two frames): events with personal fields on the topic of each role, redacted for it;
// every other publication (events without them, outcomes, heartbeats) on the common one. A station subscribes to
// the common topic and its role's; the server refuses any other subscription.
inline constexpr char kCommonTopic[] = "common";
std::string roleTopic(domain::Role role); // "status.receptionist", ...

// Whether some role receives less of this event than another.
bool hasPersonalFields(const v1::Event &event);
// Clears what `role` may not receive.
void redactFor(domain::Role role, v1::Event &event);

} // namespace clinicflow::proto
