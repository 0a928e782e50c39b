// The board's cells (see BoardDelegate.h).
#include "BoardDelegate.h"

#include "models/StatusBoardModel.h"

namespace clinicflow::client {

void BoardDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QueueDelegate::initStyleOption(option, index);
    if (option->features & QStyleOptionViewItem::HasDecoration)
        option->decorationSize = QSize(m_iconSize, m_iconSize);
    const QModelIndex first = index.siblingAtColumn(0);
    switch (index.column()) {
    case StatusBoardModel::StatusColumn:
        if (const QVariant tone = first.data(StatusBoardModel::ToneRole); tone.isValid())
            option->palette.setColor(QPalette::Text, m_theme.tone(StatusTone(tone.toInt())));
        option->font.setBold(true);
        break;
    case StatusBoardModel::TicketColumn:
        if (first.data(StatusBoardModel::PriorityRole).toString() == QLatin1String("urgent"))
            option->palette.setColor(QPalette::Text, m_theme.tone(StatusTone::Cancelled)); // the urgent red
        option->font.setBold(true);
        break;
    default:
        break;
    }
}

} // namespace clinicflow::client
