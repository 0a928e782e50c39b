// The contexts' handlers keep the aggregates they loaded or saved in memory (AggregateCache), so that the next
// command on a visit needs no read. What they serve from memory must be what their tables hold: a visit's states
// through registration, treatment, a prescription and its performance, read back by handlers that keep nothing, equal
// the kept ones, on SQLite and on PostgreSQL (TestContextHandlers.postgresql). And a unit that is rolled back is
// forgotten: the handler reads the tables again. A reader of the tables (the HTTP frontend) keeps nothing. The view
// worker, like the contexts, reads the rows a batch of events touches together, in few statements.
#include "TempDatabase.h"
#include "TestCommands.h"
#include "contexts/DiagnosisContext.h"
#include "contexts/ExaminationContext.h"
#include "contexts/ReceptionContext.h"
#include "domain/Ids.h"
#include "view/StatusViewStore.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

namespace {
// The desk's registration of `visit`, as the diagnosis context reacts to it.
Event registeredEvent(const RegisterVisit &visit)
{
    Event event;
    event.sequence = 1;
    event.visitId = visit.receptionId;
    event.payload = ReceptionRegistered{visit.receptionId,     visit.ticket,         visit.patient, visit.department,
                                        visit.requestedDoctor, visit.chiefComplaint, visit.priority};
    return event;
}
} // namespace

class TestContextHandlers : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void keptStatesAreWhatTheTablesHold();
    void aRolledBackUnitIsForgotten();
    void aUnitsSavesAreWrittenAtItsEndOnce();
    void keptDoctorsLoadsFollowEachUnit();
    void aUnitsAggregatesAreReadTogether();
    void theViewReadsABatchsRowsTogether();

private:
    // Runs `work` in a transaction that commits; its events.
    // The work's events once `handler` wrote what it saved (flush) and the transaction committed, as a worker's unit.
    Events committed(ContextHandler &handler, const std::function<Result<Events>()> &work);
    // Every reaction of `context` to `events`, committed; the events they made.
    Events reactions(ContextHandler &handler, const Events &events);
    CommandMeta meta(const QString &station) const
    {
        return CommandMeta{newId(), station, QDateTime::currentDateTimeUtc()};
    }

    std::unique_ptr<TempDatabase> m_data;
};

void TestContextHandlers::init()
{
    m_data = std::make_unique<TempDatabase>();
    QVERIFY2(m_data->open(), qPrintable(m_data->error()));
    // The doctor's station: a diagnosis command acts for the doctor its station is enrolled for.
    QSqlQuery q(m_data->db().connection());
    QVERIFY(q.exec(u"INSERT INTO stations (code, role, name, doctor, public_key, enrolled_at_ms) "
                   "VALUES ('D1', 'doctor', 'Room 1', 'dr.kim', 'key-d1', 1)"_s));
}

Events TestContextHandlers::committed(ContextHandler &handler, const std::function<Result<Events>()> &work)
{
    WriteTransaction tx(m_data->db());
    auto events = work();
    if (!events) {
        qWarning().noquote() << events.error().message();
        return {};
    }
    if (auto written = handler.flush(); !written) {
        qWarning().noquote() << written.error().message();
        return {};
    }
    if (!tx.commit())
        return {};
    return events.value();
}

Events TestContextHandlers::reactions(ContextHandler &handler, const Events &events)
{
    Events made;
    for (const Event &event : events) {
        for (const Reaction &reaction : reactionsTo(event)) {
            if (reaction.context != handler.context())
                continue;
            const Events these =
                committed(handler, [&] { return handler.react(event, reaction, QDateTime::currentDateTimeUtc()); });
            made.insert(made.end(), these.begin(), these.end());
        }
    }
    return made;
}

void TestContextHandlers::keptStatesAreWhatTheTablesHold()
{
    const Catalogue catalogue = Catalogue::builtIn();
    ReceptionContext reception(m_data->db(), catalogue, Keeping::Aggregates);
    DiagnosisContext diagnosis(m_data->db(), catalogue, Keeping::Aggregates);
    ExaminationContext examination(m_data->db(), catalogue, Keeping::Aggregates);

    const RegisterVisit visit = registerVisit(u"IM"_s, u"dr.kim"_s);
    const Events registered = committed(reception, [&] { return reception.execute(visit, meta(u"A"_s)); });
    QCOMPARE(registered.size(), std::size_t(1));
    const Events started = reactions(diagnosis, registered);
    QCOMPARE(started.size(), std::size_t(1));                       // DiagnosisRegistered
    QCOMPARE(reactions(reception, started).size(), std::size_t(1)); // TreatmentStarted
    const QUuid examinationId = newId();
    const Events prescribed = committed(diagnosis, [&] {
        return diagnosis.execute(prescribe(visit.receptionId, u"BLOOD"_s, examinationId), meta(u"D1"_s));
    });
    QVERIFY(!prescribed.empty());
    QVERIFY(!reactions(examination, prescribed).empty()); // ExaminationRequested
    const Events performed =
        committed(examination, [&] { return examination.execute(performExamination(examinationId), meta(u"X1"_s)); });
    QVERIFY(!performed.empty());
    reactions(diagnosis, performed); // the diagnosis records the result

    // Handlers that keep nothing yet read the tables.
    ReceptionContext freshReception(m_data->db(), catalogue);
    DiagnosisContext freshDiagnosis(m_data->db(), catalogue);
    ExaminationContext freshExamination(m_data->db(), catalogue);
    const QUuid diagnosisId = diagnosis::idForVisit(visit.receptionId);
    const auto keptReception = reception.load(visit.receptionId);
    const auto storedReception = freshReception.load(visit.receptionId);
    QVERIFY(keptReception.ok() && storedReception.ok() && keptReception->has_value());
    QVERIFY(keptReception->value().status == ReceptionStatus::InTreatment);
    QVERIFY(keptReception.value() == storedReception.value());
    const auto keptDiagnosis = diagnosis.load(diagnosisId);
    const auto storedDiagnosis = freshDiagnosis.load(diagnosisId);
    QVERIFY(keptDiagnosis.ok() && storedDiagnosis.ok() && keptDiagnosis->has_value());
    QCOMPARE(keptDiagnosis->value().prescriptions.size(), 1);
    QVERIFY(keptDiagnosis->value().prescriptions.front().status == ExaminationStatus::Performed);
    QVERIFY(keptDiagnosis.value() == storedDiagnosis.value());
    const auto keptExamination = examination.load(examinationId);
    const auto storedExamination = freshExamination.load(examinationId);
    QVERIFY(keptExamination.ok() && storedExamination.ok() && keptExamination->has_value());
    QVERIFY(keptExamination->value().status == ExaminationStatus::Performed);
    QVERIFY(keptExamination.value() == storedExamination.value());
}

void TestContextHandlers::aRolledBackUnitIsForgotten()
{
    ReceptionContext reception(m_data->db(), Catalogue::builtIn(), Keeping::Aggregates);
    ReceptionContext reader(m_data->db(), Catalogue::builtIn()); // as the HTTP frontend reads
    const RegisterVisit visit = registerVisit();
    {
        WriteTransaction tx(m_data->db());
        QVERIFY(reception.execute(visit, meta(u"A"_s)).ok());
        QVERIFY(reception.load(visit.receptionId)->has_value()); // kept, and in the transaction
        tx.rollback();
    }
    reception.forget(); // what the worker does when its unit or round fails
    const auto after = reception.load(visit.receptionId);
    QVERIFY(after.ok());
    QVERIFY(!after->has_value());
    // The same registration, sent again, is new.
    QCOMPARE(committed(reception, [&] { return reception.execute(visit, meta(u"A"_s)); }).size(), std::size_t(1));
    // A reader keeps nothing: it sees what the worker wrote since its last look.
    QVERIFY(reader.load(visit.receptionId)->has_value());
    QVERIFY(reader.load(visit.receptionId)->value().status == ReceptionStatus::Received);
    QVERIFY(committed(reception, [&] {
                return reception.execute(cancelVisit(visit.receptionId), meta(u"A"_s));
            }).size() == 1);
    QVERIFY(reader.load(visit.receptionId)->value().status == ReceptionStatus::Cancelled);
}

// A unit's saves wait for its end (flush) and are written once each, with their last state; meanwhile the writer
// reads its own saves, and a new visit's doctor is chosen with the loads this unit already changed.
void TestContextHandlers::aUnitsSavesAreWrittenAtItsEndOnce()
{
    const Catalogue catalogue = Catalogue::builtIn();
    ReceptionContext reception(m_data->db(), catalogue, Keeping::Aggregates);
    DiagnosisContext diagnosis(m_data->db(), catalogue, Keeping::Aggregates);
    ReceptionContext reader(m_data->db(), catalogue); // reads the tables, on the same connection
    const RegisterVisit first = registerVisit(u"IM"_s), second = registerVisit(u"IM"_s);
    WriteTransaction tx(m_data->db());
    QCOMPARE(reception.execute(first, meta(u"A"_s))->size(), std::size_t(1));
    QCOMPARE(reception.execute(cancelVisit(first.receptionId), meta(u"A"_s))->size(), std::size_t(1));
    QCOMPARE(reception.execute(second, meta(u"A"_s))->size(), std::size_t(1));
    QVERIFY(reception.load(first.receptionId)->value().status == ReceptionStatus::Cancelled);
    QVERIFY(!reader.load(first.receptionId)->has_value()); // not written yet

    // Two new visits of internal medicine in one unit go to its two doctors, not twice to the least loaded.
    QStringList doctors;
    for (const RegisterVisit &visit : {first, second}) {
        const Event registered = registeredEvent(visit);
        for (const Reaction &reaction : reactionsTo(registered)) {
            if (reaction.context == BoundedContext::Diagnosis)
                QVERIFY(diagnosis.react(registered, reaction, QDateTime::currentDateTimeUtc()).ok());
        }
        const auto made = diagnosis.load(diagnosis::idForVisit(visit.receptionId));
        QVERIFY(made.ok() && made->has_value());
        doctors.append(made->value().doctor);
    }
    doctors.sort();
    QCOMPARE(doctors, (QStringList{u"dr.kim"_s, u"dr.lee"_s}));

    QVERIFY(reception.flush().ok());
    QVERIFY(diagnosis.flush().ok());
    QVERIFY(tx.commit());
    QVERIFY(reader.load(first.receptionId)->value().status == ReceptionStatus::Cancelled);
    QVERIFY(reader.load(second.receptionId)->value().status == ReceptionStatus::Received);
    QSqlQuery q(m_data->db().connection());
    QVERIFY(q.exec(u"SELECT doctor, open_diagnoses FROM doctor_loads WHERE department = 'IM' ORDER BY doctor"_s));
    QStringList loads;
    while (q.next())
        loads.append(u"%1 %2"_s.arg(q.value(0).toString()).arg(q.value(1).toInt()));
    QCOMPARE(loads, (QStringList{u"dr.kim 1"_s, u"dr.lee 1"_s}));
}

// The diagnosis worker keeps each department's doctors' loads once read (it is their one writer): later units pick the
// least loaded doctor from what it kept, moved by every unit it wrote, and a unit that was rolled back leaves
// nothing of its choice behind.
void TestContextHandlers::keptDoctorsLoadsFollowEachUnit()
{
    const Catalogue catalogue = Catalogue::builtIn();
    DiagnosisContext diagnosis(m_data->db(), catalogue, Keeping::Aggregates);
    const auto doctorOf = [&diagnosis](const RegisterVisit &visit) {
        const auto made = diagnosis.load(diagnosis::idForVisit(visit.receptionId));
        return made.ok() && made->has_value() ? made->value().doctor : QString();
    };
    const auto tableLoads = [this] {
        QSqlQuery q(m_data->db().connection());
        q.exec(u"SELECT doctor, open_diagnoses FROM doctor_loads WHERE department = 'IM' ORDER BY doctor"_s);
        QStringList loads;
        while (q.next())
            loads.append(u"%1 %2"_s.arg(q.value(0).toString()).arg(q.value(1).toInt()));
        return loads;
    };

    // Four visits, one unit each: two for each doctor.
    QMap<QString, int> assigned;
    for (int i = 0; i < 4; ++i) {
        const RegisterVisit visit = registerVisit(u"IM"_s);
        QCOMPARE(reactions(diagnosis, {registeredEvent(visit)}).size(), std::size_t(1));
        ++assigned[doctorOf(visit)];
    }
    QCOMPARE(assigned, (QMap<QString, int>{{u"dr.kim"_s, 2}, {u"dr.lee"_s, 2}}));
    QCOMPARE(tableLoads(), (QStringList{u"dr.kim 2"_s, u"dr.lee 2"_s}));

    // A fifth, in a unit that is rolled back: its doctor's load goes back to what the table holds.
    const RegisterVisit undone = registerVisit(u"IM"_s);
    QString undoneDoctor;
    {
        WriteTransaction tx(m_data->db());
        for (const Reaction &reaction : reactionsTo(registeredEvent(undone))) {
            if (reaction.context == BoundedContext::Diagnosis)
                QVERIFY(diagnosis.react(registeredEvent(undone), reaction, QDateTime::currentDateTimeUtc()).ok());
        }
        undoneDoctor = doctorOf(undone);
        QVERIFY(diagnosis.flush().ok());
        tx.rollback();
    }
    diagnosis.forget(); // what the worker does when its unit or round fails
    QCOMPARE(tableLoads(), (QStringList{u"dr.kim 2"_s, u"dr.lee 2"_s}));
    // With the loads level again, the next visit goes where the undone one went.
    const RegisterVisit next = registerVisit(u"IM"_s);
    QCOMPARE(reactions(diagnosis, {registeredEvent(next)}).size(), std::size_t(1));
    QCOMPARE(doctorOf(next), undoneDoctor);
    QCOMPARE(tableLoads().size(), 2);
}

// A worker's unit reads the aggregates its events and commands act on together, before its work (prefetch): then
// its loads read nothing more, of those that exist (here the tables change behind its back to show it) and of those
// that do not yet. What it read is what the tables held, prescriptions in their order included; what it saves is
// found at once, and a unit that failed reads everything again.
void TestContextHandlers::aUnitsAggregatesAreReadTogether()
{
    const Catalogue catalogue = Catalogue::builtIn();
    ReceptionContext reception(m_data->db(), catalogue, Keeping::Aggregates);
    DiagnosisContext diagnosis(m_data->db(), catalogue, Keeping::Aggregates);
    const RegisterVisit visit = registerVisit(u"IM"_s, u"dr.kim"_s);
    const Events registered = committed(reception, [&] { return reception.execute(visit, meta(u"A"_s)); });
    QCOMPARE(reactions(diagnosis, registered).size(), std::size_t(1));
    const QUuid diagnosisId = diagnosis::idForVisit(visit.receptionId);
    for (const QString &code : {u"BLOOD"_s, u"XRAY"_s, u"ECG"_s}) {
        QVERIFY(!committed(diagnosis, [&] {
                     return diagnosis.execute(prescribe(visit.receptionId, code, newId()), meta(u"D1"_s));
                 }).empty());
    }
    ReceptionContext reader(m_data->db(), catalogue);
    DiagnosisContext diagnosisReader(m_data->db(), catalogue);
    const auto storedReception = reader.load(visit.receptionId);
    const auto storedDiagnosis = diagnosisReader.load(diagnosisId);
    QVERIFY(storedReception.ok() && storedReception->has_value());
    QVERIFY(storedDiagnosis.ok() && storedDiagnosis->has_value());
    QCOMPARE(storedDiagnosis->value().prescriptions.size(), 3);

    // A worker's unit, with handlers that kept nothing yet.
    ReceptionContext unitReception(m_data->db(), catalogue, Keeping::Aggregates);
    DiagnosisContext unitDiagnosis(m_data->db(), catalogue, Keeping::Aggregates);
    const RegisterVisit newcomer = registerVisit(u"IM"_s);
    QVERIFY(unitReception.prefetch({visit.receptionId, newcomer.receptionId, visit.receptionId}).ok());
    QVERIFY(unitDiagnosis.prefetch({diagnosisId, diagnosis::idForVisit(newcomer.receptionId)}).ok());
    // Behind its back: the visit's doctor changes, and the newcomer is registered by another writer.
    QVERIFY(
        m_data->exec(u"UPDATE receptions SET doctor = 'dr.lee' WHERE id = '%1'"_s.arg(idString(visit.receptionId))));
    QVERIFY(m_data->exec(u"UPDATE diagnoses SET doctor = 'dr.lee' WHERE id = '%1'"_s.arg(idString(diagnosisId))));
    ReceptionContext otherWriter(m_data->db(), catalogue, Keeping::Aggregates);
    QCOMPARE(committed(otherWriter, [&] { return otherWriter.execute(newcomer, meta(u"A"_s)); }).size(),
             std::size_t(1));
    // The unit's loads are what was read together: no statement of their own.
    QVERIFY(unitReception.load(visit.receptionId).value() == storedReception.value());
    QVERIFY(unitDiagnosis.load(diagnosisId).value() == storedDiagnosis.value());
    QVERIFY(!unitReception.load(newcomer.receptionId)->has_value());
    QVERIFY(!unitDiagnosis.load(diagnosis::idForVisit(newcomer.receptionId))->has_value());

    // A unit that failed reads the tables again.
    unitReception.forget();
    unitDiagnosis.forget();
    QCOMPARE(unitReception.load(visit.receptionId)->value().doctor, u"dr.lee"_s);
    QCOMPARE(unitDiagnosis.load(diagnosisId)->value().doctor, u"dr.lee"_s);
    QVERIFY(unitReception.load(newcomer.receptionId)->has_value());

    // An aggregate the unit saves where it read none is found at once.
    const RegisterVisit third = registerVisit(u"IM"_s);
    QVERIFY(unitReception.prefetch({third.receptionId}).ok());
    QVERIFY(!unitReception.load(third.receptionId)->has_value());
    QCOMPARE(committed(unitReception, [&] { return unitReception.execute(third, meta(u"A"_s)); }).size(),
             std::size_t(1));
    QVERIFY(unitReception.load(third.receptionId)->has_value());
    // A handler that keeps nothing reads nothing ahead.
    QVERIFY(reader.prefetch({third.receptionId}).ok());
    QVERIFY(reader.load(third.receptionId)->has_value());
}

// 40 rows (more than one statement's 32 places) and 5 visits without one, asked for together and in no order:
// exactly the 40 come back, each as it was saved.
void TestContextHandlers::theViewReadsABatchsRowsTogether()
{
    StatusViewStore store(m_data->viewDb());
    std::vector<VisitStatus> saved;
    for (int i = 0; i < 40; ++i) {
        VisitStatus row;
        row.visitId = newId();
        row.ticket = u"A-%1"_s.arg(i + 1, 3, 10, QChar(u'0'));
        row.patientName = u"환자 %1"_s.arg(i);
        row.department = u"IM"_s;
        row.receptionStatus = i % 2 ? ReceptionStatus::InTreatment : ReceptionStatus::Received;
        row.examsPrescribed = i % 3;
        row.receivedAt = QDateTime::fromMSecsSinceEpoch(1'790'000'000'000 + i * 1000, Qt::UTC);
        row.updatedAt = row.receivedAt;
        row.lastSequence = quint64(i + 1);
        saved.push_back(row);
    }
    {
        WriteTransaction tx(m_data->viewDb());
        QVERIFY(store.save(saved).ok());
        QVERIFY(tx.commit().ok());
    }
    QList<QUuid> asked;
    for (const VisitStatus &row : saved)
        asked.append(row.visitId);
    for (int i = 0; i < 5; ++i)
        asked.insert(i * 7, newId()); // no row
    std::reverse(asked.begin(), asked.end());
    const auto found = store.loadMany(asked);
    QVERIFY2(found.ok(), qPrintable(found ? QString() : found.error().message()));
    QCOMPARE(found->size(), qsizetype(40));
    for (const VisitStatus &row : saved) {
        QVERIFY(found->contains(row.visitId));
        QVERIFY(found->value(row.visitId) == row);
    }
    QVERIFY(store.loadMany({}).ok());
}

QTEST_GUILESS_MAIN(TestContextHandlers)
#include "TestContextHandlers.moc"
