// The front desk's ticket panel, offscreen, over a local store fed by the stand-in server: the doctor the server
// chooses (the least busy one) shows on it once the registration is synced, and a registration the server refused,
// or a visit the desk cancelled since, no longer passes for one: the panel says so and has no slip to print.
#include "models/ModelText.h"
#include "screens/reception/TicketPanel.h"
#include "support/StoreHarness.h"

#include <QLabel>
#include <QPushButton>
#include <QShortcut>
#include <QTest>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

class TestTicketPanel : public QObject
{
    Q_OBJECT

private slots:
    void showsTheDoctorTheServerChose();
    void refusedRegistrationIsNoTicket();
    void cancelledVisitIsNoTicket();
};

namespace {

struct Panel
{
    explicit Panel(LocalStore &store)
        : panel(store)
        , caption(panel.findChild<QLabel *>(u"ticketCaption"_s))
        , details(panel.findChild<QLabel *>(u"ticketDetails"_s))
        , print(panel.findChild<QPushButton *>(u"printTicket"_s))
        , printKey(panel.findChild<QShortcut *>(u"printTicketKey"_s))
    {
    }
    TicketPanel panel;
    QLabel *caption;
    QLabel *details;
    QPushButton *print;
    QShortcut *printKey; // Ctrl+P: prints exactly when the button would
};

// A registration stored at this desk and shown on the panel, its slip printable: none when any of that fails.
std::optional<SubmittedVisit> showNew(StoreFixture &f, Panel &p, const QString &name)
{
    auto visit = f->registerVisit(registration(name));
    if (!visit)
        return std::nullopt;
    p.panel.show(visit.value());
    if (!p.print->isEnabled() || !p.printKey->isEnabled())
        return std::nullopt;
    return visit.value();
}

} // namespace

void TestTicketPanel::showsTheDoctorTheServerChose()
{
    StoreFixture f;
    FakeServer server;
    Panel p(f.store());
    QVERIFY(p.caption && p.details && p.print);
    QVERIFY(!p.print->isEnabled()); // nothing registered yet
    QVERIFY(p.printKey && !p.printKey->isEnabled());
    QVERIFY2(p.print->text().endsWith(p.printKey->key().toString(QKeySequence::NativeText)),
             qPrintable(p.print->text())); // the key is on the button

    const auto visit = f->registerVisit(registration(u"Park"_s)); // any doctor: the server chooses
    QVERIFY(visit);
    p.panel.show(visit.value());
    QCOMPARE(p.panel.ticketText(), visit->ticket.toString());
    QVERIFY2(p.details->text().contains(u"doctor to be assigned"_s), qPrintable(p.details->text()));
    QVERIFY(p.print->isEnabled());

    server.sync(f.store());
    const auto row = f->visit(visit->visitId);
    QVERIFY(row && !row->doctor.isEmpty());
    const QString doctor = ModelText::doctor(f->catalogue(), row->doctor);
    QVERIFY2(p.details->text().contains(doctor), qPrintable(p.details->text()));
    QVERIFY2(!p.details->text().contains(u"to be assigned"_s), qPrintable(p.details->text()));
    QVERIFY(p.print->isEnabled());
}

void TestTicketPanel::refusedRegistrationIsNoTicket()
{
    StoreFixture f;
    Panel p(f.store());
    const auto visit = showNew(f, p, u"Lee"_s);
    QVERIFY(visit);
    const QString registered = p.caption->text();

    QVERIFY(f->markOutcome({visit->commandId, false, {}, makeError(ErrorCode::NoDoctorAvailable, u"IM"_s)}).value());
    QVERIFY(!f->visit(visit->visitId));
    QVERIFY(p.caption->text() != registered);
    QVERIFY2(p.caption->text().startsWith(u"Not registered"_s), qPrintable(p.caption->text()));
    QVERIFY2(p.details->text().contains(u"Refused actions"_s), qPrintable(p.details->text()));
    QVERIFY(!p.print->isEnabled() && !p.printKey->isEnabled());
}

// The patient left and the desk cancelled the visit while its slip was still shown: the panel no longer offers it.
void TestTicketPanel::cancelledVisitIsNoTicket()
{
    StoreFixture f;
    Panel p(f.store());
    const auto visit = showNew(f, p, u"Park"_s);
    QVERIFY(visit);

    QVERIFY(f->submit(CancelVisit{visit->visitId, u"left"_s}));
    QVERIFY(f->visit(visit->visitId)->receptionStatus == ReceptionStatus::Cancelled);
    QVERIFY2(p.caption->text().startsWith(u"Registration cancelled"_s), qPrintable(p.caption->text()));
    QVERIFY(!p.print->isEnabled() && !p.printKey->isEnabled());
    QCOMPARE(p.panel.ticketText(), visit->ticket.toString()); // still says which ticket it was
}

QTEST_MAIN(TestTicketPanel)
#include "TestTicketPanel.moc"
