// The doctor's screen, its actions: which ones the open visit allows now (and which one comes next), and the
// dialogs that ask for them. Dialogs open window-modal without a nested event loop (QDialog::open), so the store's
// live updates keep arriving while the doctor types; each action is checked again by the rules when it is stored.
#include "DoctorController.h"
#include "DoctorScreen.h"
#include "HandOverDialog.h"
#include "OutcomeDialog.h"
#include "PrescribeDialog.h"
#include "VisitPanel.h"
#include "domain/Ids.h"
#include "models/DoctorQueueModel.h"
#include "models/ModelText.h"
#include "screens/common/ErrorText.h"
#include "screens/common/Notice.h"
#include "screens/common/QueueView.h"
#include "screens/common/ShortcutText.h"
#include "station/Station.h"
#include "store/LocalStore.h"

#include <QIcon>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QStyle>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

namespace {

// The rules' refusals carry the diagnosis id as their detail: useful in a log, noise on a doctor's screen.
QString reasonText(const Error &error)
{
    return idFromString(error.detail).isNull() ? ErrorText::sentence(error) : ErrorText::sentence(error.code);
}

QString actionName(DoctorAction action)
{
    switch (action) {
    case DoctorAction::Prescribe:
        return ErrorText::action(u"PrescribeExamination"_s);
    case DoctorAction::Review:
        return ErrorText::action(u"ReviewResults"_s);
    case DoctorAction::Complete:
        return ErrorText::action(u"CompleteTreatment"_s);
    case DoctorAction::HandOver:
        return ErrorText::action(u"HandOverVisit"_s);
    case DoctorAction::Refuse:
        break;
    }
    return ErrorText::action(u"RefuseTreatment"_s);
}

} // namespace

QIcon DoctorScreen::whiteIcon(const QIcon &icon, QSize size, qreal devicePixelRatio)
{
    QPixmap pixmap = icon.pixmap(size, devicePixelRatio);
    QPainter painter(&pixmap);
    painter.setCompositionMode(QPainter::CompositionMode_SourceIn); // every drawn pixel white, at its own opacity
    painter.fillRect(QRect(QPoint(), pixmap.deviceIndependentSize().toSize()), Qt::white);
    painter.end();
    return QIcon(pixmap);
}

void DoctorScreen::refreshActions()
{
    const QUuid d = m_panel->diagnosisId();
    const std::pair<QPushButton *, DoctorAction> buttons[] = {{m_prescribe, DoctorAction::Prescribe},
                                                              {m_review, DoctorAction::Review},
                                                              {m_complete, DoctorAction::Complete},
                                                              {m_refuse, DoctorAction::Refuse},
                                                              {m_handOver, DoctorAction::HandOver}};
    for (const auto &[button, action] : buttons) {
        const ErrorCode why = d.isNull() ? ErrorCode::DiagnosisNotFound : m_controller->whyNot(d, action);
        button->setEnabled(why == ErrorCode::None);
        button->setToolTip(why == ErrorCode::None ? QString() : tr("Not now: %1").arg(ErrorText::sentence(why)));
        button->setProperty("primary", false);
    }

    // What the visit waits for, in words, and the one button that does it.
    const auto diagnosis = d.isNull() ? std::nullopt : m_station.store().diagnosis(d);
    QPushButton *primary = nullptr;
    QString next;
    if (diagnosis && m_panel->inQueue()) {
        switch (diagnosis->status) {
        case DiagnosisStatus::Waiting:
            primary = m_prescribe;
            next = tr("New patient: prescribe examinations (%1), or complete the consultation if none is needed (%2).")
                       .arg(shortcutText(QKeySequence(Qt::Key_F5)), shortcutText(QKeySequence(Qt::Key_F7)));
            break;
        case DiagnosisStatus::ExamsPending:
            next = tr("Waiting for %n examination result(s). You can prescribe more (%1).", nullptr,
                      diagnosis->countWith(ExaminationStatus::Requested))
                       .arg(shortcutText(QKeySequence(Qt::Key_F5)));
            break;
        case DiagnosisStatus::ResultsReady: {
            primary = m_review;
            // A cancelled examination brings no result: the doctor may prescribe it again, but only before the
            // review, which closes the prescriptions.
            const QString f5 = shortcutText(QKeySequence(Qt::Key_F5));
            const QString f6 = shortcutText(QKeySequence(Qt::Key_F6));
            const int cancelled = diagnosis->countWith(ExaminationStatus::Cancelled);
            if (cancelled == 0)
                next = tr("Results are ready: review them (%1).").arg(f6);
            else if (diagnosis->countWith(ExaminationStatus::Performed) == 0)
                next = tr("No result: the examination room cancelled what was prescribed. Prescribe again (%1), or "
                          "review (%2) to go on without it.")
                           .arg(f5, f6);
            else
                next = tr("Results are ready: review them (%1). %n examination(s) cancelled: prescribe again (%2) "
                          "before the review if needed.",
                          nullptr, cancelled)
                           .arg(f6, f5);
            break;
        }
        case DiagnosisStatus::Reviewed:
            primary = m_complete;
            next = tr("Results reviewed: complete the treatment (%1).").arg(shortcutText(QKeySequence(Qt::Key_F7)));
            break;
        default:
            break;
        }
    }
    if (primary && primary->isEnabled())
        primary->setProperty("primary", true);
    for (const auto &[button, action] : buttons) {
        style()->unpolish(button); // the style sheet reads the property only when polished
        style()->polish(button);
        const bool accent = button->property("primary").toBool();
        button->setIcon(qvariant_cast<QIcon>(button->property(accent ? "accentIcon" : "plainIcon")));
    }
    m_nextStep->setText(next);
    m_nextStep->setVisible(!next.isEmpty());
}

QUuid DoctorScreen::target(DoctorAction action)
{
    if (m_panel->visitId().isNull()) {
        m_notice->askToSelect(
            tr("Select a patient in the queue first (%1).").arg(shortcutText(QKeySequence(Qt::Key_F2))), m_queue);
        return {};
    }
    const QUuid d = m_panel->diagnosisId();
    const ErrorCode why = d.isNull() ? ErrorCode::DiagnosisNotFound : m_controller->whyNot(d, action);
    if (why != ErrorCode::None) {
        m_notice->warn(tr("%1 is not possible now: %2").arg(actionName(action), ErrorText::sentence(why)));
        return {};
    }
    return d;
}

void DoctorScreen::openDialog(QDialog *dialog)
{
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void DoctorScreen::prescribe()
{
    const QUuid d = target(DoctorAction::Prescribe);
    if (d.isNull())
        return;
    QStringList open;
    for (const Prescription &p : m_controller->openExaminations(d))
        open.append(p.code);
    const QString who = patientLabel();
    auto *dialog = new PrescribeDialog(m_controller->examinations(), open, who, this);
    connect(dialog, &QDialog::accepted, this, [this, dialog, d, who] {
        auto done = m_controller->prescribe(d, dialog->codes(), dialog->note());
        if (!done) {
            m_notice->warn(tr("Nothing prescribed for %1: %2").arg(who, reasonText(done.error())));
            return;
        }
        m_notice->inform(tr("%n examination(s) prescribed for %1", nullptr, int(done->size())).arg(who));
    });
    openDialog(dialog);
}

void DoctorScreen::review()
{
    const QUuid d = target(DoctorAction::Review);
    if (d.isNull())
        return;
    const QString who = patientLabel();
    auto *dialog = new OutcomeDialog(OutcomeDialog::Kind::Review, who, {}, this);
    connect(dialog, &QDialog::accepted, this, [this, dialog, d, who] {
        auto done = m_controller->review(d, dialog->note());
        if (!done) {
            m_notice->warn(tr("Results of %1 not marked reviewed: %2").arg(who, reasonText(done.error())));
            return;
        }
        m_notice->inform(tr("Results of %1 reviewed").arg(who));
    });
    openDialog(dialog);
}

void DoctorScreen::complete()
{
    const QUuid d = target(DoctorAction::Complete);
    if (d.isNull())
        return;
    const QString who = patientLabel();
    auto *dialog = new OutcomeDialog(OutcomeDialog::Kind::Complete, who, {}, this);
    connect(dialog, &QDialog::accepted, this, [this, dialog, d, who] {
        auto done = m_controller->complete(d, dialog->note());
        if (!done) {
            m_notice->warn(tr("Treatment of %1 not completed: %2").arg(who, reasonText(done.error())));
            return;
        }
        m_notice->inform(tr("Treatment of %1 completed: the desk will confirm the outcome").arg(who));
        m_queue->setFocus(); // the next patient is one key away
    });
    openDialog(dialog);
}

void DoctorScreen::refuse()
{
    const QUuid d = target(DoctorAction::Refuse);
    if (d.isNull())
        return;
    QStringList withdrawn;
    for (const Prescription &p : m_controller->openExaminations(d))
        withdrawn.append(ModelText::examination(m_station.store().catalogue(), p.code));
    const QString who = patientLabel();
    auto *dialog = new OutcomeDialog(OutcomeDialog::Kind::Refuse, who, withdrawn, this);
    connect(dialog, &QDialog::accepted, this, [this, dialog, d, who] {
        auto done = m_controller->refuse(d, dialog->note());
        if (!done) {
            m_notice->warn(tr("Treatment of %1 not refused: %2").arg(who, reasonText(done.error())));
            return;
        }
        m_notice->inform(tr("Treatment of %1 refused: the desk will confirm the outcome").arg(who));
        m_queue->setFocus();
    });
    openDialog(dialog);
}

void DoctorScreen::handOver()
{
    const QUuid d = target(DoctorAction::HandOver);
    if (d.isNull())
        return;
    const QString who = patientLabel();
    const Catalogue &catalogue = m_station.store().catalogue();
    auto *dialog = new HandOverDialog(who, m_controller->colleagues(), catalogue, this);
    connect(dialog, &QDialog::accepted, this, [this, dialog, d, who, &catalogue] {
        const QString colleague = ModelText::doctor(catalogue, dialog->doctorId());
        auto done = m_controller->handOver(d, dialog->doctorId(), dialog->note());
        if (!done) {
            m_notice->warn(tr("%1 not handed over: %2").arg(who, reasonText(done.error())));
            return;
        }
        m_notice->inform(tr("%1 handed over to %2").arg(who, colleague));
        m_queue->setFocus();
    });
    openDialog(dialog);
}

} // namespace clinicflow::client
