// The ticket of the visit just registered, large enough to read out across the desk ("A-017"), with the department
// and the time, and a print button for the patient's slip (a printer, or a PDF through the print dialog). A visit
// selected in today's list takes its place, so a lost slip is printed again from its row.
#pragma once

#include "store/StoreTypes.h"

#include <QFrame>

class QLabel;
class QPushButton;
class QShortcut;

namespace clinicflow::client {

class LocalStore;

class TicketPanel : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TicketPanel)

public:
    explicit TicketPanel(LocalStore &store, QWidget *parent = nullptr);

    void show(const SubmittedVisit &visit);  // just registered here
    void showSelected(const QUuid &visitId); // chosen in today's visits; a null id changes nothing
    QString ticketText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void print();
    void refresh();

    LocalStore &m_store;
    SubmittedVisit m_visit;
    bool m_registered = false; // m_visit was just registered, rather than selected
    QLabel *m_caption;
    QLabel *m_ticket;
    QLabel *m_details;
    QPushButton *m_print;
    QShortcut *m_printKey; // Ctrl+P, while there is a ticket to print
};

} // namespace clinicflow::client
