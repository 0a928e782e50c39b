// Measurement 3 of the screens benchmark: a registration at the desk, Ctrl+Enter until the new row is shown.
#include "Language.h"
#include "ScreensBenchData.h"
#include "ScreensBenchScenarios.h"
#include "ScreensBenchSupport.h"
#include "models/TodayVisitsModel.h"
#include "screens/common/QueueView.h"
#include "screens/reception/ReceptionScreen.h"
#include "screens/reception/RegistrationForm.h"
#include "store/LocalStore.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QTest>
#include <cstdio>
#include <vector>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::domain;

namespace clinicflow::bench {

// ---- 3: the desk --------------------------------------------------------------------------------------------------

void deskActions(const QString &path, int visits, int actions, Language &language)
{
    heading(u"3. A desk action: Ctrl+Enter -> the new row shown, with its durable commit (%1 visits today, %2 "
            "registrations)"_s.arg(visits)
                .arg(actions));
    QElapsedTimer fill;
    fill.start();
    {
        auto store = LocalStore::open(path);
        if (!store || !store.value()->setStationCode(u"A"_s) || !store.value()->setRole(Role::Receptionist) ||
            !fillDeskStore(*store.value(), visits))
            return;
    }
    std::printf("  (desk store filled with %d visits played through the saga in %.1f s)\n", visits,
                fill.elapsed() / 1e3);
    auto station = openStation(path, u"A"_s, Role::Receptionist);
    if (!station)
        return;
    auto *screen = new ReceptionScreen(*station);
    MainWindow window(*station, screen, kNoServer, language);
    station->start();
    window.show();
    activate(&window);
    screen->focusFirst();
    auto *visitsView = window.findChild<QueueView *>(u"todayVisits"_s);
    auto *model = window.findChild<TodayVisitsModel *>();
    auto *name = window.findChild<QLineEdit *>(u"name"_s);
    auto *birth = window.findChild<QLineEdit *>(u"birthDate"_s);
    auto *department = window.findChild<QComboBox *>(u"department"_s);
    auto *complaint = window.findChild<QPlainTextEdit *>(u"complaint"_s);
    if (!visitsView || !model || !name || !birth || !department || !complaint) {
        std::fprintf(stderr, "the desk's widgets are not where the bench expects them\n");
        return;
    }
    const int rowsBefore = model->rowCount();
    runFor(500); // the first paint and the settling of the window

    PaintWatch watch(visitsView->viewport());
    QElapsedTimer clock;
    qint64 committedAt = 0;
    qint64 insertedAt = 0;
    QUuid registered;
    QObject timing; // the connections end before the variables they write to
    QObject::connect(&station->store(), &LocalStore::commandSubmitted, &timing, [&] {
        if (committedAt == 0)
            committedAt = clock.nsecsElapsed();
    });
    QObject::connect(model, &QAbstractItemModel::rowsInserted, &timing, [&] {
        if (insertedAt == 0)
            insertedAt = clock.nsecsElapsed();
    });
    QObject::connect(screen->form(), &RegistrationForm::registered, &timing,
                     [&](const SubmittedVisit &v) { registered = v.visitId; });
    std::vector<double> toCommit, toRow, toReturn, toShown;
    int failed = 0;
    for (int i = 0; i < actions; ++i) {
        // The receptionist types the patient in (not timed).
        name->setFocus();
        QTest::keyClicks(name, u"Desk Patient %1"_s.arg(i));
        QTest::keyClicks(birth, u"1980-05-17"_s);
        department->setCurrentIndex(department->findData(kDepartments[i % kDepartments.size()]));
        QTest::keyClicks(complaint, u"fever since yesterday"_s);
        name->setFocus();
        QCoreApplication::processEvents();

        registered = {};
        committedAt = insertedAt = 0;
        watch.arm();
        clock.start();
        QTest::keyClick(name, Qt::Key_Return, Qt::ControlModifier);
        const qint64 returned = clock.nsecsElapsed();
        const bool shown =
            waitUntil([&] { return watch.seen() && !registered.isNull() && model->rowOf(registered) >= 0; }, 5000);
        const qint64 done = clock.nsecsElapsed();
        if (!shown) {
            ++failed;
            continue;
        }
        toCommit.push_back(ms(committedAt));
        toRow.push_back(ms(insertedAt));
        toReturn.push_back(ms(returned));
        toShown.push_back(ms(done));
        QCoreApplication::processEvents();
    }
    const double p99 = percentile(toShown, 0.99);
    line("rows in today's visits before / after", rowsBefore, "", u"/ %1"_s.arg(model->rowCount()));
    line("registrations timed (failed)", double(toShown.size()), "", u"(%1 failed)"_s.arg(failed));
    line("key -> durable local commit, p50", percentile(toCommit, 0.5), "ms");
    line("key -> durable local commit, p99", percentile(toCommit, 0.99), "ms");
    line("key -> row inserted in the model, p50", percentile(toRow, 0.5), "ms");
    line("key -> the key press handled (form cleared, row selected), p50", percentile(toReturn, 0.5), "ms");
    line("key -> key press handled, p99", percentile(toReturn, 0.99), "ms");
    line("key -> row shown (table repainted), p50", percentile(toShown, 0.5), "ms");
    line("key -> row shown, p99", p99, "ms", bar(p99, 16, "ms"));
    line("key -> row shown, max", percentile(toShown, 1), "ms");
    station->stop();
}

} // namespace clinicflow::bench
