// The examination types this room does, in view above its queue ("Types: X-ray, CT"): a button whose menu lists the
// catalogue's examinations to tick, and "All types". The menu stays open while types are ticked, so choosing three
// takes three clicks, not three trips. The room's choice is kept by the app (QSettings), not here.
#pragma once

#include "domain/Catalogue.h"

#include <QSet>
#include <QToolButton>

class QAction;

namespace clinicflow::client {

class ExamTypesButton : public QToolButton
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExamTypesButton)

public:
    explicit ExamTypesButton(QWidget *parent = nullptr);

    // Rebuilds the menu from the catalogue, keeping the ticks.
    void setTypes(const QList<domain::ExaminationType> &types);
    QSet<QString> codes() const { return m_codes; }
    void setCodes(const QSet<QString> &codes); // without codesChanged
    // The button's text: elided to a sensible width, the whole of it in the tooltip.
    void setSummary(const QString &text);
    void retranslate();

Q_SIGNALS:
    void codesChanged(const QSet<QString> &codes); // empty: every type

private:
    void toggled(QAction *action);
    void refreshChecks();

    QSet<QString> m_codes;
    QAction *m_all;
    QList<QAction *> m_typeActions;
};

} // namespace clinicflow::client
