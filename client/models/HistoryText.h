// A visit's timeline in words: one English sentence per event and per pending action, through tr() (context
// "HistoryText"), with names from the catalogue. Ids, tickets and roster names only: never a patient's details,
// so a sentence can be shown on any screen.
#pragma once

#include "domain/Catalogue.h"
#include "store/StoreTypes.h"

#include <QCoreApplication>

namespace clinicflow::client {

class HistoryText
{
    Q_DECLARE_TR_FUNCTIONS(HistoryText)

public:
    static QString describe(const HistoryEntry &entry, const domain::Catalogue &catalogue);
    static QString event(const domain::Event &event, const domain::Catalogue &catalogue);
    static QString command(const domain::Command &command, const domain::Catalogue &catalogue);
};

} // namespace clinicflow::client
