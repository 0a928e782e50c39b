// The examination room's screen (see ExaminerScreen.h).
#include "ExaminerScreen.h"

#include "CancelExaminationDialog.h"
#include "ExamTypesButton.h"
#include "ExaminerController.h"
#include "RequestPanel.h"
#include "ResultForm.h"
#include "models/ExaminerQueueModel.h"
#include "screens/common/ErrorText.h"
#include "screens/common/Notice.h"
#include "screens/common/QueueView.h"
#include "station/Station.h"
#include "store/LocalStore.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QScopedValueRollback>
#include <QShortcut>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

ExaminerScreen::ExaminerScreen(Station &station, QSet<QString> codes, QWidget *parent)
    : RoleScreen(parent)
    , m_station(station)
    , m_controller(new ExaminerController(station.store(), this))
    , m_model(new ExaminerQueueModel(station.store(), codes, this))
    , m_heading(new QLabel(this))
    , m_types(new ExamTypesButton(this))
    , m_queue(new QueueView(this))
    , m_details(new RequestPanel(this))
    , m_form(new ResultForm(this))
    , m_notice(new Notice(this))
    , m_tick(new QTimer(this))
{
    setObjectName(u"examinerScreen"_s);
    m_heading->setObjectName(u"queueHeading"_s);
    QFont headingFont = m_heading->font();
    headingFont.setPointSizeF(headingFont.pointSizeF() * 1.2);
    headingFont.setBold(true);
    m_heading->setFont(headingFont);
    m_queue->setObjectName(u"examinationQueue"_s);
    m_queue->setModel(m_model);
    m_queue->setStatusColumns(-1, ExaminerQueueModel::PriorityColumn, ExaminerQueueModel::PendingColumn);
    // The room's queue is short: sizing to the contents is cheap here.
    m_queue->setStretchColumn(ExaminerQueueModel::PatientColumn);
    m_types->setTypes(m_controller->examinationTypes());
    m_types->setCodes(codes);

    // Left: the queue under its heading and the types. Right (fixed width): the request, the result, the actions.
    auto *top = new QHBoxLayout;
    top->addWidget(m_heading);
    top->addStretch();
    top->addWidget(m_types);
    auto *left = new QVBoxLayout;
    left->addLayout(top);
    left->addWidget(m_queue);
    auto *rightPanel = new QWidget(this);
    rightPanel->setFixedWidth(480);
    auto *right = new QVBoxLayout(rightPanel);
    right->setContentsMargins(0, 0, 0, 0);
    right->addWidget(m_details);
    right->addWidget(m_form, 1);
    right->addWidget(m_notice);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left, 1);
    layout->addWidget(rightPanel);
    setTabOrder(m_queue, m_form);
    setTabOrder(m_form, m_types);

    connect(m_types, &ExamTypesButton::codesChanged, this, [this](const QSet<QString> &chosen) {
        applyCodes(chosen);
        Q_EMIT codesChanged(chosen);
    });
    connect(m_queue->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &ExaminerScreen::onSelectionChanged);
    connect(m_queue, &QAbstractItemView::activated, this, [this] { m_form->field()->setFocus(); });
    connect(m_form->field(), &QPlainTextEdit::textChanged, this, [this] {
        if (!m_selecting && !m_form->text().isEmpty())
            m_chosen = true; // a result under way keeps its request in hand, whatever arrives
    });
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, this, &ExaminerScreen::reconcile);
    connect(m_model, &QAbstractItemModel::rowsMoved, this, &ExaminerScreen::reconcile);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ExaminerScreen::reconcile);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &ExaminerScreen::refreshDetails);
    connect(m_form, &ResultForm::performClicked, this, &ExaminerScreen::performSelected);
    connect(m_form, &ResultForm::cancelClicked, this, &ExaminerScreen::cancelSelected);
    const auto shortcut = [this](QKeySequence keys, auto slot) {
        auto *s = new QShortcut(keys, this);
        s->setContext(Qt::WidgetWithChildrenShortcut);
        connect(s, &QShortcut::activated, this, slot);
    };
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), &ExaminerScreen::performSelected);
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), &ExaminerScreen::performSelected);
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_Delete), &ExaminerScreen::cancelSelected);
    shortcut(QKeySequence(Qt::ALT | Qt::Key_Down), [this] { selectRelative(1); });
    shortcut(QKeySequence(Qt::ALT | Qt::Key_Up), [this] { selectRelative(-1); });
    shortcut(QKeySequence(Qt::CTRL | Qt::Key_T), [this] { m_types->showMenu(); });
    connect(&station.store(), &LocalStore::catalogueChanged, this, [this] {
        m_types->setTypes(m_controller->examinationTypes());
        retranslate();
    });
    connect(&station.store(), &LocalStore::conflictRecorded, this, &ExaminerScreen::onConflict);
    connect(m_tick, &QTimer::timeout, this, &ExaminerScreen::refreshDetails); // "12 min ago" moves on
    m_tick->start(30'000);
    retranslate();
    reconcile(); // the head of the queue is selected from the start
}

ExaminerScreen::~ExaminerScreen() = default;

QString ExaminerScreen::roleTitle() const
{
    return tr("Examinations: %1").arg(typesText());
}

QList<Shortcut> ExaminerScreen::shortcuts() const
{
    return {{QKeySequence(Qt::CTRL | Qt::Key_Return), tr("Perform the selected examination with the result typed")},
            {QKeySequence(Qt::CTRL | Qt::Key_Delete), tr("Cancel the selected examination, with a reason")},
            {QKeySequence(Qt::ALT | Qt::Key_Down), tr("Next request in the queue")},
            {QKeySequence(Qt::ALT | Qt::Key_Up), tr("Previous request in the queue")},
            {QKeySequence(Qt::Key_Return), tr("In the queue: type the result of the selected request")},
            {QKeySequence(Qt::CTRL | Qt::Key_T), tr("Choose the examination types this room does")}};
}

QPlainTextEdit *ExaminerScreen::resultField() const
{
    return m_form->field();
}

void ExaminerScreen::focusFirst()
{
    if (m_current.isNull())
        m_queue->setFocus();
    else
        m_form->field()->setFocus();
}

QSet<QString> ExaminerScreen::codes() const
{
    return m_model->codes();
}

void ExaminerScreen::setCodes(const QSet<QString> &codes)
{
    m_types->setCodes(codes);
    applyCodes(codes);
}

void ExaminerScreen::applyCodes(const QSet<QString> &codes)
{
    m_model->setCodes(codes); // a reset: reconcile() keeps the request when it is still listed
    retranslate();
}

QString ExaminerScreen::typesText() const
{
    const QStringList names = m_controller->typeNames(m_model->codes());
    return names.isEmpty() ? tr("all types") : QLocale().createSeparatedList(names);
}

void ExaminerScreen::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    RoleScreen::changeEvent(event);
}

void ExaminerScreen::retranslate()
{
    m_model->retranslate();
    m_types->retranslate();
    m_types->setSummary(tr("Types: %1").arg(typesText()));
    m_queue->setEmptyText(m_model->codes().isEmpty()
                              ? tr("No examinations waiting. New requests from the doctors appear here.")
                              : tr("No requests for %1 waiting. New ones appear here; the Types button chooses "
                                   "what this room does.")
                                    .arg(typesText()));
    m_form->retranslate();
    m_details->retranslate();
    refreshHeading();
    refreshDetails();
}

void ExaminerScreen::refreshHeading()
{
    m_heading->setText(tr("Requested examinations (%1)").arg(m_model->rowCount()));
}

void ExaminerScreen::onSelectionChanged()
{
    const QUuid id = m_queue->currentValue(ExaminerQueueModel::IdRole).toUuid();
    // An empty selection is reconcile()'s to settle once the model has finished changing; so is a row the view
    // stepped onto while it too is on its way out (a cancelled visit's second examination), and the row it steps
    // onto when the request in hand leaves, unless the examiner chose that one (then its neighbour follows).
    if (id.isNull() || id == m_current || m_controller->whyGone(id))
        return;
    if (!m_selecting) {
        if (!m_chosen && !m_current.isNull() && m_controller->whyGone(m_current))
            return;
        m_chosen = true;
    }
    setCurrent(id);
}

// After rows came, went or moved: the request the examiner chose stays selected wherever it moved, and when it left,
// the one now in its place is taken; until they choose, the head of the queue is in hand.
void ExaminerScreen::reconcile()
{
    refreshHeading();
    if (m_model->rowCount() == 0) {
        m_chosen = false;
        setCurrent({});
        return;
    }
    const int row = m_current.isNull() ? -1 : m_model->rowOf(m_current);
    if (!m_chosen) {
        if (row != 0 || m_queue->currentValue(ExaminerQueueModel::IdRole).toUuid() != m_current)
            selectRow(0);
        return;
    }
    if (row >= 0) {
        m_currentRow = row;
        if (m_queue->currentValue(ExaminerQueueModel::IdRole).toUuid() != m_current)
            selectRow(row);
        return;
    }
    selectRow(std::clamp(m_currentRow, 0, m_model->rowCount() - 1));
}

QString ExaminerScreen::departure(const ExaminationRequest &request, ErrorCode why) const
{
    const QString &what = request.examination;
    const QString &ticket = request.ticket;
    switch (why) {
    case ErrorCode::ExaminationAlreadyPerformed:
        return tr("%1 for %2 was performed in another room: it left your queue").arg(what, ticket);
    case ErrorCode::ExaminationAlreadyCancelled:
        return tr("%1 for %2 was cancelled in another room: it left your queue").arg(what, ticket);
    case ErrorCode::ExaminationWithdrawnTreatmentRefused:
        return tr("%1 for %2 was called off: the treatment was refused").arg(what, ticket);
    case ErrorCode::ExaminationWithdrawnVisitCancelled:
        return tr("%1 for %2 was called off: the visit was cancelled").arg(what, ticket);
    default:
        return tr("%1 for %2 left your queue: %3").arg(what, ticket, ErrorText::sentence(why));
    }
}

void ExaminerScreen::selectRow(int row)
{
    const QScopedValueRollback selecting(m_selecting, true);
    const QModelIndex index = m_model->index(row, 0);
    m_queue->setCurrentIndex(index);
    m_queue->selectRow(row);
    m_queue->scrollTo(index);
    onSelectionChanged();
}

void ExaminerScreen::selectRelative(int delta)
{
    if (m_model->rowCount() == 0)
        return;
    const int from = m_current.isNull() ? -1 : m_model->rowOf(m_current);
    m_chosen = true;
    selectRow(std::clamp(from + delta, 0, m_model->rowCount() - 1));
}

void ExaminerScreen::setCurrent(const QUuid &examinationId)
{
    if (examinationId == m_current) {
        refreshDetails();
        return;
    }
    if (!m_current.isNull()) {
        if (const auto why = m_controller->whyGone(m_current)) {
            // It left the queue for good. Unless this screen's own action did it, the examiner is told why; what
            // was typed for it goes, so it can never be sent as another patient's result.
            const auto request = m_details->request();
            if (!m_acting && request)
                m_notice->warn(departure(*request, *why));
            m_drafts.remove(m_current);
        } else if (const QString typed = m_form->text(); !typed.trimmed().isEmpty()) {
            m_drafts.insert(m_current, typed); // waits for the examiner to come back to this request
        } else {
            m_drafts.remove(m_current);
        }
    }
    m_current = examinationId;
    m_currentRow = examinationId.isNull() ? m_currentRow : m_model->rowOf(examinationId);
    m_form->setText(m_drafts.value(examinationId));
    refreshDetails();
}

void ExaminerScreen::refreshDetails()
{
    const bool selected = !m_current.isNull();
    m_details->setPlaceholder(
        m_model->rowCount() == 0 ? tr("Nothing to do: no request is waiting. A new one is selected here as soon as it "
                                      "arrives.")
                                 : tr("Select a request in the queue: its patient and the doctor's note appear here."));
    m_details->setRequest(selected ? m_controller->request(m_current) : std::nullopt, m_station.store().now());
    m_form->setRequestInHand(selected);
}

void ExaminerScreen::performSelected()
{
    const QUuid exam = m_current;
    if (exam.isNull()) {
        m_notice->askToSelect(tr("Select a request in the queue first"), m_queue);
        return;
    }
    const auto request = m_controller->request(exam);
    m_acting = true;
    const auto performed = m_controller->perform(exam, m_form->text());
    m_acting = false;
    const QString what = request ? request->examination : QString();
    const QString ticket = request ? request->ticket : QString();
    m_form->field()->setFocus(); // after success the next request is already in hand (reconcile)
    if (!performed) {
        // Problems with the text stand under the field; any other refusal (done elsewhere, called off) in the notice.
        if (performed.code() == ErrorCode::ResultRequired)
            m_form->showError(tr("Type the result before performing the examination"));
        else if (performed.code() == ErrorCode::FieldTooLong)
            m_form->showError(tr("At most %n characters", nullptr, kMaxLongTextLength));
        else
            m_notice->warn(tr("%1 for %2 not performed: %3").arg(what, ticket, ErrorText::sentence(performed.code())));
        return;
    }
    m_drafts.remove(exam);
    m_notice->inform(tr("%1 for %2 performed: the result is on its way to the doctor").arg(what, ticket));
}

void ExaminerScreen::cancelSelected()
{
    const QUuid exam = m_current;
    const auto request = exam.isNull() ? std::nullopt : m_controller->request(exam);
    if (!request) {
        m_notice->askToSelect(tr("Select the request to cancel in the queue first"), m_queue);
        return;
    }
    auto *dialog = new CancelExaminationDialog(request->examination, request->ticket, request->patientName, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog, exam] { finishCancel(exam, dialog->reason()); });
    connect(dialog, &QDialog::rejected, m_form->field(), qOverload<>(&QWidget::setFocus));
    dialog->open();
}

void ExaminerScreen::finishCancel(const QUuid &examinationId, const QString &reason)
{
    const auto request = m_controller->request(examinationId);
    const QString what = request ? request->examination : QString();
    const QString ticket = request ? request->ticket : QString();
    m_acting = true;
    const auto cancelled = m_controller->cancel(examinationId, reason);
    m_acting = false;
    if (!cancelled)
        m_notice->warn(tr("%1 for %2 not cancelled: %3").arg(what, ticket, ErrorText::sentence(cancelled.code())));
    else
        m_notice->inform(tr("%1 for %2 cancelled").arg(what, ticket));
    m_form->field()->setFocus();
}

// The server refused what this room did (another room had done it first, or it was called off meanwhile): the
// request is back in, or gone from, the queue, and the examiner reads why here as well as in the conflicts list.
void ExaminerScreen::onConflict(const Conflict &conflict)
{
    if (conflict.commandName != u"PerformExamination"_s && conflict.commandName != u"CancelExamination"_s)
        return;
    m_notice->warn(
        tr("%1 for %2 refused by the server: %3")
            .arg(ErrorText::action(conflict.commandName), conflict.ticket, ErrorText::sentence(conflict.code)));
}

} // namespace clinicflow::client
