// The small pure pieces of the domain vocabulary: queue tickets and station codes (ARCHITECTURE §2), the stable
// names of every enum (what storage, JSON and logs use), and the name and sentence of every error code.
#include "support/DomainFixtures.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace clinicflow::domain;
using namespace clinicflow::domain::fixtures;
using namespace Qt::StringLiterals;

namespace {

// Every error code, by hand: the enum cannot be iterated, and a new code must be added here (and to the tables).
const QList<ErrorCode> kAllErrors{
    ErrorCode::None,
    ErrorCode::InvalidCommand,
    ErrorCode::MissingId,
    ErrorCode::PatientNameRequired,
    ErrorCode::InvalidBirthDate,
    ErrorCode::UnknownDepartment,
    ErrorCode::UnknownDoctor,
    ErrorCode::DoctorNotInDepartment,
    ErrorCode::UnknownExaminationCode,
    ErrorCode::ResultRequired,
    ErrorCode::ReasonRequired,
    ErrorCode::InvalidTicket,
    ErrorCode::FieldTooLong,
    ErrorCode::ChiefComplaintRequired,
    ErrorCode::InvalidCharacters,
    ErrorCode::ActedAtOutOfRange,
    ErrorCode::VisitNotFound,
    ErrorCode::DiagnosisNotFound,
    ErrorCode::ExaminationNotFound,
    ErrorCode::VisitAlreadyRegistered,
    ErrorCode::ExaminationAlreadyPrescribed,
    ErrorCode::NoDoctorAvailable,
    ErrorCode::VisitAlreadyCancelled,
    ErrorCode::VisitAlreadyClosed,
    ErrorCode::VisitOutcomeNotRecorded,
    ErrorCode::VisitOutcomeAlreadyRecorded,
    ErrorCode::DiagnosisWithdrawn,
    ErrorCode::TreatmentAlreadyCompleted,
    ErrorCode::TreatmentAlreadyRefused,
    ErrorCode::ExaminationsStillPending,
    ErrorCode::ResultsNotReady,
    ErrorCode::ResultsNotReviewed,
    ErrorCode::ResultsAlreadyReviewed,
    ErrorCode::ExaminationAlreadyPerformed,
    ErrorCode::ExaminationAlreadyCancelled,
    ErrorCode::ExaminationWithdrawnTreatmentRefused,
    ErrorCode::ExaminationWithdrawnVisitCancelled,
    ErrorCode::RoleNotAllowed,
    ErrorCode::UnknownStation,
    ErrorCode::MalformedMessage,
    ErrorCode::MessageTooLarge,
    ErrorCode::UnsupportedProtocolVersion,
    ErrorCode::UnknownMessageType,
    ErrorCode::NotYourPatient,
    ErrorCode::ServerUnavailable,
    ErrorCode::CommandIdReused,
    ErrorCode::RateLimited,
    ErrorCode::InternalError,
};

// Checks toString/fromString both ways for every value of an enum, and that near misses are not names.
template<typename Enum>
void verifyNames(const QList<std::pair<Enum, QString>> &expected)
{
    QSet<QString> seen;
    for (const auto &[value, name] : expected) {
        QCOMPARE(toString(value), name);
        QVERIFY2(fromString<Enum>(name) == value, qPrintable(name));
        QVERIFY2(!seen.contains(name), qPrintable(name));
        seen.insert(name);
        QVERIFY2(!fromString<Enum>(name.toUpper()).has_value(), qPrintable(name));
        QVERIFY2(!fromString<Enum>(u' ' + name).has_value(), qPrintable(name));
    }
    QVERIFY(!fromString<Enum>(QString()).has_value());
    QVERIFY(!fromString<Enum>(u"no_such_name"_s).has_value());
}

} // namespace

class TestIdsAndNames : public QObject
{
    Q_OBJECT

private slots:
    void ticketText_data();
    void ticketText();
    void ticketRejects_data();
    void ticketRejects();
    void ticketRoundTrip();
    void stationCode_data();
    void stationCode();
    void idText();
    void newIdsFollowTheClock();

    void enumNames();
    void statusPredicates();

    void errorNamesAndMessages();
    void errorCodesOnTheWire();
    void errorMessageCarriesTheDetail();
};

void TestIdsAndNames::ticketText_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("station");
    QTest::addColumn<int>("number");
    QTest::newRow("A-017") << u"A-017"_s << u"A"_s << 17;
    QTest::newRow("B-1234") << u"B-1234"_s << u"B"_s << 1234;
    QTest::newRow("A-001") << u"A-001"_s << u"A"_s << 1;
    QTest::newRow("ER2-9999") << u"ER2-9999"_s << u"ER2"_s << 9999;
    QTest::newRow("WXYZ-100") << u"WXYZ-100"_s << u"WXYZ"_s << 100;
}

void TestIdsAndNames::ticketText()
{
    QFETCH(QString, text);
    QFETCH(QString, station);
    QFETCH(int, number);
    const Ticket ticket{station, number};
    QVERIFY(ticket.isValid());
    QCOMPARE(ticket.toString(), text);
    const auto parsed = Ticket::parse(text);
    QVERIFY2(parsed.ok(), qPrintable(text));
    QCOMPARE(parsed->station, station);
    QCOMPARE(parsed->number, number);
}

void TestIdsAndNames::ticketRejects_data()
{
    QTest::addColumn<QString>("text");
    for (const char16_t *text :
         {u"a-1", u"a-001", u"A-", u"A-12", u"ABCDE-001", u"A-0000", u"-017", u"A017", u"", u"A-10000", u"A--17",
          u"A-+17", u"A-01 7", u"A-017 ", u" A-017", u"1A-017", u"A-\u0661\u0662\u0663", u"A-1e3"}) {
        const QString t = QString::fromUtf16(text);
        QTest::addRow("'%s'", t.toUtf8().constData()) << t;
    }
}

void TestIdsAndNames::ticketRejects()
{
    QFETCH(QString, text);
    const auto parsed = Ticket::parse(text);
    QCOMPARE(parsed.code(), ErrorCode::InvalidTicket);
}

void TestIdsAndNames::ticketRoundTrip()
{
    for (const QString &station : {u"A"_s, u"Z9"_s, u"DOC1"_s}) {
        for (int number : {1, 9, 10, 99, 100, 999, 1000, 9999}) {
            const Ticket ticket{station, number};
            const auto parsed = Ticket::parse(ticket.toString());
            QVERIFY2(parsed.ok() && *parsed == ticket, qPrintable(ticket.toString()));
        }
    }
    QVERIFY(!(Ticket{u"A"_s, 0}.isValid()));
    QVERIFY(!(Ticket{u"A"_s, 10000}.isValid()));
    QVERIFY(!Ticket{}.isValid());
}

void TestIdsAndNames::stationCode_data()
{
    QTest::addColumn<QString>("code");
    QTest::addColumn<bool>("valid");
    QTest::newRow("A") << u"A"_s << true;
    QTest::newRow("DOC1") << u"DOC1"_s << true;
    QTest::newRow("Z999") << u"Z999"_s << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("five long") << u"ABCDE"_s << false;
    QTest::newRow("starts with a digit") << u"1A"_s << false;
    QTest::newRow("lower case") << u"a"_s << false;
    QTest::newRow("mixed case") << u"Ab"_s << false;
    QTest::newRow("dash") << u"A-B"_s << false;
    QTest::newRow("space") << u"A B"_s << false;
    QTest::newRow("non-ASCII letter") << u"\u00c4"_s << false;
    QTest::newRow("full-width A") << u"\uff21"_s << false;
}

void TestIdsAndNames::stationCode()
{
    QFETCH(QString, code);
    QFETCH(bool, valid);
    QCOMPARE(isValidStationCode(code), valid);
    QCOMPARE((Ticket{code, 17}.isValid()), valid);
}

void TestIdsAndNames::idText()
{
    const QUuid id = receptionId();
    const QString text = idString(id);
    QVERIFY(!text.startsWith(u'{'));
    QCOMPARE(text.size(), 36);
    QCOMPARE(idFromString(text), id);
    QVERIFY(idFromString(u"not a uuid").isNull());
    QVERIFY(!newId().isNull());
    QVERIFY(newId() != newId());
}

// Ids minted later sort later, as UUIDs and as the text the stores key their rows by, so that what is made together
// shares index pages (Ids.h); each carries the millisecond it was made and is still unique and unguessable.
void TestIdsAndNames::newIdsFollowTheClock()
{
    const auto millisecondOf = [](const QUuid &id) { return (quint64(id.data1) << 16) | id.data2; };
    const quint64 before = quint64(QDateTime::currentMSecsSinceEpoch());
    const QUuid first = newId();
    QCOMPARE(first.data3 >> 12, 7);        // version 7
    QCOMPARE(first.variant(), QUuid::DCE); // RFC 9562's variant
    QVERIFY(millisecondOf(first) >= before);
    QVERIFY(millisecondOf(first) <= quint64(QDateTime::currentMSecsSinceEpoch()));

    QSet<QUuid> seen{first};
    QUuid last = first;
    for (int i = 0; i < 20000; ++i) {
        const QUuid id = newId();
        QVERIFY2(!seen.contains(id), qPrintable(idString(id)));
        seen.insert(id);
        QVERIFY(millisecondOf(id) >= millisecondOf(last));
        last = id;
    }
    QTest::qWait(2);
    const QUuid later = newId();
    QVERIFY(millisecondOf(later) > millisecondOf(first));
    QVERIFY(first < later);
    QVERIFY(idString(first) < idString(later));
}

void TestIdsAndNames::enumNames()
{
    // The names ARCHITECTURE §2 gives the statuses, and the roles, contexts and priorities of §1-§3.
    verifyNames<ReceptionStatus>({{ReceptionStatus::Received, u"received"_s},
                                  {ReceptionStatus::InTreatment, u"in_treatment"_s},
                                  {ReceptionStatus::TreatmentCompleted, u"treatment_completed"_s},
                                  {ReceptionStatus::TreatmentRefused, u"treatment_refused"_s},
                                  {ReceptionStatus::Closed, u"closed"_s},
                                  {ReceptionStatus::Cancelled, u"cancelled"_s}});
    verifyNames<DiagnosisStatus>({{DiagnosisStatus::Waiting, u"waiting"_s},
                                  {DiagnosisStatus::ExamsPending, u"exams_pending"_s},
                                  {DiagnosisStatus::ResultsReady, u"results_ready"_s},
                                  {DiagnosisStatus::Reviewed, u"reviewed"_s},
                                  {DiagnosisStatus::Completed, u"completed"_s},
                                  {DiagnosisStatus::Refused, u"refused"_s},
                                  {DiagnosisStatus::Withdrawn, u"withdrawn"_s}});
    verifyNames<ExaminationStatus>({{ExaminationStatus::Requested, u"requested"_s},
                                    {ExaminationStatus::Performed, u"performed"_s},
                                    {ExaminationStatus::Cancelled, u"cancelled"_s},
                                    {ExaminationStatus::Withdrawn, u"withdrawn"_s}});
    verifyNames<WithdrawReason>({{WithdrawReason::TreatmentRefused, u"treatment_refused"_s},
                                 {WithdrawReason::VisitCancelled, u"visit_cancelled"_s}});
    verifyNames<Priority>({{Priority::Normal, u"normal"_s}, {Priority::Urgent, u"urgent"_s}});
    verifyNames<Sex>(
        {{Sex::Unknown, u"unknown"_s}, {Sex::Female, u"female"_s}, {Sex::Male, u"male"_s}, {Sex::Other, u"other"_s}});
    verifyNames<Role>({{Role::Receptionist, u"receptionist"_s},
                       {Role::Doctor, u"doctor"_s},
                       {Role::Examiner, u"examiner"_s},
                       {Role::Board, u"board"_s}});
    verifyNames<BoundedContext>({{BoundedContext::Reception, u"reception"_s},
                                 {BoundedContext::Diagnosis, u"diagnosis"_s},
                                 {BoundedContext::Examination, u"examination"_s}});
}

void TestIdsAndNames::statusPredicates()
{
    using D = DiagnosisStatus;
    for (D s : {D::Waiting, D::ExamsPending, D::ResultsReady, D::Reviewed})
        QVERIFY2(isOpen(s), qPrintable(toString(s)));
    for (D s : {D::Completed, D::Refused, D::Withdrawn})
        QVERIFY2(!isOpen(s), qPrintable(toString(s)));
    using R = ReceptionStatus;
    for (R s : {R::Received, R::InTreatment, R::TreatmentCompleted, R::TreatmentRefused})
        QVERIFY2(!isFinal(s), qPrintable(toString(s)));
    for (R s : {R::Closed, R::Cancelled})
        QVERIFY2(isFinal(s), qPrintable(toString(s)));
}

void TestIdsAndNames::errorNamesAndMessages()
{
    static const QRegularExpression snakeCase(u"^[a-z]+(_[a-z]+)*$"_s);
    QSet<QByteArray> names;
    QSet<QByteArray> messages;
    for (ErrorCode code : kAllErrors) {
        const QByteArray name = errorName(code);
        const QByteArray message = errorMessage(code);
        QVERIFY2(name != "unknown", QByteArray::number(int(code)).constData());
        QVERIFY2(message != "unknown error" && !message.isEmpty(), name.constData());
        QVERIFY2(snakeCase.match(QString::fromLatin1(name)).hasMatch(), name.constData());
        QVERIFY2(!names.contains(name), name.constData());
        QVERIFY2(!messages.contains(message), name.constData());
        names.insert(name);
        messages.insert(message);
    }
    QCOMPARE(QByteArray(errorName(ErrorCode::ExaminationWithdrawnTreatmentRefused)),
             QByteArray("examination_withdrawn_treatment_refused"));
    QCOMPARE(QByteArray(errorName(static_cast<ErrorCode>(4242))), QByteArray("unknown"));
}

void TestIdsAndNames::errorCodesOnTheWire()
{
    // Every listed code survives the wire; and the library knows no code this list lacks.
    for (ErrorCode code : kAllErrors)
        QCOMPARE(errorCodeFromInt(int(code)), code);
    int known = 0;
    for (int value = 0; value < 1000; ++value) {
        if (errorCodeFromInt(value) == static_cast<ErrorCode>(value))
            ++known;
    }
    QCOMPARE(known, int(kAllErrors.size()));
    QCOMPARE(errorCodeFromInt(-1), ErrorCode::InvalidCommand);
    QCOMPARE(errorCodeFromInt(4242), ErrorCode::InvalidCommand);
    // The wire values are fixed (ErrorCode.h: never renumber).
    QCOMPARE(int(ErrorCode::VisitNotFound), 200);
    QCOMPARE(int(ErrorCode::ExaminationWithdrawnVisitCancelled), 503);
    QCOMPARE(int(ErrorCode::InternalError), 699);
}

void TestIdsAndNames::errorMessageCarriesTheDetail()
{
    const Error plain = makeError(ErrorCode::VisitNotFound);
    QCOMPARE(plain.message(), QString::fromUtf8(errorMessage(ErrorCode::VisitNotFound)));
    const Error detailed = makeError(ErrorCode::VisitAlreadyClosed, u"A-017"_s);
    QVERIFY(detailed.message().startsWith(QString::fromUtf8(errorMessage(ErrorCode::VisitAlreadyClosed))));
    QVERIFY(detailed.message().contains(u"A-017"_s));
}

QTEST_GUILESS_MAIN(TestIdsAndNames)
#include "TestIdsAndNames.moc"
