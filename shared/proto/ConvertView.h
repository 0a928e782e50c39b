// Status-view rows (CQRS) between the domain's VisitStatus and the wire's, for snapshots.
#pragma once

#include "clinicflow/v1/envelope.pb.h"
#include "domain/StatusView.h"

namespace clinicflow::proto {

v1::VisitStatus toProto(const domain::VisitStatus &row);
domain::Result<domain::VisitStatus> fromProto(const v1::VisitStatus &row);

} // namespace clinicflow::proto
