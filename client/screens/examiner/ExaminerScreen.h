// The examination room (SCREENS.md): on the left the requested examinations of the types this room does (chosen with
// the "Types" button, kept by the app), urgent first, then oldest; on the right the selected request's details, the
// result field and the two actions, Perform (Ctrl+Enter) and Cancel with a reason (Ctrl+Delete). After an action the
// next request is selected and the keyboard is back in the result field. A request that leaves the queue under the
// examiner's eyes (another room did it, the doctor or the desk called it off) says why in the notice line, as does an
// action the rules or the server refuse.
#pragma once

#include "domain/ErrorCode.h"
#include "screens/common/RoleScreen.h"

#include <QHash>
#include <QSet>
#include <QUuid>

class QLabel;
class QPlainTextEdit;
class QTimer;

namespace clinicflow::client {

class ExamTypesButton;
class ExaminerController;
class ExaminerQueueModel;
class Notice;
class QueueView;
class RequestPanel;
class ResultForm;
class Station;
struct Conflict;
struct ExaminationRequest;

class ExaminerScreen : public RoleScreen
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExaminerScreen)

public:
    // codes: the catalogue codes this room does, as the app kept them; empty for every type.
    ExaminerScreen(Station &station, QSet<QString> codes, QWidget *parent = nullptr);
    ~ExaminerScreen() override;

    QString roleTitle() const override; // "Examinations: X-ray, CT"
    QList<Shortcut> shortcuts() const override;
    void focusFirst() override;

    QSet<QString> codes() const;
    void setCodes(const QSet<QString> &codes); // from the app; does not emit codesChanged
    QUuid currentExamination() const { return m_current; }

    // For tests: the pieces an examiner works with.
    QueueView *queue() const { return m_queue; }
    QPlainTextEdit *resultField() const;
    RequestPanel *details() const { return m_details; }
    Notice *notice() const { return m_notice; }

public Q_SLOTS:
    void performSelected();
    void cancelSelected(); // asks for the reason first

Q_SIGNALS:
    // The examiner chose other types: the app keeps them (QSettings) and may re-read roleTitle().
    void codesChanged(const QSet<QString> &codes);

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyCodes(const QSet<QString> &codes);
    void onSelectionChanged();
    void reconcile();
    void setCurrent(const QUuid &examinationId);
    void selectRow(int row);
    void selectRelative(int delta);
    void refreshDetails();
    void refreshHeading();
    void finishCancel(const QUuid &examinationId, const QString &reason);
    void onConflict(const Conflict &conflict);
    QString departure(const ExaminationRequest &request, domain::ErrorCode why) const; // why it left the queue
    QString typesText() const;
    void retranslate();

    Station &m_station;
    ExaminerController *m_controller;
    ExaminerQueueModel *m_model;
    QLabel *m_heading;
    ExamTypesButton *m_types;
    QueueView *m_queue;
    RequestPanel *m_details;
    ResultForm *m_form;
    Notice *m_notice;
    QTimer *m_tick;
    QUuid m_current;       // the request the details and the result field are about
    int m_currentRow = -1; // its row when last seen: where the next request is taken from once it leaves
    bool m_acting = false; // this screen's own action is removing the row: no "left the queue" notice
    // Whether the examiner took the request in hand (a click, the keys, a result typed). Until then the head of the
    // queue is: an urgent request that arrives on top is taken, and so is the head when the one in hand leaves.
    bool m_chosen = false;
    bool m_selecting = false;       // this screen is moving the selection itself (selectRow)
    QHash<QUuid, QString> m_drafts; // results typed for requests the examiner stepped away from
};

} // namespace clinicflow::client
