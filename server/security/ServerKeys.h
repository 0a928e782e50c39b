// The server's CURVE key pair: its secret in <keys>/server.key (the --keys folder, <data>/keys by default), made at
// the first start and readable by the server's account only. Every enrolment file carries the public half, so a
// station knows it talks to this server; losing the secret means enrolling every station again.
#pragma once

#include "domain/Result.h"
#include "security/Curve.h"

#include <QByteArray>
#include <QString>

namespace clinicflow::server {

// Reads the key pair, or makes and stores a new one when the folder has none. An error when the file exists but
// is not a key (never replaced silently: the stations would all stop trusting the server).
domain::Result<security::KeyPair> loadOrCreateServerKeys(const QString &keysDir);

// The operators' HTTP token: the --http-token-file's (a Kubernetes Secret, say), else <keys>/http.token, made at the
// first start and readable by the server's account only.
domain::Result<QByteArray> loadHttpToken(const QString &tokenFile, const QString &keysDir);

} // namespace clinicflow::server
