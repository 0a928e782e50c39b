// The status bar's promise about safety (SCREENS.md): online (green), connecting, syncing N (blue, with what is left),
// or offline (amber, "saved, will send when connected"), with the number of actions still waiting for the server and
// when it was last heard from. Never a modal box: people keep working.
#pragma once

#include "ClientTypes.h"

#include <QDateTime>
#include <QWidget>
#include <optional>

class QLabel;

namespace clinicflow::client {

class Station;

class ConnectionIndicator : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionIndicator)

public:
    explicit ConnectionIndicator(Station &station, QWidget *parent = nullptr);

    QString stateText() const; // what the indicator says now, for tests and screen readers

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    Station &m_station;
    QLabel *m_icon;
    QLabel *m_state;
    QLabel *m_pending;
    QLabel *m_contact;
    // The state whose icon and colour are set: refresh() runs on every progress report while catching up.
    std::optional<ConnectionState> m_drawn;
};

} // namespace clinicflow::client
