#include "TestCommands.h"

#include "domain/Diagnosis.h"
#include "domain/Ids.h"

#include <QHash>
#include <QSet>
#include <atomic>

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;

namespace clinicflow::testsupport {

namespace {
int nextTicketNumber()
{
    static std::atomic<int> counter{0};
    return counter.fetch_add(1) % 9999 + 1;
}
} // namespace

RegisterVisit registerVisit(const QString &department, const QString &requestedDoctor)
{
    RegisterVisit c;
    c.receptionId = newId();
    c.ticket = Ticket{u"A"_s, nextTicketNumber()};
    c.patient = Patient{
        {}, u"Integration Patient"_s, QDate(1980, 5, 17), Sex::Female, u"010-5555-0199"_s, u"7 Test Road"_s, {}};
    c.department = department;
    c.requestedDoctor = requestedDoctor;
    c.chiefComplaint = u"persistent cough"_s;
    c.priority = Priority::Normal;
    return c;
}

CancelVisit cancelVisit(const QUuid &receptionId, const QString &reason)
{
    return CancelVisit{receptionId, reason};
}

ConfirmOutcome confirmOutcome(const QUuid &receptionId)
{
    return ConfirmOutcome{receptionId};
}

PrescribeExamination prescribe(const QUuid &receptionId, const QString &code, const QUuid &examinationId)
{
    return PrescribeExamination{diagnosisOf(receptionId), examinationId.isNull() ? newId() : examinationId, code,
                                u"integration test"_s};
}

ReviewResults reviewResults(const QUuid &receptionId)
{
    return ReviewResults{diagnosisOf(receptionId), u"reviewed"_s};
}

CompleteTreatment completeTreatment(const QUuid &receptionId)
{
    return CompleteTreatment{diagnosisOf(receptionId), u"discharged"_s};
}

RefuseTreatment refuseTreatment(const QUuid &receptionId)
{
    return RefuseTreatment{diagnosisOf(receptionId), u"patient declined"_s};
}

PerformExamination performExamination(const QUuid &examinationId)
{
    return PerformExamination{examinationId, u"within normal limits"_s};
}

CancelExamination cancelExamination(const QUuid &examinationId)
{
    return CancelExamination{examinationId, u"patient unwell"_s};
}

bool mentionsPatient(const QString &text)
{
    static const QStringList personal{u"Integration Patient"_s, u"010-5555-0199"_s, u"7 Test Road"_s, u"1980-05-17"_s};
    return std::any_of(personal.begin(), personal.end(), [&](const QString &p) { return text.contains(p); });
}

QUuid diagnosisOf(const QUuid &receptionId)
{
    return diagnosis::idForVisit(receptionId);
}

QString idText(const QUuid &id)
{
    return idString(id);
}

QUuid idOf(const std::string &wireId)
{
    return idFromString(QString::fromStdString(wireId));
}

int countEvents(const WireEvents &events, std::string_view type, const QUuid &visitId)
{
    const std::string visit = visitId.isNull() ? std::string() : idString(visitId).toStdString();
    int n = 0;
    for (const v1::Event &e : events) {
        if (e.type() == type && (visit.empty() || e.visit_id() == visit))
            ++n;
    }
    return n;
}

int countForAggregate(const WireEvents &events, std::string_view type, const QUuid &aggregateId)
{
    const std::string aggregate = idString(aggregateId).toStdString();
    int n = 0;
    for (const v1::Event &e : events) {
        if (e.type() == type && e.aggregate_id() == aggregate)
            ++n;
    }
    return n;
}

int countCausedBy(const WireEvents &events, const QUuid &causeId)
{
    const std::string cause = idString(causeId).toStdString();
    int n = 0;
    for (const v1::Event &e : events)
        n += e.causation_id() == cause ? 1 : 0;
    return n;
}

QStringList typesOf(const WireEvents &events, const QUuid &visitId)
{
    const std::string visit = idString(visitId).toStdString();
    QStringList types;
    for (const v1::Event &e : events) {
        if (e.visit_id() == visit)
            types << QString::fromStdString(e.type());
    }
    return types;
}

QString checkLogShape(const WireEvents &events, quint64 head)
{
    if (events.size() != head)
        return u"%1 events for head %2"_s.arg(events.size()).arg(head);
    QSet<QString> ids;
    for (std::size_t i = 0; i < events.size(); ++i) {
        const v1::Event &e = events[i];
        if (e.sequence() != i + 1)
            return u"event #%1 has sequence %2 (hole or repeat)"_s.arg(i + 1).arg(e.sequence());
        const QString id = QString::fromStdString(e.id());
        if (idFromString(id).isNull())
            return u"event %1 has no valid id"_s.arg(e.sequence());
        if (ids.contains(id))
            return u"event id %1 appears twice (sequence %2)"_s.arg(id).arg(e.sequence());
        ids.insert(id);
    }
    return {};
}

QString checkEventMetadata(const WireEvents &events)
{
    QHash<std::string, const v1::Event *> byId;
    for (const v1::Event &e : events)
        byId.insert(e.id(), &e);
    for (const v1::Event &e : events) {
        const QString where = u"event %1 (%2)"_s.arg(e.sequence()).arg(QString::fromStdString(e.type()));
        if (e.type().empty() || e.payload_case() == v1::Event::PAYLOAD_NOT_SET)
            return where + u": no type or payload"_s;
        for (const std::string *id : {&e.id(), &e.aggregate_id(), &e.visit_id(), &e.causation_id()}) {
            if (idOf(*id).isNull())
                return where + u": an id is missing or not a UUID"_s;
        }
        if (e.at_ms() <= 0)
            return where + u": no time"_s;
        const v1::Event *cause = byId.value(e.causation_id());
        if (!cause) {
            if (e.station().empty())
                return where + u": caused by a command but names no station"_s;
            continue;
        }
        if (cause->sequence() >= e.sequence())
            return where + u": caused by event %1, which is not earlier"_s.arg(cause->sequence());
        if (cause->visit_id() != e.visit_id())
            return where + u": caused by event %1 of another visit"_s.arg(cause->sequence());
        if (cause->station() != e.station())
            return where + u": station differs from its cause's (%1)"_s.arg(cause->sequence());
    }
    return {};
}

} // namespace clinicflow::testsupport
