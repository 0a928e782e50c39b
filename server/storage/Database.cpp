#include "Database.h"

#include "ChangeFeed.h"
#include "PgPipeline.h"
#include "common/Logging.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlField>
#include <QSqlQuery>
#include <QUrl>

using namespace Qt::StringLiterals;
using clinicflow::common::lcStorage;
using clinicflow::domain::ErrorCode;
using clinicflow::domain::makeError;

namespace clinicflow::server {
namespace {

// One writer lock per SQLite file in this process.
QMutex *writerLockFor(const QString &path)
{
    static QMutex registryLock;
    // Never destroyed: a Database may outlive static destruction on some thread, and the registry stays reachable
    // (LeakSanitizer counts it as in use, not lost).
    static auto *locks = new QHash<QString, QMutex *>;
    QMutexLocker guard(&registryLock);
    QMutex *&lock = (*locks)[QFileInfo(path).absoluteFilePath()];
    if (!lock)
        lock = new QMutex;
    return lock;
}

} // namespace

DatabaseSettings DatabaseSettings::fromConfig(const QString &dataFolder, const QString &databaseUrl,
                                              const QString &passwordFile)
{
    DatabaseSettings s;
    s.postgresUrl = databaseUrl;
    s.passwordFile = passwordFile;
    if (databaseUrl.isEmpty())
        s.sqlitePath = QDir(dataFolder).filePath(u"clinicflow.sqlite"_s);
    return s;
}

DatabaseSettings DatabaseSettings::viewSettings() const
{
    DatabaseSettings s = *this;
    if (Dialect::of(*this).viewHasItsOwnStore())
        s.sqlitePath = QFileInfo(sqlitePath).dir().filePath(u"clinicflow-view.sqlite"_s);
    return s;
}

void DatabaseSettings::restrictToOwner() const
{
    if (!isSqlite())
        return;
    for (const QString &suffix : {u""_s, u"-wal"_s, u"-shm"_s}) {
        if (QFile file(sqlitePath + suffix); file.exists())
            file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    }
}

Database::Database(const DatabaseSettings &settings, QSqlDatabase db)
    : m_settings(settings)
    , m_dialect(&Dialect::of(settings))
    , m_db(std::move(db))
    , m_name(m_db.connectionName())
{
    if (settings.isSqlite())
        m_writerLock = writerLockFor(settings.sqlitePath);
    if (m_dialect->sendsStatementsTogether() && m_db.isOpen()) {
        m_pipeline = std::make_unique<PgPipeline>(m_db);
        if (!m_pipeline->isValid())
            m_pipeline.reset();
    }
}

Database::~Database()
{
    m_pipeline.reset();
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_name);
}

domain::Result<std::unique_ptr<Database>> Database::open(const DatabaseSettings &settings, const QString &name)
{
    DatabaseSettings resolved = settings;
    if (!settings.passwordFile.isEmpty()) {
        QFile file(settings.passwordFile);
        if (!file.open(QIODevice::ReadOnly))
            return makeError(ErrorCode::InternalError,
                             u"--database-password-file %1: %2"_s.arg(settings.passwordFile, file.errorString()));
        resolved.password = QString::fromUtf8(file.readAll()).trimmed();
    }
    QSqlDatabase db;
    {
        // No other handle may outlive a failed open below: removeDatabase would warn that it is still in use.
        auto added = Dialect::of(resolved).addConnection(resolved, name);
        if (!added)
            return added.error();
        db = added.value();
    }
    if (!db.open()) {
        const QString why = db.lastError().text();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(name);
        // Unavailable, not broken: the server waits for it (main.cpp) instead of giving up.
        return makeError(ErrorCode::ServerUnavailable, u"cannot open the database: "_s + why);
    }
    std::unique_ptr<Database> database(new Database(settings, db));
    db = QSqlDatabase(); // the connection is database's alone: removed without a warning if configuring fails below
    if (auto configured = database->dialect().configure(*database); !configured)
        return configured.error();
    return database;
}

WriteTransaction::WriteTransaction(Database &db, Begin begin)
    : m_db(db)
{
    if (QMutex *lock = db.writerLock())
        m_lock = std::unique_lock<QMutex>(*lock);
    if (PgPipeline *pipeline = db.pipeline(); pipeline && begin == Begin::WithFirstPipelined) {
        // Answered first in the message that carries it: a BEGIN that fails fails that message, with its error.
        pipeline->queue(db.dialect().beginWrite(), "beginning the transaction");
        m_active = true;
        return;
    }
    auto begun = execSql(db.connection(), db.dialect().beginWrite());
    m_active = begun.ok();
    if (!begun)
        m_error = begun.error();
}

WriteTransaction::~WriteTransaction()
{
    if (m_active)
        rollback();
}

domain::Result<bool> WriteTransaction::commit(const QString &thenNotify)
{
    if (!m_active)
        return m_error.code == ErrorCode::None ? makeError(ErrorCode::InternalError, u"no transaction"_s) : m_error;
    if (m_db.isDeferring()) { // a unit that did not finish: what it still defers would be lost, so nothing is kept
        rollback();
        return makeError(ErrorCode::InternalError, u"COMMIT: statements were still deferred"_s);
    }
    if (PgPipeline *pipeline = m_db.pipeline()) {
        // With what waits to be sent, in one message. A COMMIT of a transaction that an error aborted answers
        // "ROLLBACK" without an error; the error itself is the failed statement's, before it.
        const std::size_t commit = pipeline->queue(u"COMMIT"_s, "committing");
        const std::size_t notify =
            thenNotify.isEmpty() ? 0 : pipeline->queueOwnFailure(thenNotify, "notifying the other processes");
        auto sent = pipeline->send();
        if (!sent || sent->at(commit).tag != "COMMIT") {
            // Rolled back by the database: an error of a statement it carried, whose own answer said why.
            domain::Error error =
                sent ? makeError(ErrorCode::InternalError, u"COMMIT: the transaction was rolled back"_s) : sent.error();
            rollback();
            return error;
        }
        m_active = false;
        if (m_lock.owns_lock())
            m_lock.unlock();
        if (!thenNotify.isEmpty() && !sent->at(notify).error.isEmpty())
            qCWarning(lcStorage).noquote()
                << "cannot notify the other processes:" << QString::fromUtf8(sent->at(notify).error);
        return true;
    }
    // Through the driver, not as a plain statement: on PostgreSQL a COMMIT of a transaction that an error aborted
    // answers "ROLLBACK" without an error, which only the driver checks (a statement's error that went unseen, in a
    // query of several statements, would otherwise pass for a commit: TestEventLogSequences).
    if (!m_db.connection().commit()) {
        const QSqlError why = m_db.connection().lastError();
        rollback();
        domain::Error error = makeError(ErrorCode::InternalError, u"COMMIT: "_s + why.text());
        error.retryable = Dialect::isSystemFault(why);
        return error;
    }
    m_active = false;
    if (m_lock.owns_lock())
        m_lock.unlock();
    if (!thenNotify.isEmpty()) {
        if (auto told = execSql(m_db.connection(), thenNotify); !told)
            qCWarning(lcStorage).noquote() << "cannot notify the other processes:" << told.error().message();
    }
    return true;
}

void WriteTransaction::rollback()
{
    m_db.dropDeferred();
    // A BEGIN that waited for a first statement and went unsent (dropped above) began nothing to undo.
    if (m_active && m_db.pipeline() && !m_db.pipeline()->inTransaction())
        m_active = false;
    if (m_active) {
        QSqlQuery q(m_db.connection());
        // Undone by the database anyway when its connection is gone (the driver then has no error text to give):
        // the failure that led here is its caller's to report.
        if (!q.exec(u"ROLLBACK"_s)) {
            if (q.lastError().text().trimmed().isEmpty())
                qCDebug(lcStorage) << "rollback not sent: the connection is gone";
            else if (!m_db.dialect().transactionOpen(m_db.connection()))
                qCDebug(lcStorage) << "no rollback needed: the database ended the transaction itself";
            else
                qCWarning(lcStorage).noquote() << "rollback failed:" << q.lastError().text();
        }
        m_active = false;
    }
    if (m_lock.owns_lock())
        m_lock.unlock();
}

domain::Result<bool> Database::sendQueued()
{
    if (!m_pipeline || !m_pipeline->hasQueued())
        return true;
    auto sent = m_pipeline->send();
    if (!sent)
        return sent.error();
    return true;
}

void Database::dropDeferred()
{
    m_deferring = false;
    if (m_pipeline)
        m_pipeline->drop();
}

domain::Result<bool> execSql(QSqlDatabase &db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql)) {
        domain::Error error = makeError(ErrorCode::InternalError, sql.left(40) + u": "_s + q.lastError().text());
        error.retryable = Dialect::isSystemFault(q.lastError());
        return error;
    }
    return true;
}

void bindAll(QSqlQuery &query, const QVariantList &values, int first)
{
    static const QString empty = u""_s;
    for (qsizetype i = 0; i < values.size(); ++i) {
        const QVariant &v = values.at(i);
        if (v.typeId() == QMetaType::QString && v.toString().isNull())
            query.bindValue(first + int(i), empty);
        else
            query.bindValue(first + int(i), v);
    }
}

domain::Error sqlError(const QSqlQuery &query, const char *what)
{
    // Qt's driver gives no text when it could not send the statement at all, as when its connection is gone.
    const QString text = query.lastError().text().trimmed();
    domain::Error error =
        makeError(ErrorCode::InternalError,
                  QString::fromUtf8(what) + u": "_s +
                      (text.isEmpty() ? u"no reason given by the driver (its connection is likely gone)"_s : text));
    error.retryable = Dialect::isSystemFault(query.lastError());
    return error;
}

} // namespace clinicflow::server
