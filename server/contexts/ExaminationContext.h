// The examination context on the server: the examinations table and the examination rules.
#pragma once

#include "AggregateCache.h"
#include "ContextHandler.h"
#include "domain/Examination.h"
#include "storage/BatchStatement.h"
#include "storage/Database.h"
#include "storage/DeferredUpserts.h"

#include <QSqlQuery>

namespace clinicflow::server {

class ExaminationContext final : public ContextHandler
{
    Q_DISABLE_COPY_MOVE(ExaminationContext)
public:
    ExaminationContext(Database &db, domain::Catalogue catalogue, Keeping keeping = Keeping::Nothing);

    domain::BoundedContext context() const override { return domain::BoundedContext::Examination; }
    domain::Result<domain::Events> execute(const domain::Command &command, const domain::CommandMeta &meta) override;
    domain::Result<domain::Events> react(const domain::Event &event, const domain::Reaction &reaction,
                                         const QDateTime &now) override;
    domain::Result<bool> prefetch(const QList<QUuid> &ids) override;
    domain::Result<bool> flush() override;
    void forget() override;

    domain::Result<std::optional<domain::Examination>> load(const QUuid &id);

private:
    domain::Result<domain::Events> save(domain::Result<domain::Transition<domain::Examination>> transition);
    domain::Result<domain::Events> reactOne(const QUuid &id, const domain::Event &event, const QDateTime &now);
    domain::Result<QList<QUuid>> openOfDiagnosis(const QUuid &diagnosisId);

    domain::Catalogue m_catalogue;
    AggregateCache<domain::Examination> m_cache;
    QSqlQuery m_select;
    BatchStatement m_selectMany;
    DeferredUpserts m_upserts;
    QHash<QUuid, domain::Examination> m_unsaved; // saved, not flushed yet
    QSqlQuery m_open;
};

} // namespace clinicflow::server
