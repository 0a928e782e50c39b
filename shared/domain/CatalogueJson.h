// The roster file the operator edits: departments, doctors and the examination catalogue as JSON.
//   {"departments": [{"code": "IM", "name": "Internal medicine"}],
//    "doctors": [{"id": "dr.kim", "name": "Kim Minjun", "department": "IM"}],
//    "examinations": [{"code": "BLOOD", "name": "Blood test"}]}
#pragma once

#include "Catalogue.h"

#include <QByteArray>

namespace clinicflow::domain {

// Parses and validates; the error says what is wrong and where (e.g. "doctors[2].department: 'XX' is unknown").
Result<Catalogue> catalogueFromJson(const QByteArray &json);
QByteArray catalogueToJson(const Catalogue &catalogue);

} // namespace clinicflow::domain
