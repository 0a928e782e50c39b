// The queue table (see QueueView.h).
#include "QueueView.h"

#include "QueueDelegate.h"

#include <QHeaderView>
#include <QPainter>
#include <QTimer>

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

void QueueView::setModel(QAbstractItemModel *model)
{
    QTableView::setModel(model);
    if (!model)
        return;
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(model, signal, this, &QueueView::resizeColumnsSoon);
    connect(model, &QAbstractItemModel::modelReset, this, &QueueView::resizeColumnsSoon);
    connect(model, &QAbstractItemModel::dataChanged, this, &QueueView::resizeColumnsSoon);
    connect(model, &QAbstractItemModel::headerDataChanged, this, &QueueView::resizeColumnsSoon);
}

void QueueView::resizeColumnsSoon()
{
    if (m_resizePending)
        return;
    m_resizePending = true;
    QTimer::singleShot(0, this, [this] {
        m_resizePending = false;
        // QHeaderView::resizeSections() is a protected slot: it sizes each section by its own mode.
        QMetaObject::invokeMethod(horizontalHeader(), "resizeSections");
    });
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
