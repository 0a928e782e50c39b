// How a workstation learns who it is: its enrolment file (imported from the command line or the setup dialog, and
// kept readable by the user only), the command line (checked value by value, with a sentence for what cannot be
// right), the setup dialog (which keeps nothing it would refuse), and the settings it saves for the next start.
#include "Language.h"
#include "SetupDialog.h"
#include "StationOptions.h"

#include <QComboBox>
#include <QCommandLineParser>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::client;

namespace {

std::optional<StationOptions> parse(const QStringList &args, QString *error)
{
    QCommandLineParser parser;
    StationOptions::addTo(parser);
    if (!parser.parse(QStringList{u"clinicflow"_s} + args)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    return StationOptions::fromParser(parser, {}, error);
}

// An enrolment as `clinicflow-server enrol` writes it.
security::Enrolment enrolment(const QString &station, domain::Role role, const QString &doctor = {})
{
    security::Enrolment e;
    e.station = station;
    e.role = role;
    e.name = station;
    e.doctor = doctor;
    e.serverAddress = u"10.0.0.5"_s;
    e.port = 7470;
    e.pubPort = 7471;
    e.keys = {security::KeyPair::generate().publicKey, security::KeyPair::generate()};
    return e;
}

} // namespace

class TestStationOptions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void commandLine();
    void enrolmentFromTheCommandLine();
    void badValuesAreSaidPlainly_data();
    void badValuesAreSaidPlainly();
    void settingsRoundTrip();
    void setupDialogKeepsOnlyWhatWorks();
    void languageWithItsCatalogueWhateverTheSystemLocale();

private:
    QTemporaryDir m_settings;
};

void TestStationOptions::initTestCase()
{
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, m_settings.path()); // never the user's own
}

void TestStationOptions::commandLine()
{
    QString error;
    auto o = parse({u"--role"_s, u"examiner"_s, u"--station"_s, u"l1"_s, u"--server"_s, u"tcp://10.0.0.5:7470"_s,
                    u"--exam-types"_s, u"xray, CT"_s, u"--data"_s, u"/srv/stations"_s},
                   &error);
    QVERIFY2(o, qPrintable(error));
    QCOMPARE(domain::toString(o->role), u"examiner"_s);
    QCOMPARE(o->station, u"L1"_s); // as a ticket carries it
    QCOMPARE(o->publishEndpoint(), u"tcp://10.0.0.5:7471"_s);
    QCOMPARE(o->examTypes, (QSet<QString>{u"XRAY"_s, u"CT"_s}));
    QCOMPARE(o->storePath(), u"/srv/stations/station-L1.sqlite"_s);
    QVERIFY(!o->isComplete()); // no enrolment: it could not connect

    auto doctor = parse({u"--role"_s, u"doctor"_s, u"--station"_s, u"D1"_s, u"--server"_s, u"tcp://host:7470"_s,
                         u"--pub"_s, u"tcp://host:9000"_s},
                        &error);
    QVERIFY(doctor);
    QVERIFY(!doctor->isComplete()); // a doctor's room needs its doctor
    QCOMPARE(doctor->publishEndpoint(), u"tcp://host:9000"_s);
}

// The enrolment says who the station is and where its server is; the app keeps a copy beside the store, the user's
// alone, and the station opens from that copy.
void TestStationOptions::enrolmentFromTheCommandLine()
{
    QTemporaryDir folder;
    const QString given = folder.filePath(u"D1.enrolment.json"_s);
    const auto e = enrolment(u"D1"_s, domain::Role::Doctor, u"dr.lee"_s);
    QVERIFY(e.save(given));
    QString error;
    auto o = parse({u"--enrolment"_s, given, u"--data"_s, folder.filePath(u"stations"_s)}, &error);
    QVERIFY2(o, qPrintable(error));
    QCOMPARE(o->station, u"D1"_s);
    QCOMPARE(domain::toString(o->role), u"doctor"_s);
    QCOMPARE(o->doctor, u"dr.lee"_s);
    QCOMPARE(o->server, u"tcp://10.0.0.5:7470"_s);
    QCOMPARE(o->publishEndpoint(), u"tcp://10.0.0.5:7471"_s);
    QVERIFY(o->isComplete());
    QCOMPARE(o->enrolment, folder.filePath(u"stations/enrolment-D1.json"_s));
    QCOMPARE(QFile::permissions(o->enrolment) &
                 ~(QFile::ReadUser | QFile::WriteUser | QFile::ReadOwner | QFile::WriteOwner),
             QFile::Permissions());
    const auto kept = o->loadEnrolment();
    QVERIFY(kept);
    QCOMPARE(kept->keys.station.secretKey, e.keys.station.secretKey);

    // Another station or role than the enrolment's is refused; so is a file that is not an enrolment.
    QVERIFY(!parse({u"--enrolment"_s, given, u"--station"_s, u"D2"_s}, &error));
    QVERIFY2(error.contains(u"D1"_s), qPrintable(error));
    QVERIFY(!parse({u"--enrolment"_s, given, u"--role"_s, u"board"_s}, &error));
    const QString garbage = folder.filePath(u"garbage.json"_s);
    QFile file(garbage);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write("{\"station\": \"A\"}") > 0);
    file.close();
    QVERIFY(!parse({u"--enrolment"_s, garbage}, &error));
    QVERIFY2(error.contains(u"not a ClinicFlow enrolment"_s), qPrintable(error));
}

void TestStationOptions::badValuesAreSaidPlainly_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("said");
    QTest::newRow("role") << QStringList{u"--role"_s, u"nurse"_s} << u"--role: nurse is not"_s;
    QTest::newRow("station") << QStringList{u"--station"_s, u"9AB"_s} << u"--station: 9AB is not a station code"_s;
    QTest::newRow("long station") << QStringList{u"--station"_s, u"ABCDE"_s} << u"is not a station code"_s;
    QTest::newRow("server") << QStringList{u"--server"_s, u"10.0.0.5:7470"_s} << u"--server: 10.0.0.5:7470 is not"_s;
}

void TestStationOptions::badValuesAreSaidPlainly()
{
    QFETCH(QStringList, args);
    QFETCH(QString, said);
    QString error;
    QVERIFY(!parse(args, &error));
    QVERIFY2(error.contains(said), qPrintable(error));
}

void TestStationOptions::settingsRoundTrip()
{
    StationOptions o;
    o.role = domain::Role::Doctor;
    o.station = u"D2"_s;
    o.server = u"tcp://clinic:7470"_s;
    o.doctor = u"dr.lee"_s;
    o.language = u"ko"_s;
    o.examTypes = {u"ECG"_s};
    o.enrolment = u"/home/desk/.local/share/clinicflow/enrolment-D2.json"_s;
    o.save();
    const StationOptions back = StationOptions::load();
    QCOMPARE(back.station, o.station);
    QCOMPARE(back.server, o.server);
    QCOMPARE(back.doctor, o.doctor);
    QCOMPARE(back.language, o.language);
    QCOMPARE(back.examTypes, o.examTypes);
    QCOMPARE(back.enrolment, o.enrolment);
    QCOMPARE(domain::toString(back.role), u"doctor"_s);
}

void TestStationOptions::setupDialogKeepsOnlyWhatWorks()
{
    QTemporaryDir folder;
    StationOptions start;
    start.dataDir = folder.filePath(u"stations"_s);
    SetupDialog dialog(start, domain::Catalogue::builtIn());
    auto *server = dialog.findChild<QLineEdit *>(u"setupServer"_s);
    auto *station = dialog.findChild<QLineEdit *>(u"setupStation"_s);
    auto *role = dialog.findChild<QComboBox *>(u"setupRole"_s);
    auto *doctor = dialog.findChild<QComboBox *>(u"setupDoctor"_s);
    auto *enrolmentLabel = dialog.findChild<QLabel *>(u"setupEnrolment"_s);
    QVERIFY(server && station && role && doctor && enrolmentLabel);
    dialog.show();
    const auto shownErrors = [&dialog](const QString &containing) {
        int shown = 0;
        for (const QLabel *label : dialog.findChildren<QLabel *>())
            shown += label->isVisible() && label->text().contains(containing) ? 1 : 0;
        return shown;
    };

    // Without an enrolment the station could not connect: not accepted, and it says what to do.
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected));
    QCOMPARE(shownErrors(u"enrolment file first"_s), 1);

    // A file that is not an enrolment is not imported, and says why.
    const QString garbage = folder.filePath(u"notes.json"_s);
    QFile file(garbage);
    QVERIFY(file.open(QIODevice::WriteOnly) && file.write("[]") > 0);
    file.close();
    QVERIFY(!dialog.importFrom(garbage));
    QCOMPARE(shownErrors(u"not a ClinicFlow enrolment"_s), 1);

    // The enrolment fills the station, its role and its doctor, which cannot be changed here.
    const QString given = folder.filePath(u"D1.enrolment.json"_s);
    QVERIFY(enrolment(u"D1"_s, domain::Role::Doctor, u"dr.lee"_s).save(given));
    QVERIFY(dialog.importFrom(given));
    QCOMPARE(station->text(), u"D1"_s);
    QCOMPARE(role->currentData().toString(), u"doctor"_s);
    QCOMPARE(doctor->currentData().toString(), u"dr.lee"_s);
    QVERIFY(doctor->isVisible());
    QVERIFY(!station->isEnabled() && !role->isEnabled() && !doctor->isEnabled());
    QVERIFY2(enrolmentLabel->text().contains(u"D1"_s), qPrintable(enrolmentLabel->text()));
    QCOMPARE(server->text(), u"tcp://10.0.0.5:7470"_s);

    // The server's address may be another name for it from here, but it must be an address.
    server->clear();
    QTest::keyClicks(server, u"clinic-server"_s); // no scheme, no port
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected)); // still open
    QCOMPARE(shownErrors(u"tcp://"_s), 1);
    server->clear();
    QTest::keyClicks(server, u"tcp://clinic-server:7470"_s);
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const StationOptions chosen = dialog.options();
    QCOMPARE(chosen.station, u"D1"_s);
    QCOMPARE(chosen.doctor, u"dr.lee"_s);
    QCOMPARE(chosen.server, u"tcp://clinic-server:7470"_s);
    QVERIFY(chosen.isComplete());
}

void TestStationOptions::languageWithItsCatalogueWhateverTheSystemLocale()
{
    const auto visits = [](int n) {
        return QCoreApplication::translate("clinicflow::client::BoardScreen", "%1 · %n visit(s)",
                                           "the date, then how many visits the board lists", n)
            .arg(u"today"_s);
    };
    Language language;
    language.apply(u"en"_s);
    QCOMPARE(language.current(), u"en"_s);
    QCOMPARE(visits(1), u"today · 1 visit"_s);
    QCOMPARE(visits(3), u"today · 3 visits"_s);
    language.apply(u"ko"_s);
    QCOMPARE(language.current(), u"ko"_s);
    QCOMPARE(visits(3), u"today · 환자 3명"_s);
    QCOMPARE(QLocale().language(), QLocale::Korean);
    language.apply({}); // the system's: this test runs with LC_ALL=C (see CMakeLists), a locale we have no words for
    QCOMPARE(language.current(), u"en"_s);
    QCOMPARE(visits(1), u"today · 1 visit"_s);
    QCOMPARE(QLocale().language(), QLocale::English);
}

QTEST_MAIN(TestStationOptions)
#include "TestStationOptions.moc"
