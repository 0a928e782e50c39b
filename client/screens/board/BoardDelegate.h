// The board's cells: the status language of every queue (QueueDelegate), drawn for large type and for the board's
// theme: icons as large as the text, and the visit's state in bold, in its tone's colour (lightened on the dark theme):
// the same colour and word as the count it falls under at the top.
#pragma once

#include "BoardTheme.h"
#include "screens/common/QueueDelegate.h"

namespace clinicflow::client {

class BoardDelegate : public QueueDelegate
{
    Q_OBJECT

public:
    using QueueDelegate::QueueDelegate;

    void setTheme(const BoardTheme &theme) { m_theme = theme; }
    void setIconSize(int pixels) { m_iconSize = pixels; }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    BoardTheme m_theme;
    int m_iconSize = 24;
};

} // namespace clinicflow::client
