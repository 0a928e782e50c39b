// Reads of the server's operator REST API that several integration tests share: the /visits status view (all pages)
// and one visit's row, polled until the view caught up with what a test expects.
#pragma once

#include "ServerProcess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QUuid>
#include <optional>

namespace clinicflow::testsupport {

// Every row of GET /visits?<query>, pageSize rows a page (following nextAfter); nothing when a page fails (error says
// why).
std::optional<QJsonArray> visitRows(ServerProcess &server, const QString &query = {}, QString *error = nullptr,
                                    int pageSize = 1000);
// The /visits row of one visit, or nothing.
std::optional<QJsonObject> visitRow(ServerProcess &server, const QUuid &visitId);

// GET /<kind>/<id> ("receptions", "diagnoses", "examinations"): the JSON object when it answers 200.
std::optional<QJsonObject> record(ServerProcess &server, const QString &kind, const QUuid &id);

// Polls read() until check() accepts what it returned; the last object read (empty when none), and whether it
// passed. Failure messages print `last`.
struct Polled
{
    bool ok = false;
    QJsonObject last;
    QString describe() const;
};
Polled pollRecord(ServerProcess &server, const QString &kind, const QUuid &id,
                  const std::function<bool(const QJsonObject &)> &check, int timeoutMs = 15000);
Polled pollVisitRow(ServerProcess &server, const QUuid &visitId, const std::function<bool(const QJsonObject &)> &check,
                    int timeoutMs = 15000);

} // namespace clinicflow::testsupport
