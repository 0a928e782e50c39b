// The diagnosis context on the server: the diagnoses and prescriptions tables, doctor assignment and the rules.
#pragma once

#include "AggregateCache.h"
#include "ContextHandler.h"
#include "domain/Diagnosis.h"
#include "storage/BatchStatement.h"
#include "storage/Database.h"
#include "storage/DeferredUpserts.h"

#include <QHash>
#include <QSqlQuery>

namespace clinicflow::server {

class DiagnosisContext final : public ContextHandler
{
    Q_DISABLE_COPY_MOVE(DiagnosisContext)
public:
    DiagnosisContext(Database &db, domain::Catalogue catalogue, Keeping keeping = Keeping::Nothing);

    domain::BoundedContext context() const override { return domain::BoundedContext::Diagnosis; }
    domain::Result<domain::Events> execute(const domain::Command &command, const domain::CommandMeta &meta) override;
    domain::Result<domain::Events> react(const domain::Event &event, const domain::Reaction &reaction,
                                         const QDateTime &now) override;
    domain::Result<bool> prefetch(const QList<QUuid> &ids) override;
    domain::Result<bool> flush() override;
    void forget() override;

    domain::Result<std::optional<domain::Diagnosis>> load(const QUuid &id);

private:
    domain::Result<domain::Events> save(const std::optional<domain::Diagnosis> &before,
                                        domain::Result<domain::Transition<domain::Diagnosis>> transition);
    domain::Result<domain::DoctorLoads> doctorLoads(const QString &department);
    // The doctor a station acts for, from its enrolment (empty when it acts for none). Enrolments never change a
    // station's doctor, so a station's answer is kept.
    domain::Result<QString> doctorOf(const QString &station);

    domain::Catalogue m_catalogue;
    AggregateCache<domain::Diagnosis> m_cache;
    QSqlQuery m_select;
    QSqlQuery m_selectPrescriptions;
    BatchStatement m_selectMany;
    BatchStatement m_selectManyPrescriptions;
    DeferredUpserts m_upserts;
    DeferredUpserts m_prescriptionUpserts;
    QSqlQuery m_loads;
    DeferredUpserts m_loadUpserts;
    QHash<QUuid, domain::Diagnosis> m_unsaved;             // saved, not flushed yet
    QHash<std::pair<QString, QString>, int> m_loadChanges; // (doctor, department): open diagnoses, not flushed yet
    // The worker's doctors' loads by department, as the table holds them (it is their one writer, like its
    // aggregates'): a registration then picks its doctor without reading them again.
    QHash<QString, domain::DoctorLoads> m_keptLoads;
    QSqlQuery m_stationDoctor;
    QHash<QString, QString> m_doctors; // by station
};

} // namespace clinicflow::server
