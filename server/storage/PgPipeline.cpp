#include "PgPipeline.h"

#include "Dialect.h"

#include <QSqlDriver>
#include <libpq-fe.h>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::server {
namespace {

struct ResultHandle
{
    PGresult *result = nullptr;
    ~ResultHandle() { PQclear(result); }
};

// A value as bindAll binds it through QPSQL: an absent text is an empty one, bytes are bytes, the rest its text.
void convert(const QVariant &value, QByteArray &text, bool &isNull, bool &isBytes)
{
    isNull = false;
    isBytes = false;
    if (value.typeId() == QMetaType::QString) {
        text = value.toString().toUtf8();
        return;
    }
    if (!value.isValid() || value.isNull()) { // an absent number: QVariant(QMetaType::fromType<int>())
        isNull = true;
        text.clear();
        return;
    }
    switch (value.typeId()) {
    case QMetaType::QByteArray:
        isBytes = true;
        text = value.toByteArray();
        return;
    case QMetaType::Bool:
        text = value.toBool() ? "true" : "false";
        return;
    case QMetaType::Int:
    case QMetaType::Long:
    case QMetaType::LongLong:
    case QMetaType::Short:
        text = QByteArray::number(value.toLongLong());
        return;
    case QMetaType::UInt:
    case QMetaType::ULong:
    case QMetaType::ULongLong:
    case QMetaType::UShort:
        text = QByteArray::number(value.toULongLong());
        return;
    case QMetaType::Double:
    case QMetaType::Float:
        text = QByteArray::number(value.toDouble(), 'g', 17);
        return;
    default:
        break;
    }
    text = value.toString().toUtf8();
}

// A value of a result in text format, as QPSQL gives it: by the column's type (pg_type's OIDs).
QVariant valueOf(const PGresult *result, int row, int column)
{
    if (PQgetisnull(result, row, column))
        return {};
    const char *text = PQgetvalue(result, row, column);
    const int length = PQgetlength(result, row, column);
    switch (PQftype(result, column)) {
    case 16: // bool
        return QVariant(text[0] == 't');
    case 20: // int8
    case 21: // int2
    case 23: // int4
    case 26: // oid
        return QVariant(QByteArray::fromRawData(text, length).toLongLong());
    case 700: // float4
    case 701: // float8
        return QVariant(QByteArray::fromRawData(text, length).toDouble());
    case 17: { // bytea, as \x and hex digits
        std::size_t size = 0;
        unsigned char *bytes = PQunescapeBytea(reinterpret_cast<const unsigned char *>(text), &size);
        QByteArray value(reinterpret_cast<const char *>(bytes), qsizetype(size));
        PQfreemem(bytes);
        return QVariant(value);
    }
    default:
        return QVariant(QString::fromUtf8(text, length));
    }
}

std::vector<QVariantList> valuesOf(const PGresult *result)
{
    std::vector<QVariantList> rows(std::size_t(PQntuples(result)));
    const int columns = PQnfields(result);
    for (std::size_t r = 0; r < rows.size(); ++r) {
        rows[r].reserve(columns);
        for (int c = 0; c < columns; ++c)
            rows[r].append(valueOf(result, int(r), c));
    }
    return rows;
}

QByteArray errorText(const PGresult *result, PGconn *conn)
{
    const char *message = result ? PQresultErrorMessage(result) : nullptr;
    QByteArray text = message && *message ? QByteArray(message) : QByteArray(PQerrorMessage(conn));
    return text.trimmed();
}

} // namespace

QString PgPipeline::numberedPlaces(const QString &sql)
{
    QString out;
    out.reserve(sql.size() + sql.size() / 4);
    bool quoted = false;
    int place = 0;
    for (const QChar c : sql) {
        if (c == u'\'')
            quoted = !quoted;
        if (c == u'?' && !quoted)
            out += u'$' + QString::number(++place);
        else
            out += c;
    }
    return out;
}

PgPipeline::PgPipeline(const QSqlDatabase &db)
{
    if (!db.driver())
        return;
    const QVariant handle = db.driver()->handle();
    // Registered by the driver as PGconn*, the name Qt may normalise to the struct's.
    if (handle.isValid() && (qstrcmp(handle.typeName(), "PGconn*") == 0 || qstrcmp(handle.typeName(), "pg_conn*") == 0))
        m_conn = *static_cast<PGconn *const *>(handle.data());
}

std::size_t PgPipeline::queue(const QByteArray &name, const QString &sql, const QVariantList &values, const char *what,
                              bool keepRows, Answered answered)
{
    if (!m_prepared.contains(name)) {
        Item prepare;
        prepare.kind = Item::Prepare;
        prepare.name = name;
        prepare.sql = sql.toUtf8();
        prepare.what = what;
        m_items.push_back(std::move(prepare));
        m_prepared.insert(name);
    }
    Item run;
    run.kind = Item::Run;
    run.name = name;
    run.what = what;
    run.keepRows = keepRows;
    run.answered = std::move(answered);
    run.values.resize(std::size_t(values.size()));
    run.isNull.resize(std::size_t(values.size()));
    run.isBytes.resize(std::size_t(values.size()));
    for (qsizetype i = 0; i < values.size(); ++i) {
        bool isNull = false;
        bool isBytes = false;
        convert(values.at(i), run.values[std::size_t(i)], isNull, isBytes);
        run.isNull[std::size_t(i)] = isNull;
        run.isBytes[std::size_t(i)] = isBytes;
    }
    run.answer = m_answers++;
    m_items.push_back(std::move(run));
    return m_items.back().answer;
}

bool PgPipeline::inTransaction() const
{
    return PQtransactionStatus(m_conn) != PQTRANS_IDLE;
}

std::size_t PgPipeline::queue(const QString &sql, const char *what)
{
    Item plain;
    plain.kind = Item::Plain;
    plain.sql = sql.toUtf8();
    plain.what = what;
    plain.answer = m_answers++;
    m_items.push_back(std::move(plain));
    return m_items.back().answer;
}

std::size_t PgPipeline::queueOwnFailure(const QString &sql, const char *what)
{
    const std::size_t answer = queue(sql, what);
    m_items.back().ownFailure = true;
    return answer;
}

void PgPipeline::forget(const QByteArray &name)
{
    if (!m_prepared.remove(name))
        return;
    m_confirmed.remove(name);
    queue(u"DEALLOCATE "_s + QString::fromLatin1(name), "deallocating a statement");
}

void PgPipeline::drop()
{
    m_items.clear();
    m_answers = 0;
    m_prepared = m_confirmed;
}

Error PgPipeline::failure(const Item &item, const QByteArray &why, const char *sqlState) const
{
    Error error = makeError(ErrorCode::InternalError, QString::fromUtf8(item.what) + u": "_s + QString::fromUtf8(why));
    error.retryable = Dialect::isSystemSqlState(sqlState ? QByteArrayView(sqlState) : QByteArrayView());
    return error;
}

Result<std::vector<PgPipeline::Answer>> PgPipeline::send()
{
    std::vector<Item> items = std::exchange(m_items, {});
    std::vector<Answer> answers(std::exchange(m_answers, 0));
    if (items.empty())
        return answers;
    if (!m_conn)
        return makeError(ErrorCode::InternalError, u"no PostgreSQL connection to send statements on"_s);
    // What QPSQL left unread (the rest of a forward-only query's rows) is dropped, as QPSQL itself does before its
    // next statement: the connection must be idle to enter pipeline mode.
    while (PGresult *left = PQgetResult(m_conn))
        PQclear(left);
    if (PQenterPipelineMode(m_conn) != 1) {
        m_prepared = m_confirmed;
        return makeError(ErrorCode::InternalError,
                         u"cannot send statements together: "_s + QString::fromUtf8(errorText(nullptr, m_conn)));
    }
    std::size_t sent = 0;
    for (const Item &item : items) {
        int ok = 0;
        switch (item.kind) {
        case Item::Prepare:
            ok = PQsendPrepare(m_conn, item.name.constData(), item.sql.constData(), 0, nullptr);
            break;
        case Item::Plain:
            ok = PQsendQueryParams(m_conn, item.sql.constData(), 0, nullptr, nullptr, nullptr, nullptr, 0);
            break;
        case Item::Run: {
            const std::size_t n = item.values.size();
            std::vector<const char *> values(n);
            std::vector<int> lengths(n);
            std::vector<int> formats(n);
            for (std::size_t i = 0; i < n; ++i) {
                values[i] = item.isNull[i] ? nullptr : item.values[i].constData();
                lengths[i] = int(item.values[i].size());
                formats[i] = item.isBytes[i] ? 1 : 0;
            }
            ok = PQsendQueryPrepared(m_conn, item.name.constData(), int(n), values.data(), lengths.data(),
                                     formats.data(), 0);
            break;
        }
        }
        if (!ok)
            break;
        ++sent;
    }
    const bool synced = PQpipelineSync(m_conn) == 1;
    std::optional<Error> failed;
    if (sent < items.size())
        failed = failure(items[sent], "not sent: " + errorText(nullptr, m_conn));
    // Every statement sent is answered in order: its result, then none. After the first failure the rest answer
    // "aborted". A statement's rows may come one result each: libpq keeps the single-row mode QPSQL asked for its
    // last query until the pipeline moves past the first statement here.
    for (std::size_t i = 0; i < sent; ++i) {
        const Item &item = items[i];
        Answer *answer = item.kind == Item::Prepare ? nullptr : &answers[item.answer];
        bool answered = false;
        while (PGresult *next = PQgetResult(m_conn)) {
            ResultHandle result{next};
            answered = true;
            const ExecStatusType status = PQresultStatus(next);
            switch (status) {
            case PGRES_SINGLE_TUPLE:
            case PGRES_TUPLES_OK:
            case PGRES_COMMAND_OK:
                if (!answer) {
                    m_confirmed.insert(item.name);
                    break;
                }
                answer->tag = PQcmdStatus(next);
                if (status == PGRES_COMMAND_OK) {
                    const char *tuples = PQcmdTuples(next);
                    answer->rows = tuples && *tuples ? QByteArray(tuples).toLongLong() : 0;
                    break;
                }
                answer->rows += PQntuples(next);
                if (item.keepRows) {
                    for (QVariantList &row : valuesOf(next))
                        answer->values.push_back(std::move(row));
                }
                break;
            case PGRES_PIPELINE_ABORTED:
                break; // not run: an earlier statement failed
            default:
                if (item.ownFailure && answer)
                    answer->error = QByteArray(PQresStatus(status)) + ": " + errorText(next, m_conn);
                else if (!failed)
                    failed = failure(item, QByteArray(PQresStatus(status)) + ": " + errorText(next, m_conn),
                                     PQresultErrorField(next, PG_DIAG_SQLSTATE));
                break;
            }
        }
        if (!answered) {
            if (item.ownFailure && answer)
                answer->error = "no answer: " + errorText(nullptr, m_conn);
            else if (!failed)
                failed = failure(item, "no answer: " + errorText(nullptr, m_conn));
            break; // the connection is gone
        }
    }
    // Then the synchronisation point, after which the connection is idle again.
    if (synced) {
        while (PGresult *result = PQgetResult(m_conn)) {
            const bool end = PQresultStatus(result) == PGRES_PIPELINE_SYNC;
            PQclear(result);
            if (end)
                break;
        }
    }
    if (PQexitPipelineMode(m_conn) != 1 && !failed)
        failed = makeError(ErrorCode::InternalError,
                           u"cannot leave pipeline mode: "_s + QString::fromUtf8(errorText(nullptr, m_conn)));
    if (!synced && !failed)
        failed = makeError(ErrorCode::InternalError,
                           u"cannot send statements together: "_s + QString::fromUtf8(errorText(nullptr, m_conn)));
    if (failed) {
        m_prepared = m_confirmed; // a statement prepared in what did not run is prepared again on its next run
        return *failed;
    }
    for (const Item &item : items) {
        if (item.answered)
            item.answered(answers[item.answer]);
    }
    return answers;
}

} // namespace clinicflow::server
