// The visit the doctor has open, on the right of the doctor's screen: who the patient is (ticket, name, age and sex,
// urgency, patient number), why they came, the examinations as a checklist with their results, the doctor's notes,
// and the visit's timeline. It reads everything from the local store and is refreshed by the screen when the store
// says the visit changed. When the visit leaves the doctor's queue (completed, refused, or cancelled by the desk)
// the panel keeps showing it under a banner saying what happened, instead of going blank under the doctor's eyes.
#pragma once

#include <QSet>
#include <QUuid>
#include <QWidget>
#include <memory>

class QLabel;
class QStackedWidget;

namespace clinicflow::client {

class ExaminationChecklist;
class LocalStore;
class QueueView;
class VisitHistoryModel;

class VisitPanel : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VisitPanel)

public:
    VisitPanel(LocalStore &store, QString doctorId, QWidget *parent = nullptr);
    ~VisitPanel() override;

    // Opens a visit (null: none, the panel says how to open one).
    void showVisit(const QUuid &visitId);
    const QUuid &visitId() const { return m_visitId; }
    // The open visit's diagnosis: what the doctor's commands target (null when none).
    QUuid diagnosisId() const;
    // The open visit is still an open consultation of this doctor's.
    bool inQueue() const;
    // Reads the open visit again from the store.
    void refresh();
    // What the panel says while no visit is open.
    void setEmptyText(const QString &text);

    ExaminationChecklist *checklist() const { return m_checklist; }
    QueueView *timeline() const { return m_timeline; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void showHeader();
    void showGone();
    QSet<QUuid> pendingPrescriptions() const;

    LocalStore &m_store;
    QString m_doctorId;
    QUuid m_visitId;
    QString m_emptyText;
    std::unique_ptr<VisitHistoryModel> m_history;

    QStackedWidget *m_pages;
    QLabel *m_empty;
    QLabel *m_gone;
    QLabel *m_ticket;
    QLabel *m_urgent;
    QLabel *m_name;
    QLabel *m_ageSex;
    QLabel *m_statusIcon;
    QLabel *m_status;
    QLabel *m_details;
    QWidget *m_pending; // the clock and its words
    QLabel *m_pendingText;
    QLabel *m_complaintCaption;
    QLabel *m_complaint;
    QLabel *m_examinationsCaption;
    QLabel *m_examinationsSummary;
    ExaminationChecklist *m_checklist;
    QLabel *m_notes;
    QLabel *m_timelineCaption;
    QueueView *m_timeline;
};

} // namespace clinicflow::client
