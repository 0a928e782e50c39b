// How processes sharing one database hear of each other's commits without polling it (the split deployment, --only,
// with modules on several hosts). On PostgreSQL every commit round of a process sends NOTIFY on one channel, with
// the process's own tag so that it does not wake itself; every process LISTENs on a connection of its own, on a
// thread with an event loop, and rings its doorbells when another process committed. Within one process the Bus
// rings them directly, so on SQLite (one host, and one process in the default deployment) there is nothing to do.
//
// A notification is a hint, like a doorbell: the database stays the truth. If the listening connection breaks (the
// database restarted), the feed reconnects by itself and rings once, since notifications sent meanwhile are lost;
// until then the workers' fallback poll covers the gap.
#pragma once

#include "Database.h"

#include <QString>
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
    ChangeFeed(DatabaseSettings settings, std::function<void(quint8)> changed,
               std::function<void(bool)> listeningChanged = {});
    ~ChangeFeed();

    // Whether the database carries notifications between processes at all.
    static bool available(const DatabaseSettings &settings);
    // Opens the listening connection (an error if the first one fails) and starts listening.
    domain::Result<bool> start();
    void stop();
    // Whether the listening connection is up now.
    bool listening() const { return m_listening.load(); }

    // What a commit round that made `changes` sends right after its COMMIT (WriteTransaction::commit); empty where
    // the database carries no notifications.
    static QString notifyStatement(const Dialect &dialect, quint8 changes);

private:
    class Listener;
    DatabaseSettings m_settings;
    std::function<void(quint8)> m_changed;
    std::function<void(bool)> m_listeningChanged;
    QThread *m_thread = nullptr;
    std::atomic<bool> m_listening{false};
};

} // namespace clinicflow::server
