#include "WorkstationHarness.h"

#include "proto/ConvertView.h"
#include "store/LocalStore.h"

#include <QElapsedTimer>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::client::Workstation;

namespace clinicflow::testsupport {

std::unique_ptr<Workstation> openWorkstation(const ServerProcess &server, const QString &storePath,
                                             const QString &station, Role role)
{
    client::WorkstationSettings settings;
    settings.storePath = storePath;
    settings.station = station;
    settings.role = role;
    settings.requestEndpoint = u"tcp://127.0.0.1:%1"_s.arg(server.port());
    settings.publishEndpoint = u"tcp://127.0.0.1:%1"_s.arg(server.pubPort());
    if (const auto enrolment = server.enrol(station, role))
        settings.keys = enrolment->keys;
    auto opened = Workstation::open(settings);
    if (!opened) {
        qWarning().noquote() << "cannot open the workstation:" << opened.error().message();
        return nullptr;
    }
    return std::move(opened).value();
}

QString waitConverged(TestStation &probe, const QList<Workstation *> &stations, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    QString behind;
    quint64 lastHead = 0;
    int stableRounds = 0;
    while (clock.elapsed() < timeoutMs) {
        QTest::qWait(200);
        behind.clear();
        const auto pong = probe.ping(2s);
        if (!pong) {
            behind = u"the server does not answer a Ping"_s;
            continue;
        }
        const quint64 head = pong->head_sequence();
        stableRounds = head == lastHead ? stableRounds + 1 : 0;
        lastHead = head;
        for (const Workstation *station : stations) {
            const auto &store = station->store();
            if (store.pendingCount() > 0 || store.lastSequence() != head)
                behind += u"station %1: %2 pending, at %3 of %4; "_s.arg(store.stationCode())
                              .arg(store.pendingCount())
                              .arg(store.lastSequence())
                              .arg(head);
        }
        const SnapshotRead view = probe.fetchSnapshot(0, 10s);
        if (!view.ok || view.sequence != head)
            behind += u"the server's view is at %1 of %2; "_s.arg(view.sequence).arg(head);
        // Saga reactions follow applied commands for a while: settled means the head held still for a second.
        if (behind.isEmpty() && stableRounds >= 5)
            return {};
        if (behind.isEmpty())
            behind = u"the head is still moving (%1)"_s.arg(head);
    }
    return behind;
}

QString compareWithServerView(TestStation &probe, const Workstation &station)
{
    const SnapshotRead view = probe.fetchSnapshot(0, 30s);
    if (!view.ok)
        return u"no snapshot from the server: "_s + probe.lastError();
    const auto &store = station.store();
    QStringList differences;
    QSet<QUuid> seen;
    for (const v1::VisitStatus &wire : view.visits) {
        auto row = proto::fromProto(wire);
        if (!row)
            return u"unreadable snapshot row: "_s + row.error().message();
        seen.insert(row->visitId);
        const auto local = store.confirmedVisit(row->visitId);
        if (!local)
            differences +=
                u"%1 (%2) missing at station %3"_s.arg(idString(row->visitId), row->ticket, store.stationCode());
        else if (!(*local == row.value()))
            differences +=
                u"%1 (%2) differs at station %3: local %4/%5 seq %6, server %7/%8 seq %9"_s
                    .arg(idString(row->visitId), row->ticket, store.stationCode(), toString(local->receptionStatus),
                         local->diagnosisStatus ? toString(*local->diagnosisStatus) : u"-"_s)
                    .arg(local->lastSequence)
                    .arg(toString(row->receptionStatus),
                         row->diagnosisStatus ? toString(*row->diagnosisStatus) : u"-"_s)
                    .arg(row->lastSequence);
        if (differences.size() >= 5)
            break;
    }
    for (const QUuid &id : store.visitIds()) {
        if (!seen.contains(id) && store.confirmedVisit(id) && differences.size() < 5)
            differences += u"%1 at station %2 but not on the server"_s.arg(idString(id), store.stationCode());
    }
    return differences.join(u"; "_s);
}

} // namespace clinicflow::testsupport
