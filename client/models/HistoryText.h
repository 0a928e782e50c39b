// A visit's timeline in words: one English sentence per event and per pending action, through tr() (context
// "HistoryText"), with names from the catalogue. Ids, tickets and roster names only: never a patient's details,
// so a sentence can be shown on any screen.
#pragma once

#include "domain/Catalogue.h"
#include "store/StoreTypes.h"

#include <QCoreApplication>
#include <functional>

namespace clinicflow::client {

class HistoryText
{
    Q_DECLARE_TR_FUNCTIONS(HistoryText)

public:
    // An examination's code by its id, or empty when unknown: the events and commands about one examination name
    // only its id, and a visit with two of them says which was performed ("Blood test performed").
    using ExaminationCodes = std::function<QString(const QUuid &examinationId)>;

    static QString describe(const HistoryEntry &entry, const domain::Catalogue &catalogue,
                            const ExaminationCodes &codes = {});
    static QString event(const domain::Event &event, const domain::Catalogue &catalogue,
                         const ExaminationCodes &codes = {});
    static QString command(const domain::Command &command, const domain::Catalogue &catalogue,
                           const ExaminationCodes &codes = {});
};

} // namespace clinicflow::client
