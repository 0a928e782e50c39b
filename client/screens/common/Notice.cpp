// The notice line (see Notice.h).
#include "Notice.h"

#include <QAbstractItemView>
#include <QItemSelectionModel>
#include <QTimer>

namespace clinicflow::client {

Notice::Notice(QWidget *parent)
    : QLabel(parent)
    , m_timer(new QTimer(this))
{
    setObjectName(QStringLiteral("notice"));
    setWordWrap(true);
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &QLabel::clear);
}

void Notice::inform(const QString &text)
{
    disconnect(m_selected);
    setStyleSheet(QStringLiteral("color: #166534; padding: 4px;"));
    setText(text);
    m_timer->start(8000);
}

void Notice::warn(const QString &text)
{
    disconnect(m_selected);
    m_timer->stop();
    setStyleSheet(QStringLiteral("color: #B91C1C; font-weight: 600; padding: 4px;"));
    setText(text);
}

void Notice::askToSelect(const QString &text, QAbstractItemView *view)
{
    warn(text);
    if (QItemSelectionModel *selection = view->selectionModel()) {
        m_selected = connect(selection, &QItemSelectionModel::selectionChanged, this, [this, selection] {
            if (!selection->hasSelection())
                return;
            disconnect(m_selected);
            clear();
        });
    }
}

} // namespace clinicflow::client
