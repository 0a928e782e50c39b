// The queue table (see QueueView.h).
#include "QueueView.h"

#include "QueueDelegate.h"

#include <QHeaderView>
#include <QPainter>
#include <QTimer>
#include <algorithm>
#include <utility>

namespace clinicflow::client {

QueueView::QueueView(QWidget *parent)
    : QTableView(parent)
{
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setAlternatingRowColors(true);
    setSortingEnabled(false);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    verticalHeader()->hide();
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 14);
    horizontalHeader()->setStretchLastSection(true);
    horizontalHeader()->setHighlightSections(false);
    horizontalHeader()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    setItemDelegate(new QueueDelegate(this));
}

void QueueView::setStretchColumn(int column)
{
    QHeaderView *header = horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(column, QHeaderView::Stretch);
}

void QueueView::setModel(QAbstractItemModel *model)
{
    QTableView::setModel(model);
    m_contentColumns.clear(); // the header made new sections: their modes are read again
    if (!model)
        return;
    connect(model, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex &parent, int first, int last) {
        if (!parent.isValid())
            fitColumnsToRows(this->model()->index(first, 0),
                             this->model()->index(last, this->model()->columnCount() - 1));
    });
    connect(model, &QAbstractItemModel::dataChanged, this, &QueueView::fitColumnsToRows);
    const auto again = [this] { resizeColumnsSoon(); };
    connect(model, &QAbstractItemModel::rowsRemoved, this, again);
    connect(model, &QAbstractItemModel::modelReset, this, again);
    connect(model, &QAbstractItemModel::layoutChanged, this, again);
    connect(model, &QAbstractItemModel::columnsInserted, this, again);
    connect(model, &QAbstractItemModel::columnsRemoved, this, again);
    connect(model, &QAbstractItemModel::headerDataChanged, this,
            [this](Qt::Orientation orientation, int first, int last) {
                if (orientation == Qt::Horizontal)
                    resizeColumnsSoon(first, last);
            });
    resizeColumnsSoon();
}

bool QueueView::isContentColumn(int column) const
{
    return column < m_contentColumns.size() && m_contentColumns[column] && !isColumnHidden(column) &&
           !(horizontalHeader()->stretchLastSection() &&
             horizontalHeader()->logicalIndex(horizontalHeader()->count() - 1) == column);
}

// A row that arrives or changes can only widen its columns: its own cells are measured, nothing else. Many rows at
// once are measured with the rest of their columns, coalesced.
void QueueView::fitColumnsToRows(const QModelIndex &topLeft, const QModelIndex &bottomRight)
{
    constexpr int kRowsMeasuredAtOnce = 16;
    if (!topLeft.isValid() || topLeft.parent().isValid() || m_contentColumns.isEmpty())
        return; // not rows of this table, or its columns not measured yet (they will be, whole)
    const int firstColumn = topLeft.column();
    const int lastColumn = bottomRight.isValid() ? bottomRight.column() : firstColumn;
    const int first = topLeft.row();
    const int last = bottomRight.isValid() ? bottomRight.row() : first;
    if (last - first + 1 > kRowsMeasuredAtOnce) {
        resizeColumnsSoon(firstColumn, lastColumn);
        return;
    }
    QHeaderView *header = horizontalHeader();
    for (int column = firstColumn; column <= lastColumn; ++column) {
        if (!isContentColumn(column))
            continue;
        int width = 0;
        for (int row = first; row <= last; ++row)
            width = std::max(width, sizeHintForIndex(model()->index(row, column)).width());
        width = std::min(width + (showGrid() ? 1 : 0), header->maximumSectionSize()); // as QTableView measures
        if (width > header->sectionSize(column))
            header->resizeSection(column, width);
    }
}

void QueueView::resizeColumnsSoon(int firstColumn, int lastColumn)
{
    const int columns = model() ? model()->columnCount() : 0;
    m_columnsToFit.resize(columns);
    for (int c = std::max(0, firstColumn); c <= (lastColumn < 0 ? columns - 1 : std::min(lastColumn, columns - 1)); ++c)
        m_columnsToFit[c] = true;
    if (m_resizePending)
        return;
    m_resizePending = true;
    QTimer::singleShot(0, this, &QueueView::fitColumns);
}

// Each column the screen set to ResizeToContents becomes the view's (Fixed for the header) and gets what the header
// would have given it: its header's width or its widest cell, whichever is wider.
void QueueView::fitColumns()
{
    m_resizePending = false;
    QHeaderView *header = horizontalHeader();
    if (!model() || header->count() == 0)
        return;
    m_contentColumns.resize(header->count());
    m_columnsToFit.resize(header->count());
    for (int column = 0; column < header->count(); ++column) {
        if (header->sectionResizeMode(column) == QHeaderView::ResizeToContents) {
            header->setSectionResizeMode(column, QHeaderView::Fixed);
            m_contentColumns[column] = true;
            m_columnsToFit[column] = true;
        }
    }
    for (int column = 0; column < header->count(); ++column) {
        if (!std::exchange(m_columnsToFit[column], false) || !isContentColumn(column))
            continue;
        const int width = std::max(header->sectionSizeHint(column), sizeHintForColumn(column));
        header->resizeSection(column, std::clamp(width, header->minimumSectionSize(), header->maximumSectionSize()));
    }
}

void QueueView::setEmptyText(const QString &text)
{
    m_emptyText = text;
    viewport()->update();
}

void QueueView::setStatusColumns(int status, int priority, int pending)
{
    if (auto *delegate = qobject_cast<QueueDelegate *>(itemDelegate()))
        delegate->setColumns(status, priority, pending);
    viewport()->update();
}

QVariant QueueView::currentValue(int role) const
{
    const QModelIndex current = selectionModel() ? selectionModel()->currentIndex() : QModelIndex();
    if (!current.isValid() || !selectionModel()->isRowSelected(current.row(), current.parent()))
        return {};
    return current.siblingAtColumn(0).data(role);
}

bool QueueView::selectValue(int role, const QVariant &value)
{
    if (!model())
        return false;
    for (int row = 0; row < model()->rowCount(); ++row) {
        const QModelIndex index = model()->index(row, 0);
        if (index.data(role) == value) {
            setCurrentIndex(index);
            selectRow(row);
            scrollTo(index);
            return true;
        }
    }
    return false;
}

void QueueView::paintEvent(QPaintEvent *event)
{
    QTableView::paintEvent(event);
    if (m_emptyText.isEmpty() || (model() && model()->rowCount() > 0))
        return;
    QPainter painter(viewport());
    painter.setPen(palette().color(QPalette::PlaceholderText));
    QFont font = painter.font();
    if (font.pointSizeF() > 0)
        font.setPointSizeF(font.pointSizeF() * 1.15);
    else
        font.setPixelSize(font.pixelSize() * 115 / 100); // a pixel-sized font (the board's) has no point size
    painter.setFont(font);
    painter.drawText(viewport()->rect().adjusted(16, 16, -16, -16), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
}

} // namespace clinicflow::client
