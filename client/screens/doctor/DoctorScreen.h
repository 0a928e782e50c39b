// The doctor's consultation screen (SCREENS.md): a station belongs to one doctor of the roster, chosen at setup
// (--doctor). On the left the doctor's queue (new patients, then results to review, then patients at their
// examinations; urgent first, then longest waiting) with its counts; on the right the visit the doctor has open
// (VisitPanel) and under it the actions: Prescribe (F5), Review (F6), Complete (F7), Refuse (F8), each enabled only
// when the shared rules allow it now, the one to do next highlighted. Everything follows the local store live; the
// open visit stays open when it leaves the queue, and the panel says why.
#pragma once

#include "screens/common/RoleScreen.h"

#include <QIcon>

class QDialog;
class QModelIndex;
class QLabel;
class QPushButton;
class QSplitter;

namespace clinicflow::client {

class DoctorController;
class DoctorQueueModel;
class Notice;
class QueueView;
class Station;
class VisitPanel;
enum class DoctorAction;

class DoctorScreen : public RoleScreen
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DoctorScreen)

public:
    DoctorScreen(Station &station, const QString &doctorId, QWidget *parent = nullptr);
    ~DoctorScreen() override;

    QString roleTitle() const override;
    QList<Shortcut> shortcuts() const override;
    void focusFirst() override;

    // For tests: the pieces a doctor works with.
    QueueView *queue() const { return m_queue; }
    DoctorQueueModel *queueModel() const { return m_model; }
    VisitPanel *panel() const { return m_panel; }
    DoctorController *controller() const { return m_controller; }

public Q_SLOTS:
    void prescribe();
    void review();
    void complete();
    void refuse();
    void handOver();

protected:
    void changeEvent(QEvent *event) override;

private:
    void buildLayout();
    void connectQueue();
    void onCurrentRowChanged(const QModelIndex &current);
    void afterRowsRemoved();
    void reselectOpenVisit();
    void refreshActions();
    // `icon` in white at its own opacity: on the accent of the action the visit waits for, as the text is.
    static QIcon whiteIcon(const QIcon &icon, QSize size, qreal devicePixelRatio);
    void refreshCounts();
    void retranslate();
    // The open visit's diagnosis when the rules allow `action` on it now; otherwise says why and returns null.
    QUuid target(DoctorAction action);
    QString patientLabel() const; // "김민준 (A-003)"
    void openDialog(QDialog *dialog);

    Station &m_station;
    DoctorController *m_controller;
    DoctorQueueModel *m_model;
    QLabel *m_doctor;
    QLabel *m_countWaiting;
    QLabel *m_countResults;
    QLabel *m_countExaminations;
    QueueView *m_queue;
    VisitPanel *m_panel;
    QLabel *m_nextStep;
    QPushButton *m_prescribe;
    QPushButton *m_review;
    QPushButton *m_complete;
    QPushButton *m_refuse;
    QPushButton *m_handOver;
    Notice *m_notice;
    QSplitter *m_splitter;
    bool m_removing = false; // the queue is removing rows: the view's own moves of the current row are not the user's
};

} // namespace clinicflow::client
