// The reception context on the server: the receptions table and the reception rules.
#pragma once

#include "AggregateCache.h"
#include "ContextHandler.h"
#include "domain/Reception.h"
#include "storage/BatchStatement.h"
#include "storage/Database.h"
#include "storage/DeferredUpserts.h"

#include <QSqlQuery>

namespace clinicflow::server {

class ReceptionContext final : public ContextHandler
{
    Q_DISABLE_COPY_MOVE(ReceptionContext)
public:
    ReceptionContext(Database &db, domain::Catalogue catalogue, Keeping keeping = Keeping::Nothing);

    domain::BoundedContext context() const override { return domain::BoundedContext::Reception; }
    domain::Result<domain::Events> execute(const domain::Command &command, const domain::CommandMeta &meta) override;
    domain::Result<domain::Events> react(const domain::Event &event, const domain::Reaction &reaction,
                                         const QDateTime &now) override;
    domain::Result<bool> prefetch(const QList<QUuid> &ids) override;
    domain::Result<bool> flush() override;
    void forget() override;

    domain::Result<std::optional<domain::Reception>> load(const QUuid &id);

private:
    domain::Result<domain::Events> save(domain::Result<domain::Transition<domain::Reception>> transition);

    domain::Catalogue m_catalogue;
    AggregateCache<domain::Reception> m_cache;
    QSqlQuery m_select;
    BatchStatement m_selectMany;
    DeferredUpserts m_upserts;
    QHash<QUuid, domain::Reception> m_unsaved; // saved, not flushed yet
};

} // namespace clinicflow::server
