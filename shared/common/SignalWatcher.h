// Turns SIGTERM and SIGINT into a Qt signal on the main thread (a self-pipe: a signal handler may only write()).
#pragma once

#include <QObject>

class QSocketNotifier;

namespace clinicflow::server {

class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)
public:
    explicit SignalWatcher(QObject *parent = nullptr);
    ~SignalWatcher() override;

signals:
    void stopRequested(int signal);

private:
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace clinicflow::server
