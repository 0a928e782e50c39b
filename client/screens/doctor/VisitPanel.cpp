// The doctor's visit panel (see VisitPanel.h).
#include "VisitPanel.h"

#include "ExaminationChecklist.h"
#include "models/ModelText.h"
#include "models/StatusTone.h"
#include "models/VisitHistoryModel.h"
#include "screens/common/QueueView.h"
#include "screens/common/ShortcutText.h"
#include "screens/common/StatusStyle.h"
#include "store/LocalStore.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QStackedWidget>
#include <QTimer>

namespace clinicflow::client {

using namespace domain;

namespace {

QLabel *caption(QWidget *parent, const char *name)
{
    auto *label = new QLabel(parent);
    label->setObjectName(QString::fromLatin1(name));
    QFont font = label->font();
    font.setBold(true);
    label->setFont(font);
    label->setStyleSheet(QStringLiteral("color: %1; margin-top: 6px;").arg(StatusStyle::mutedText().name()));
    return label;
}

QLabel *sized(QLabel *label, qreal scale, bool bold)
{
    QFont font = label->font();
    font.setPointSizeF(font.pointSizeF() * scale);
    font.setBold(bold);
    label->setFont(font);
    return label;
}

QString muted()
{
    return QStringLiteral("color: %1;").arg(StatusStyle::mutedText().name());
}

} // namespace

VisitPanel::VisitPanel(LocalStore &store, QString doctorId, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_doctorId(std::move(doctorId))
    , m_pages(new QStackedWidget(this))
    , m_empty(new QLabel(this))
    , m_gone(new QLabel(this))
    , m_ticket(sized(new QLabel(this), 1.6, true))
    , m_urgent(new QLabel(this))
    , m_name(sized(new QLabel(this), 1.6, true))
    , m_ageSex(sized(new QLabel(this), 1.25, false))
    , m_statusIcon(new QLabel(this))
    , m_status(sized(new QLabel(this), 1.1, true))
    , m_details(new QLabel(this))
    , m_pending(new QWidget(this))
    , m_pendingText(new QLabel(this))
    , m_complaintCaption(caption(this, "complaintCaption"))
    , m_complaint(sized(new QLabel(this), 1.15, false))
    , m_examinationsCaption(caption(this, "examinationsCaption"))
    , m_examinationsSummary(new QLabel(this))
    , m_checklist(new ExaminationChecklist(this))
    , m_notes(new QLabel(this))
    , m_timelineCaption(caption(this, "timelineCaption"))
    , m_timeline(new QueueView(this))
{
    setObjectName(QStringLiteral("visitPanel"));
    m_empty->setObjectName(QStringLiteral("visitEmpty"));
    m_gone->setObjectName(QStringLiteral("visitGone"));
    m_ticket->setObjectName(QStringLiteral("visitTicket"));
    m_urgent->setObjectName(QStringLiteral("visitUrgent"));
    m_name->setObjectName(QStringLiteral("visitPatient"));
    m_ageSex->setObjectName(QStringLiteral("visitAgeSex"));
    m_status->setObjectName(QStringLiteral("visitStatus"));
    m_details->setObjectName(QStringLiteral("visitDetails"));
    m_pending->setObjectName(QStringLiteral("visitPending"));
    m_complaint->setObjectName(QStringLiteral("visitComplaint"));
    m_examinationsSummary->setObjectName(QStringLiteral("examinationsSummary"));
    m_notes->setObjectName(QStringLiteral("visitNotes"));
    m_timeline->setObjectName(QStringLiteral("visitTimeline"));

    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setWordWrap(true);
    m_empty->setStyleSheet(muted());
    sized(m_empty, 1.15, false);
    m_gone->setWordWrap(true);
    m_gone->hide();
    m_urgent->setStyleSheet(QStringLiteral("background: %1; color: white; font-weight: 700; border-radius: 4px; "
                                           "padding: 2px 8px;")
                                .arg(StatusStyle::urgentColour().name()));
    m_statusIcon->setFixedSize(22, 22);
    m_details->setStyleSheet(muted());
    m_details->setWordWrap(true);
    m_pendingText->setStyleSheet(muted());
    m_complaint->setWordWrap(true);
    m_complaint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_examinationsSummary->setStyleSheet(muted());
    m_notes->setWordWrap(true);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_timeline->setStatusColumns(-1, -1, VisitHistoryModel::TimeColumn);

    auto *pendingIcon = new QLabel(m_pending);
    pendingIcon->setPixmap(StatusStyle::pendingIcon().pixmap(16, 16));
    auto *pendingLayout = new QHBoxLayout(m_pending);
    pendingLayout->setContentsMargins(0, 0, 0, 0);
    pendingLayout->addWidget(pendingIcon);
    pendingLayout->addWidget(m_pendingText);

    auto *identity = new QHBoxLayout;
    identity->setSpacing(12);
    identity->addWidget(m_ticket);
    identity->addWidget(m_urgent);
    identity->addWidget(m_name);
    identity->addWidget(m_ageSex);
    identity->addStretch(1);
    identity->addWidget(m_statusIcon);
    identity->addWidget(m_status);
    auto *facts = new QHBoxLayout;
    facts->addWidget(m_details, 1);
    facts->addWidget(m_pending);
    auto *examinationsHeader = new QHBoxLayout;
    examinationsHeader->addWidget(m_examinationsCaption);
    examinationsHeader->addStretch();
    examinationsHeader->addWidget(m_examinationsSummary, 0, Qt::AlignBottom);

    auto *content = new QWidget(this);
    auto *layout = new QVBoxLayout(content);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_gone);
    layout->addLayout(identity);
    layout->addLayout(facts);
    layout->addWidget(m_complaintCaption);
    layout->addWidget(m_complaint);
    layout->addLayout(examinationsHeader);
    layout->addWidget(m_checklist); // as tall as its rows, up to a limit: the timeline takes the rest
    layout->addWidget(m_notes);
    layout->addWidget(m_timelineCaption);
    layout->addWidget(m_timeline, 1);
    m_pages->addWidget(m_empty);
    m_pages->addWidget(content);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_pages);
    // The header's wait grows while the patient waits, as the queue's does.
    auto *tick = new QTimer(this);
    connect(tick, &QTimer::timeout, this, [this] {
        if (m_pages->currentIndex() == 1 && m_store.visit(m_visitId))
            showHeader();
    });
    tick->start(30'000);
    retranslate();
}

VisitPanel::~VisitPanel() = default;

void VisitPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void VisitPanel::retranslate()
{
    m_urgent->setText(tr("Urgent"));
    m_complaintCaption->setText(tr("Chief complaint"));
    m_examinationsCaption->setText(tr("Examinations"));
    m_timelineCaption->setText(tr("Timeline"));
    m_pendingText->setText(tr("Not yet confirmed by the server"));
    m_timeline->setEmptyText(tr("Nothing recorded yet"));
    // The models translate their headers and cells when asked: repainting is enough.
    m_timeline->horizontalHeader()->viewport()->update();
    m_timeline->viewport()->update();
    refresh();
}

void VisitPanel::setEmptyText(const QString &text)
{
    m_emptyText = text;
    if (m_visitId.isNull())
        m_empty->setText(text);
}

void VisitPanel::showVisit(const QUuid &visitId)
{
    if (visitId == m_visitId) {
        refresh();
        return;
    }
    m_visitId = visitId;
    // The timeline model follows one visit: a new one for each visit opened, the old one dropped after the view
    // lets go of it.
    std::unique_ptr<VisitHistoryModel> history =
        visitId.isNull() ? nullptr : std::make_unique<VisitHistoryModel>(m_store, visitId);
    QItemSelectionModel *oldSelection = m_timeline->selectionModel();
    m_timeline->setModel(history.get());
    m_history = std::move(history);
    if (oldSelection) // setModel() makes a new one and leaves the old one to whoever made it
        oldSelection->deleteLater();
    if (m_history) {
        auto *header = m_timeline->horizontalHeader();
        header->setSectionResizeMode(VisitHistoryModel::TimeColumn, QHeaderView::ResizeToContents);
        header->setSectionResizeMode(VisitHistoryModel::DescriptionColumn, QHeaderView::Stretch);
        header->setSectionResizeMode(VisitHistoryModel::StationColumn, QHeaderView::ResizeToContents);
        header->setStretchLastSection(false);
        connect(m_history.get(), &QAbstractItemModel::rowsInserted, m_timeline, &QTableView::scrollToBottom);
        m_timeline->scrollToBottom();
    }
    refresh();
}

QUuid VisitPanel::diagnosisId() const
{
    const auto d = m_visitId.isNull() ? std::nullopt : m_store.diagnosisOfVisit(m_visitId);
    return d ? d->id : QUuid();
}

bool VisitPanel::inQueue() const
{
    const auto d = m_visitId.isNull() ? std::nullopt : m_store.diagnosisOfVisit(m_visitId);
    return d && isOpen(d->status) && d->doctor == m_doctorId;
}

QSet<QUuid> VisitPanel::pendingPrescriptions() const
{
    QSet<QUuid> pending;
    for (const HistoryEntry &e : m_store.history(m_visitId)) {
        if (!e.pending || !e.command)
            continue;
        if (const auto *c = std::get_if<PrescribeExamination>(&e.command->command))
            pending.insert(c->examinationId);
    }
    return pending;
}

void VisitPanel::refresh()
{
    const auto row = m_visitId.isNull() ? std::nullopt : m_store.visit(m_visitId);
    if (!row) {
        m_empty->setText(m_visitId.isNull()
                             ? m_emptyText
                             : tr("This visit is no longer on this station. Select another patient in the queue."));
        m_pages->setCurrentIndex(0);
        m_checklist->clear();
        return;
    }
    m_pages->setCurrentIndex(1);
    showHeader();
    showGone();
    const auto d = m_store.diagnosisOfVisit(m_visitId);
    m_checklist->setEmptyText(
        inQueue()
            ? tr("No examinations prescribed yet. Prescribe them with %1.").arg(shortcutText(QKeySequence(Qt::Key_F5)))
            : tr("No examinations were prescribed."));
    if (d) {
        m_checklist->show(*d, m_store.examinationsOfVisit(m_visitId), pendingPrescriptions(), m_store.catalogue());
        const int withdrawn = d->countWith(ExaminationStatus::Withdrawn);
        const int done = d->countWith(ExaminationStatus::Performed) + d->countWith(ExaminationStatus::Cancelled);
        const int total = int(d->prescriptions.size()) - withdrawn;
        m_examinationsSummary->setText(total > 0 ? tr("%1 of %2 finished").arg(done).arg(total) : QString());
        QStringList notes;
        if (!d->reviewNote.isEmpty())
            notes.append(tr("Review note: %1").arg(d->reviewNote));
        if (!d->outcomeNote.isEmpty())
            notes.append(d->status == DiagnosisStatus::Refused ? tr("Reason for refusal: %1").arg(d->outcomeNote)
                                                               : tr("Outcome note: %1").arg(d->outcomeNote));
        m_notes->setText(notes.join(u'\n'));
    } else {
        m_checklist->clear();
        m_examinationsSummary->clear();
        m_notes->clear();
    }
    m_notes->setVisible(!m_notes->text().isEmpty());
}

void VisitPanel::showHeader()
{
    const auto row = m_store.visit(m_visitId);
    const auto reception = m_store.reception(m_visitId);
    const auto d = m_store.diagnosisOfVisit(m_visitId);
    const QDate today = m_store.now().toLocalTime().date();
    m_ticket->setText(row->ticket);
    m_name->setText(row->patientName);
    m_name->setToolTip(row->patientName);
    m_urgent->setVisible(row->priority == Priority::Urgent);
    m_ageSex->setText(reception ? ModelText::ageSex(reception->patient, today) : QString());
    // The consultation's status while there is one to speak of; a cancelled visit says so in the desk's word.
    const bool byVisit = !d || row->receptionStatus == ReceptionStatus::Cancelled;
    const StatusTone tone = byVisit ? toneOf(row->receptionStatus, row->diagnosisStatus) : toneOf(d->status);
    m_statusIcon->setPixmap(StatusStyle::icon(tone).pixmap(22, 22));
    m_status->setText(byVisit ? ModelText::receptionStatus(row->receptionStatus)
                              : ModelText::diagnosisStatus(d->status));
    m_status->setStyleSheet(QStringLiteral("color: %1;").arg(StatusStyle::colour(tone).name()));

    QStringList facts;
    const QString number = reception ? reception->patient.patientNumber : row->patientNumber;
    facts.append(number.isEmpty() ? tr("New patient (no patient number)") : tr("Patient no. %1").arg(number));
    if (reception && reception->patient.birthDate.isValid())
        facts.append(tr("Born %1").arg(ModelText::birthDate(reception->patient.birthDate)));
    facts.append(tr("Received %1").arg(ModelText::time(row->receivedAt)));
    const bool waitOver = row->seenAt.isValid() || row->finishedAt.isValid();
    facts.append(waitOver ? tr("Waited %1").arg(ModelText::minutes(row->waitingSeconds(m_store.now())))
                          : tr("Waiting %1").arg(ModelText::minutes(row->waitingSeconds(m_store.now()))));
    m_details->setText(facts.join(QStringLiteral("  ·  ")));
    m_pending->setVisible(m_store.isPending(m_visitId));
    m_complaint->setText(reception && !reception->chiefComplaint.isEmpty() ? reception->chiefComplaint
                                                                           : QStringLiteral("—"));
}

// Why the open visit is no longer in the queue, in a banner coloured like the outcome.
void VisitPanel::showGone()
{
    if (inQueue()) {
        m_gone->hide();
        return;
    }
    const auto row = m_store.visit(m_visitId);
    const auto reception = m_store.reception(m_visitId);
    const auto d = m_store.diagnosisOfVisit(m_visitId);
    const QString who = tr("%1 (%2)", "patient name, then ticket").arg(row->patientName, row->ticket);
    QString text;
    StatusTone tone = StatusTone::Closed;
    if (d && d->status == DiagnosisStatus::Completed) {
        text = tr("Treatment completed: %1 has left your queue.").arg(who);
        tone = StatusTone::Completed;
    } else if (d && d->status == DiagnosisStatus::Refused) {
        text = tr("Treatment refused: %1 has left your queue.").arg(who);
        tone = StatusTone::Refused;
    } else if (row->receptionStatus == ReceptionStatus::Cancelled || (d && d->status == DiagnosisStatus::Withdrawn)) {
        const QString reason = reception ? reception->cancelReason : QString();
        text = reason.isEmpty() ? tr("The desk cancelled this visit: %1 has left your queue.").arg(who)
                                : tr("The desk cancelled this visit (%2): %1 has left your queue.").arg(who, reason);
        tone = StatusTone::Cancelled;
    } else {
        text = tr("%1 is not in your queue.").arg(who);
    }
    const QColor colour = StatusStyle::colour(tone);
    QColor background = colour;
    background.setAlpha(28);
    m_gone->setStyleSheet(
        QStringLiteral("background: rgba(%1, %2, %3, %4); color: %5; border-left: 4px solid %5; padding: 8px; "
                       "font-weight: 600;")
            .arg(background.red())
            .arg(background.green())
            .arg(background.blue())
            .arg(background.alpha())
            .arg(colour.darker(130).name()));
    m_gone->setText(tr("%1 %2 opens the next patient.", "after the sentence saying why the visit left")
                        .arg(text, shortcutText(QKeySequence(Qt::Key_F2))));
    m_gone->show();
}

} // namespace clinicflow::client
