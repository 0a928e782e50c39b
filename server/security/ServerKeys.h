// The server's CURVE key pair: its secret in <keys>/server.key (the --keys folder, <data>/keys by default), made at
// the first start and readable by the server's account only. Every enrolment file carries the public half, so a
// station knows it talks to this server; losing the secret means enrolling every station again.
#pragma once

#include "domain/Result.h"
#include "security/Curve.h"

#include <QString>

namespace clinicflow::server {

// Reads the key pair, or makes and stores a new one when the folder has none. An error when the file exists but
// is not a key (never replaced silently: the stations would all stop trusting the server).
domain::Result<security::KeyPair> loadOrCreateServerKeys(const QString &keysDir);

} // namespace clinicflow::server
