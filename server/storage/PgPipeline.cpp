#include "PgPipeline.h"

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

QByteArray errorText(const PGresult *result, PGconn *conn)
{
    const char *message = result ? PQresultErrorMessage(result) : nullptr;
    QByteArray text = message && *message ? QByteArray(message) : QByteArray(PQerrorMessage(conn));
    return text.trimmed();
}

} // namespace

PgPipeline::PgPipeline(const QSqlDatabase &db)
{
    if (!db.driver())
        return;
    const QVariant handle = db.driver()->handle();
    // Registered by the driver as PGconn*, the name Qt may normalise to the struct's.
    if (handle.isValid() && (qstrcmp(handle.typeName(), "PGconn*") == 0 || qstrcmp(handle.typeName(), "pg_conn*") == 0))
        m_conn = *static_cast<PGconn *const *>(handle.data());
}

std::size_t PgPipeline::queue(const QByteArray &name, const QString &sql, const QVariantList &values, const char *what)
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

void PgPipeline::forget(const QByteArray &name)
{
    if (!m_prepared.remove(name))
        return;
    m_confirmed.remove(name);
    queue(u"DEALLOCATE "_s + QString::fromLatin1(name), "deallocating a statement");
}

Error PgPipeline::failure(const Item &item, const QByteArray &why) const
{
    return makeError(ErrorCode::InternalError, QString::fromUtf8(item.what) + u": "_s + QString::fromUtf8(why));
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
        failed = failure(items[sent], errorText(nullptr, m_conn));
    // Every statement sent is answered in order: its result, then none. After the first failure the rest answer
    // "aborted".
    for (std::size_t i = 0; i < sent; ++i) {
        const Item &item = items[i];
        ResultHandle result{PQgetResult(m_conn)};
        if (!result.result) {
            if (!failed)
                failed = failure(item, errorText(nullptr, m_conn));
            break; // the connection is gone
        }
        while (PGresult *more = PQgetResult(m_conn))
            PQclear(more);
        switch (PQresultStatus(result.result)) {
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
            if (item.kind == Item::Prepare) {
                m_confirmed.insert(item.name);
            } else {
                Answer &answer = answers[item.answer];
                answer.tag = PQcmdStatus(result.result);
                if (PQresultStatus(result.result) == PGRES_TUPLES_OK) {
                    answer.rows = PQntuples(result.result);
                } else {
                    const char *tuples = PQcmdTuples(result.result);
                    answer.rows = tuples && *tuples ? QByteArray(tuples).toLongLong() : 0;
                }
                if (PQntuples(result.result) > 0) {
                    for (int c = 0; c < PQnfields(result.result); ++c)
                        answer.firstRow.append(
                            QByteArray(PQgetvalue(result.result, 0, c), PQgetlength(result.result, 0, c)));
                }
            }
            break;
        case PGRES_PIPELINE_ABORTED:
            break; // not run: an earlier statement failed
        default:
            if (!failed)
                failed = failure(item, errorText(result.result, m_conn));
            break;
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
    return answers;
}

} // namespace clinicflow::server
