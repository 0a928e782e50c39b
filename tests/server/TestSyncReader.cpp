// SyncReader: the pages of the log a station catches up with. EventBatch.head_sequence is the log's real head,
// whatever the station asked for: one that asks beyond it (pointed at another or a restored server) learns where
// the log really ends, and is never told that events exist that do not.
#include "TempDatabase.h"
#include "domain/Catalogue.h"
#include "gateway/SyncReader.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::server;
using namespace clinicflow::testsupport;

class TestSyncReader : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void emptyLogHasHeadZero();
    void pagesReportTheHeadAndWhetherMoreFollow();
    void requestBeyondTheHeadGetsTheRealHead();

private:
    v1::EventBatch fetch(quint64 after, quint32 limit = 0);

    std::unique_ptr<TempDatabase> m_data;
    std::unique_ptr<SyncReader> m_reader;
};

void TestSyncReader::init()
{
    m_data = std::make_unique<TempDatabase>();
    QVERIFY2(m_data->open(), qPrintable(m_data->error()));
    m_reader = std::make_unique<SyncReader>(m_data->db(), m_data->viewDb(), domain::Catalogue::builtIn(), u"srv"_s);
}

v1::EventBatch TestSyncReader::fetch(quint64 after, quint32 limit)
{
    v1::FetchEvents request;
    request.set_after_sequence(after);
    request.set_limit(limit);
    auto reply = m_reader->events(request, domain::Role::Receptionist);
    if (!reply) {
        qWarning().noquote() << reply.error().message();
        return {};
    }
    return reply->event_batch();
}

void TestSyncReader::emptyLogHasHeadZero()
{
    for (quint64 after : {0ull, 1ull, 1000ull}) {
        const v1::EventBatch batch = fetch(after);
        QCOMPARE(batch.events_size(), 0);
        QCOMPARE(batch.head_sequence(), 0ull);
        QVERIFY(!batch.more());
    }
}

void TestSyncReader::pagesReportTheHeadAndWhetherMoreFollow()
{
    domain::Events events;
    for (int i = 0; i < 5; ++i)
        events.push_back(eventOf(domain::VisitClosed{domain::newId()}));
    QVERIFY2(m_data->append(events), qPrintable(m_data->error()));

    v1::EventBatch first = fetch(0, 2);
    QCOMPARE(first.events_size(), 2);
    QCOMPARE(first.events(0).sequence(), 1ull);
    QCOMPARE(first.head_sequence(), 5ull);
    QVERIFY(first.more());

    v1::EventBatch last = fetch(3, 10);
    QCOMPARE(last.events_size(), 2);
    QCOMPARE(last.events(1).sequence(), 5ull);
    QCOMPARE(last.head_sequence(), 5ull);
    QVERIFY(!last.more());

    v1::EventBatch atHead = fetch(5);
    QCOMPARE(atHead.events_size(), 0);
    QCOMPARE(atHead.head_sequence(), 5ull);
    QVERIFY(!atHead.more());
}

void TestSyncReader::requestBeyondTheHeadGetsTheRealHead()
{
    domain::Events events;
    for (int i = 0; i < 3; ++i)
        events.push_back(eventOf(domain::VisitClosed{domain::newId()}));
    QVERIFY2(m_data->append(events), qPrintable(m_data->error()));

    const v1::EventBatch beyond = fetch(1003);
    QCOMPARE(beyond.events_size(), 0);
    QCOMPARE(beyond.head_sequence(), 3ull); // not 1003: no events exist beyond 3
    QVERIFY(!beyond.more());
}

QTEST_GUILESS_MAIN(TestSyncReader)
#include "TestSyncReader.moc"
