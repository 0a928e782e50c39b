// A realistic clinic morning for screenshots and demonstrations (clinicflow-journey --morning N): N patients
// registered at two desks with Korean names, in every state a day holds (waiting for a doctor, at examinations,
// results ready, reviewed, completed or refused and waiting for the desk, closed, cancelled), some urgent, spread
// over the departments and doctors of the built-in roster. It acts through headless stations, as people would.
#pragma once

#include "station/Workstation.h"

#include <QHash>
#include <QObject>
#include <QUuid>
#include <memory>

namespace clinicflow::client {

class MorningScript : public QObject
{
    Q_OBJECT

public:
    void setEnrolmentDir(const QString &dir) { m_enrolmentDir = dir; }
    MorningScript(QString server, QString pub, QString dataDir, int patients, QObject *parent = nullptr);
    ~MorningScript() override;

public Q_SLOTS:
    void start();

Q_SIGNALS:
    void finished(int exitCode);

private:
    enum class Fate
    {
        Waiting,
        AtExaminations,
        ResultsReady,
        Reviewed,
        ToConfirmCompleted,
        ToConfirmRefused,
        Closed,
        Cancelled,
    };
    struct Patient
    {
        QUuid visit;
        Fate fate = Fate::Waiting;
        QList<QUuid> exams;
        int stage = 0; // how far its script has come
    };
    std::unique_ptr<Workstation> open(const QString &code, domain::Role role);
    void tick();
    bool advance(Patient &p);
    bool settled() const;
    void fail(const QString &why);

    QString m_server;
    QString m_pub;
    QString m_dataDir;
    QString m_enrolmentDir; // where the stations' enrolment files are; m_dataDir when empty
    int m_count;
    std::vector<std::unique_ptr<Workstation>> m_stations; // two desks, the examiner, then the doctors' rooms
    QHash<QString, Workstation *> m_doctorRooms;          // by the doctor they act for
    QList<Patient> m_patients;
    qint64 m_started = 0;
};

} // namespace clinicflow::client
