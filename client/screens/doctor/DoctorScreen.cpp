// The doctor's consultation screen (see DoctorScreen.h).
#include "DoctorScreen.h"

#include "DoctorController.h"
#include "VisitPanel.h"
#include "models/DoctorQueueModel.h"
#include "screens/common/Notice.h"
#include "screens/common/QueueView.h"
#include "screens/common/ShortcutText.h"
#include "screens/common/StatusStyle.h"
#include "station/Station.h"
#include "store/LocalStore.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>

namespace clinicflow::client {

using namespace domain;

namespace {

const QKeySequence kQueueKey(Qt::Key_F2);
const QKeySequence kPrescribeKey(Qt::Key_F5);
const QKeySequence kReviewKey(Qt::Key_F6);
const QKeySequence kCompleteKey(Qt::Key_F7);
const QKeySequence kRefuseKey(Qt::Key_F8);
const QKeySequence kHandOverKey(Qt::Key_F9);

// A count above the queue: the stage's icon from the status language, then its words.
QLabel *countLabel(QWidget *parent, QHBoxLayout *row, StatusTone tone, const char *name)
{
    auto *icon = new QLabel(parent);
    icon->setPixmap(StatusStyle::icon(tone).pixmap(16, 16));
    auto *label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(name));
    label->setStyleSheet(QStringLiteral("color: %1; font-weight: 600;").arg(StatusStyle::colour(tone).name()));
    row->addWidget(icon);
    row->addWidget(label);
    row->addSpacing(14);
    return label;
}

} // namespace

DoctorScreen::DoctorScreen(Station &station, const QString &doctorId, QWidget *parent)
    : RoleScreen(parent)
    , m_station(station)
    , m_controller(new DoctorController(station.store(), doctorId, this))
    , m_model(new DoctorQueueModel(station.store(), doctorId, this))
    , m_doctor(new QLabel(this))
    , m_queue(new QueueView(this))
    , m_panel(new VisitPanel(station.store(), doctorId, this))
    , m_nextStep(new QLabel(this))
    , m_prescribe(new QPushButton(this))
    , m_review(new QPushButton(this))
    , m_complete(new QPushButton(this))
    , m_refuse(new QPushButton(this))
    , m_handOver(new QPushButton(this))
    , m_notice(new Notice(this))
    , m_splitter(new QSplitter(Qt::Horizontal, this))
{
    setObjectName(QStringLiteral("doctorScreen"));
    m_model->setClock([&store = station.store()] { return store.now(); });
    buildLayout();
    connectQueue();

    const std::pair<QPushButton *, void (DoctorScreen::*)()> actions[] = {{m_prescribe, &DoctorScreen::prescribe},
                                                                          {m_review, &DoctorScreen::review},
                                                                          {m_complete, &DoctorScreen::complete},
                                                                          {m_refuse, &DoctorScreen::refuse},
                                                                          {m_handOver, &DoctorScreen::handOver}};
    const QKeySequence keys[] = {kPrescribeKey, kReviewKey, kCompleteKey, kRefuseKey, kHandOverKey};
    for (int i = 0; i < 5; ++i) {
        connect(actions[i].first, &QPushButton::clicked, this, actions[i].second);
        // A shortcut of its own rather than the button's: pressed while the action is not allowed, it says why.
        connect(new QShortcut(keys[i], this), &QShortcut::activated, this, actions[i].second);
    }
    connect(new QShortcut(kQueueKey, this), &QShortcut::activated, this, &DoctorScreen::focusFirst);

    LocalStore &store = station.store();
    connect(&store, &LocalStore::visitChanged, this, [this](const QUuid &visitId) {
        if (visitId != m_panel->visitId())
            return;
        m_panel->refresh();
        refreshActions();
    });
    connect(&store, &LocalStore::visitsReset, this, [this] {
        m_panel->refresh();
        refreshActions();
    });
    connect(&store, &LocalStore::visitsChanged, this, [this](const QList<QUuid> &visitIds) {
        if (!visitIds.contains(m_panel->visitId()))
            return;
        m_panel->refresh();
        refreshActions();
    });
    connect(&store, &LocalStore::catalogueChanged, this, [this] {
        retranslate(); // the doctor's name and the examinations' names come from the roster
        m_panel->refresh();
    });
    retranslate();
}

DoctorScreen::~DoctorScreen() = default;

void DoctorScreen::buildLayout()
{
    m_doctor->setObjectName(QStringLiteral("doctorName"));
    QFont large = m_doctor->font();
    large.setPointSizeF(large.pointSizeF() * 1.3);
    large.setBold(true);
    m_doctor->setFont(large);
    m_queue->setObjectName(QStringLiteral("doctorQueue"));
    m_nextStep->setObjectName(QStringLiteral("nextStep"));
    m_nextStep->setWordWrap(true);
    m_prescribe->setObjectName(QStringLiteral("prescribe"));
    m_review->setObjectName(QStringLiteral("review"));
    m_complete->setObjectName(QStringLiteral("complete"));
    m_refuse->setObjectName(QStringLiteral("refuse"));
    m_handOver->setObjectName(QStringLiteral("handOver"));
    m_splitter->setObjectName(QStringLiteral("doctorSplitter"));
    m_prescribe->setIcon(QIcon(QStringLiteral(":/icons/prescribe.svg")));
    m_review->setIcon(QIcon(QStringLiteral(":/icons/review.svg")));
    m_complete->setIcon(QIcon(QStringLiteral(":/icons/complete.svg")));
    m_refuse->setIcon(QIcon(QStringLiteral(":/icons/refuse.svg")));
    m_handOver->setIcon(QIcon(QStringLiteral(":/icons/handover.svg")));
    for (QPushButton *button : {m_prescribe, m_review, m_complete, m_refuse, m_handOver}) {
        button->setMinimumHeight(36);
        button->setAutoDefault(false);
        // The icons' own colours are for a light button: on the accent, the icon is white like the text.
        button->setProperty("plainIcon", QVariant::fromValue(button->icon()));
        button->setProperty("accentIcon",
                            QVariant::fromValue(whiteIcon(button->icon(), button->iconSize(), devicePixelRatioF())));
    }
    // One accent in the frame: the action the visit is waiting for (refreshActions marks it).
    setStyleSheet(QStringLiteral("QPushButton[primary=\"true\"]:enabled { background: #0F766E; color: white; "
                                 "border: 1px solid #0B5F58; border-radius: 4px; padding: 4px 14px; font-weight: 600; }"
                                 "QPushButton[primary=\"true\"]:enabled:focus { border: 2px solid #134E4A; }"));

    auto *counts = new QHBoxLayout;
    counts->setSpacing(4);
    m_countWaiting = countLabel(this, counts, StatusTone::Waiting, "countWaiting");
    m_countResults = countLabel(this, counts, StatusTone::ResultsReady, "countResults");
    m_countExaminations = countLabel(this, counts, StatusTone::InTreatment, "countExaminations");
    counts->addStretch();
    auto *left = new QWidget(m_splitter);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 6, 0);
    leftLayout->addWidget(m_doctor);
    leftLayout->addLayout(counts);
    leftLayout->addWidget(m_queue, 1);

    auto *actions = new QHBoxLayout;
    actions->addWidget(m_prescribe);
    actions->addWidget(m_review);
    actions->addWidget(m_complete);
    actions->addStretch();
    actions->addWidget(m_handOver);
    actions->addWidget(m_refuse);
    auto *right = new QWidget(m_splitter);
    auto *rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(6, 0, 0, 0);
    rightLayout->addWidget(m_panel, 1);
    rightLayout->addWidget(m_nextStep);
    rightLayout->addLayout(actions);
    rightLayout->addWidget(m_notice);

    m_splitter->addWidget(left);
    m_splitter->addWidget(right);
    m_splitter->setStretchFactor(0, 5);
    m_splitter->setStretchFactor(1, 6);
    m_splitter->setSizes({640, 760}); // in proportion: the queue gets the room to show whole names
    m_splitter->setChildrenCollapsible(false);
    left->setMinimumWidth(440);
    right->setMinimumWidth(520);
    auto *layout = new QHBoxLayout(this);
    layout->addWidget(m_splitter);
}

void DoctorScreen::connectQueue()
{
    // The view moves its current row to a neighbour when that row is removed. Connected before setModel(), these
    // run before the view's own handlers, so the flag is up while the view moves it and the panel does not jump to
    // another patient: it stays on the visit that left, and says so.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this, [this] { m_removing = true; });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &DoctorScreen::afterRowsRemoved);
    m_queue->setModel(m_model);
    // The urgent badge sits on the ticket, as at the desk: the priority column itself would say "Normal" on most rows.
    m_queue->setStatusColumns(DoctorQueueModel::StatusColumn, DoctorQueueModel::TicketColumn,
                              DoctorQueueModel::PendingColumn);
    m_queue->setColumnHidden(DoctorQueueModel::PriorityColumn, true);
    // The panel lists the examinations; in the queue the status says enough, and the name gets the room.
    m_queue->setColumnHidden(DoctorQueueModel::ExaminationsColumn, true);
    m_queue->setStretchColumn(DoctorQueueModel::PatientColumn);

    connect(m_queue->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DoctorScreen::onCurrentRowChanged);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &DoctorScreen::reselectOpenVisit);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DoctorScreen::reselectOpenVisit);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &DoctorScreen::refreshCounts);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &DoctorScreen::refreshCounts);
    connect(m_model, &QAbstractItemModel::rowsMoved, this, &DoctorScreen::refreshCounts);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DoctorScreen::refreshCounts);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &DoctorScreen::refreshCounts);
}

QString DoctorScreen::roleTitle() const
{
    return tr("Consultation: %1").arg(m_controller->doctorName());
}

QList<Shortcut> DoctorScreen::shortcuts() const
{
    return {{kQueueKey, tr("Go to the queue (the next patient is at the top)")},
            {QKeySequence(Qt::Key_Up), tr("Open the previous patient in the queue")},
            {QKeySequence(Qt::Key_Down), tr("Open the next patient in the queue")},
            {kPrescribeKey, tr("Prescribe examinations for the open visit")},
            {kReviewKey, tr("Review the open visit's examination results")},
            {kCompleteKey, tr("Complete the open visit's treatment")},
            {kRefuseKey, tr("Refuse the open visit's treatment")},
            {QKeySequence(Qt::CTRL | Qt::Key_Return), tr("Confirm a dialog")}};
}

void DoctorScreen::focusFirst()
{
    m_queue->setFocus();
    if (!m_queue->currentValue(DoctorQueueModel::VisitIdRole).isValid() && m_model->rowCount() > 0)
        m_queue->selectRow(0);
}

void DoctorScreen::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    RoleScreen::changeEvent(event);
}

void DoctorScreen::retranslate()
{
    setWindowTitle(roleTitle());
    const QString department = m_controller->departmentName();
    m_doctor->setText(department.isEmpty()
                          ? m_controller->doctorName()
                          : tr("%1 · %2", "doctor, then department").arg(m_controller->doctorName(), department));
    m_prescribe->setText(tr("Prescribe  %1").arg(shortcutText(kPrescribeKey)));
    m_review->setText(tr("Review results  %1").arg(shortcutText(kReviewKey)));
    m_complete->setText(tr("Complete  %1").arg(shortcutText(kCompleteKey)));
    m_refuse->setText(tr("Refuse  %1").arg(shortcutText(kRefuseKey)));
    m_handOver->setText(tr("Hand over  %1").arg(shortcutText(kHandOverKey)));
    m_queue->setEmptyText(tr("No patients waiting. Patients the desk assigns to you appear here."));
    m_queue->horizontalHeader()->viewport()->update();
    m_queue->viewport()->update();
    refreshCounts();
    refreshActions();
}

void DoctorScreen::refreshCounts()
{
    // Kept by the model: this runs on every change of the queue (thousands while the station catches up).
    const auto [waiting, results, examinations] = m_model->stageCounts(); // results: ready, or reviewed
    m_countWaiting->setText(tr("Waiting %1").arg(waiting));
    m_countResults->setText(tr("Results ready %1").arg(results));
    m_countExaminations->setText(tr("At examinations %1").arg(examinations));
    m_panel->setEmptyText(m_model->rowCount() == 0
                              ? tr("No visit open. Your patients appear in the queue on the left as the desk "
                                   "registers them.")
                              : tr("Select a patient in the queue to open their visit.\nThe next patient is at the "
                                   "top (%1 goes to the queue).")
                                    .arg(shortcutText(kQueueKey)));
}

void DoctorScreen::onCurrentRowChanged(const QModelIndex &current)
{
    if (m_removing)
        return;
    // The current index, not the selection: selectRow() moves the current row before it selects it.
    const QVariant visit = current.siblingAtColumn(0).data(DoctorQueueModel::VisitIdRole);
    if (!visit.isValid())
        return;
    // The view makes the first row current, unselected, when it first gets the focus: selected here too, so the
    // highlighted row is always the one the panel shows.
    if (!m_queue->selectionModel()->isRowSelected(current.row(), current.parent()))
        m_queue->selectRow(current.row());
    if (visit.toUuid() == m_panel->visitId())
        return;
    m_panel->showVisit(visit.toUuid());
    refreshActions();
}

// The open visit left the queue: the view has moved its selection to a neighbour the panel does not show. Nothing
// is selected instead, so the queue and the panel never disagree; Down selects the first patient again.
void DoctorScreen::afterRowsRemoved()
{
    if (!m_panel->visitId().isNull() && m_model->rowOf(m_panel->visitId()) < 0)
        m_queue->selectionModel()->clear();
    m_removing = false;
}

// The open visit is back in the queue (a refusal the server took back, a reset): select it again.
void DoctorScreen::reselectOpenVisit()
{
    if (m_panel->visitId().isNull() || m_queue->currentValue(DoctorQueueModel::VisitIdRole).isValid())
        return;
    m_queue->selectValue(DoctorQueueModel::VisitIdRole, m_panel->visitId());
}

QString DoctorScreen::patientLabel() const
{
    const auto row = m_station.store().visit(m_panel->visitId());
    return row ? tr("%1 (%2)", "patient name, then ticket").arg(row->patientName, row->ticket) : QString();
}

} // namespace clinicflow::client
