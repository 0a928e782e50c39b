// Prescribing several examinations at once (SCREENS.md: "a multi-select of the catalogue with search"): the
// catalogue's examinations with a tick each, a search box over names and codes, one note for them all, and a button
// that says how many will be sent. Keyboard first: type to narrow, Enter ticks the highlighted examination, Down
// goes to the list (Space ticks), Ctrl+Enter prescribes, Esc closes. Examinations the visit is already waiting for
// are shown but cannot be ticked, so the lab never gets the same request twice by mistake.
#pragma once

#include "domain/Catalogue.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace clinicflow::client {

class PrescribeDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PrescribeDialog)

public:
    // `patient` names the visit in the title ("김민준 (A-003)"); `openCodes` are the examinations already requested.
    PrescribeDialog(const QList<domain::ExaminationType> &types, const QStringList &openCodes, const QString &patient,
                    QWidget *parent = nullptr);

    QStringList codes() const; // ticked, in catalogue order
    QString note() const;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void filter(const QString &text);
    void toggle(QListWidgetItem *item);
    QListWidgetItem *highlighted() const; // the current item if visible, else the first visible one
    void refreshChosen();

    QLineEdit *m_search;
    QListWidget *m_list;
    QLabel *m_noMatch;
    QLabel *m_chosen;
    QLineEdit *m_note;
    QPushButton *m_prescribe;
};

} // namespace clinicflow::client
