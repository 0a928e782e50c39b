// The words the models show: statuses, roster names and times as a person reads them, each through tr() (context
// "ModelText") so the Korean translation has one place to look. Names come from the catalogue, falling back to the
// code when the roster does not know it.
#pragma once

#include "domain/Catalogue.h"
#include "domain/Types.h"

#include <QCoreApplication>
#include <QDateTime>

namespace clinicflow::client {

class ModelText
{
    Q_DECLARE_TR_FUNCTIONS(ModelText)

public:
    static QString receptionStatus(domain::ReceptionStatus status);
    // Where a visit is, in one phrase for the desk: the reception's status, and while the patient is in treatment,
    // the consultation's stage ("Results ready for the doctor"), and once closed, how the treatment ended ("Closed:
    // treatment refused").
    static QString visitState(domain::ReceptionStatus reception, std::optional<domain::DiagnosisStatus> diagnosis);
    // Every phrase visitState() may return, once each: what a column that must never cut one is sized for.
    static QStringList visitStates();
    static QString diagnosisStatus(domain::DiagnosisStatus status);
    static QString priority(domain::Priority priority);
    static QString pending(bool pending); // "Pending" or empty
    static QString minutes(qint64 seconds);

    static QString department(const domain::Catalogue &catalogue, const QString &code);
    static QString doctor(const domain::Catalogue &catalogue, const QString &id);
    static QString examination(const domain::Catalogue &catalogue, const QString &code);
    static QString time(const QDateTime &at); // local "HH:mm"
    // A birth date in the locale's short form with a four-digit year ("1980. 5. 17.", "5/17/1980"): a two-digit
    // year cannot tell 1925 from 2025.
    static QString birthDate(const QDate &date);
    // "45 F", "~40 M" (an estimate), "? F" (age unknown), "45" (sex not recorded): the age on `today` and the sex,
    // as a queue shows them.
    static QString ageSex(const domain::Patient &patient, const QDate &today);
    // Full years from `born` to `today`: -1 without a valid date, or for one after today.
    static int yearsOld(const QDate &born, const QDate &today);
    static QString sex(domain::Sex sex);
    // A name for a screen others can read: the first and last letters kept, the rest masked ("김*준", "J**n").
    static QString maskedName(const QString &name);
};

} // namespace clinicflow::client
