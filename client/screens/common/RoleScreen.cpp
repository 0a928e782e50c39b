// A role's screen (see RoleScreen.h).
#include "RoleScreen.h"

#include "StatusStyle.h"

namespace clinicflow::client {

RoleScreen::RoleScreen(QWidget *parent)
    : QWidget(parent)
{
    StatusStyle::ensureIcons();
}

} // namespace clinicflow::client
