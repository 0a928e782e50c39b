// Turns SIGTERM and SIGINT into a Qt signal on the main thread (a self-pipe: a signal handler may only write()). The
// server drains on it; the desktop app closes its windows, so its store and engine stop cleanly. SIGHUP (a closed
// terminal, an operator's "reload") never kills: it is hangUp(), for the owner to act on or ignore. SIGPIPE is
// ignored, so a closed stdout fails a write instead of ending the process.
#pragma once

#include <QObject>

class QSocketNotifier;

namespace clinicflow::common {

class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void stopRequested(int signal);
    void hangUp();

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace clinicflow::common
