// JSON shapes of the server's read-only REST answers. They carry ids, tickets, codes and statuses, never a patient's
// name, phone or address: the HTTP port is for operators and integrations, not a patient record (ARCHITECTURE §7).
#pragma once

#include "domain/Diagnosis.h"
#include "domain/Examination.h"
#include "domain/Reception.h"
#include "domain/StatusView.h"

#include <QJsonObject>

namespace clinicflow::server {

QJsonObject toJson(const domain::Reception &reception);
QJsonObject toJson(const domain::Diagnosis &diagnosis);
QJsonObject toJson(const domain::Examination &examination);
QJsonObject toJson(const domain::VisitStatus &visit, const QDateTime &now);

} // namespace clinicflow::server
