// The front desk's screen (see ReceptionScreen.h).
#include "ReceptionScreen.h"

#include "CancelVisitDialog.h"
#include "ReceptionController.h"
#include "RegistrationForm.h"
#include "TicketPanel.h"
#include "models/OutcomeConfirmationModel.h"
#include "models/TodayVisitsModel.h"
#include "screens/common/ErrorText.h"
#include "screens/common/Notice.h"
#include "screens/common/QueueFilter.h"
#include "screens/common/QueueView.h"
#include "screens/common/StatusStyle.h"
#include "station/Station.h"
#include "store/LocalStore.h"

#include <QComboBox>
#include <QEvent>
#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QShortcut>
#include <QTabBar>
#include <QTabWidget>

namespace clinicflow::client {

ReceptionScreen::ReceptionScreen(Station &station, QWidget *parent)
    : RoleScreen(parent)
    , m_station(station)
    , m_controller(new ReceptionController(station.store(), this))
    , m_form(new RegistrationForm(*m_controller, this))
    , m_ticket(new TicketPanel(station.store(), this))
    , m_visitsModel(new TodayVisitsModel(station.store(), {}, this))
    , m_filter(new QueueFilter(this))
    , m_confirmModel(new OutcomeConfirmationModel(station.store(), this))
    , m_tabs(new QTabWidget(this))
    , m_search(new QLineEdit(this))
    , m_statusFilter(new QComboBox(this))
    , m_departmentFilter(new QComboBox(this))
    , m_visits(new QueueView(this))
    , m_confirmations(new QueueView(this))
    , m_cancel(new QPushButton(this))
    , m_confirm(new QPushButton(this))
    , m_notice(new Notice(this))
{
    setObjectName(QStringLiteral("receptionScreen"));
    m_search->setObjectName(QStringLiteral("visitSearch"));
    m_search->setClearButtonEnabled(true);
    m_search->addAction(QIcon(QStringLiteral(":/icons/search.svg")), QLineEdit::LeadingPosition);
    m_statusFilter->setObjectName(QStringLiteral("statusFilter"));
    m_departmentFilter->setObjectName(QStringLiteral("departmentFilter"));
    m_visits->setObjectName(QStringLiteral("todayVisits"));
    m_confirmations->setObjectName(QStringLiteral("confirmations"));
    m_cancel->setObjectName(QStringLiteral("cancelVisit"));
    m_confirm->setObjectName(QStringLiteral("confirmOutcome"));
    m_tabs->setObjectName(QStringLiteral("deskTabs"));
    m_cancel->setIcon(QIcon(QStringLiteral(":/icons/cancel-visit.svg")));
    m_confirm->setIcon(QIcon(QStringLiteral(":/icons/confirm.svg")));
    m_confirm->setMinimumHeight(36);

    m_filter->setSourceModel(m_visitsModel);
    m_filter->setSearchColumns({TodayVisitsModel::TicketColumn, TodayVisitsModel::PatientColumn});
    m_filter->setSearchRoles({TodayVisitsModel::PhoneRole});
    m_filter->setDepartmentRole(TodayVisitsModel::DepartmentCodeRole);
    m_visits->setModel(m_filter);
    m_visits->setStatusColumns(TodayVisitsModel::StatusColumn, TodayVisitsModel::TicketColumn,
                               TodayVisitsModel::PendingColumn);
    m_visits->setStretchColumn(TodayVisitsModel::PatientColumn);
    m_confirmations->setModel(m_confirmModel);
    m_confirmations->setStatusColumns(OutcomeConfirmationModel::OutcomeColumn, OutcomeConfirmationModel::TicketColumn,
                                      OutcomeConfirmationModel::PendingColumn);
    m_confirmations->setStretchColumn(OutcomeConfirmationModel::NoteColumn);

    // Left: the form (fixed width), the last ticket under it.
    auto *left = new QVBoxLayout;
    m_form->setFixedWidth(460);
    m_ticket->setFixedWidth(460);
    left->addWidget(m_form);
    left->addWidget(m_ticket);
    left->addStretch();
    // Right: today's visits, and the visits to confirm.
    auto *visitsPage = new QWidget(this);
    auto *filters = new QHBoxLayout;
    filters->addWidget(m_search, 3);
    filters->addWidget(m_statusFilter, 1);
    filters->addWidget(m_departmentFilter, 1);
    auto *visitActions = new QHBoxLayout;
    visitActions->addStretch();
    visitActions->addWidget(m_cancel);
    auto *visitsLayout = new QVBoxLayout(visitsPage);
    visitsLayout->addLayout(filters);
    visitsLayout->addWidget(m_visits);
    visitsLayout->addLayout(visitActions);
    auto *confirmPage = new QWidget(this);
    auto *confirmActions = new QHBoxLayout;
    confirmActions->addStretch();
    confirmActions->addWidget(m_confirm);
    auto *confirmLayout = new QVBoxLayout(confirmPage);
    confirmLayout->addWidget(m_confirmations);
    confirmLayout->addLayout(confirmActions);
    m_tabs->addTab(visitsPage, QString());
    m_tabs->addTab(confirmPage, QString());
    auto *right = new QVBoxLayout;
    right->addWidget(m_tabs);
    right->addWidget(m_notice);
    auto *layout = new QHBoxLayout(this);
    layout->addLayout(left);
    layout->addLayout(right, 1);

    connect(m_form, &RegistrationForm::registered, this, &ReceptionScreen::onRegistered);
    connect(m_search, &QLineEdit::textChanged, m_filter, &QueueFilter::setSearchText);
    connect(m_statusFilter, &QComboBox::currentIndexChanged, this, [this] {
        const QVariant tone = m_statusFilter->currentData();
        m_filter->setTone(tone.isValid() ? std::optional(StatusTone(tone.toInt())) : std::nullopt);
    });
    connect(m_departmentFilter, &QComboBox::currentIndexChanged, this,
            [this] { m_filter->setDepartment(m_departmentFilter->currentData().toString()); });
    // The ticket panel shows the selected visit's ticket: a patient who lost the slip gets it printed again.
    connect(m_visits->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            [this] { m_ticket->showSelected(m_visits->currentValue(TodayVisitsModel::IdRole).toUuid()); });
    connect(m_cancel, &QPushButton::clicked, this, &ReceptionScreen::cancelSelectedVisit);
    connect(m_confirm, &QPushButton::clicked, this, &ReceptionScreen::confirmSelectedOutcome);
    connect(m_confirmations, &QAbstractItemView::activated, this, &ReceptionScreen::confirmSelectedOutcome);
    auto *find = new QShortcut(QKeySequence::Find, this);
    connect(find, &QShortcut::activated, this, [this] {
        m_tabs->setCurrentIndex(0);
        m_search->setFocus();
        m_search->selectAll();
    });
    // However the desk opens the visits to confirm (F3, or a click on the tab), the first one is selected: Enter, or
    // the confirm button, acts on it at once.
    const auto selectFirstOutcome = [this] {
        if (!m_confirmations->currentIndex().isValid() && m_confirmModel->rowCount() > 0)
            m_confirmations->selectRow(0);
    };
    connect(m_tabs, &QTabWidget::currentChanged, this, [selectFirstOutcome](int index) {
        if (index == 1)
            selectFirstOutcome();
    });
    auto *toConfirm = new QShortcut(QKeySequence(Qt::Key_F3), this);
    connect(toConfirm, &QShortcut::activated, this, [this, selectFirstOutcome] {
        m_tabs->setCurrentIndex(1);
        m_confirmations->setFocus();
        selectFirstOutcome(); // already on that tab: currentChanged does not come
    });
    auto *cancel = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Delete), this);
    connect(cancel, &QShortcut::activated, this, &ReceptionScreen::cancelSelectedVisit);
    for (QAbstractItemModel *model :
         {static_cast<QAbstractItemModel *>(m_filter), static_cast<QAbstractItemModel *>(m_confirmModel)}) {
        connect(model, &QAbstractItemModel::rowsInserted, this, &ReceptionScreen::refreshCounts);
        connect(model, &QAbstractItemModel::rowsRemoved, this, &ReceptionScreen::refreshCounts);
        connect(model, &QAbstractItemModel::modelReset, this, &ReceptionScreen::refreshCounts);
    }
    connect(&station.store(), &LocalStore::catalogueChanged, this, [this] {
        m_form->refreshLists();
        refreshFilters();
    });
    retranslate();
}

ReceptionScreen::~ReceptionScreen() = default;

QString ReceptionScreen::roleTitle() const
{
    return tr("Front desk");
}

QList<Shortcut> ReceptionScreen::shortcuts() const
{
    return {
        {QKeySequence(Qt::CTRL | Qt::Key_Return), tr("Register the visit in the form")},
        {QKeySequence::Find, tr("Search today's visits by ticket, name or phone")},
        {QKeySequence(Qt::Key_F3), tr("Go to the visits waiting for confirmation")},
        {QKeySequence(Qt::Key_Return), tr("Confirm the selected outcome")},
        {QKeySequence(Qt::CTRL | Qt::Key_Delete), tr("Cancel the selected visit")},
        {QKeySequence(QKeySequence::Print), tr("Print the ticket shown (select a visit to print its ticket again)")}};
}

void ReceptionScreen::focusFirst()
{
    m_form->focusFirst();
}

void ReceptionScreen::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    RoleScreen::changeEvent(event);
}

void ReceptionScreen::retranslate()
{
    m_search->setPlaceholderText(tr("Search: ticket, name or phone (Ctrl+F)"));
    m_cancel->setText(tr("Cancel visit…"));
    m_confirm->setText(tr("Confirm outcome  Enter"));
    m_visits->setEmptyText(tr("No visits today yet. Registered visits appear here."));
    m_confirmations->setEmptyText(tr("No outcome to confirm. Completed and refused treatments appear here."));
    refreshFilters();
    refreshCounts();
}

void ReceptionScreen::refreshFilters()
{
    const QVariant tone = m_statusFilter->currentData();
    const QString department = m_departmentFilter->currentData().toString();
    {
        const QSignalBlocker block(m_statusFilter);
        m_statusFilter->clear();
        m_statusFilter->addItem(tr("Every status"));
        for (StatusTone t : StatusStyle::allTones())
            m_statusFilter->addItem(StatusStyle::icon(t), StatusStyle::word(t), int(t));
        m_statusFilter->setCurrentIndex(tone.isValid() ? std::max(0, m_statusFilter->findData(tone)) : 0);
    }
    {
        const QSignalBlocker block(m_departmentFilter);
        m_departmentFilter->clear();
        m_departmentFilter->addItem(tr("Every department"), QString());
        for (const auto &d : m_controller->departments())
            m_departmentFilter->addItem(d.name, d.code);
        m_departmentFilter->setCurrentIndex(std::max(0, m_departmentFilter->findData(department)));
    }
}

void ReceptionScreen::refreshCounts()
{
    m_tabs->setTabText(0, tr("Today's visits (%1)").arg(m_visitsModel->rowCount()));
    const int toConfirm = m_confirmModel->rowCount();
    m_tabs->setTabText(1, tr("To confirm (%1)").arg(toConfirm));
    m_tabs->setTabIcon(1, toConfirm > 0 ? QIcon(QStringLiteral(":/icons/confirm.svg")) : QIcon());
    // The desk's next step while visits wait for it, in the colour of a completed treatment: a count in the tab's
    // usual grey is easily missed while the other tab is open.
    m_tabs->tabBar()->setTabTextColor(1, toConfirm > 0 ? StatusStyle::colour(StatusTone::Completed) : QColor());
}

void ReceptionScreen::onRegistered(const SubmittedVisit &visit)
{
    m_ticket->show(visit);
    m_notice->inform(tr("Registered: ticket %1").arg(visit.ticket.toString()));
    m_visits->selectValue(TodayVisitsModel::IdRole, visit.visitId);
}

void ReceptionScreen::cancelSelectedVisit()
{
    const QUuid visit = m_visits->currentValue(TodayVisitsModel::IdRole).toUuid();
    if (visit.isNull()) {
        m_notice->askToSelect(tr("Select the visit to cancel in today's visits"), m_visits);
        return;
    }
    const auto row = m_station.store().visit(visit);
    if (!row)
        return;
    // Not blocking: the lists keep following the server while the receptionist types the reason.
    auto *dialog = new CancelVisitDialog(row->ticket, row->patientName, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const QString ticket = row->ticket;
    connect(dialog, &QDialog::accepted, this, [this, dialog, visit, ticket] {
        auto cancelled = m_controller->cancelVisit(visit, dialog->reason());
        if (!cancelled) {
            m_notice->warn(tr("Visit %1 not cancelled: %2").arg(ticket, ErrorText::sentence(cancelled.error())));
            return;
        }
        m_notice->inform(tr("Visit %1 cancelled").arg(ticket));
    });
    dialog->open();
}

void ReceptionScreen::confirmSelectedOutcome()
{
    const QUuid visit = m_confirmations->currentValue(OutcomeConfirmationModel::IdRole).toUuid();
    if (visit.isNull()) {
        m_notice->askToSelect(tr("Select the visit whose outcome you confirm"), m_confirmations);
        return;
    }
    const auto row = m_station.store().visit(visit);
    auto confirmed = m_controller->confirmOutcome(visit);
    const QString ticket = row ? row->ticket : QString();
    if (!confirmed) {
        m_notice->warn(tr("Outcome of %1 not confirmed: %2").arg(ticket, ErrorText::sentence(confirmed.error())));
        return;
    }
    m_notice->inform(tr("Outcome of %1 confirmed: the visit is closed").arg(ticket));
    if (m_confirmModel->rowCount() > 0)
        m_confirmations->selectRow(0);
}

} // namespace clinicflow::client
