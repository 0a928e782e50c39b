// CommandIntake: what a command id identifies. One command, server-wide and for good: its station, its content and
// one outcome. A resend gets the stored result; the id under another station or other content is refused as reused
// and stores nothing; a refusal by the gateway is kept as the command's outcome like any other.
#include "TempDatabase.h"
#include "TestCommands.h"
#include "clinicflow/v1/envelope.pb.h"
#include "gateway/CommandIntake.h"
#include "proto/Convert.h"

#include <QSqlQuery>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

class TestCommandIntake : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void resendIsSeenNotStoredAgain();
    void idFromAnotherStationIsReused();
    void idWithOtherContentIsReused();
    void refusalIsKeptAsTheOutcome();
    void batchKeepsItsOrder();
    void aLargeBatchIsLookedUpAndStoredAtOnce();
    void theLookUpIsPlannedAgainAsTheInboxesGrow();
    void fingerprintIsOfTheDecodedCommand();
    void rowsWithoutFingerprintMatchByStation();

private:
    std::vector<IntakeResult> accept(const std::vector<IntakeRequest> &requests);
    int rows(const QString &table);

    std::unique_ptr<TempDatabase> m_data;
    std::unique_ptr<CommandIntake> m_intake;
};

void TestCommandIntake::init()
{
    m_data = std::make_unique<TempDatabase>();
    QVERIFY2(m_data->open(), qPrintable(m_data->error()));
    m_intake = std::make_unique<CommandIntake>(m_data->db());
}

std::vector<IntakeResult> TestCommandIntake::accept(const std::vector<IntakeRequest> &requests)
{
    WriteTransaction tx(m_data->db());
    auto results = m_intake->accept(requests);
    if (!results || !tx.commit()) {
        qWarning().noquote() << (results ? u"commit failed"_s : results.error().message());
        return {};
    }
    return results.value();
}

int TestCommandIntake::rows(const QString &table)
{
    QSqlQuery q(m_data->db().connection());
    return q.exec(u"SELECT COUNT(*) FROM %1"_s.arg(table)) && q.next() ? q.value(0).toInt() : -1;
}

void TestCommandIntake::resendIsSeenNotStoredAgain()
{
    const QUuid id = newId();
    const auto request = intakeRequestFor(id, u"A"_s, registerVisit());
    auto first = accept({request});
    QCOMPARE(first.size(), std::size_t(1));
    QCOMPARE(first[0].kind, IntakeResult::Queued);
    auto again = accept({request});
    QCOMPARE(again.size(), std::size_t(1));
    QCOMPARE(again[0].kind, IntakeResult::Seen);
    QCOMPARE(again[0].record.state, CommandState::Pending);
    QCOMPARE(rows(u"reception_inbox"_s), 1);
}

void TestCommandIntake::idFromAnotherStationIsReused()
{
    const QUuid id = newId();
    const RegisterVisit command = registerVisit();
    QCOMPARE(accept({intakeRequestFor(id, u"A"_s, command)}).at(0).kind, IntakeResult::Queued);
    const auto other = accept({intakeRequestFor(id, u"B"_s, command)});
    QCOMPARE(other.at(0).kind, IntakeResult::Reused);
    QCOMPARE(other.at(0).record.state, CommandState::Rejected);
    QCOMPARE(other.at(0).record.rejection.code, ErrorCode::CommandIdReused);
    QCOMPARE(rows(u"reception_inbox"_s), 1);
    QCOMPARE(rows(u"refused_commands"_s), 0);
    // The first command's record is untouched.
    auto found = m_intake->find(id);
    QVERIFY(found && found.value());
    QCOMPARE(found.value()->station, u"A"_s);
    QCOMPARE(found.value()->state, CommandState::Pending);
}

void TestCommandIntake::idWithOtherContentIsReused()
{
    const QUuid id = newId();
    QCOMPARE(accept({intakeRequestFor(id, u"A"_s, registerVisit())}).at(0).kind, IntakeResult::Queued);
    // Another registration, and a command for another context, under the same id.
    QCOMPARE(accept({intakeRequestFor(id, u"A"_s, registerVisit())}).at(0).kind, IntakeResult::Reused);
    QCOMPARE(accept({intakeRequestFor(id, u"A"_s, cancelVisit(newId()))}).at(0).kind, IntakeResult::Reused);
    QCOMPARE(accept({intakeRequestFor(id, u"A"_s, prescribe(newId()))}).at(0).kind, IntakeResult::Reused);
    QCOMPARE(rows(u"reception_inbox"_s), 1);
    QCOMPARE(rows(u"diagnosis_inbox"_s), 0);
}

void TestCommandIntake::refusalIsKeptAsTheOutcome()
{
    const QUuid id = newId();
    const CancelVisit cancel = cancelVisit(newId());
    IntakeRequest refused = intakeRequestFor(id, u"DOC1"_s, cancel);
    refused.payload.clear();
    refused.refusal = makeError(ErrorCode::RoleNotAllowed, u"doctor may not CancelVisit"_s);
    const auto first = accept({refused});
    QCOMPARE(first.at(0).kind, IntakeResult::Refused);
    QCOMPARE(first.at(0).record.rejection.code, ErrorCode::RoleNotAllowed);
    QCOMPARE(rows(u"reception_inbox"_s), 0); // never queued for a worker
    QCOMPARE(rows(u"refused_commands"_s), 1);

    // The doctor's resend: the same refusal, read back from storage.
    const auto again = accept({refused});
    QCOMPARE(again.at(0).kind, IntakeResult::Seen);
    QCOMPARE(again.at(0).record.state, CommandState::Rejected);
    QCOMPARE(again.at(0).record.rejection.code, ErrorCode::RoleNotAllowed);
    // A desk that may cancel, with the very same command: the id is taken, nothing is queued.
    const auto byDesk = accept({intakeRequestFor(id, u"A"_s, cancel)});
    QCOMPARE(byDesk.at(0).kind, IntakeResult::Reused);
    QCOMPARE(rows(u"reception_inbox"_s), 0);
}

void TestCommandIntake::batchKeepsItsOrder()
{
    // Two stations race one id within one intake round: the first in order owns it.
    const QUuid id = newId();
    const RegisterVisit command = registerVisit();
    const auto results = accept({intakeRequestFor(id, u"B"_s, command), intakeRequestFor(id, u"A"_s, command)});
    QCOMPARE(results.size(), std::size_t(2));
    QCOMPARE(results[0].kind, IntakeResult::Queued);
    QCOMPARE(results[1].kind, IntakeResult::Reused);
    QCOMPARE(m_intake->find(id).value()->station, u"B"_s);
}

// The gateway looks a round's ids up in one statement and stores its new commands many per statement: 70 commands
// for two contexts, among them a resend of one stored before and one sent twice, each stored once, in order.
void TestCommandIntake::aLargeBatchIsLookedUpAndStoredAtOnce()
{
    const QUuid earlier = newId();
    const auto earlierRequest = intakeRequestFor(earlier, u"A"_s, registerVisit());
    QCOMPARE(accept({earlierRequest}).size(), std::size_t(1));
    std::vector<IntakeRequest> batch;
    QList<QUuid> registrations;
    for (int i = 0; i < 70; ++i) {
        const QUuid id = newId();
        if (i % 3 == 0) {
            batch.push_back(intakeRequestFor(id, u"D1"_s, prescribe(newId())));
        } else {
            batch.push_back(intakeRequestFor(id, u"A"_s, registerVisit()));
            registrations.append(id);
        }
    }
    batch.insert(batch.begin() + 10, earlierRequest);
    batch.push_back(batch.at(20)); // sent twice in one round
    const auto results = accept(batch);
    QCOMPARE(results.size(), batch.size());
    for (std::size_t i = 0; i < results.size(); ++i) {
        const auto expected = i == 10 || i == batch.size() - 1 ? IntakeResult::Seen : IntakeResult::Queued;
        QCOMPARE(results[i].kind, expected);
    }
    QCOMPARE(rows(u"reception_inbox"_s), 1 + registrations.size());
    QCOMPARE(rows(u"diagnosis_inbox"_s), 70 - int(registrations.size()));
    const auto pending = m_intake->inbox(BoundedContext::Reception).pending(100);
    QVERIFY(pending.ok());
    QCOMPARE(pending->front().commandId, earlier);
    for (qsizetype i = 0; i < registrations.size(); ++i)
        QCOMPARE(pending->at(std::size_t(i) + 1).commandId, registrations.at(i)); // one station: its own order
}

// PostgreSQL keeps one generic plan for a prepared statement after its fifth run, made for the table sizes of that
// moment: the look-up of a round's ids, planned while the inboxes were nearly empty, joined them by scanning them
// whole, and went on scanning them at every round as they grew (5 ms a round at 30,000 rows in the bench, the
// gateway's busiest statement). Prepared again as its runs grow, it reads them by their command-id index. On both
// databases the look-up, prepared again, still finds what was stored before.
void TestCommandIntake::theLookUpIsPlannedAgainAsTheInboxesGrow()
{
    const auto round = [this](std::vector<IntakeRequest> *kept = nullptr) {
        std::vector<IntakeRequest> batch;
        for (int i = 0; i < 8; ++i)
            batch.push_back(intakeRequestFor(newId(), u"A"_s, registerVisit()));
        if (kept)
            *kept = batch;
        return accept(batch).size() == batch.size();
    };
    std::vector<IntakeRequest> early;
    for (int i = 0; i < 20; ++i)
        QVERIFY(round(i == 0 ? &early : nullptr)); // planned, then a generic plan kept, on a small inbox
    const QString grow = m_data->isPostgres()
                             ? u"INSERT INTO reception_inbox (command_id, station, type, received_at_ms, acted_at_ms, "
                               "payload, status) SELECT md5(g::text), 'Z', 'RegisterVisit', 0, 0, '\\x00', 1 "
                               "FROM generate_series(1, 30000) AS g"_s
                             : u"WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 30000) "
                               "INSERT INTO reception_inbox (command_id, station, type, received_at_ms, acted_at_ms, "
                               "payload, status) SELECT hex(randomblob(16)), 'Z', 'RegisterVisit', 0, 0, x'00', 1 "
                               "FROM g"_s;
    QVERIFY(m_data->exec(grow));
    for (int i = 0; i < 150; ++i)
        QVERIFY(round());

    // Ten rounds in one transaction: PostgreSQL counts the table reads not yet reported (pg_stat_xact_user_tables),
    // and reports none within a transaction.
    const auto scans = [this]() -> std::pair<qint64, qint64> {
        if (!m_data->isPostgres())
            return {0, 0};
        QSqlQuery q(m_data->db().connection());
        if (!q.exec(u"SELECT seq_scan, idx_scan FROM pg_stat_xact_user_tables WHERE relname = 'reception_inbox'"_s) ||
            !q.next())
            return {-1, -1};
        return {q.value(0).toLongLong(), q.value(1).toLongLong()};
    };
    WriteTransaction tx(m_data->db());
    const auto before = scans();
    for (int i = 0; i < 10; ++i) {
        std::vector<IntakeRequest> batch;
        for (int j = 0; j < 8; ++j)
            batch.push_back(intakeRequestFor(newId(), u"A"_s, registerVisit()));
        batch[3] = early.at(std::size_t(i) % early.size()); // sent again
        auto results = m_intake->accept(batch);
        QVERIFY2(results.ok(), qPrintable(results ? QString() : results.error().message()));
        QCOMPARE(results->at(3).kind, IntakeResult::Seen); // found, by the statement prepared again
    }
    const auto after = scans();
    QVERIFY(before.first >= 0 && after.first >= 0);
    QVERIFY2(after.first == before.first,
             qPrintable(u"the look-up scanned the whole inbox %1 times"_s.arg(after.first - before.first)));
    if (m_data->isPostgres())
        QVERIFY2(after.second - before.second >= 10, "the look-up did not read the inbox by its index");
    QVERIFY(tx.commit());
}

void TestCommandIntake::fingerprintIsOfTheDecodedCommand()
{
    const RegisterVisit command = registerVisit();
    const QUuid id = newId();
    const v1::Submit plain = proto::toSubmit({id, u"A"_s, QDateTime::currentDateTimeUtc()}, command);
    v1::Submit withUnknownField = plain;
    auto *visit = withUnknownField.mutable_command()->mutable_register_visit();
    visit->GetReflection()->MutableUnknownFields(visit)->AddVarint(99, 7);
    QVERIFY(plain.command().SerializeAsString() != withUnknownField.command().SerializeAsString());
    QCOMPARE(commandFingerprint(withUnknownField, Command(command)), commandFingerprint(plain, Command(command)));

    RegisterVisit changed = command;
    changed.chiefComplaint += u"!"_s;
    QVERIFY(commandFingerprint(plain, Command(changed)) != commandFingerprint(plain, Command(command)));
    // A command that does not decode is told apart by its bytes.
    const Result<Command> undecodable = makeError(ErrorCode::MalformedMessage);
    QVERIFY(commandFingerprint(plain, undecodable) != commandFingerprint(withUnknownField, undecodable));
}

void TestCommandIntake::rowsWithoutFingerprintMatchByStation()
{
    // Rows stored before schema 5 have no fingerprint: a resend from their station is still the same command.
    const QUuid id = newId();
    const RegisterVisit command = registerVisit();
    QCOMPARE(accept({intakeRequestFor(id, u"A"_s, command)}).at(0).kind, IntakeResult::Queued);
    QVERIFY(m_data->exec(u"UPDATE reception_inbox SET fingerprint = NULL"_s));
    QCOMPARE(accept({intakeRequestFor(id, u"A"_s, command)}).at(0).kind, IntakeResult::Seen);
    QCOMPARE(accept({intakeRequestFor(id, u"B"_s, command)}).at(0).kind, IntakeResult::Reused);
}

QTEST_GUILESS_MAIN(TestCommandIntake)
#include "TestCommandIntake.moc"
