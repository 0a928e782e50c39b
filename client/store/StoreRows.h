// How the local store's values become SQL columns and blobs and back: events and outbox commands as the wire's
// protobuf bytes (one format for the network and the disk, and unknown fields survive), status rows as columns.
#pragma once

#include "ClientTypes.h"
#include "domain/StatusView.h"

#include <QByteArray>
#include <QSqlQuery>
#include <QVariant>

namespace clinicflow::client::rows {

// Times are UTC milliseconds since the epoch; an invalid time is SQL NULL.
QVariant timeValue(const QDateTime &at);
QDateTime timeFrom(const QVariant &value);
QVariant textValue(const QString &text); // NULL for a null string, so "never set" stays distinguishable
QVariant idValue(const QUuid &id);       // canonical text, NULL for a null id
QUuid idFrom(const QVariant &value);

QByteArray encodeEvent(const domain::Event &event);
domain::Result<domain::Event> decodeEvent(const QByteArray &body);

QByteArray encodeCommand(const OutgoingCommand &command); // a v1::Submit
domain::Result<OutgoingCommand> decodeCommand(const QByteArray &body);

QString sequencesText(const QList<quint64> &sequences); // "12,13,14"
QList<quint64> sequencesFrom(const QString &text);

// The visits table's columns from visit_id on, in order (the row key comes before them in a SELECT).
inline constexpr int kVisitColumns = 19;
QString visitColumnList();                                        // "visit_id, ticket, ..."
void bindVisit(QSqlQuery &query, const domain::VisitStatus &row); // placeholders 0 .. kVisitColumns - 1
// A SELECT of visitColumnList(), its columns starting at `first`.
domain::Result<domain::VisitStatus> readVisit(const QSqlQuery &query, int first = 0);

} // namespace clinicflow::client::rows
