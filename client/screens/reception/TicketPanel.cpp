// The ticket panel (see TicketPanel.h).
#include "TicketPanel.h"

#include "models/ModelText.h"
#include "screens/common/ShortcutText.h"
#include "store/LocalStore.h"

#include <QEvent>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPrintDialog>
#include <QPrinter>
#include <QPushButton>
#include <QScopeGuard>
#include <QShortcut>
#include <QVBoxLayout>

namespace clinicflow::client {

TicketPanel::TicketPanel(LocalStore &store, QWidget *parent)
    : QFrame(parent)
    , m_store(store)
    , m_caption(new QLabel(this))
    , m_ticket(new QLabel(this))
    , m_details(new QLabel(this))
    , m_print(new QPushButton(this))
    , m_printKey(new QShortcut(QKeySequence::Print, this))
{
    setObjectName(QStringLiteral("ticketPanel"));
    setFrameShape(QFrame::StyledPanel);
    m_ticket->setObjectName(QStringLiteral("ticketNumber"));
    m_ticket->setAlignment(Qt::AlignCenter);
    m_ticket->setStyleSheet(QStringLiteral("font-size: 40pt; font-weight: 700; color: #0F766E;"));
    m_caption->setObjectName(QStringLiteral("ticketCaption"));
    m_details->setObjectName(QStringLiteral("ticketDetails"));
    m_details->setAlignment(Qt::AlignCenter);
    m_details->setWordWrap(true);
    m_caption->setAlignment(Qt::AlignCenter);
    m_print->setObjectName(QStringLiteral("printTicket"));
    m_print->setIcon(QIcon(QStringLiteral(":/icons/print.svg")));
    m_print->setEnabled(false);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_caption);
    layout->addWidget(m_ticket);
    layout->addWidget(m_details);
    layout->addWidget(m_print, 0, Qt::AlignCenter);
    connect(m_print, &QPushButton::clicked, this, &TicketPanel::print);
    m_printKey->setObjectName(QStringLiteral("printTicketKey"));
    m_printKey->setEnabled(false);
    connect(m_printKey, &QShortcut::activated, m_print, &QPushButton::click);
    // The doctor is often the server's to choose (the least busy one), and known only once the registration is
    // synced: the panel, and the slip printed from it, follow the visit until then.
    connect(&store, &LocalStore::visitChanged, this, [this](const QUuid &visitId) {
        if (visitId == m_visit.visitId)
            refresh();
    });
    connect(&store, &LocalStore::visitsChanged, this, [this](const QList<QUuid> &visitIds) {
        if (visitIds.contains(m_visit.visitId))
            refresh();
    });
    connect(&store, &LocalStore::visitsReset, this, &TicketPanel::refresh);
    connect(&store, &LocalStore::catalogueChanged, this, &TicketPanel::refresh);
    refresh();
}

void TicketPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        refresh();
    QFrame::changeEvent(event);
}

// Its words (a new language), and what it says of the visit (the doctor assigned, a refusal, a cancellation).
void TicketPanel::refresh()
{
    m_caption->setText(m_visit.visitId.isNull() ? tr("The ticket of the next registration appears here")
                       : m_registered           ? tr("Registered: the patient's ticket")
                                                : tr("Ticket of the selected visit"));
    m_print->setText(tr("Print ticket  %1").arg(shortcutText(m_printKey->key())));
    // Whatever the panel comes to say below, the key prints only what the button would.
    const auto syncKey = qScopeGuard([this] { m_printKey->setEnabled(m_print->isEnabled()); });
    if (m_visit.visitId.isNull()) {
        m_ticket->setText(QStringLiteral("—"));
        m_details->clear();
        return;
    }
    m_ticket->setText(m_visit.ticket.toString());
    const auto row = m_store.visit(m_visit.visitId);
    // A registration the server refused (a conflict) leaves the store: no slip for a visit that does not exist.
    m_print->setEnabled(bool(row));
    if (!row) {
        m_caption->setText(tr("Not registered: the server did not accept it"));
        m_details->setText(tr("See why under \"Refused actions\", then register the patient again"));
        return;
    }
    // The desk cancelled the visit (the patient left) after the slip was shown: nothing to print any more.
    if (row->receptionStatus == domain::ReceptionStatus::Cancelled) {
        m_print->setEnabled(false);
        m_caption->setText(tr("Registration cancelled"));
        m_details->setText(tr("The patient is no longer waiting; there is no ticket to print"));
        return;
    }
    m_details->setText(tr("%1 · %2 · %3")
                           .arg(ModelText::department(m_store.catalogue(), row->department),
                                row->doctor.isEmpty() ? tr("doctor to be assigned")
                                                      : ModelText::doctor(m_store.catalogue(), row->doctor),
                                QLocale().toString(row->receivedAt.toLocalTime().time(), u"HH:mm")));
}

void TicketPanel::show(const SubmittedVisit &visit)
{
    m_visit = visit;
    m_registered = true;
    refresh();
}

void TicketPanel::showSelected(const QUuid &visitId)
{
    if (visitId.isNull() || visitId == m_visit.visitId)
        return; // the registration just shown is selected after it: it stays "registered"
    const auto row = m_store.visit(visitId);
    if (!row)
        return;
    auto ticket = domain::Ticket::parse(row->ticket);
    if (!ticket)
        return;
    m_visit = SubmittedVisit{{}, visitId, ticket.value()};
    m_registered = false;
    refresh();
}

QString TicketPanel::ticketText() const
{
    return m_ticket->text();
}

void TicketPanel::print()
{
    QPrinter printer;
    QPrintDialog dialog(&printer, this);
    dialog.setWindowTitle(tr("Print ticket %1").arg(m_visit.ticket.toString()));
    if (dialog.exec() != QDialog::Accepted)
        return;
    QPainter painter(&printer);
    const QRect page = painter.viewport();
    QFont font = painter.font();
    font.setPointSize(48);
    font.setBold(true);
    painter.setFont(font);
    painter.drawText(page.adjusted(0, 0, 0, -page.height() / 2), Qt::AlignCenter, m_visit.ticket.toString());
    font.setPointSize(14);
    font.setBold(false);
    painter.setFont(font);
    painter.drawText(page.adjusted(0, page.height() / 2, 0, 0), Qt::AlignHCenter | Qt::AlignTop, m_details->text());
}

} // namespace clinicflow::client
