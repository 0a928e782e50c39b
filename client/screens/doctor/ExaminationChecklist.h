// The examinations of the visit on the doctor's panel, as a checklist: one row per prescription with its status in
// the status language (icon, colour, word), when it ended, and the examiner's result or why it did not happen, in
// full (a result is what the doctor reads, so it wraps instead of being cut off). A prescription this station has
// not had confirmed yet carries the pending clock. Rows are rebuilt from the diagnosis on every change: a visit has a
// handful of examinations, and the rows hold no state of their own.
#pragma once

#include "domain/Catalogue.h"
#include "domain/Diagnosis.h"
#include "domain/Examination.h"

#include <QCoreApplication>
#include <QScrollArea>
#include <QSet>
#include <memory>
#include <vector>

class QLabel;
class QVBoxLayout;

namespace clinicflow::client {

class ExaminationChecklist : public QScrollArea
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ExaminationChecklist)

public:
    explicit ExaminationChecklist(QWidget *parent = nullptr);

    // What an empty list says ("No examinations prescribed yet…").
    void setEmptyText(const QString &text);
    // The diagnosis' prescriptions in order; `examinations` adds what the examination context knows (times, the
    // withdrawal's reason); `pending` are the examination ids whose prescription awaits the server.
    void show(const domain::Diagnosis &diagnosis, const QList<domain::Examination> &examinations,
              const QSet<QUuid> &pending, const domain::Catalogue &catalogue);
    void clear();

    int count() const { return int(m_rowWidgets.size()); }

    // As tall as the rows (a few examinations need no scrolling), at most about half a panel: the timeline below
    // keeps its share.
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

    static QString statusWord(domain::ExaminationStatus status);

private:
    QWidget *row(const domain::Prescription &p, const domain::Examination *x, bool pending,
                 const domain::Catalogue &catalogue);
    QString detail(const domain::Prescription &p, const domain::Examination *x) const;

    QWidget *m_rows;
    QVBoxLayout *m_layout;
    QLabel *m_empty;
    std::vector<std::unique_ptr<QWidget>> m_rowWidgets; // children of m_rows, owned here so clear() is immediate
};

} // namespace clinicflow::client
