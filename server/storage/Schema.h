// The server's schema, versioned: migrations are applied in order at start, each in its own transaction, and the
// version table records how far a database has come. Every table is owned by one module (ARCHITECTURE §4).
#pragma once

#include "Database.h"

namespace clinicflow::server {

// The schema version this build writes.
int currentSchemaVersion();

// Brings the database up to currentSchemaVersion(); refuses a database newer than this build.
domain::Result<int> migrate(Database &db);
// Brings it up to `version` only: how tests make a database as an older server left it.
domain::Result<int> migrateTo(Database &db, int version);

// Inside a write transaction: holds the schema against every other process on the database until the transaction
// ends (migrations, and the one-time server id). SQLite's BEGIN IMMEDIATE holds it already.
domain::Result<bool> lockSchema(Database &db);

// The status view's schema version this build writes.
int currentViewSchemaVersion();
// Brings the status view's store (DatabaseSettings::viewSettings) up to date; on SQLite a file of its own.
domain::Result<int> migrateView(Database &db);

} // namespace clinicflow::server
