// ARCHITECTURE §7: an action still in a workstation's outbox survives kill -9 of the client. This test runs its own
// binary as a child that registers visits (or catches up on events) and reports each one on stdout only after the
// store returned; the parent SIGKILLs it mid-stream, reopens the file and finds every reported action exactly once,
// the ticket counter intact, and the replica consistent with its stored events.
#include "store/StoreRows.h"
#include "support/StoreHarness.h"

#include <QCoreApplication>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTest>
#include <cstdio>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

namespace {

std::unique_ptr<LocalStore> openOrDie(const QString &path)
{
    auto opened = LocalStore::open(path);
    if (!opened) {
        std::fprintf(stderr, "child: %s\n", qPrintable(opened.error().message()));
        std::exit(2);
    }
    return std::move(opened.value());
}

// Child: registers until killed, one line per durable registration: "<command id> <visit id> <ticket>".
int registerUntilKilled(const QString &path)
{
    auto store = openOrDie(path);
    if (store->stationCode().isEmpty() && !store->setStationCode(u"A"_s))
        return 2;
    for (int n = 0; n < 9999; ++n) {
        auto visit = store->registerVisit(registration(u"Patient %1"_s.arg(n)));
        if (!visit)
            return 3;
        std::printf("%s %s %s\n", qPrintable(idString(visit->commandId)), qPrintable(idString(visit->visitId)),
                    qPrintable(visit->ticket.toString()));
        std::fflush(stdout);
    }
    return 0;
}

// Child: catches up on a server's log in batches of 50 until killed; "<last sequence>" after each batch.
int catchUpUntilKilled(const QString &path)
{
    auto store = openOrDie(path);
    FakeServer server;
    for (int n = 1; n <= 1000; ++n) {
        RegisterVisit r = registration(u"Patient %1"_s.arg(n));
        r.receptionId = newId();
        r.ticket = Ticket{u"B"_s, n};
        server.act(r, u"B"_s, startTime());
    }
    const QList<Event> all = server.eventsAfter(0);
    for (qsizetype i = 0; i < all.size(); i += 50) {
        if (!store->applyEvents(all.mid(i, 50)))
            return 3;
        std::printf("%llu\n", static_cast<unsigned long long>(store->lastSequence()));
        std::fflush(stdout);
    }
    return 0;
}

// Starts the child, reads its complete lines until it has reported `atLeast`, then SIGKILLs it.
QStringList runAndKill(const char *mode, const QString &path, int atLeast)
{
    QProcess child;
    child.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    child.start(QCoreApplication::applicationFilePath(), {QString::fromLatin1(mode), path});
    if (!child.waitForStarted(10000))
        return {};
    QByteArray out;
    while (out.count('\n') < atLeast && child.state() == QProcess::Running) {
        child.waitForReadyRead(10000);
        out += child.readAllStandardOutput();
    }
    child.kill(); // SIGKILL: no destructor, no close, no flush of anything not committed
    child.waitForFinished(10000);
    out += child.readAllStandardOutput();
    QStringList lines = QString::fromUtf8(out).split(u'\n');
    lines.removeLast(); // the text after the last newline: empty, or a line cut short by the kill
    return lines;
}

} // namespace

class TestLocalStoreCrash : public QObject
{
    Q_OBJECT

private slots:
    void reportedRegistrationsSurviveKill();
    void catchUpSurvivesKill();
};

void TestLocalStoreCrash::reportedRegistrationsSurviveKill()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"station-A.sqlite"_s);
    QStringList reported;
    // Three lives of the app on one file: each is killed mid-stream and the next carries on from what was durable.
    for (int killAfter : {40, 75, 110}) {
        const QStringList lines = runAndKill("--register-child", path, killAfter);
        QVERIFY2(lines.size() >= killAfter, qPrintable(u"child reported only %1"_s.arg(lines.size())));
        reported += lines;

        auto store = LocalStore::open(path);
        QVERIFY(store);
        const QList<OutboxRecord> outbox = store.value()->outbox();
        QHash<QUuid, int> seen;
        for (const OutboxRecord &r : outbox)
            ++seen[r.commandId];
        QSet<QString> tickets;
        for (const QString &line : std::as_const(reported)) {
            const QStringList parts = line.split(u' ');
            QCOMPARE(parts.size(), 3);
            const QUuid commandId = idFromString(parts[0]);
            QCOMPARE(seen.value(commandId), 1); // there, exactly once
            const auto row = store.value()->visit(idFromString(parts[1]));
            QVERIFY(row);
            QCOMPARE(row->ticket, parts[2]);
            tickets.insert(parts[2]);
        }
        QCOMPARE(tickets.size(), reported.size()); // no ticket given twice, across kills
        // At most the one registration that committed before its line could be printed is unreported.
        QVERIFY(outbox.size() >= reported.size() && outbox.size() <= reported.size() + 1);
        QCOMPARE(store.value()->pendingCount(), int(outbox.size()));
        QCOMPARE(store.value()->nextTicket().number, int(outbox.size()) + 1);
        for (int i = 0; i < outbox.size(); ++i)
            QCOMPARE(outbox[i].state, OutboxState::Pending);
        if (outbox.size() > reported.size()) { // count the unreported one as the next life's first
            const OutboxRecord &extra = outbox.constLast();
            reported.append(u"%1 %2 %3"_s.arg(idString(extra.commandId), idString(extra.visitId),
                                              store.value()->visit(extra.visitId)->ticket));
        }
    }
}

void TestLocalStoreCrash::catchUpSurvivesKill()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(u"station-B.sqlite"_s);
    const QStringList lines = runAndKill("--catchup-child", path, 20);
    QVERIFY(lines.size() >= 20);
    const quint64 reported = lines.constLast().toULongLong();

    auto store = LocalStore::open(path);
    QVERIFY(store);
    const quint64 last = store.value()->lastSequence();
    QVERIFY(last >= reported);
    QCOMPARE(last % 50, quint64(0)); // whole batches only: one transaction per call
    // The stored rows are exactly the projection of the stored events.
    StoreFixture replay;
    QList<Event> stored;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, u"crash-reader"_s);
        db.setDatabaseName(path);
        QVERIFY(db.open());
        QSqlQuery q(db);
        QVERIFY(q.exec(u"SELECT body FROM events ORDER BY sequence"_s));
        while (q.next())
            stored.append(rows::decodeEvent(q.value(0).toByteArray()).value());
    }
    QSqlDatabase::removeDatabase(u"crash-reader"_s);
    QCOMPARE(quint64(stored.size()), last);
    QCOMPARE(replay->applyEvents(stored).value(), int(last));
    QCOMPARE(store.value()->stateHash(), replay->stateHash());
    QCOMPARE(store.value()->visitIds().size(), int((last + 2) / 3)); // three events per visit, batches of 50
}

int main(int argc, char **argv)
{
    if (argc == 3 && (qstrcmp(argv[1], "--register-child") == 0 || qstrcmp(argv[1], "--catchup-child") == 0)) {
        QCoreApplication app(argc, argv);
        const QString path = QString::fromLocal8Bit(argv[2]);
        return qstrcmp(argv[1], "--register-child") == 0 ? registerUntilKilled(path) : catchUpUntilKilled(path);
    }
    QCoreApplication app(argc, argv);
    TestLocalStoreCrash test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "TestLocalStoreCrash.moc"
