// The front desk's actions without widgets (ReceptionController): every field of a registration checked by the rules
// the server applies, all at once; what the form typed turned into the command (dates in the forms people type them,
// an unknown birth date with an estimated age); a registration stored with the station's next ticket, or nothing
// stored at all; cancelling and confirming through the store.
#include "screens/reception/ReceptionController.h"
#include "support/StoreHarness.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;

namespace {

RegistrationInput valid()
{
    RegistrationInput in;
    in.name = u"김민준"_s;
    in.birthDate = u"1980-05-17"_s;
    in.department = u"IM"_s;
    in.complaint = u"기침"_s;
    return in;
}

QList<RegistrationField> fieldsOf(const QList<FieldError> &errors)
{
    QList<RegistrationField> fields;
    for (const FieldError &e : errors)
        fields.append(e.field);
    return fields;
}

} // namespace

class TestReceptionController : public QObject
{
    Q_OBJECT

private slots:
    void everyBadFieldAtOnce();
    void datesAsPeopleTypeThem_data();
    void datesAsPeopleTypeThem();
    void unknownBirthDateWithAnEstimate();
    void registrationTakesTheNextTicket();
    void refusedRegistrationStoresNothing();
    void cancelAndConfirmGoThroughTheStore();
    void doctorsOfTheDepartment();
};

void TestReceptionController::everyBadFieldAtOnce()
{
    StoreFixture f;
    ReceptionController c(f.store());
    QVERIFY(c.check(valid()).isEmpty());
    RegistrationInput in;
    in.birthDate = u"2099-01-01"_s;
    in.doctor = u"dr.park"_s; // surgery's, and no department chosen
    const QList<FieldError> errors = c.check(in);
    QCOMPARE(fieldsOf(errors),
             (QList<RegistrationField>{RegistrationField::PatientName, RegistrationField::Department,
                                       RegistrationField::ChiefComplaint, RegistrationField::BirthDate}));
}

void TestReceptionController::datesAsPeopleTypeThem_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QDate>("date");
    QTest::newRow("ISO") << u"1980-05-17"_s << QDate(1980, 5, 17);
    QTest::newRow("dots") << u"1980.05.17"_s << QDate(1980, 5, 17);
    QTest::newRow("digits") << u"19800517"_s << QDate(1980, 5, 17);
    QTest::newRow("spaces") << u" 1980/05/17 "_s << QDate(1980, 5, 17);
    QTest::newRow("month 13") << u"1990-13-01"_s << QDate();
    QTest::newRow("words") << u"yesterday"_s << QDate();
}

void TestReceptionController::datesAsPeopleTypeThem()
{
    QFETCH(QString, typed);
    QFETCH(QDate, date);
    QCOMPARE(ReceptionController::parseBirthDate(typed), date);
    StoreFixture f;
    ReceptionController c(f.store());
    RegistrationInput in = valid();
    in.birthDate = typed;
    const QList<FieldError> errors = c.check(in);
    // Text that is no date is refused, never taken for an unknown birth date.
    QCOMPARE(errors.isEmpty(), date.isValid());
    if (!date.isValid()) {
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.front().field, RegistrationField::BirthDate);
        QVERIFY(!c.registerVisit(in));
        QCOMPARE(f->outbox().size(), 0);
    }
}

void TestReceptionController::unknownBirthDateWithAnEstimate()
{
    StoreFixture f;
    ReceptionController c(f.store());
    RegistrationInput in = valid();
    in.birthDate.clear();
    in.birthUnknown = true;
    in.estimatedAge = 40;
    auto visit = c.registerVisit(in);
    QVERIFY2(visit, qPrintable(visit ? QString() : visit.error().message()));
    const auto reception = f->reception(visit->visitId);
    QVERIFY(reception);
    QVERIFY(reception->patient.birthDate.isNull());
    QCOMPARE(reception->patient.estimatedAgeYears, std::optional<int>(40));

    in.birthDate = u"1980-05-17"_s; // ticked Unknown, and typed a date: one or the other
    QCOMPARE(fieldsOf(c.check(in)), QList<RegistrationField>{RegistrationField::BirthDate});
    in.birthDate.clear();
    in.estimatedAge = 151;
    QCOMPARE(fieldsOf(c.check(in)), QList<RegistrationField>{RegistrationField::BirthDate});
}

void TestReceptionController::registrationTakesTheNextTicket()
{
    StoreFixture f(u"K"_s);
    ReceptionController c(f.store());
    QCOMPARE(c.nextTicket().toString(), u"K-001"_s);
    auto first = c.registerVisit(valid());
    QVERIFY(first);
    QCOMPARE(first->ticket.toString(), u"K-001"_s);
    QCOMPARE(c.nextTicket().toString(), u"K-002"_s);
    RegistrationInput urgent = valid();
    urgent.priority = Priority::Urgent;
    urgent.doctor = u"dr.lee"_s;
    urgent.phone = u" 010-1234-5678 "_s;
    auto second = c.registerVisit(urgent);
    QVERIFY(second);
    const auto reception = f->reception(second->visitId);
    QCOMPARE(toString(reception->priority), u"urgent"_s);
    QCOMPARE(reception->requestedDoctor, u"dr.lee"_s);
    QCOMPARE(reception->patient.phone, u"010-1234-5678"_s);
    QVERIFY(f->isPending(second->visitId));
    QCOMPARE(f->outbox().size(), 2);
}

void TestReceptionController::refusedRegistrationStoresNothing()
{
    StoreFixture f;
    ReceptionController c(f.store());
    RegistrationInput in = valid();
    in.name.clear();
    auto refused = c.registerVisit(in);
    QVERIFY(!refused);
    QCOMPARE(refused.error().code, ErrorCode::PatientNameRequired);
    QCOMPARE(f->outbox().size(), 0);
    QCOMPARE(c.nextTicket().toString(), u"A-001"_s); // no ticket used up
}

void TestReceptionController::cancelAndConfirmGoThroughTheStore()
{
    StoreFixture f;
    FakeServer server;
    ReceptionController c(f.store());
    auto visit = c.registerVisit(valid());
    QVERIFY(visit);
    server.sync(f.store());
    QCOMPARE(c.confirmOutcome(visit->visitId).code(), ErrorCode::VisitOutcomeNotRecorded); // nothing to confirm yet
    auto cancelled = c.cancelVisit(visit->visitId, u"  left  "_s);
    QVERIFY(cancelled);
    QCOMPARE(toString(f->reception(visit->visitId)->status), u"cancelled"_s);
    QCOMPARE(f->reception(visit->visitId)->cancelReason, u"left"_s);
    QCOMPARE(c.cancelVisit(visit->visitId, u"again"_s).code(), ErrorCode::VisitAlreadyCancelled);
}

void TestReceptionController::doctorsOfTheDepartment()
{
    StoreFixture f;
    ReceptionController c(f.store());
    QStringList im;
    for (const Doctor &d : c.doctorsOf(u"IM"_s))
        im.append(d.id);
    QCOMPARE(im, (QStringList{u"dr.kim"_s, u"dr.lee"_s}));
    QVERIFY(c.doctorsOf(u"XX"_s).isEmpty());
    QCOMPARE(c.departments().size(), 4);
}

QTEST_GUILESS_MAIN(TestReceptionController)
#include "TestReceptionController.moc"
