// The doctor's last word on a step of the treatment, asked before it is stored: reviewing the results (an optional
// note), completing the treatment (an optional outcome note), or refusing it (a reason, required, and which open
// examinations the refusal withdraws, by name, so nothing is withdrawn by surprise). The note is several lines, so
// Enter writes a new line; Ctrl+Enter confirms and Esc closes. A refusal's safe answer is the default one.
#pragma once

#include <QDialog>

class QPlainTextEdit;
class QPushButton;

namespace clinicflow::client {

class OutcomeDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutcomeDialog)

public:
    enum class Kind
    {
        Review,
        Complete,
        Refuse
    };

    // `patient` names the visit ("김민준 (A-003)"); `withdrawn` (refusal only) are the examinations' names that
    // the refusal withdraws.
    OutcomeDialog(Kind kind, const QString &patient, const QStringList &withdrawn = {}, QWidget *parent = nullptr);

    Kind kind() const { return m_kind; }
    QString note() const;

private:
    Kind m_kind;
    QPlainTextEdit *m_note;
    QPushButton *m_confirm;
};

} // namespace clinicflow::client
