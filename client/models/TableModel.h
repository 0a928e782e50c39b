// What every model of the screens shares: a table whose column headers are written once (QT_TR_NOOP, translated in
// the model's own context), whose cells come from text() and whose roles come from value(), with the roles every
// screen reads the same way: the row's id and visit, its pending mark, its status and the status's tone (the one
// status language of SCREENS.md), its urgency. data(), headerData() and roleNames() live here; a model only says
// what is in a row.
#pragma once

#include <QAbstractTableModel>
#include <vector>

namespace clinicflow::client {

class TableModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum SharedRole
    {
        IdRole = Qt::UserRole,         // the row's identity: what the row's actions target
        VisitIdRole,                   // the visit the row belongs to
        PendingRole,                   // bool: an action of this station on the visit awaits the server
        StatusRole,                    // the stable name of the status the row shows, e.g. "in_treatment"
        ToneRole,                      // StatusTone (int): the colour and icon of that status
        PriorityRole,                  // "normal" | "urgent"
        ModelRole = Qt::UserRole + 32, // the first role a model defines for itself
    };

    int columnCount(const QModelIndex &parent = {}) const final;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const final;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const final;
    QHash<int, QByteArray> roleNames() const final;

    // The language changed: headers and cells are read again (views keep their selection and scroll position).
    void retranslate();

protected:
    struct Role
    {
        int role;
        QByteArray name;
    };
    // headers: QT_TR_NOOP texts, one per column, in the subclass (so lupdate files them under its class).
    // roles: the shared roles the model answers (with the name it gives them) and its own.
    TableModel(std::vector<const char *> headers, std::vector<Role> roles, QObject *parent);

    // The text of a cell (also its tooltip, so a cut-off name can be read whole).
    virtual QVariant text(int row, int column) const = 0;
    // A role of a row (>= Qt::UserRole), whatever the column.
    virtual QVariant value(int row, int role) const = 0;

private:
    std::vector<const char *> m_headers;
    QHash<int, QByteArray> m_roleNames;
};

} // namespace clinicflow::client
