// The table every queue and list is shown in: whole rows selected one at a time, no editing, the model's own order
// (models sort themselves and move rows in place, so the selection and the scroll position survive live updates),
// the status language drawn by its delegate, and a sentence in place of an empty table saying what will appear.
#pragma once

#include <QTableView>

namespace clinicflow::client {

class QueueView : public QTableView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueView)

public:
    explicit QueueView(QWidget *parent = nullptr);

    // "No patients waiting": what an empty list says.
    void setEmptyText(const QString &text);
    QString emptyText() const { return m_emptyText; }

    // Columns drawn by the status language: `status` shows the row's tone (icon, colour, word), `priority` the urgent
    // badge, `pending` the pending clock. -1 for none.
    void setStatusColumns(int status, int priority, int pending);

    // Every column as wide as its contents, and `column` (a name, a note) taking the width that is left: the last
    // column then no longer stretches, which left a wide empty "Sync" column beside a narrow patient's name. After
    // setModel().
    void setStretchColumn(int column);

    // The row's value of `role` (e.g. its id) for the current row, or an invalid QVariant when none is selected.
    QVariant currentValue(int role) const;
    // Selects the row whose `role` value equals `value`; false when there is none.
    bool selectValue(int role, const QVariant &value);

    void setModel(QAbstractItemModel *model) override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    // Columns sized to their contents follow the rows that arrive: a horizontal header resizes them only when columns
    // change, so a queue that opened empty would keep header-wide columns ("…" for every ticket). The view sizes
    // them itself: a row that arrives or changes is measured alone and can only widen its columns; rows leaving, a
    // reset or new headers measure the columns again (as QHeaderView does, up to 1,000 rows), coalesced. Left to the
    // header, every changed row would measure every such column again, 1,000 rows each: tens of milliseconds for
    // each registration at a busy desk, and for each event while a doctor's station catches up.
    void resizeColumnsSoon(int firstColumn = 0, int lastColumn = -1);
    void fitColumns();
    void fitColumnsToRows(const QModelIndex &topLeft, const QModelIndex &bottomRight);
    bool isContentColumn(int column) const;

    QString m_emptyText;
    bool m_resizePending = false;
    QList<bool> m_columnsToFit;   // per column: measure it again at the next coalesced fit
    QList<bool> m_contentColumns; // per column: the screen asked for ResizeToContents; the view sizes it
};

} // namespace clinicflow::client
