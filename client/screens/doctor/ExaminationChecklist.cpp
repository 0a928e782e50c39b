// The doctor's examination checklist (see ExaminationChecklist.h).
#include "ExaminationChecklist.h"

#include "models/ModelText.h"
#include "models/StatusTone.h"
#include "screens/common/StatusStyle.h"

#include <QGridLayout>
#include <QLabel>
#include <algorithm>

namespace clinicflow::client {

using namespace domain;

namespace {

QLabel *iconLabel(const QIcon &icon, int size, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setPixmap(icon.pixmap(size, size));
    label->setFixedSize(size, size);
    return label;
}

} // namespace

ExaminationChecklist::ExaminationChecklist(QWidget *parent)
    : QScrollArea(parent)
    , m_rows(new QWidget(this))
    , m_layout(new QVBoxLayout(m_rows))
    , m_empty(new QLabel(m_rows))
{
    setObjectName(QStringLiteral("examinationChecklist"));
    setWidgetResizable(true);
    // Preferred, not a scroll area's Expanding: in the panel's column the timeline takes the spare height.
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setFrameShape(QFrame::StyledPanel);
    m_rows->setObjectName(QStringLiteral("examinationRows"));
    m_layout->setContentsMargins(6, 6, 6, 6);
    m_layout->setSpacing(4);
    m_empty->setObjectName(QStringLiteral("examinationsEmpty"));
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    QPalette muted = m_empty->palette();
    muted.setColor(QPalette::WindowText, palette().color(QPalette::PlaceholderText));
    m_empty->setPalette(muted);
    m_layout->addWidget(m_empty, 1); // always the last widget: rows are inserted before it
    setWidget(m_rows);
}

void ExaminationChecklist::setEmptyText(const QString &text)
{
    m_empty->setText(text);
}

QString ExaminationChecklist::statusWord(ExaminationStatus status)
{
    switch (status) {
    case ExaminationStatus::Requested:
        return tr("Requested");
    case ExaminationStatus::Performed:
        return tr("Done");
    case ExaminationStatus::Cancelled:
        return tr("Cancelled");
    case ExaminationStatus::Withdrawn:
        break;
    }
    return tr("Withdrawn");
}

void ExaminationChecklist::clear()
{
    // Deleted at once rather than later, so nothing (a test's findChildren, a screen reader) sees yesterday's rows.
    m_rowWidgets.clear();
    updateGeometry();
    if (m_layout->count() > 1) // the stretch under the rows
        delete m_layout->takeAt(m_layout->count() - 1);
    m_empty->setVisible(true);
}

void ExaminationChecklist::show(const Diagnosis &diagnosis, const QList<Examination> &examinations,
                                const QSet<QUuid> &pending, const Catalogue &catalogue)
{
    clear();
    for (const Prescription &p : diagnosis.prescriptions) {
        const Examination *x = nullptr;
        for (const Examination &e : examinations) {
            if (e.id == p.examinationId)
                x = &e;
        }
        m_rowWidgets.emplace_back(row(p, x, pending.contains(p.examinationId), catalogue));
        m_layout->insertWidget(int(m_rowWidgets.size()) - 1, m_rowWidgets.back().get());
        // Shown now, not when the layout gets round to it: the size hint below must count the row.
        m_rowWidgets.back()->show();
    }
    m_empty->setVisible(m_rowWidgets.empty());
    if (!m_rowWidgets.empty())
        m_layout->addStretch(1); // the rows sit at the top
    updateGeometry();
}

QSize ExaminationChecklist::sizeHint() const
{
    const int content = m_rows->sizeHint().height() + 2 * frameWidth();
    return {QScrollArea::sizeHint().width(), std::clamp(content, minimumSizeHint().height(), 360)};
}

QSize ExaminationChecklist::minimumSizeHint() const
{
    return {QScrollArea::minimumSizeHint().width(), 4 * fontMetrics().height()};
}

QString ExaminationChecklist::detail(const Prescription &p, const Examination *x) const
{
    switch (p.status) {
    case ExaminationStatus::Requested:
        return tr("Waiting for the examination room");
    case ExaminationStatus::Performed:
        return p.result;
    case ExaminationStatus::Cancelled:
        return tr("Cancelled by the examiner: %1").arg(p.result);
    case ExaminationStatus::Withdrawn:
        break;
    }
    const bool cancelled = x && x->withdrawReason ? *x->withdrawReason == WithdrawReason::VisitCancelled
                                                  : p.result == toString(WithdrawReason::VisitCancelled);
    return cancelled ? tr("Withdrawn: the visit was cancelled") : tr("Withdrawn: the treatment was refused");
}

QWidget *ExaminationChecklist::row(const Prescription &p, const Examination *x, bool pending,
                                   const Catalogue &catalogue)
{
    const StatusTone tone = toneOf(p.status);
    auto *frame = new QFrame(m_rows);
    frame->setObjectName(QStringLiteral("examinationRow"));
    frame->setProperty("examinationId", p.examinationId);
    frame->setProperty("code", p.code);
    frame->setProperty("status", toString(p.status));
    frame->setProperty("pending", pending);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setAutoFillBackground(true);

    auto *icon = iconLabel(StatusStyle::icon(tone), 20, frame);
    auto *name = new QLabel(ModelText::examination(catalogue, p.code), frame);
    name->setObjectName(QStringLiteral("examinationName"));
    QFont bold = name->font();
    bold.setBold(true);
    bold.setStrikeOut(tone == StatusTone::Cancelled);
    name->setFont(bold);
    auto *status = new QLabel(statusWord(p.status), frame);
    status->setObjectName(QStringLiteral("examinationStatus"));
    status->setStyleSheet(QStringLiteral("color: %1; font-weight: 600;").arg(StatusStyle::colour(tone).name()));

    QDateTime at = x ? x->requestedAt : QDateTime();
    if (x && p.status == ExaminationStatus::Performed)
        at = x->performedAt;
    else if (x && p.status == ExaminationStatus::Cancelled)
        at = x->cancelledAt;
    else if (x && p.status == ExaminationStatus::Withdrawn)
        at = x->withdrawnAt;
    auto *time = new QLabel(ModelText::time(at), frame);
    time->setObjectName(QStringLiteral("examinationTime"));
    time->setStyleSheet(QStringLiteral("color: %1;").arg(StatusStyle::mutedText().name()));

    auto *text = new QLabel(detail(p, x), frame);
    text->setObjectName(QStringLiteral("examinationResult"));
    text->setWordWrap(true);
    text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    if (p.status != ExaminationStatus::Performed)
        text->setStyleSheet(QStringLiteral("color: %1;").arg(StatusStyle::mutedText().name()));

    auto *grid = new QGridLayout(frame);
    grid->setContentsMargins(8, 6, 8, 6);
    grid->setHorizontalSpacing(8);
    grid->setVerticalSpacing(2);
    grid->addWidget(icon, 0, 0, Qt::AlignTop);
    grid->addWidget(name, 0, 1);
    grid->addWidget(status, 0, 2);
    grid->setColumnStretch(3, 1);
    if (pending) {
        auto *mark = new QLabel(tr("Not yet confirmed"), frame);
        mark->setObjectName(QStringLiteral("examinationPending"));
        mark->setStyleSheet(QStringLiteral("color: %1;").arg(StatusStyle::mutedText().name()));
        grid->addWidget(iconLabel(StatusStyle::pendingIcon(), 16, frame), 0, 4);
        grid->addWidget(mark, 0, 5);
    }
    grid->addWidget(time, 0, 6, Qt::AlignRight);
    grid->addWidget(text, 1, 1, 1, 6);
    if (!p.note.isEmpty()) {
        auto *note = new QLabel(tr("Note: %1").arg(p.note), frame);
        note->setObjectName(QStringLiteral("examinationNote"));
        note->setWordWrap(true);
        note->setStyleSheet(QStringLiteral("color: %1;").arg(StatusStyle::mutedText().name()));
        grid->addWidget(note, 2, 1, 1, 6);
    }
    return frame;
}

} // namespace clinicflow::client
