#include "TestPostgres.h"

#include <QDebug>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

using namespace Qt::StringLiterals;
using clinicflow::domain::ErrorCode;
using clinicflow::domain::makeError;

namespace clinicflow::testsupport {

namespace {

constexpr char postgresDirVariable[] = "CLINICFLOW_TEST_POSTGRES_DIR";

QString randomHex(int digits)
{
    QString hex;
    while (hex.size() < digits)
        hex += u"%1"_s.arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'));
    return hex.left(digits);
}

// A connection name no other test object uses, on any thread.
QString uniqueConnectionName(const QString &purpose)
{
    return u"test-postgres-%1-%2"_s.arg(purpose, randomHex(16));
}

// Runs `sql` on a connection of its own to `url`, closed and removed before returning.
domain::Result<bool> execOn(const QString &url, const QString &sql)
{
    const QString connectionName = uniqueConnectionName(u"admin"_s);
    domain::Result<bool> result = true;
    {
        auto db = openPostgres(url, connectionName);
        if (!db)
            return db.error();
        QSqlQuery query(db.value());
        if (!query.exec(sql))
            result = makeError(ErrorCode::InternalError, u"%1: %2"_s.arg(sql, query.lastError().text()));
        query.finish();
        db.value().close();
    }
    QSqlDatabase::removeDatabase(connectionName);
    return result;
}

} // namespace

bool testPostgresRequested()
{
    return !qEnvironmentVariableIsEmpty(postgresDirVariable);
}

std::optional<QString> testPostgresBaseUrl()
{
    const QString dir = qEnvironmentVariable(postgresDirVariable);
    if (dir.isEmpty())
        return std::nullopt;
    QFile file(QDir(dir).filePath(u"url"_s));
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    const QString url = QString::fromUtf8(file.readAll()).trimmed();
    if (url.isEmpty())
        return std::nullopt;
    return url;
}

domain::Result<QSqlDatabase> openPostgres(const QString &url, const QString &connectionName)
{
    const QUrl parsed(url);
    if (!parsed.isValid() || (parsed.scheme() != u"postgresql"_s && parsed.scheme() != u"postgres"_s))
        return makeError(ErrorCode::InternalError, u"not a postgresql:// URL: %1"_s.arg(url));
    if (!QSqlDatabase::isDriverAvailable(u"QPSQL"_s)) {
        return makeError(
            ErrorCode::InternalError,
            u"Qt's QPSQL driver is not installed (Debian: libqt6sql6-psql; bash packaging/setup.sh deps)"_s);
    }
    QSqlDatabase db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
    db.setHostName(parsed.host());
    db.setPort(parsed.port(5432));
    db.setUserName(parsed.userName());
    db.setPassword(parsed.password());
    db.setDatabaseName(parsed.path().mid(1));
    db.setConnectOptions(u"connect_timeout=10"_s);
    if (!db.open()) {
        const QString why = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(connectionName);
        return makeError(ErrorCode::InternalError,
                         u"cannot connect to %1: %2"_s.arg(parsed.toDisplayString(QUrl::RemovePassword), why));
    }
    return db;
}

QString withDatabase(const QString &url, const QString &database)
{
    QUrl other(url);
    other.setPath(u"/"_s + database);
    return other.toString();
}

domain::Result<bool> postgresDatabaseExists(const QString &baseUrl, const QString &name)
{
    const QString connectionName = uniqueConnectionName(u"exists"_s);
    domain::Result<bool> result = false;
    {
        auto db = openPostgres(baseUrl, connectionName);
        if (!db)
            return db.error();
        QSqlQuery query(db.value());
        query.prepare(u"SELECT 1 FROM pg_database WHERE datname = ?"_s);
        query.addBindValue(name);
        if (!query.exec())
            result = makeError(ErrorCode::InternalError, u"pg_database: %1"_s.arg(query.lastError().text()));
        else
            result = query.next();
        query.finish();
        db.value().close();
    }
    QSqlDatabase::removeDatabase(connectionName);
    return result;
}

ThrowawayPostgresDatabase::ThrowawayPostgresDatabase()
    : ThrowawayPostgresDatabase(testPostgresBaseUrl().value_or(QString()))
{
}

ThrowawayPostgresDatabase::ThrowawayPostgresDatabase(const QString &baseUrl, const QString &copyOf)
    : m_baseUrl(baseUrl)
{
    if (m_baseUrl.isEmpty()) {
        m_error = u"no PostgreSQL cluster: %1 is unset or its url file is missing (run the test through ctest, "
                  "whose fixture 'postgresql' starts one)"_s.arg(QLatin1StringView(postgresDirVariable));
        return;
    }
    const QString name = u"cf_"_s + randomHex(16);
    const QString create =
        copyOf.isEmpty() ? u"CREATE DATABASE %1"_s.arg(name) : u"CREATE DATABASE %1 TEMPLATE %2"_s.arg(name, copyOf);
    if (auto created = execOn(m_baseUrl, create); !created) {
        m_error = created.error().message();
        return;
    }
    m_name = name;
}

ThrowawayPostgresDatabase::~ThrowawayPostgresDatabase()
{
    if (!isValid())
        return;
    if (auto dropped = execOn(m_baseUrl, u"DROP DATABASE IF EXISTS %1 WITH (FORCE)"_s.arg(m_name)); !dropped)
        qWarning().noquote() << "cannot drop the test database" << m_name << ":" << dropped.error().message();
}

} // namespace clinicflow::testsupport
