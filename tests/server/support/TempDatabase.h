// A server database in a temporary folder for the in-process tests of server modules: the main file migrated to a
// chosen schema version, the status view's store beside it, and the few writes the tests need to set a scene.
// In a PostgreSQL run (CLINICFLOW_TEST_POSTGRES_DIR set, `<test>.postgresql`), a throwaway database on the fixture's
// cluster instead (TestPostgres.h), which also holds the view; the temporary folder is still made.
#pragma once

#include "TestPostgres.h"
#include "domain/Events.h"
#include "gateway/CommandIntake.h"
#include "storage/Database.h"

#include <QTemporaryDir>
#include <memory>

namespace clinicflow::testsupport {

class TempDatabase
{
public:
    // Opens and migrates (to `schemaVersion`, or the current one when negative); false with error() otherwise.
    bool open(int schemaVersion = -1);
    server::Database &db() { return *m_db; }
    server::Database &viewDb() { return *m_viewDb; }
    const server::DatabaseSettings &settings() const { return m_settings; }
    QString folder() const { return m_dir.path(); }
    bool isPostgres() const { return m_postgres != nullptr; }
    QString error() const { return m_error; }

    // Appends the events in one transaction; their sequences are set.
    bool append(domain::Events &events);
    // Runs a statement in a transaction of its own.
    bool exec(const QString &sql);

private:
    QTemporaryDir m_dir;
    std::unique_ptr<ThrowawayPostgresDatabase> m_postgres; // dropped after the connections below are closed
    server::DatabaseSettings m_settings;
    std::unique_ptr<server::Database> m_db;
    std::unique_ptr<server::Database> m_viewDb;
    QString m_error;
};

// What the gateway hands CommandIntake for `command` submitted by `station` under `id`.
server::IntakeRequest intakeRequestFor(const QUuid &id, const QString &station, const domain::Command &command);

// An event of `payload`'s type with fresh ids, for tests that need a log but not a saga.
domain::Event eventOf(domain::EventPayload payload, const QUuid &visitId = {});
// `n` such events (visits closed), for tests of the log itself.
domain::Events someEvents(int n);

} // namespace clinicflow::testsupport
