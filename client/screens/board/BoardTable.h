// The board's table of visits: the queue view made for a wall. Large type (28 px, stepping down to 24 px on a
// narrow screen before anything is cut), nothing to select, edit or focus, column widths set from the roster's names
// and the status words (never by measuring rows, so 100,000 visits cost no more than ten), whole rows filling the
// height, and pages turned by the board when the day does not fit.
#pragma once

#include "BoardTheme.h"
#include "screens/common/QueueView.h"

namespace clinicflow::client {

class BoardDelegate;
class LocalStore;
class StatusBoardModel;

class BoardTable : public QueueView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BoardTable)

public:
    BoardTable(StatusBoardModel *model, const LocalStore &store, QWidget *parent = nullptr);

    void setTheme(const BoardTheme &theme);
    // Sets the widths (and the text size) for the current width, roster and language.
    void layoutColumns();

    int pageCount() const; // 1 when every row fits
    int page() const;      // from 1
    void turnPage();       // the next page, or back to the first

Q_SIGNALS:
    void pageChanged();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void fitRows();
    int rowsPerPage() const;

    const LocalStore &m_store;
    BoardDelegate *m_delegate;
};

} // namespace clinicflow::client
