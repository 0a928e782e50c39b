// A role's screen in the main window: the central widget, what the window title calls it, and its keyboard
// shortcuts, which the Help menu lists. Every role screen (desk, doctor, examiner, board) is one.
#pragma once

#include <QKeySequence>
#include <QWidget>

namespace clinicflow::client {

struct Shortcut
{
    QKeySequence keys;
    QString what; // translated
};

class RoleScreen : public QWidget
{
    Q_OBJECT

public:
    explicit RoleScreen(QWidget *parent = nullptr); // registers the icons every screen draws

    virtual QString roleTitle() const = 0;         // "Front desk", translated
    virtual QList<Shortcut> shortcuts() const = 0; // for Help > Keyboard shortcuts
    // Where the keyboard starts when the window opens.
    virtual void focusFirst() {}
    // Full screen suits this screen (the board): F11 toggles it.
    virtual bool wantsFullScreen() const { return false; }
};

} // namespace clinicflow::client
