// A module that runs on a thread of its own with its own database connection: opens the connection on that thread,
// then calls step() whenever its doorbell rings (or every poll interval, for work other processes add), until
// stopped. A failing step is logged and retried after a pause; it never takes another module down.
#pragma once

#include "Bus.h"
#include "storage/Database.h"

#include <QLoggingCategory>
#include <QString>
#include <atomic>
#include <memory>
#include <thread>

namespace clinicflow::server {

// A logging category as Q_DECLARE_LOGGING_CATEGORY declares it: a function returning the category.
using LogCategory = const QLoggingCategory &(*)();

class WorkerThread
{
    Q_DISABLE_COPY_MOVE(WorkerThread)
public:
    WorkerThread(QString name, DatabaseSettings settings, Doorbell &doorbell, LogCategory log);
    virtual ~WorkerThread();

    const QString &name() const { return m_name; }
    void start();
    // Finishes the batch in progress, then returns; safe to call twice.
    void stop();
    bool isRunning() const { return m_running.load(); }
    // Steps that failed since start, for readiness and metrics.
    quint64 failures() const { return m_failures.load(); }

protected:
    LogCategory log() const { return m_log; }

    // Prepares statements on the worker's own connection. Called on the worker thread.
    virtual domain::Result<bool> open(Database &db) = 0;
    // Does one batch in one transaction. Returns true when more work is waiting. Called on the worker thread.
    virtual domain::Result<bool> step() = 0;
    // Drops whatever open() prepared. Called on the worker thread before the connection closes.
    virtual void close() = 0;

private:
    void run();

    QString m_name;
    DatabaseSettings m_settings;
    Doorbell &m_doorbell;
    LogCategory m_log;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_running{false};
    std::atomic<quint64> m_failures{0};
};

} // namespace clinicflow::server
