// The status language in a queue's cells (see QueueDelegate.h).
#include "QueueDelegate.h"

#include "StatusStyle.h"
#include "models/TableModel.h"

namespace clinicflow::client {

void QueueDelegate::setColumns(int status, int priority, int pending)
{
    m_status = status;
    m_priority = priority;
    m_pending = pending;
}

void QueueDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QModelIndex first = index.siblingAtColumn(0);
    const bool pending = first.data(TableModel::PendingRole).toBool();
    if (pending)
        option->palette.setColor(QPalette::Text, StatusStyle::mutedText());
    const int column = index.column();
    if (column == m_status) {
        const QVariant tone = first.data(TableModel::ToneRole);
        if (tone.isValid()) {
            const auto t = StatusTone(tone.toInt());
            option->features |= QStyleOptionViewItem::HasDecoration;
            option->icon = StatusStyle::icon(t);
            option->decorationSize = QSize(18, 18);
            option->palette.setColor(QPalette::Text, StatusStyle::colour(t));
            option->font.setBold(true);
            option->font.setStrikeOut(t == StatusTone::Cancelled);
        }
    } else if (column == m_priority && first.data(TableModel::PriorityRole).toString() == QLatin1String("urgent")) {
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->icon = StatusStyle::urgentIcon();
        option->decorationSize = QSize(16, 16);
        option->palette.setColor(QPalette::Text, StatusStyle::urgentColour());
        option->font.setBold(true);
    } else if (column == m_pending && pending) {
        option->features |= QStyleOptionViewItem::HasDecoration;
        option->icon = StatusStyle::pendingIcon();
        option->decorationSize = QSize(16, 16);
    }
}

} // namespace clinicflow::client
