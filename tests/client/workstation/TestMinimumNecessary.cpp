// Minimum necessary (docs/protocol.md, "Who receives what"), seen where it matters: on the workstations' disks.
// A desk registers a patient; once every station has caught up (by events on PUB and by FetchEvents), the files of
// each station's store hold what its role may read and nothing more: the examiner's no phone, address or complaint,
// the board's not even a birth date, the doctor's no phone or address. The desk's, which registered it, has all.
#include "ServerProcess.h"
#include "TestCommands.h"
#include "TestStation.h"
#include "WorkstationHarness.h"
#include "station/Workstation.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::domain;
using namespace clinicflow::testsupport;

namespace {

// Everything of a store on disk: the database and its write-ahead log.
QByteArray storeBytes(const QString &path)
{
    QByteArray bytes;
    for (const QString &file : {path, path + u"-wal"_s}) {
        QFile f(file);
        if (f.open(QIODevice::ReadOnly))
            bytes += f.readAll();
    }
    return bytes;
}

} // namespace

class TestMinimumNecessary : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachStoreHoldsWhatItsRoleMayRead();
};

void TestMinimumNecessary::eachStoreHoldsWhatItsRoleMayRead()
{
    ServerProcess server;
    QVERIFY2(server.start(), qPrintable(server.errorString()));
    QTemporaryDir stores;
    // The examiner and the board join before the registration (PUB), the doctor after it (FetchEvents).
    auto desk = openWorkstation(server, stores.filePath(u"desk.sqlite"_s), u"A"_s, Role::Receptionist);
    auto examiner = openWorkstation(server, stores.filePath(u"examiner.sqlite"_s), u"L1"_s, Role::Examiner);
    auto board = openWorkstation(server, stores.filePath(u"board.sqlite"_s), u"B1"_s, Role::Board);
    QVERIFY(desk && examiner && board);
    for (client::Workstation *s : {desk.get(), examiner.get(), board.get()})
        s->start();
    QTRY_VERIFY_WITH_TIMEOUT(examiner->state() == client::ConnectionState::Online &&
                                 board->state() == client::ConnectionState::Online,
                             15000);

    TestStation probe;
    probe.connect(server.port());
    QVERIFY2(probe.hello(u"A"_s, v1::ROLE_RECEPTIONIST), qPrintable(probe.lastError()));
    RegisterVisit visit = registerVisit();
    visit.patient.phone = u"010-7777-0142"_s;
    visit.patient.address = u"42 Minimum Street"_s;
    visit.chiefComplaint = u"a complaint only doctors read"_s;
    visit.patient.birthDate = QDate(1961, 2, 3);
    QVERIFY(probe.submitAndWait(visit).applied);

    auto doctor = openWorkstation(server, stores.filePath(u"doctor.sqlite"_s), u"D1"_s, Role::Doctor);
    QVERIFY(doctor);
    doctor->start();
    const QString behind = waitConverged(probe, {desk.get(), examiner.get(), board.get(), doctor.get()});
    QVERIFY2(behind.isEmpty(), qPrintable(behind));
    for (auto *s : {desk.get(), examiner.get(), board.get(), doctor.get()})
        s->stop();
    desk.reset();
    examiner.reset();
    board.reset();
    doctor.reset();

    const QByteArray phone = "010-7777-0142", address = "42 Minimum Street", complaint = "only doctors read";
    const QByteArray name = "Integration Patient";
    const QByteArray atDesk = storeBytes(stores.filePath(u"desk.sqlite"_s));
    const QByteArray atExaminer = storeBytes(stores.filePath(u"examiner.sqlite"_s));
    const QByteArray atBoard = storeBytes(stores.filePath(u"board.sqlite"_s));
    const QByteArray atDoctor = storeBytes(stores.filePath(u"doctor.sqlite"_s));
    // Each store has the patient's name: the search below would find the rest if it were there.
    for (const QByteArray *store : {&atDesk, &atExaminer, &atBoard, &atDoctor})
        QVERIFY(store->contains(name));
    QVERIFY(atDesk.contains(phone) && atDesk.contains(address) && atDesk.contains(complaint));
    QVERIFY(atDoctor.contains(complaint));
    QVERIFY2(!atDoctor.contains(phone) && !atDoctor.contains(address), "the doctor's store holds a phone or address");
    QVERIFY2(!atExaminer.contains(phone) && !atExaminer.contains(address) && !atExaminer.contains(complaint),
             "the examiner's store holds a phone, an address or a complaint");
    QVERIFY2(!atBoard.contains(phone) && !atBoard.contains(address) && !atBoard.contains(complaint),
             "the board's store holds a phone, an address or a complaint");
}

QTEST_GUILESS_MAIN(TestMinimumNecessary)
#include "TestMinimumNecessary.moc"
