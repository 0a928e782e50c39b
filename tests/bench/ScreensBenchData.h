// The screens benchmark's data: realistic visits of today (a board's store, a desk's, a server's log), and the
// stations and windows that open over them.
#pragma once

#include "station/Workstation.h"

#include <QString>
#include <QStringList>
#include <memory>

class QWidget;

namespace clinicflow::client {
class LocalStore;
}

namespace clinicflow::testsupport {
class TestStation;
}

namespace clinicflow::bench {

// ---- realistic visits ---------------------------------------------------------------------------------------------

extern const QStringList kDepartments;

// The child process's work: a board station's store file holding `visits` visits of today.
int makeBoardStore(const QString &path, int visits);

// A desk's store holding `visits` visits of today registered at desks B and C, played through the saga in every
// stage, so the replica has whole aggregates as a desk's has.
bool fillDeskStore(client::LocalStore &store, int visits);

// Registers visits through a plain station, in windows, until the log holds `events` events (a registration makes
// three: registered, doctor assigned, treatment started). Departments rotate, so each doctor gets a share.
bool fillLog(testsupport::TestStation &desk, quint64 events);

// ---- stations and windows -----------------------------------------------------------------------------------------

// The endpoints of a server that is not there: the station runs offline, as the app does before the server answers.
extern const QString kNoServer;

std::unique_ptr<client::Workstation> openStation(const QString &path, const QString &code, domain::Role role,
                                                 const QString &requests = kNoServer,
                                                 const QString &publish = kNoServer,
                                                 const security::ClientKeys &keys = {});

void activate(QWidget *window);

} // namespace clinicflow::bench
