// The aggregates a context's worker loaded or saved, kept in memory so that the next command or reaction on the same
// visit needs no read (on PostgreSQL each read is a round trip). It holds what the tables hold: the worker is the
// only writer of its context's tables (one worker per context, module locks), and it keeps a state only once that
// state is in the tables, in its unit's transaction. That transaction may still roll back: a worker whose unit or
// round failed forgets everything (ContextHandler::forget), and reads again. Only the writer may keep anything: a
// reader of the same tables (the HTTP frontend) would go on serving a state the worker has changed since.
#pragma once

#include <QHash>
#include <QList>
#include <QSet>
#include <QUuid>

namespace clinicflow::server {

enum class Keeping
{
    Nothing,   // every load reads the tables: a reader
    Aggregates // the context's worker, the one writer of its tables
};

template<typename Aggregate>
class AggregateCache
{
public:
    explicit AggregateCache(Keeping keeping)
        : m_enabled(keeping == Keeping::Aggregates)
    {
    }

    const Aggregate *find(const QUuid &id) const
    {
        if (!m_enabled)
            return nullptr;
        const auto it = m_items.constFind(id);
        return it == m_items.cend() ? nullptr : &it.value();
    }
    void keep(const Aggregate &aggregate)
    {
        if (!m_enabled)
            return;
        if (m_items.size() >= kMaxItems && !m_items.contains(aggregate.id))
            m_items.clear(); // bounded memory; a visit's aggregates are busy for minutes, then rest
        m_items.insert(aggregate.id, aggregate);
        m_absent.remove(aggregate.id);
    }
    void forget()
    {
        m_items.clear();
        m_absent.clear();
    }
    bool enabled() const { return m_enabled; }

    // A unit's aggregates are read together before its work (ContextHandler::prefetch): of `ids`, those neither kept
    // nor known to be absent, each once. Empty for a reader, which keeps nothing.
    QList<QUuid> unknown(const QList<QUuid> &ids) const
    {
        QList<QUuid> result;
        if (!m_enabled)
            return result;
        QSet<QUuid> seen;
        for (const QUuid &id : ids) {
            if (!m_items.contains(id) && !m_absent.contains(id) && !seen.contains(id)) {
                seen.insert(id);
                result.append(id);
            }
        }
        return result;
    }
    // An id read together with the others and not found: its load then needs no statement, until the worker keeps
    // an aggregate of that id (it is the tables' one writer). Known for the rest of the unit; the next unit's
    // prefetch starts again (startUnit).
    void noteAbsent(const QUuid &id)
    {
        if (m_enabled)
            m_absent.insert(id);
    }
    bool knownAbsent(const QUuid &id) const { return m_absent.contains(id); }
    // What a prefetch read: of the `asked` ids, those `found` are kept, the others known absent.
    void keepRead(const QList<QUuid> &asked, const QHash<QUuid, Aggregate> &found)
    {
        for (const QUuid &id : asked) {
            if (const auto it = found.constFind(id); it != found.cend())
                keep(it.value());
            else
                noteAbsent(id);
        }
    }
    void startUnit() { m_absent.clear(); }

private:
    static constexpr qsizetype kMaxItems = 20000;
    bool m_enabled = false;
    QHash<QUuid, Aggregate> m_items;
    QSet<QUuid> m_absent;
};

} // namespace clinicflow::server
