// What a screen may see and do with its workstation, and nothing more: the local store (every read, and every action,
// validated by the shared rules and stored durably before it returns) and the link's state for the status bar. The
// screens library links this interface, never the sync engine, so no widget can reach the network (STYLE.md,
// "Screens"; qBittorrent hands its widgets an IGUIApplication in the same way). Workstation implements it.
#pragma once

#include "ClientTypes.h"

#include <QDateTime>
#include <QObject>

namespace clinicflow::client {

class LocalStore;

class Station : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Station)

public:
    using QObject::QObject;
    ~Station() override = default;

    virtual LocalStore &store() = 0;
    virtual const LocalStore &store() const = 0;

    virtual ConnectionState state() const = 0;
    virtual QDateTime lastContact() const = 0; // when the server was last heard from; null before the first time
    // The server's last sequence as this station last heard it: with store().lastSequence(), how far behind it is.
    virtual quint64 headSequence() const = 0;

Q_SIGNALS:
    void stateChanged(clinicflow::client::ConnectionState state);
    void lastContactChanged(const QDateTime &at);
    void progress(quint64 lastSequence, quint64 headSequence);
    // A problem with the link or the server's answer that the user should see (never personal data).
    void syncError(const QString &message);
};

} // namespace clinicflow::client
