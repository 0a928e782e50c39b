// A short, non-blocking notice beside the work ("A-017 registered", or why an action was refused): no dialog for
// success (SCREENS.md). It fades out after a few seconds; an error stays until the next notice, and one that asks for a
// row to be selected goes as soon as one is.
#pragma once

#include <QLabel>

class QAbstractItemView;
class QTimer;

namespace clinicflow::client {

class Notice : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Notice)

public:
    explicit Notice(QWidget *parent = nullptr);

    void inform(const QString &text);
    void warn(const QString &text);
    // A warning that the user must pick a row of `view` first ("Select the visit to cancel"): gone once they do.
    void askToSelect(const QString &text, QAbstractItemView *view);

private:
    QTimer *m_timer;
    QMetaObject::Connection m_selected;
};

} // namespace clinicflow::client
