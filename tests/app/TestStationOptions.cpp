// How a workstation learns who it is: the command line (checked value by value, with a sentence for what cannot be
// right), the setup dialog (which keeps nothing it would refuse), and the settings it saves for the next start.
#include "Language.h"
#include "SetupDialog.h"
#include "StationOptions.h"

#include <QComboBox>
#include <QCommandLineParser>
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

} // namespace

class TestStationOptions : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void commandLine();
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
    QVERIFY(o->isComplete());

    auto doctor = parse({u"--role"_s, u"doctor"_s, u"--station"_s, u"D1"_s, u"--server"_s, u"tcp://host:7470"_s,
                         u"--pub"_s, u"tcp://host:9000"_s},
                        &error);
    QVERIFY(doctor);
    QVERIFY(!doctor->isComplete()); // a doctor's room needs its doctor
    QCOMPARE(doctor->publishEndpoint(), u"tcp://host:9000"_s);
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
    o.save();
    const StationOptions back = StationOptions::load();
    QCOMPARE(back.station, o.station);
    QCOMPARE(back.server, o.server);
    QCOMPARE(back.doctor, o.doctor);
    QCOMPARE(back.language, o.language);
    QCOMPARE(back.examTypes, o.examTypes);
    QCOMPARE(domain::toString(back.role), u"doctor"_s);
}

void TestStationOptions::setupDialogKeepsOnlyWhatWorks()
{
    SetupDialog dialog(StationOptions{}, domain::Catalogue::builtIn());
    auto *server = dialog.findChild<QLineEdit *>(u"setupServer"_s);
    auto *station = dialog.findChild<QLineEdit *>(u"setupStation"_s);
    auto *role = dialog.findChild<QComboBox *>(u"setupRole"_s);
    auto *doctor = dialog.findChild<QComboBox *>(u"setupDoctor"_s);
    QVERIFY(server && station && role && doctor);
    dialog.show();
    QTest::keyClicks(server, u"clinic-server"_s); // no scheme, no port
    QTest::keyClicks(station, u"1A"_s);
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Rejected)); // still open
    const auto errors = dialog.findChildren<QLabel *>();
    int shown = 0;
    for (const QLabel *label : errors)
        shown += label->isVisible() && label->text().contains(u"tcp://"_s) ? 1 : 0;
    QCOMPARE(shown, 1);

    server->clear();
    QTest::keyClicks(server, u"tcp://clinic-server:7470"_s);
    station->clear();
    QTest::keyClicks(station, u"d1"_s);
    role->setCurrentIndex(role->findData(u"doctor"_s));
    QVERIFY(doctor->isVisible()); // a doctor's room chooses its doctor
    doctor->setCurrentIndex(doctor->findData(u"dr.lee"_s));
    dialog.accept();
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    const StationOptions chosen = dialog.options();
    QCOMPARE(chosen.station, u"D1"_s);
    QCOMPARE(chosen.doctor, u"dr.lee"_s);
    QVERIFY(chosen.isComplete());
}

// A station whose system speaks neither language (LANG=C on a fresh machine, a German desktop) shows English with
// its plural forms ("1 visit"), never the source texts ("1 visit(s)"); Korean, chosen or from the system, is Korean.
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
