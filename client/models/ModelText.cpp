// The models' displayed words (see ModelText.h).
#include "ModelText.h"

#include <QLocale>

namespace clinicflow::client {

using namespace domain;

QString ModelText::receptionStatus(ReceptionStatus status)
{
    switch (status) {
    case ReceptionStatus::Received:
        return tr("Received");
    case ReceptionStatus::InTreatment:
        return tr("In treatment");
    case ReceptionStatus::TreatmentCompleted:
        return tr("Treatment completed");
    case ReceptionStatus::TreatmentRefused:
        return tr("Treatment refused");
    case ReceptionStatus::Closed:
        return tr("Closed");
    case ReceptionStatus::Cancelled:
        return tr("Cancelled");
    }
    return {};
}

QString ModelText::visitState(ReceptionStatus reception, std::optional<DiagnosisStatus> diagnosis)
{
    // A closed visit says how its treatment ended: the desk confirmed a completed or a refused one.
    if (reception == ReceptionStatus::Closed && diagnosis == DiagnosisStatus::Completed)
        return tr("Closed: treatment completed");
    if (reception == ReceptionStatus::Closed && diagnosis == DiagnosisStatus::Refused)
        return tr("Closed: treatment refused");
    if (reception != ReceptionStatus::InTreatment || !diagnosis)
        return receptionStatus(reception);
    switch (*diagnosis) {
    case DiagnosisStatus::Waiting:
        return tr("Waiting for the doctor");
    case DiagnosisStatus::ExamsPending:
        return tr("At examinations");
    case DiagnosisStatus::ResultsReady:
        return tr("Results ready for the doctor");
    case DiagnosisStatus::Reviewed:
        return tr("Results reviewed");
    default:
        return receptionStatus(reception);
    }
}

QStringList ModelText::visitStates()
{
    QStringList states;
    for (const auto r : {ReceptionStatus::Received, ReceptionStatus::InTreatment, ReceptionStatus::TreatmentCompleted,
                         ReceptionStatus::TreatmentRefused, ReceptionStatus::Closed, ReceptionStatus::Cancelled})
        states.append(visitState(r, std::nullopt));
    for (const auto d :
         {DiagnosisStatus::Waiting, DiagnosisStatus::ExamsPending, DiagnosisStatus::ResultsReady,
          DiagnosisStatus::Reviewed, DiagnosisStatus::Completed, DiagnosisStatus::Refused, DiagnosisStatus::Withdrawn})
        states.append(visitState(ReceptionStatus::InTreatment, d));
    states.append(visitState(ReceptionStatus::Closed, DiagnosisStatus::Completed));
    states.append(visitState(ReceptionStatus::Closed, DiagnosisStatus::Refused));
    states.removeDuplicates();
    return states;
}

QString ModelText::diagnosisStatus(DiagnosisStatus status)
{
    switch (status) {
    case DiagnosisStatus::Waiting:
        return tr("Waiting");
    case DiagnosisStatus::ExamsPending:
        return tr("Examinations pending");
    case DiagnosisStatus::ResultsReady:
        return tr("Results ready");
    case DiagnosisStatus::Reviewed:
        return tr("Reviewed");
    case DiagnosisStatus::Completed:
        return tr("Completed");
    case DiagnosisStatus::Refused:
        return tr("Refused");
    case DiagnosisStatus::Withdrawn:
        return tr("Withdrawn");
    }
    return {};
}

QString ModelText::priority(Priority priority)
{
    return priority == Priority::Urgent ? tr("Urgent") : tr("Normal");
}

QString ModelText::pending(bool pending)
{
    return pending ? tr("Pending") : QString();
}

QString ModelText::minutes(qint64 seconds)
{
    return tr("%n min", nullptr, int(seconds / 60));
}

QString ModelText::department(const Catalogue &catalogue, const QString &code)
{
    const Department *d = catalogue.department(code);
    return d ? d->name : code;
}

QString ModelText::doctor(const Catalogue &catalogue, const QString &id)
{
    const Doctor *d = catalogue.doctor(id);
    return d ? d->name : id;
}

QString ModelText::examination(const Catalogue &catalogue, const QString &code)
{
    const ExaminationType *x = catalogue.examination(code);
    return x ? x->name : code;
}

QString ModelText::time(const QDateTime &at)
{
    return at.isValid() ? at.toLocalTime().toString(QStringLiteral("HH:mm")) : QString();
}

QString ModelText::sex(Sex sex)
{
    switch (sex) {
    case Sex::Female:
        return tr("F", "sex, short");
    case Sex::Male:
        return tr("M", "sex, short");
    case Sex::Other:
        return tr("X", "sex, short");
    case Sex::Unknown:
        break;
    }
    return QStringLiteral("?");
}

QString ModelText::ageSex(const Patient &patient, const QDate &today)
{
    QString age = QStringLiteral("?");
    if (patient.birthDate.isValid() && today.isValid()) {
        age = QString::number(std::max(0, yearsOld(patient.birthDate, today)));
    } else if (patient.estimatedAgeYears) {
        age = tr("~%1", "an estimated age").arg(*patient.estimatedAgeYears);
    }
    // A sex not recorded is left out rather than shown as a question mark beside the age.
    return patient.sex == Sex::Unknown ? age : tr("%1 %2", "age, then sex").arg(age, sex(patient.sex));
}

int ModelText::yearsOld(const QDate &born, const QDate &today)
{
    if (!born.isValid() || !today.isValid() || born > today)
        return -1;
    const int years = today.year() - born.year();
    return today < born.addYears(years) ? years - 1 : years;
}

QString ModelText::birthDate(const QDate &date)
{
    QString format = QLocale().dateFormat(QLocale::ShortFormat);
    if (!format.contains(QLatin1String("yyyy")))
        format.replace(QLatin1String("yy"), QLatin1String("yyyy"));
    return QLocale().toString(date, format);
}

QString ModelText::maskedName(const QString &name)
{
    const QString trimmed = name.trimmed();
    if (trimmed.size() <= 1)
        return trimmed;
    if (trimmed.size() == 2)
        return trimmed.left(1) + u'*';
    return trimmed.left(1) + QString(trimmed.size() - 2, u'*') + trimmed.right(1);
}

} // namespace clinicflow::client
