// A short, non-blocking notice beside the work ("A-017 registered", or why an action was refused): no dialog for
// success (SCREENS.md). It fades out after a few seconds; an error stays until the next notice.
#pragma once

#include <QLabel>

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

private:
    QTimer *m_timer;
};

} // namespace clinicflow::client
