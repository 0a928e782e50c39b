// Statements sent to PostgreSQL through libpq's pipeline mode, on the connection the QPSQL driver opened (in its
// transaction). QPSQL runs a prepared statement as EXECUTE with its values written into the text, which the server
// parses and plans as expressions: for a statement of 32 rows of a dozen values that is most of its cost, and the
// memory it takes is mapped and unmapped again on every run. Here each statement is prepared once by name (Parse) and
// run with its values bound (Bind, Execute): text for text and numbers, bytes as bytes. Queued statements travel in
// one message and every one is answered, in order: the first to fail names the statement and its own error, and the
// ones after it are not run (the transaction is then aborted, and undone by the caller).
#pragma once

#include "domain/Result.h"

#include <QByteArray>
#include <QSet>
#include <QSqlDatabase>
#include <QVariantList>
#include <functional>
#include <vector>

struct pg_conn;

namespace clinicflow::server {

class PgPipeline
{
    Q_DISABLE_COPY_MOVE(PgPipeline)
public:
    // The libpq connection of `db`, an open QPSQL connection; isValid() is false for any other.
    explicit PgPipeline(const QSqlDatabase &db);

    bool isValid() const { return m_conn != nullptr; }

    // What a statement answered: the rows it affected (or returned), its command tag ("COMMIT", or "ROLLBACK" for the
    // commit of a transaction an error aborted), and, when asked for, every row's values as the driver would give
    // them (a number as a number, bytes as bytes, NULL as a null value).
    struct Answer
    {
        qint64 rows = 0;
        QByteArray tag;
        std::vector<QVariantList> values;
        QByteArray error; // the failure of a statement queued as its own (queueOwnFailure)
    };

    // Called with a statement's answer once every statement of its message was answered without an error, before
    // send() returns: for a caller that queued it and left, whose statement travels with a later one (the event
    // log's reservation, sent with the COMMIT).
    using Answered = std::function<void(const Answer &)>;

    // Queues a run of `sql` (places $1, $2, ...), prepared as `name` on its first run on this connection, with
    // `values` bound as bindAll binds them (an absent text is an empty one); `what` names the work in an error.
    // Returns the run's place in the answers of the next send().
    std::size_t queue(const QByteArray &name, const QString &sql, const QVariantList &values, const char *what,
                      bool keepRows = false, Answered answered = {});
    // Queues a statement without places (a NOTIFY).
    std::size_t queue(const QString &sql, const char *what);
    // The same, for a statement whose failure is its own: send() still succeeds, and its answer carries the error
    // (a NOTIFY after the COMMIT, which stays committed whatever the NOTIFY does).
    std::size_t queueOwnFailure(const QString &sql, const char *what);
    // The statement prepared as `name` will not run again: it is deallocated after what is queued.
    void forget(const QByteArray &name);
    // `sql` with its places (?) numbered ($1, $2, ...) as PostgreSQL takes them; a ? inside quotes is text.
    static QString numberedPlaces(const QString &sql);

    bool hasQueued() const { return !m_items.empty(); }
    // Whether the connection is inside a transaction, as the last answer left it (a BEGIN still queued is not).
    bool inTransaction() const;
    // Sends what is queued in one message and reads every answer. Nothing is queued after, whatever the result.
    domain::Result<std::vector<Answer>> send();
    // Forgets what is queued, unsent; a statement whose prepare was among it is prepared again on its next run.
    void drop();

private:
    struct Item
    {
        enum Kind
        {
            Prepare,
            Run,
            Plain
        } kind = Run;
        QByteArray name;
        QByteArray sql;                 // Prepare, Plain
        std::vector<QByteArray> values; // Run
        std::vector<bool> isNull;
        std::vector<bool> isBytes;
        const char *what = "";
        std::size_t answer = 0;  // Run, Plain: its place in the answers
        bool keepRows = false;   // Run: every row's values in the answer
        bool ownFailure = false; // its failure is its answer's error, not send()'s
        Answered answered;       // Run: told its answer after a send without an error
    };
    // `sqlState`: the failed statement's SQLSTATE, or none when the connection failed (Dialect::isSystemSqlState).
    domain::Error failure(const Item &item, const QByteArray &why, const char *sqlState = nullptr) const;

    pg_conn *m_conn = nullptr;
    std::vector<Item> m_items;
    std::size_t m_answers = 0;    // answers the queued statements will give
    QSet<QByteArray> m_prepared;  // on the server, or queued to be
    QSet<QByteArray> m_confirmed; // on the server
};

} // namespace clinicflow::server
