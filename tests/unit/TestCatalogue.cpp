// The roster as the domain sees it: the built-in catalogue, catalogue validation, and the saga's doctor assignment
// (ARCHITECTURE §3 step 2: the requested doctor, else the least-loaded in the department).
#include "support/DomainFixtures.h"

#include <QTest>

using namespace clinicflow::domain;
using namespace clinicflow::domain::fixtures;
using namespace Qt::StringLiterals;

namespace {

Catalogue small()
{
    return Catalogue({{u"IM"_s, u"Internal medicine"_s}, {u"RAD"_s, u"Radiology"_s}},
                     {{u"dr.a"_s, u"A"_s, u"IM"_s}, {u"dr.b"_s, u"B"_s, u"IM"_s}, {u"dr.c"_s, u"C"_s, u"IM"_s}},
                     {{u"BLOOD"_s, u"Blood test"_s}});
}

} // namespace

class TestCatalogue : public QObject
{
    Q_OBJECT

private slots:
    void builtInIsValid();
    void builtInHasTheCommonExaminations();
    void lookups();
    void brokenCatalogues_data();
    void brokenCatalogues();
    void assignDoctor_data();
    void assignDoctor();
};

void TestCatalogue::builtInIsValid()
{
    const Catalogue catalogue = Catalogue::builtIn();
    QCOMPARE(catalogue.validate().code(), ErrorCode::None);
    QVERIFY(!catalogue.departments().isEmpty());
    // Every department can see a patient: a registration there never stalls for want of a doctor.
    for (const Department &d : catalogue.departments())
        QVERIFY2(!catalogue.doctorsOf(d.code).isEmpty(), qPrintable(d.code));
    QCOMPARE(catalogue, Catalogue::builtIn());
}

void TestCatalogue::builtInHasTheCommonExaminations()
{
    // ARCHITECTURE §2: blood, urine, x-ray, CT, MRI, ECG, ultrasound.
    const Catalogue catalogue = Catalogue::builtIn();
    for (const QString &code : {u"BLOOD"_s, u"URINE"_s, u"XRAY"_s, u"CT"_s, u"MRI"_s, u"ECG"_s, u"US"_s}) {
        const ExaminationType *type = catalogue.examination(code);
        QVERIFY2(type, qPrintable(code));
        QVERIFY(!type->name.isEmpty());
    }
}

void TestCatalogue::lookups()
{
    const Catalogue catalogue = small();
    QVERIFY(catalogue.department(u"IM"_s));
    QCOMPARE(catalogue.department(u"IM"_s)->name, u"Internal medicine"_s);
    QVERIFY(!catalogue.department(u"im"_s));
    QCOMPARE(catalogue.doctor(u"dr.b"_s)->department, u"IM"_s);
    QVERIFY(!catalogue.doctor(u"dr.z"_s));
    QVERIFY(!catalogue.examination(u"CT"_s));
    const QList<Doctor> im = catalogue.doctorsOf(u"IM"_s);
    QCOMPARE(im.size(), 3);
    QCOMPARE(im.front().id, u"dr.a"_s); // roster order is kept: it breaks ties
    QVERIFY(catalogue.doctorsOf(u"RAD"_s).isEmpty());
    QVERIFY(catalogue.doctorsOf(u"XX"_s).isEmpty());
    QCOMPARE(Catalogue().validate().code(), ErrorCode::None); // empty, but consistent
}

void TestCatalogue::brokenCatalogues_data()
{
    QTest::addColumn<Catalogue>("catalogue");
    const QList<Department> im{{u"IM"_s, u"Internal medicine"_s}};
    const QList<Doctor> kim{{u"dr.kim"_s, u"Kim"_s, u"IM"_s}};
    const QList<ExaminationType> blood{{u"BLOOD"_s, u"Blood test"_s}};

    QTest::newRow("duplicate department") << Catalogue(im + im, kim, blood);
    QTest::newRow("empty department code") << Catalogue(im + QList<Department>{{{}, u"X"_s}}, kim, blood);
    QTest::newRow("duplicate doctor") << Catalogue(im, kim + kim, blood);
    QTest::newRow("empty doctor id") << Catalogue(im, kim + QList<Doctor>{{{}, u"X"_s, u"IM"_s}}, blood);
    QTest::newRow("doctor in unknown department")
        << Catalogue(im, kim + QList<Doctor>{{u"dr.x"_s, u"X"_s, u"GS"_s}}, blood);
    QTest::newRow("duplicate examination") << Catalogue(im, kim, blood + blood);
    QTest::newRow("empty examination code") << Catalogue(im, kim, blood + QList<ExaminationType>{{{}, u"X"_s}});
}

void TestCatalogue::brokenCatalogues()
{
    QFETCH(Catalogue, catalogue);
    const auto result = catalogue.validate();
    QVERIFY(!result.ok());
    QVERIFY(result.code() != ErrorCode::None);
    QVERIFY(!result.error().message().isEmpty());
}

void TestCatalogue::assignDoctor_data()
{
    QTest::addColumn<QString>("department");
    QTest::addColumn<QString>("requested");
    QTest::addColumn<DoctorLoads>("loads");
    QTest::addColumn<ErrorCode>("error");
    QTest::addColumn<QString>("doctor");
    using E = ErrorCode;

    QTest::newRow("requested, however busy")
        << u"IM"_s << u"dr.c"_s << DoctorLoads{{u"dr.c"_s, 9}} << E::None << u"dr.c"_s;
    QTest::newRow("requested, unknown") << u"IM"_s << u"dr.z"_s << DoctorLoads{} << E::UnknownDoctor << QString();
    QTest::newRow("requested, other department")
        << u"RAD"_s << u"dr.a"_s << DoctorLoads{} << E::DoctorNotInDepartment << QString();
    QTest::newRow("unknown department") << u"XX"_s << QString() << DoctorLoads{} << E::UnknownDepartment << QString();
    QTest::newRow("unknown department, requested doctor")
        << u"XX"_s << u"dr.a"_s << DoctorLoads{} << E::UnknownDepartment << QString();
    QTest::newRow("department without doctors")
        << u"RAD"_s << QString() << DoctorLoads{} << E::NoDoctorAvailable << QString();
    QTest::newRow("nobody busy: first in roster") << u"IM"_s << QString() << DoctorLoads{} << E::None << u"dr.a"_s;
    QTest::newRow("least loaded") << u"IM"_s << QString() << DoctorLoads{{u"dr.a"_s, 2}, {u"dr.b"_s, 1}, {u"dr.c"_s, 3}}
                                  << E::None << u"dr.b"_s;
    QTest::newRow("absent from loads means idle")
        << u"IM"_s << QString() << DoctorLoads{{u"dr.a"_s, 1}, {u"dr.b"_s, 1}} << E::None << u"dr.c"_s;
    QTest::newRow("tie: roster order wins")
        << u"IM"_s << QString() << DoctorLoads{{u"dr.a"_s, 2}, {u"dr.b"_s, 1}, {u"dr.c"_s, 1}} << E::None << u"dr.b"_s;
    QTest::newRow("tie at zero: first in roster")
        << u"IM"_s << QString() << DoctorLoads{{u"dr.a"_s, 0}, {u"dr.b"_s, 0}} << E::None << u"dr.a"_s;
    QTest::newRow("loads elsewhere do not count")
        << u"IM"_s << QString() << DoctorLoads{{u"dr.x"_s, -5}, {u"dr.a"_s, 1}, {u"dr.b"_s, 1}} << E::None << u"dr.c"_s;
}

void TestCatalogue::assignDoctor()
{
    QFETCH(QString, department);
    QFETCH(QString, requested);
    QFETCH(DoctorLoads, loads);
    QFETCH(ErrorCode, error);
    QFETCH(QString, doctor);
    const auto result = clinicflow::domain::assignDoctor(small(), department, requested, loads);
    QCOMPARE(result.code(), error);
    if (result.ok())
        QCOMPARE(result.value(), doctor);
}

QTEST_GUILESS_MAIN(TestCatalogue)
#include "TestCatalogue.moc"
