// Draws a queue's rows in the status language: the status column with its tone's icon and colour (struck through
// when cancelled or withdrawn), the priority column with the urgent badge, the pending column with the clock, and a
// pending row's text muted, so a row still waiting for the server never looks confirmed.
#pragma once

#include <QStyledItemDelegate>

namespace clinicflow::client {

class QueueDelegate : public QStyledItemDelegate
{
    Q_OBJECT

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void setColumns(int status, int priority, int pending);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    int m_status = -1;
    int m_priority = -1;
    int m_pending = -1;
};

} // namespace clinicflow::client
