// A test harness, not production code: the saga of ARCHITECTURE §3 played in memory. One map of aggregates per
// context, one ordered log with global sequences, and a cursor per context (like the server's workers, §4) that
// routes each logged event through domain::reactionsTo() to its context's react(), in log order.
// A context can be paused to play "that worker is down"; it catches up from its cursor when resumed.
#pragma once

#include "domain/Diagnosis.h"
#include "domain/Examination.h"
#include "domain/Reception.h"
#include "domain/Saga.h"

#include <QList>
#include <QStringList>
#include <map>

namespace clinicflow::domain::fixtures {

class SagaPlayer
{
public:
    explicit SagaPlayer(Catalogue catalogue = Catalogue::builtIn());

    // Applies a command in its owning context, appends its events, then plays every reaction it sets off.
    // Returns everything appended to the log meanwhile; on rejection nothing at all changes.
    Result<Events> submit(const Command &command, const CommandMeta &meta);

    // A paused context reacts to nothing until resumed; then it catches up in log order.
    void pause(BoundedContext context);
    void resume(BoundedContext context);

    // The time reactions are stamped with.
    void setNow(const QDateTime &now) { m_now = now; }

    const Events &log() const { return m_log; }
    QStringList logTypes(std::size_t from = 0) const;
    // What react() refused while playing; a correct saga leaves this empty.
    const QList<Error> &reactionErrors() const { return m_errors; }

    std::optional<Reception> reception(const QUuid &id) const;
    std::optional<Diagnosis> diagnosis(const QUuid &id) const;
    std::optional<Examination> examination(const QUuid &id) const;

private:
    struct Cursor
    {
        std::size_t next = 0;
        bool paused = false;
    };

    void append(const Events &events);
    void play();
    void react(const Event &event, BoundedContext context, const QUuid &key);
    QList<QUuid> targetsOf(const Reaction &reaction) const;
    DoctorLoads doctorLoads() const;
    template<typename State>
    void keep(std::map<QUuid, State> &store, const QUuid &key, const Result<Transition<State>> &result);

    Catalogue m_catalogue;
    QDateTime m_now;
    std::map<QUuid, Reception> m_receptions;
    std::map<QUuid, Diagnosis> m_diagnoses;
    std::map<QUuid, Examination> m_examinations;
    QList<QUuid> m_examinationOrder; // in the order they were requested
    Events m_log;
    quint64 m_lastSequence = 0;
    std::map<BoundedContext, Cursor> m_cursors;
    QList<Error> m_errors;
};

} // namespace clinicflow::domain::fixtures
