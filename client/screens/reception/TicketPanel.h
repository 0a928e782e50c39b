// The ticket of the visit just registered, large enough to read out across the desk ("A-017"), with the department
// and the time, and a print button for the patient's slip (a printer, or a PDF through the print dialog).
#pragma once

#include "store/StoreTypes.h"

#include <QFrame>

class QLabel;
class QPushButton;

namespace clinicflow::client {

class LocalStore;

class TicketPanel : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TicketPanel)

public:
    explicit TicketPanel(LocalStore &store, QWidget *parent = nullptr);

    void show(const SubmittedVisit &visit);
    QString ticketText() const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void print();
    void refresh();

    LocalStore &m_store;
    SubmittedVisit m_visit;
    QLabel *m_caption;
    QLabel *m_ticket;
    QLabel *m_details;
    QPushButton *m_print;
};

} // namespace clinicflow::client
