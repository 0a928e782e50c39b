// How processes sharing one database hear of each other's commits without polling it (the split deployment, --only,
// with modules on several hosts). On PostgreSQL every commit round of a process sends a notification, with the
// process's own tag so that it does not wake itself, on the channel of each kind of change it made (channelFor: new
// events, work for one context, resolved commands); every process LISTENs, on a connection of its own on a thread
// with an event loop, only on the channels of the changes its modules act on, and rings its doorbells when another
// process committed. A worker is then not woken, nor its listening session in the database, by the commits that
// only concern the others (in a four-process run at 1,500 commands/s, listening took about 8% of the CPU samples
// when every process heard every commit). Within one process the Bus rings them directly, so a process that runs
// every module, and SQLite (one host, one process in the default deployment), have nothing to do.
//
// A notification is a hint, like a doorbell: the database stays the truth. If the listening connection breaks (the
// database restarted), the feed reconnects by itself and rings once, since notifications sent meanwhile are lost;
// until then the workers' fallback poll covers the gap.
#pragma once

#include "Database.h"

#include <QString>
#include <array>
#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace clinicflow::server {

class ChangeFeed
{
    Q_DISABLE_COPY_MOVE(ChangeFeed)
public:
    // `changed` runs on the feed's thread when another process committed, with what it changed (Change bits;
    // Change::Everything after a reconnection, since what was sent meanwhile is lost), `listeningChanged` when the
    // listening connection broke (false) or came back (true).
    // It listens for the Change bits in `interests` only.
    ChangeFeed(DatabaseSettings settings, quint8 interests, std::function<void(quint8)> changed,
               std::function<void(bool)> listeningChanged = {});
    ~ChangeFeed();

    // Whether the database carries notifications between processes at all.
    static bool available(const DatabaseSettings &settings);
    // Opens the listening connection (an error if the first one fails) and starts listening.
    domain::Result<bool> start();
    void stop();
    // Whether the listening connection is up now.
    bool listening() const { return m_listening.load(); }

    // What a commit round that made `changes` sends right after its COMMIT (WriteTransaction::commit): one statement
    // that notifies the channel of each of them; empty where the database carries no notifications.
    static QString notifyStatement(const Dialect &dialect, quint8 changes);
    // The channel a Change bit is told on.
    static QString channelFor(quint8 change);
    // What a process listens for (Change bits), given the modules it runs: what they act on and the modules of
    // other processes make. New events and resolved commands come from the contexts' workers (the view and the
    // gateway act on events, the gateway on resolutions); work for a context from the gateway's intake and from the
    // workers whose events it reacts to. None for a process that runs every module: no other may run one
    // (ModuleLocks), so it has no one to hear from, nor to tell.
    static quint8 interestsOf(bool gateway, bool view, const std::array<bool, 3> &contexts);
    // The Change bits that have a channel.
    static constexpr quint8 kTold =
        Change::Log | Change::ReceptionWork | Change::DiagnosisWork | Change::ExaminationWork | Change::Resolved;

private:
    class Listener;
    DatabaseSettings m_settings;
    quint8 m_interests;
    std::function<void(quint8)> m_changed;
    std::function<void(bool)> m_listeningChanged;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_listening{false};
};

} // namespace clinicflow::server
