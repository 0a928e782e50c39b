// Tests against PostgreSQL: the throwaway cluster the ctest fixture `postgresql` starts
// (tests/support/postgres/pg-cluster.sh), and a fresh database on it for each test object that needs one.
// A test runs against PostgreSQL when CLINICFLOW_TEST_POSTGRES_DIR is set (clinicflow_add_postgres_variant() sets it
// for `<test>.postgresql`): the cluster's base URL is in that folder's `url` file. Unset, tests use SQLite.
#pragma once

#include "domain/Result.h"

#include <QSqlDatabase>
#include <QString>
#include <QtGlobal>
#include <optional>

namespace clinicflow::testsupport {

// Whether this test run is a PostgreSQL one (CLINICFLOW_TEST_POSTGRES_DIR is set).
bool testPostgresRequested();
// postgresql://clinicflow@127.0.0.1:PORT/postgres from $CLINICFLOW_TEST_POSTGRES_DIR/url; nullopt when the variable
// is unset or the file is missing (the fixture's cluster did not start).
std::optional<QString> testPostgresBaseUrl();

// Adds and opens a QPSQL connection named `connectionName` to `url` (postgresql://user[:password]@host:port/db).
// The caller closes it and calls QSqlDatabase::removeDatabase(connectionName) once every copy is gone.
domain::Result<QSqlDatabase> openPostgres(const QString &url, const QString &connectionName);

// The same cluster's URL with another database name.
QString withDatabase(const QString &url, const QString &database);

// A database `cf_<16 hex digits>` created on the cluster at construction, dropped (WITH (FORCE): connections still
// open on it are ended) at destruction. Made and dropped through a connection of its own to the base URL's database.
class ThrowawayPostgresDatabase
{
    Q_DISABLE_COPY_MOVE(ThrowawayPostgresDatabase)
public:
    // On the fixture's cluster (testPostgresBaseUrl()), or on the cluster of `baseUrl`; a copy of the database
    // `copyOf` on that cluster when given (CREATE DATABASE … TEMPLATE, which fails while anyone is connected to it).
    ThrowawayPostgresDatabase();
    explicit ThrowawayPostgresDatabase(const QString &baseUrl, const QString &copyOf = {});
    ~ThrowawayPostgresDatabase();

    bool isValid() const { return !m_name.isEmpty(); }
    QString error() const { return m_error; }
    QString name() const { return m_name; }
    // postgresql://clinicflow@127.0.0.1:PORT/cf_…; empty when !isValid().
    QString url() const { return isValid() ? withDatabase(m_baseUrl, m_name) : QString(); }
    QString baseUrl() const { return m_baseUrl; }

private:
    QString m_baseUrl;
    QString m_name;
    QString m_error;
};

// Whether a database of that name exists on the cluster of `baseUrl`; an error when the cluster cannot be asked.
domain::Result<bool> postgresDatabaseExists(const QString &baseUrl, const QString &name);

} // namespace clinicflow::testsupport
