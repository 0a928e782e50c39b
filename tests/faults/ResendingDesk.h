// A reception desk that keeps registrations in flight the way a workstation's outbox does, for the fault tests
// that take the server's database away under load (PostgreSQL crashed, the disk full): it keeps every command until
// it has an outcome, resending it (same id, same Submit) after a refusal, a silence, a lost session or 3 s without an
// answer. Then checkDeskOutcomes() says whether each command was Applied exactly once, the log is 1..head without
// holes, and each visit's saga (ReceptionRegistered, DiagnosisRegistered, TreatmentStarted) ran exactly once.
#pragma once

#include "ServerProcess.h"
#include "clinicflow/v1/envelope.pb.h"
#include "security/Curve.h"

#include <QStringList>
#include <QUuid>
#include <atomic>
#include <deque>
#include <set>
#include <thread>
#include <unordered_map>
#include <vector>

namespace clinicflow::testsupport {

class TestStation;

qint64 msNow();
// What /health/ready says: "200", "503", "refused" (nothing listens), "timeout", or anything else as is.
QString readiness(ServerProcess &server, int timeoutMs = 1000);
// The warnings and errors in `lines` grouped by module and the message's start, most frequent first: what an
// operator would see repeated.
QString warningKinds(const QList<LogLine> &lines);
// How many of `lines` are warnings or errors.
qsizetype warningCount(const QList<LogLine> &lines);

struct DeskCommand
{
    QUuid id;
    QUuid visit;
    v1::Submit submit; // built once: every resend is the same Submit
    qint64 lastSentMs = 0;
    bool due = false;    // in the resend queue
    QStringList answers; // every outcome heard: "Applied <sequences>" or "Rejected <code>"
};

// The reception desk "A" on a thread of its own (its TestStation lives there), with an outbox of registrations.
class ResendingDesk
{
public:
    explicit ResendingDesk(int count);
    ~ResendingDesk();
    void start(quint16 port, const security::ClientKeys &keys);
    void join();
    int size() const { return int(commands.size()); }

    std::atomic<int> applied{0}, resolved{0}, refusals{0};
    std::atomic<bool> abort{false};
    // Read after join().
    std::vector<DeskCommand> commands;
    QStringList problems;
    int resends = 0, hellos = 0, failedHellos = 0, sessionsLost = 0;

private:
    void run(quint16 port, const security::ClientKeys &keys);
    void handle(const v1::Envelope &envelope);
    void queueResend(int index);
    void send(TestStation &station, int index);

    std::unordered_map<std::string, int> m_byId;
    std::unordered_map<quint64, std::pair<int, int>> m_copies; // request id -> command index, Hello epoch
    std::set<int> m_outstanding;                               // sent, no outcome yet
    std::deque<int> m_resendQueue;
    int m_epoch = 0;
    bool m_needHello = true;
    qint64 m_lastHeardMs = 0;
    qint64 m_heldUntilMs = 0;
    std::thread m_thread;
};

// After the desk has drained: each command has one outcome however often it was answered, Applied, and its visit's
// saga settles at 3 events (a head growing past that would be reactions run twice); then the log is 1..head, each
// command in it once, where the desk was told, and each visit has one ReceptionRegistered, DiagnosisRegistered and
// TreatmentStarted. Empty when all holds, else what does not.
QString checkDeskOutcomes(const ResendingDesk &desk, quint16 port);

} // namespace clinicflow::testsupport
