// Every action of this station the server refused after the screen had shown it as done (SCREENS.md): the ticket,
// the action, the server's reason in the user's language, and what the screen shows now instead. The user
// acknowledges each one; until then the status bar counts them.
#pragma once

#include <QSet>
#include <QUuid>
#include <QWidget>

class QPushButton;
class QTreeWidget;

namespace clinicflow::client {

class Station;

class ConflictsPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConflictsPanel)

public:
    explicit ConflictsPanel(Station &station, QWidget *parent = nullptr);

    int unacknowledged() const { return m_unacknowledged; }
    // The lines shown, one per conflict: "A-017 | Perform examination | reason | now", for tests.
    QStringList lines() const;

Q_SIGNALS:
    void countChanged(int unacknowledged);

protected:
    void changeEvent(QEvent *event) override;

private:
    void reload();
    void onVisitChanged(const QUuid &visitId);
    void acknowledgeSelected();
    QString nowShown(const class Conflict &conflict) const;

    Station &m_station;
    QTreeWidget *m_list;
    QPushButton *m_acknowledge;
    int m_unacknowledged = 0;
    QSet<QUuid> m_shownVisits; // the visits of the conflicts listed: only their changes touch the list
};

} // namespace clinicflow::client
