// The connection indicator (see ConnectionIndicator.h).
#include "ConnectionIndicator.h"

#include "StatusStyle.h"
#include "station/Station.h"
#include "store/LocalStore.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QLocale>
#include <QTimer>

namespace clinicflow::client {

ConnectionIndicator::ConnectionIndicator(Station &station, QWidget *parent)
    : QWidget(parent)
    , m_station(station)
    , m_icon(new QLabel(this))
    , m_state(new QLabel(this))
    , m_pending(new QLabel(this))
    , m_contact(new QLabel(this))
{
    StatusStyle::ensureIcons();
    setObjectName(QStringLiteral("connectionIndicator"));
    m_state->setObjectName(QStringLiteral("connectionState"));
    m_pending->setObjectName(QStringLiteral("pendingCount"));
    m_contact->setObjectName(QStringLiteral("lastContact"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(4, 0, 4, 0);
    layout->setSpacing(6);
    layout->addWidget(m_icon);
    layout->addWidget(m_state);
    layout->addSpacing(12);
    layout->addWidget(m_pending);
    layout->addSpacing(12);
    layout->addWidget(m_contact);
    connect(&station, &Station::stateChanged, this, &ConnectionIndicator::refresh);
    connect(&station, &Station::progress, this, &ConnectionIndicator::refresh);
    connect(&station, &Station::lastContactChanged, this, &ConnectionIndicator::refresh);
    connect(&station.store(), &LocalStore::pendingCountChanged, this, &ConnectionIndicator::refresh);
    auto *tick = new QTimer(this); // "last contact 2 min ago" keeps its age
    connect(tick, &QTimer::timeout, this, &ConnectionIndicator::refresh);
    tick->start(15'000);
    refresh();
}

QString ConnectionIndicator::stateText() const
{
    return m_state->text();
}

void ConnectionIndicator::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        refresh();
    QWidget::changeEvent(event);
}

void ConnectionIndicator::refresh()
{
    QString icon;
    QString text;
    QString colour;
    const quint64 last = m_station.store().lastSequence();
    const quint64 head = m_station.headSequence();
    switch (m_station.state()) {
    case ConnectionState::Online:
        icon = QStringLiteral(":/icons/online.svg");
        text = tr("Online");
        colour = QStringLiteral("#16A34A");
        break;
    case ConnectionState::Syncing:
        icon = QStringLiteral(":/icons/syncing.svg");
        text = head > last ? tr("Syncing %Ln", "events still to fetch", int(std::min<quint64>(head - last, INT_MAX)))
                           : tr("Syncing");
        colour = QStringLiteral("#2563EB");
        break;
    case ConnectionState::Connecting:
        icon = QStringLiteral(":/icons/connecting.svg");
        text = tr("Connecting…");
        colour = QStringLiteral("#6B7280");
        break;
    case ConnectionState::Offline:
        icon = QStringLiteral(":/icons/offline.svg");
        text = tr("Offline: saved, will send when connected");
        colour = QStringLiteral("#B45309");
        break;
    }
    if (m_drawn != m_station.state()) { // an SVG to render and a style sheet to parse: only when the state changes
        m_drawn = m_station.state();
        m_icon->setPixmap(QIcon(icon).pixmap(14, 14));
        m_state->setStyleSheet(QStringLiteral("color: %1; font-weight: 600;").arg(colour));
    }
    m_state->setText(text);
    const int pending = m_station.store().pendingCount();
    m_pending->setText(pending == 0 ? tr("All actions confirmed") : tr("%n waiting for the server", nullptr, pending));
    const QDateTime contact = m_station.lastContact();
    m_contact->setText(contact.isValid()
                           ? tr("Last contact %1").arg(QLocale().toString(contact.toLocalTime().time(), u"HH:mm:ss"))
                           : tr("Not connected yet"));
}

} // namespace clinicflow::client
