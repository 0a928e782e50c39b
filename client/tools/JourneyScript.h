// The scripted journey of clinicflow-journey: a desk, a doctor (dr.kim), an examiner and a board, each a Workstation
// with its own store, take one patient from registration to the closed visit, each step waiting for the saga's
// reaction before the next, as people at the stations would. Every change of the visit, as the board's replica
// shows it, is printed on a line of its own.
#pragma once

#include "station/Workstation.h"

#include <QObject>
#include <QUuid>
#include <functional>
#include <memory>

namespace clinicflow::client {

class JourneyScript : public QObject
{
    Q_OBJECT

public:
    void setEnrolmentDir(const QString &dir) { m_enrolmentDir = dir; }
    JourneyScript(QString server, QString pub, QString dataDir, int stepTimeoutSeconds, QObject *parent = nullptr);
    ~JourneyScript() override;

public Q_SLOTS:
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    struct Step
    {
        QString what;
        std::function<domain::Result<bool>()> act;
        std::function<bool()> done; // the reaction the next step needs
    };
    std::unique_ptr<Workstation> open(const QString &code, domain::Role role);
    void next();
    void fail(const QString &why);
    void printVisit(const QUuid &visitId);

    QString m_server;
    QString m_pub;
    QString m_dataDir;
    QString m_enrolmentDir; // where the stations' enrolment files are; m_dataDir when empty
    int m_timeoutMs;
    std::unique_ptr<Workstation> m_desk;
    std::unique_ptr<Workstation> m_doctor;
    std::unique_ptr<Workstation> m_examiner;
    std::unique_ptr<Workstation> m_board;
    QList<Step> m_steps;
    int m_step = -1;
    qint64 m_stepStarted = 0;
    QUuid m_visit;
    QList<QUuid> m_exams;
    QString m_lastLine;
};

} // namespace clinicflow::client
