// The front desk (SCREENS.md): the registration form on the left with the last ticket under it; on the right today's
// visits (search with Ctrl+F, filters by status and department, cancel with a reason) and, in a second tab with its
// count, the visits whose outcome waits for the desk's confirmation (Enter confirms).
#pragma once

#include "screens/common/RoleScreen.h"

class QComboBox;
class QLineEdit;
class QPushButton;
class QTabWidget;

namespace clinicflow::client {

class Notice;
class OutcomeConfirmationModel;
class QueueFilter;
class QueueView;
class ReceptionController;
class RegistrationForm;
class Station;
class TicketPanel;
class TodayVisitsModel;
struct SubmittedVisit;

class ReceptionScreen : public RoleScreen
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReceptionScreen)

public:
    explicit ReceptionScreen(Station &station, QWidget *parent = nullptr);
    ~ReceptionScreen() override;

    QString roleTitle() const override;
    QList<Shortcut> shortcuts() const override;
    void focusFirst() override;

    // For tests: the pieces a receptionist works with.
    RegistrationForm *form() const { return m_form; }
    QueueView *visits() const { return m_visits; }
    QueueView *confirmations() const { return m_confirmations; }
    TicketPanel *ticket() const { return m_ticket; }

public Q_SLOTS:
    void cancelSelectedVisit();
    void confirmSelectedOutcome();

protected:
    void changeEvent(QEvent *event) override;

private:
    void onRegistered(const SubmittedVisit &visit);
    void refreshFilters();
    void refreshCounts();
    void retranslate();

    Station &m_station;
    ReceptionController *m_controller;
    RegistrationForm *m_form;
    TicketPanel *m_ticket;
    TodayVisitsModel *m_visitsModel;
    QueueFilter *m_filter;
    OutcomeConfirmationModel *m_confirmModel;
    QTabWidget *m_tabs;
    QLineEdit *m_search;
    QComboBox *m_statusFilter;
    QComboBox *m_departmentFilter;
    QueueView *m_visits;
    QueueView *m_confirmations;
    QPushButton *m_cancel;
    QPushButton *m_confirm;
    Notice *m_notice;
};

} // namespace clinicflow::client
