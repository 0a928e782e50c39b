// The conflicts panel (see ConflictsPanel.h).
#include "ConflictsPanel.h"

#include "ErrorText.h"
#include "StatusStyle.h"
#include "models/ModelText.h"
#include "station/Station.h"
#include "store/LocalStore.h"

#include <QEvent>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace clinicflow::client {

using namespace domain;

ConflictsPanel::ConflictsPanel(Station &station, QWidget *parent)
    : QWidget(parent)
    , m_station(station)
    , m_list(new QTreeWidget(this))
    , m_acknowledge(new QPushButton(this))
{
    setObjectName(QStringLiteral("conflictsPanel"));
    m_list->setObjectName(QStringLiteral("conflictList"));
    m_list->setRootIsDecorated(false);
    m_list->setWordWrap(true);
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->header()->setStretchLastSection(true);
    m_acknowledge->setObjectName(QStringLiteral("acknowledgeConflicts"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list);
    layout->addWidget(m_acknowledge, 0, Qt::AlignRight);
    connect(m_acknowledge, &QPushButton::clicked, this, &ConflictsPanel::acknowledgeSelected);
    connect(&station.store(), &LocalStore::conflictsChanged, this, &ConflictsPanel::reload);
    connect(&station.store(), &LocalStore::visitChanged, this, &ConflictsPanel::onVisitChanged);
    connect(&station.store(), &LocalStore::visitsChanged, this, [this](const QList<QUuid> &visitIds) {
        for (const QUuid &id : visitIds) {
            if (m_shownVisits.contains(id))
                return reload();
        }
    });
    reload();
}

void ConflictsPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        reload();
    QWidget::changeEvent(event);
}

QString ConflictsPanel::nowShown(const Conflict &conflict) const
{
    const LocalStore &store = m_station.store();
    // In the words every queue and the board use for the visit.
    if (const auto row = store.visit(conflict.visitId))
        return ModelText::visitState(row->receptionStatus, row->diagnosisStatus);
    return tr("The visit is no longer shown");
}

// "Shown now" follows the conflicts' visits. Any other visit's change (thousands of them while a station catches
// up) leaves the list as it is, without reading the conflicts again.
void ConflictsPanel::onVisitChanged(const QUuid &visitId)
{
    if (m_shownVisits.contains(visitId))
        reload();
}

void ConflictsPanel::reload()
{
    m_list->setHeaderLabels({tr("Ticket"), tr("Your action"), tr("Why the server refused it"), tr("Shown now")});
    m_acknowledge->setText(tr("Acknowledge"));
    m_list->clear();
    m_shownVisits.clear();
    m_unacknowledged = 0;
    for (const Conflict &c : m_station.store().conflicts()) {
        if (c.acknowledged)
            continue;
        ++m_unacknowledged;
        m_shownVisits.insert(c.visitId);
        // The reason as a sentence; the server's detail (ids) only in the tooltip, for whoever has to look it up.
        auto *item = new QTreeWidgetItem(
            m_list, {c.ticket, ErrorText::action(c.commandName), ErrorText::sentence(c.code), nowShown(c)});
        item->setIcon(0, StatusStyle::conflictIcon());
        item->setData(0, Qt::UserRole, c.id);
        item->setToolTip(2, ErrorText::sentence(c.code, c.detail));
    }
    for (int column = 0; column < 3; ++column)
        m_list->resizeColumnToContents(column);
    m_acknowledge->setEnabled(m_unacknowledged > 0);
    Q_EMIT countChanged(m_unacknowledged);
}

void ConflictsPanel::acknowledgeSelected()
{
    QList<QTreeWidgetItem *> items = m_list->selectedItems();
    if (items.isEmpty()) { // nothing selected: all of them
        for (int i = 0; i < m_list->topLevelItemCount(); ++i)
            items.append(m_list->topLevelItem(i));
    }
    for (QTreeWidgetItem *item : items)
        (void)m_station.store().acknowledgeConflict(item->data(0, Qt::UserRole).toLongLong());
    reload();
}

QStringList ConflictsPanel::lines() const
{
    QStringList lines;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_list->topLevelItem(i);
        QStringList cells;
        for (int c = 0; c < m_list->columnCount(); ++c)
            cells.append(item->text(c));
        lines.append(cells.join(QStringLiteral(" | ")));
    }
    return lines;
}

} // namespace clinicflow::client
