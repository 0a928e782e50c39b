// Sessions: who may submit what. Every role against every command (4 x 9): a station issues exactly its role's
// commands, under its own station code, after Hello; a board issues none. The table is written out here, not derived
// from the rules it checks. The station and role are the enrolment's; Hello only confirms them, and a session is
// its connection's.
#include "TestCommands.h"
#include "Why.h"
#include "gateway/Sessions.h"
#include "proto/Codec.h"
#include "proto/Convert.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

namespace {

struct Case
{
    const char *name;
    Command command;
    v1::Role allowed;
};

QList<Case> everyCommand()
{
    return {
        {"RegisterVisit", registerVisit(), v1::ROLE_RECEPTIONIST},
        {"CancelVisit", cancelVisit(newId()), v1::ROLE_RECEPTIONIST},
        {"ConfirmOutcome", confirmOutcome(newId()), v1::ROLE_RECEPTIONIST},
        {"PrescribeExamination", prescribe(newId()), v1::ROLE_DOCTOR},
        {"ReviewResults", reviewResults(newId()), v1::ROLE_DOCTOR},
        {"CompleteTreatment", completeTreatment(newId()), v1::ROLE_DOCTOR},
        {"RefuseTreatment", refuseTreatment(newId()), v1::ROLE_DOCTOR},
        {"PerformExamination", performExamination(newId()), v1::ROLE_EXAMINER},
        {"CancelExamination", cancelExamination(newId()), v1::ROLE_EXAMINER},
    };
}

v1::Hello helloAs(const QString &station, v1::Role role)
{
    v1::Hello hello;
    hello.set_protocol_version(proto::kProtocolVersion);
    hello.set_station(station.toStdString());
    hello.set_role(role);
    return hello;
}

// The enrolment the ZAP handler admitted the peer's connection with.
EnrolledStation enrolled(const QString &station, v1::Role role)
{
    return EnrolledStation{station, proto::fromProto(role).value(), station, {}, {}, 1, 0};
}

} // namespace

Q_DECLARE_METATYPE(clinicflow::domain::Command)

class TestSessions : public QObject
{
    Q_OBJECT

private slots:
    void eachRoleIssuesExactlyItsCommands_data();
    void eachRoleIssuesExactlyItsCommands();
    void submitBeforeHelloIsNotTaken();
    void commandIdMustBeAUuid();
    void submitNamingAnotherStationIsRefused();
    void ticketOfAnotherStationIsRefused();
    void helloMustMatchTheEnrolment();
    void aSessionEndsWithItsConnection();
};

void TestSessions::eachRoleIssuesExactlyItsCommands_data()
{
    QTest::addColumn<int>("role");
    QTest::addColumn<Command>("command");
    QTest::addColumn<bool>("allowed");
    for (v1::Role role : {v1::ROLE_RECEPTIONIST, v1::ROLE_DOCTOR, v1::ROLE_EXAMINER, v1::ROLE_BOARD}) {
        for (const Case &c : everyCommand()) {
            QTest::addRow("%s %s", v1::Role_Name(role).c_str(), c.name)
                << int(role) << c.command << (c.allowed == role);
        }
    }
}

void TestSessions::eachRoleIssuesExactlyItsCommands()
{
    QFETCH(int, role);
    QFETCH(Command, command);
    QFETCH(bool, allowed);
    Sessions sessions;
    const QByteArray peer("peer-1");
    // The fixtures' tickets are station A's.
    QVERIFY(sessions.hello(peer, helloAs(u"A"_s, v1::Role(role)), enrolled(u"A"_s, v1::Role(role)), 1));
    const v1::Submit submit = proto::toSubmit({newId(), u"A"_s, QDateTime::currentDateTimeUtc()}, command);
    auto session = sessions.submitter(peer, u"A"_s, submit);
    QVERIFY2(session, why(session).constData());
    const auto authorized = Sessions::authorize(*session.value(), submit);
    if (allowed) {
        QVERIFY2(authorized, why(authorized).constData());
        QVERIFY(authorized.value() == command);
    } else {
        QVERIFY(!authorized);
        QCOMPARE(authorized.error().code, ErrorCode::RoleNotAllowed);
    }
}

// Station B cannot issue station A's tickets: the ticket's station is the session's, or the command is refused.
void TestSessions::ticketOfAnotherStationIsRefused()
{
    Sessions sessions;
    QVERIFY(
        sessions.hello("desk-b", helloAs(u"B"_s, v1::ROLE_RECEPTIONIST), enrolled(u"B"_s, v1::ROLE_RECEPTIONIST), 1));
    RegisterVisit registration = registerVisit();
    registration.ticket = Ticket{u"A"_s, 17};
    const v1::Submit theirs = proto::toSubmit({newId(), u"B"_s, QDateTime::currentDateTimeUtc()}, registration);
    auto session = sessions.submitter("desk-b", u"B"_s, theirs);
    QVERIFY2(session, why(session).constData());
    const auto refused = Sessions::authorize(*session.value(), theirs);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::InvalidTicket);
    QVERIFY2(refused.error().detail.contains(u"A-017"_s), qPrintable(refused.error().detail));

    registration.ticket = Ticket{u"B"_s, 17};
    const v1::Submit own = proto::toSubmit({newId(), u"B"_s, QDateTime::currentDateTimeUtc()}, registration);
    QVERIFY(Sessions::authorize(*session.value(), own));
}

void TestSessions::submitBeforeHelloIsNotTaken()
{
    Sessions sessions;
    const v1::Submit submit = proto::toSubmit({newId(), u"A"_s, QDateTime::currentDateTimeUtc()}, registerVisit());
    const auto session = sessions.submitter("stranger", u"A"_s, submit);
    QVERIFY(!session);
    QCOMPARE(session.error().code, ErrorCode::UnknownStation);
}

void TestSessions::commandIdMustBeAUuid()
{
    Sessions sessions;
    QVERIFY(sessions.hello("peer", helloAs(u"A"_s, v1::ROLE_RECEPTIONIST), enrolled(u"A"_s, v1::ROLE_RECEPTIONIST), 1));
    v1::Submit submit = proto::toSubmit({newId(), u"A"_s, QDateTime::currentDateTimeUtc()}, registerVisit());
    submit.set_command_id(std::string(10000, 'x'));
    const auto session = sessions.submitter("peer", u"A"_s, submit);
    QVERIFY(!session);
    QCOMPARE(session.error().code, ErrorCode::MissingId);
    QVERIFY2(session.error().detail.size() < 100, "a peer's text is quoted short, never whole");
}

void TestSessions::submitNamingAnotherStationIsRefused()
{
    Sessions sessions;
    QVERIFY(sessions.hello("peer", helloAs(u"A"_s, v1::ROLE_RECEPTIONIST), enrolled(u"A"_s, v1::ROLE_RECEPTIONIST), 1));
    const v1::Submit submit = proto::toSubmit({newId(), u"B"_s, QDateTime::currentDateTimeUtc()}, registerVisit());
    const auto session = sessions.submitter("peer", u"A"_s, submit);
    QVERIFY(session);
    const auto authorized = Sessions::authorize(*session.value(), submit);
    QVERIFY(!authorized);
    QCOMPARE(authorized.error().code, ErrorCode::UnknownStation);
}

// Hello confirms the enrolment; it cannot change it.
void TestSessions::helloMustMatchTheEnrolment()
{
    Sessions sessions;
    const auto otherStation =
        sessions.hello("peer", helloAs(u"B"_s, v1::ROLE_RECEPTIONIST), enrolled(u"A"_s, v1::ROLE_RECEPTIONIST), 1);
    QVERIFY(!otherStation);
    QCOMPARE(otherStation.error().code, ErrorCode::UnknownStation);
    const auto otherRole =
        sessions.hello("peer", helloAs(u"A"_s, v1::ROLE_DOCTOR), enrolled(u"A"_s, v1::ROLE_RECEPTIONIST), 1);
    QVERIFY(!otherRole);
    QCOMPARE(otherRole.error().code, ErrorCode::RoleNotAllowed);
    QVERIFY(!sessions.find("peer", u"A"_s));
}

// A session is the connection's and the station's: a message admitted as another station, or a later connection
// with the same routing id, finds none.
void TestSessions::aSessionEndsWithItsConnection()
{
    Sessions sessions;
    QVERIFY(sessions.hello("peer", helloAs(u"A"_s, v1::ROLE_RECEPTIONIST), enrolled(u"A"_s, v1::ROLE_RECEPTIONIST), 7));
    QVERIFY(sessions.hello("other", helloAs(u"D1"_s, v1::ROLE_DOCTOR), enrolled(u"D1"_s, v1::ROLE_DOCTOR), 8));
    QVERIFY(sessions.find("peer", u"A"_s));
    QVERIFY(!sessions.find("peer", u"D1"_s));
    sessions.endConnection(7);
    QVERIFY(!sessions.find("peer", u"A"_s));
    QVERIFY(sessions.find("other", u"D1"_s));
    QCOMPARE(sessions.endStation(u"D1"_s), QList<int>{8});
    QCOMPARE(sessions.size(), 0);
}

QTEST_GUILESS_MAIN(TestSessions)
#include "TestSessions.moc"
