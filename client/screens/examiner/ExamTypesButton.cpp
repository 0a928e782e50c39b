// The room's examination types (see ExamTypesButton.h).
#include "ExamTypesButton.h"

#include <QKeyEvent>
#include <QMenu>
#include <QMouseEvent>

namespace clinicflow::client {

namespace {

// A menu whose checkable items toggle without closing it (click, Space or Enter); Esc or a click outside closes.
class StayOpenMenu final : public QMenu
{
public:
    using QMenu::QMenu;

protected:
    void mouseReleaseEvent(QMouseEvent *event) override
    {
        QAction *action = actionAt(event->position().toPoint());
        if (action && action->isCheckable() && action->isEnabled()) {
            action->trigger();
            return;
        }
        QMenu::mouseReleaseEvent(event);
    }
    void keyPressEvent(QKeyEvent *event) override
    {
        QAction *action = activeAction();
        const int key = event->key();
        if (action && action->isCheckable() && action->isEnabled() &&
            (key == Qt::Key_Space || key == Qt::Key_Return || key == Qt::Key_Enter)) {
            action->trigger();
            return;
        }
        QMenu::keyPressEvent(event);
    }
};

} // namespace

ExamTypesButton::ExamTypesButton(QWidget *parent)
    : QToolButton(parent)
{
    setObjectName(QStringLiteral("examTypes"));
    setPopupMode(QToolButton::InstantPopup);
    setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    setIcon(QIcon(QStringLiteral(":/icons/settings.svg")));
    // The style's own indicator for a button that opens a menu is a few pixels in the bottom corner, easily taken
    // for a glitch: a full-size arrow, centred on the right like a combo box's, says that a click opens a list.
    setStyleSheet(QStringLiteral("QToolButton { padding-right: 22px; }"
                                 "QToolButton::menu-indicator { subcontrol-origin: padding;"
                                 " subcontrol-position: center right; right: 6px; width: 10px; }"));
    auto *menu = new StayOpenMenu(this);
    menu->setObjectName(QStringLiteral("examTypesMenu"));
    setMenu(menu);
    m_all = new QAction(this);
    m_all->setObjectName(QStringLiteral("examType:*"));
    m_all->setCheckable(true);
    connect(menu, &QMenu::triggered, this, &ExamTypesButton::toggled);
    retranslate();
}

void ExamTypesButton::setTypes(const QList<domain::ExaminationType> &types)
{
    menu()->clear();
    qDeleteAll(m_typeActions);
    m_typeActions.clear();
    menu()->addAction(m_all);
    menu()->addSeparator();
    for (const auto &t : types) {
        auto *action = new QAction(t.name, this);
        action->setObjectName(QStringLiteral("examType:%1").arg(t.code));
        action->setData(t.code);
        action->setCheckable(true);
        menu()->addAction(action);
        m_typeActions.append(action);
    }
    refreshChecks();
}

void ExamTypesButton::setCodes(const QSet<QString> &codes)
{
    m_codes = codes;
    refreshChecks();
}

void ExamTypesButton::setSummary(const QString &text)
{
    setToolTip(text);
    setText(fontMetrics().elidedText(text, Qt::ElideRight, 40 * fontMetrics().averageCharWidth()));
}

void ExamTypesButton::retranslate()
{
    m_all->setText(tr("All types"));
}

void ExamTypesButton::toggled(QAction *action)
{
    if (action == m_all) {
        m_codes.clear();
    } else if (const QString code = action->data().toString(); !code.isEmpty()) {
        if (action->isChecked())
            m_codes.insert(code);
        else
            m_codes.remove(code);
    }
    refreshChecks();
    Q_EMIT codesChanged(m_codes);
}

void ExamTypesButton::refreshChecks()
{
    m_all->setChecked(m_codes.isEmpty());
    for (QAction *action : std::as_const(m_typeActions))
        action->setChecked(m_codes.contains(action->data().toString()));
}

} // namespace clinicflow::client
