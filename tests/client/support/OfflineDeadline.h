// How long a test gives a station to notice that the server went away. The engine says Offline once it has heard
// nothing for SyncSettings::offlineTimeout (2.5 s by default; measured here 2.44-2.54 s after the server exited);
// the deadline is three times that, so the test holds on a machine three times slower than ours, and still fails
// for an engine that would take many seconds.
#pragma once

#include "sync/SyncSettings.h"

namespace clinicflow::client::testing {

inline int offlineDeadlineMs(const SyncSettings &settings = {})
{
    return int(settings.offlineTimeout.count()) * 3;
}

} // namespace clinicflow::client::testing
