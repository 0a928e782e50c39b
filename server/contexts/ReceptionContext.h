// The reception context on the server: the receptions table and the reception rules.
#pragma once

#include "ContextHandler.h"
#include "domain/Reception.h"
#include "storage/Database.h"

#include <QSqlQuery>

namespace clinicflow::server {

class ReceptionContext final : public ContextHandler
{
    Q_DISABLE_COPY_MOVE(ReceptionContext)
public:
    ReceptionContext(Database &db, domain::Catalogue catalogue);

    domain::BoundedContext context() const override { return domain::BoundedContext::Reception; }
    domain::Result<domain::Events> execute(const domain::Command &command, const domain::CommandMeta &meta) override;
    domain::Result<domain::Events> react(const domain::Event &event, const domain::Reaction &reaction,
                                         const QDateTime &now) override;

    domain::Result<std::optional<domain::Reception>> load(const QUuid &id);

private:
    domain::Result<domain::Events> save(domain::Result<domain::Transition<domain::Reception>> transition);

    domain::Catalogue m_catalogue;
    QSqlQuery m_select;
    QSqlQuery m_upsert;
};

} // namespace clinicflow::server
