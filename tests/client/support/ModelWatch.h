// What the model tests watch a model with: QAbstractItemModelTester (Fatal) and every structural signal, to tell
// in-place updates from resets; and a column's texts, and whether every column has its header.
#pragma once

#include <QAbstractItemModel>
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStringList>
#include <QTest>

namespace clinicflow::client::testing {

// Every structural signal of a model, to tell in-place updates from resets.
struct Watch
{
    explicit Watch(QAbstractItemModel *m)
        : tester(m, QAbstractItemModelTester::FailureReportingMode::Fatal)
        , inserted(m, &QAbstractItemModel::rowsInserted)
        , removed(m, &QAbstractItemModel::rowsRemoved)
        , moved(m, &QAbstractItemModel::rowsMoved)
        , changed(m, &QAbstractItemModel::dataChanged)
        , reset(m, &QAbstractItemModel::modelReset)
    {
    }
    void clear()
    {
        for (QSignalSpy *spy : {&inserted, &removed, &moved, &changed, &reset})
            spy->clear();
    }
    QAbstractItemModelTester tester;
    QSignalSpy inserted, removed, moved, changed, reset;
};

inline QStringList column(const QAbstractItemModel &m, int col, int role = Qt::DisplayRole)
{
    QStringList texts;
    for (int r = 0; r < m.rowCount(); ++r)
        texts.append(m.index(r, col).data(role).toString());
    return texts;
}

inline void verifyHeaders(const QAbstractItemModel &m)
{
    for (int c = 0; c < m.columnCount(); ++c)
        QVERIFY2(!m.headerData(c, Qt::Horizontal).toString().isEmpty(), qPrintable(QString::number(c)));
}

} // namespace clinicflow::client::testing
