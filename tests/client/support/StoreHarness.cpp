// The workstation-core test harness of StoreHarness.h.
#include "StoreHarness.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;

namespace clinicflow::client::testing {

using namespace domain;

RegisterVisit registration(const QString &name, const QString &department, const QString &doctor, Priority priority)
{
    RegisterVisit r;
    r.patient = Patient{{}, name, QDate(1980, 5, 17), Sex::Female, u"010-0000-0000"_s, u"1 Test Road"_s, {}};
    r.department = department;
    r.requestedDoctor = doctor;
    r.chiefComplaint = u"persistent cough"_s;
    r.priority = priority;
    return r;
}

QDateTime startTime()
{
    return QDateTime(QDate(2024, 3, 4), QTime(9, 0), Qt::UTC);
}

QVariant storeScalar(const QString &path, const QString &sql)
{
    const QString name = QStringLiteral("test-reader");
    QVariant value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(path);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                value = q.value(0);
        }
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

void catchUp(StoreFixture &f, FakeServer &server)
{
    QVERIFY(f->applyEvents(server.eventsAfter(f->lastSequence())).ok());
}

QUuid registerElsewhere(FakeServer &server, const QString &station, int ticket, const QDateTime &at,
                        const QString &doctor, Priority priority)
{
    RegisterVisit r = registration(u"Patient %1-%2"_s.arg(station).arg(ticket), u"IM"_s, doctor, priority);
    r.receptionId = newId();
    r.ticket = Ticket{station, ticket};
    server.player().setNow(at.addSecs(30));
    server.act(r, station, at);
    return r.receptionId;
}

QUuid prescribeElsewhere(FakeServer &server, const QUuid &visitId, const QString &code, const QDateTime &at,
                         const QString &note)
{
    const QUuid exam = newId();
    server.player().setNow(at.addSecs(10));
    server.act(PrescribeExamination{diagnosis::idForVisit(visitId), exam, code, note}, u"DOC1"_s, at);
    return exam;
}

StoreFixture::StoreFixture(const QString &station)
    : m_station(station)
    , m_now(startTime())
{
    reopen();
    QVERIFY(m_store->setStationCode(station).ok());
}

void StoreFixture::reopen()
{
    m_store.reset();
    auto opened = LocalStore::open(path());
    if (!opened)
        qFatal("cannot open the test store: %s", qPrintable(opened.error().message()));
    m_store = std::move(opened.value());
    attachClock();
}

void StoreFixture::attachClock()
{
    m_store->setClock([this] { return m_now; });
}

FakeServer::Answer FakeServer::serve(const QList<OutgoingCommand> &commands)
{
    Answer answer;
    for (const OutgoingCommand &c : commands) {
        auto events = m_player.submit(c.command, c.meta);
        CommandOutcome outcome;
        outcome.commandId = c.meta.commandId;
        outcome.applied = events.ok();
        if (!events) {
            outcome.error = events.error();
        } else {
            for (const Event &e : events.value()) {
                if (e.causationId == c.meta.commandId)
                    outcome.sequences.append(e.sequence);
                answer.events.append(e);
            }
        }
        answer.outcomes.append(outcome);
    }
    return answer;
}

QList<Event> FakeServer::act(const Command &command, const QString &station, const QDateTime &at)
{
    auto events = m_player.submit(command, CommandMeta{newId(), station, at});
    if (!events)
        qFatal("the fake server refused a test command: %s", qPrintable(events.error().message()));
    return QList<Event>(events->begin(), events->end());
}

void FakeServer::sync(LocalStore &store)
{
    const Answer answer = serve(store.unansweredCommands());
    for (const CommandOutcome &o : answer.outcomes)
        QVERIFY(store.markOutcome(o).ok());
    QVERIFY(store.applyEvents(eventsAfter(store.lastSequence())).ok());
}

QList<Event> FakeServer::eventsAfter(quint64 sequence) const
{
    QList<Event> events;
    for (const Event &e : m_player.log()) {
        if (e.sequence > sequence)
            events.append(e);
    }
    return events;
}

std::pair<QUuid, QUuid> aroundMidnight(FakeServer &server)
{
    const QDateTime lastEvening = QDateTime(startTime().toLocalTime().date().addDays(-1), QTime(23, 40)).toUTC();
    const QUuid waiting = registerElsewhere(server, u"A"_s, 91, lastEvening, u"dr.kim"_s);
    const QUuid done = registerElsewhere(server, u"A"_s, 92, lastEvening.addSecs(60), u"dr.kim"_s);
    server.act(CancelVisit{done, u"left"_s}, u"A"_s, lastEvening.addSecs(120));
    registerElsewhere(server, u"A"_s, 93, lastEvening.addDays(-1), u"dr.kim"_s);
    return {waiting, registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s)};
}

} // namespace clinicflow::client::testing
