// The examiner's answer to the request in hand: the result field, what is wrong with it (under it, in red), and the
// two actions, Cancel with a reason on the left and Perform, the primary one with its shortcut, on the right. The
// screen decides what the actions do; this only lays them out and reads the keyboard.
#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QPushButton;

namespace clinicflow::client {

class ResultForm : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultForm)

public:
    explicit ResultForm(QWidget *parent = nullptr);

    QPlainTextEdit *field() const { return m_result; }
    QString text() const;
    void setText(const QString &text); // the cursor at its end, any message gone
    void showError(const QString &text);
    void setRequestInHand(bool inHand); // nothing to act on: the field and the buttons are off
    void retranslate();

Q_SIGNALS:
    void performClicked();
    void cancelClicked();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QLabel *m_label;
    QPlainTextEdit *m_result;
    QLabel *m_error;
    QPushButton *m_perform;
    QPushButton *m_cancel;
};

} // namespace clinicflow::client
