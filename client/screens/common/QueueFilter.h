// Search and filters over a queue model, without changing its order (the model sorts itself): free text matched
// against the row's text roles (ticket, name, phone: whatever the screen names), one status tone, one department.
#pragma once

#include "models/StatusTone.h"

#include <QSortFilterProxyModel>
#include <optional>

namespace clinicflow::client {

class QueueFilter : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QueueFilter)

public:
    explicit QueueFilter(QObject *parent = nullptr);

    // What the search box matches: these columns' text and these roles' values.
    void setSearchColumns(QList<int> columns);
    void setSearchRoles(QList<int> roles);
    void setDepartmentRole(int role) { m_departmentRole = role; }

    void setSearchText(const QString &text);
    void setTone(std::optional<StatusTone> tone);
    void setDepartment(const QString &code); // empty: every department

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QList<int> m_columns;
    QList<int> m_roles;
    int m_departmentRole = -1;
    QString m_text;
    std::optional<StatusTone> m_tone;
    QString m_department;
};

} // namespace clinicflow::client
