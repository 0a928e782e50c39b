// Domain values <-> clinicflow.v1 messages. toProto never fails; fromProto checks what the wire cannot promise
// (UUID text, enum values a newer peer may send, a set oneof, a valid ticket) and says which field was wrong.
// It does not apply domain rules: required text and lengths are validateShape's job, so an empty id becomes a
// null QUuid here and MissingId there.
#pragma once

#include "clinicflow/v1/commands.pb.h"
#include "clinicflow/v1/common.pb.h"
#include "clinicflow/v1/envelope.pb.h"
#include "clinicflow/v1/events.pb.h"
#include "domain/Catalogue.h"
#include "domain/Commands.h"
#include "domain/Events.h"
#include "domain/Result.h"
#include "domain/Types.h"

#include <QDateTime>
#include <QUuid>
#include <string>

namespace clinicflow::proto {

// Ids travel as canonical text without braces; a null id as the empty string.
std::string toProtoId(const QUuid &id);
// Times travel as UTC milliseconds since the epoch; an invalid QDateTime as 0, and 0 comes back invalid.
qint64 toProtoTime(const QDateTime &at);
QDateTime fromProtoTime(qint64 ms); // invalid for 0 or for a value QDateTime cannot hold

// Enums. The zero (UNSPECIFIED) value and values from a newer peer are MalformedMessage, except Sex, whose zero
// is the domain's Sex::Unknown.
v1::Role toProto(domain::Role value);
domain::Result<domain::Role> fromProto(v1::Role value);
v1::Priority toProto(domain::Priority value);
domain::Result<domain::Priority> fromProto(v1::Priority value);
v1::Sex toProto(domain::Sex value);
domain::Result<domain::Sex> fromProto(v1::Sex value);
v1::ReceptionStatus toProto(domain::ReceptionStatus value);
domain::Result<domain::ReceptionStatus> fromProto(v1::ReceptionStatus value);
v1::DiagnosisStatus toProto(domain::DiagnosisStatus value);
domain::Result<domain::DiagnosisStatus> fromProto(v1::DiagnosisStatus value);
v1::ExaminationStatus toProto(domain::ExaminationStatus value);
domain::Result<domain::ExaminationStatus> fromProto(v1::ExaminationStatus value);
v1::WithdrawReason toProto(domain::WithdrawReason value);
domain::Result<domain::WithdrawReason> fromProto(v1::WithdrawReason value);

// Error codes share their numbers; a code this build does not know becomes InvalidCommand (errorCodeFromInt).
v1::ErrorCode toProto(domain::ErrorCode code);
domain::ErrorCode fromProto(v1::ErrorCode code);
v1::Error toProto(const domain::Error &error);
domain::Error fromProto(const v1::Error &error);
v1::Rejected toRejected(const QUuid &commandId, const domain::Error &error);
domain::Error fromProto(const v1::Rejected &rejected);

// Records. A ticket must be valid (InvalidTicket); a birth date that is not an ISO date is InvalidBirthDate.
v1::Ticket toProto(const domain::Ticket &ticket);
domain::Result<domain::Ticket> fromProto(const v1::Ticket &ticket);
v1::Patient toProto(const domain::Patient &patient);
domain::Result<domain::Patient> fromProto(const v1::Patient &patient);
// The catalogue is checked with Catalogue::validate: a station must not work from a roster that contradicts itself.
v1::Catalogue toProto(const domain::Catalogue &catalogue);
domain::Result<domain::Catalogue> fromProto(const v1::Catalogue &catalogue);

// Commands. An unset kind is UnknownMessageType: a command this build does not know.
v1::Command toProto(const domain::Command &command);
domain::Result<domain::Command> fromProto(const v1::Command &command);

struct SubmittedCommand
{
    domain::CommandMeta meta;
    domain::Command command;
};
v1::Submit toSubmit(const domain::CommandMeta &meta, const domain::Command &command);
domain::Result<SubmittedCommand> fromProto(const v1::Submit &submit);

// Events with their metadata. An unset payload is UnknownMessageType; a type name that contradicts the payload is
// MalformedMessage.
v1::Event toProto(const domain::Event &event);
domain::Result<domain::Event> fromProto(const v1::Event &event);

} // namespace clinicflow::proto
