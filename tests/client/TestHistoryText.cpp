// A visit's timeline says which examination an action was about: with two examinations on one visit, "Examination
// performed" twice would not tell the doctor which result came in. Pending actions, the server's events, a
// cancellation's reason and a withdrawal all name it; an examination this station has not heard of keeps the
// general words.
#include "models/HistoryText.h"
#include "models/VisitHistoryModel.h"
#include "support/StoreHarness.h"

#include <QTest>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace clinicflow::domain;
using namespace Qt::StringLiterals;

class TestHistoryText : public QObject
{
    Q_OBJECT

private slots:
    void examinationsAreNamed();
    void unknownExaminationKeepsTheGeneralWords();
};

namespace {

QString lastLine(const VisitHistoryModel &model)
{
    return model.index(model.rowCount() - 1, VisitHistoryModel::DescriptionColumn).data().toString();
}

} // namespace

void TestHistoryText::examinationsAreNamed()
{
    StoreFixture f(u"LAB1"_s);
    QVERIFY(f->setRole(Role::Examiner).ok());
    FakeServer server;
    const QUuid visit = registerElsewhere(server, u"A"_s, 1, startTime(), u"dr.kim"_s);
    const QUuid blood = prescribeElsewhere(server, visit, u"BLOOD"_s, startTime().addSecs(120));
    const QUuid xray = prescribeElsewhere(server, visit, u"XRAY"_s, startTime().addSecs(180));
    catchUp(f, server);
    VisitHistoryModel model(f.store(), visit);

    QVERIFY(f->submit(PerformExamination{blood, u"Hb 13.5"_s}));
    QCOMPARE(lastLine(model), u"Perform Blood test (waiting for the server)"_s);
    QVERIFY(f->submit(CancelExamination{xray, u"patient left"_s}));
    QCOMPARE(lastLine(model), u"Cancel X-ray (waiting for the server)"_s);

    server.sync(f.store());
    const QStringList lines = [&model] {
        QStringList all;
        for (int r = 0; r < model.rowCount(); ++r)
            all.append(model.index(r, VisitHistoryModel::DescriptionColumn).data().toString());
        return all;
    }();
    QVERIFY2(lines.contains(u"Blood test performed"_s), qPrintable(lines.join(u" | "_s)));
    QVERIFY2(lines.contains(u"X-ray cancelled: patient left"_s), qPrintable(lines.join(u" | "_s)));
    QVERIFY2(!lines.contains(u"Examination performed"_s), qPrintable(lines.join(u" | "_s)));
    // One of the two brought no result: the line for "results ready" does not claim results it does not have.
    QVERIFY2(lines.contains(u"Every examination performed or cancelled: ready for review"_s),
             qPrintable(lines.join(u" | "_s)));

    // The doctor refuses the treatment of another visit: its withdrawn examination is named too.
    const QUuid other = registerElsewhere(server, u"A"_s, 2, startTime().addSecs(200), u"dr.kim"_s);
    prescribeElsewhere(server, other, u"CT"_s, startTime().addSecs(220));
    server.act(RefuseTreatment{diagnosis::idForVisit(other), u"declined"_s}, u"DOC1"_s, startTime().addSecs(240));
    catchUp(f, server);
    VisitHistoryModel refused(f.store(), other);
    QVERIFY(refused.rowCount() > 0);
    bool named = false;
    for (int r = 0; r < refused.rowCount(); ++r)
        named |= refused.index(r, VisitHistoryModel::DescriptionColumn).data().toString() ==
                 u"CT scan withdrawn because the treatment was refused"_s;
    QVERIFY(named);
}

void TestHistoryText::unknownExaminationKeepsTheGeneralWords()
{
    const Catalogue catalogue = Catalogue::builtIn();
    const QUuid unknown = newId();
    Event performed;
    performed.payload = ExaminationPerformed{unknown, newId(), u"LAB1"_s, u"ok"_s};
    QCOMPARE(HistoryText::event(performed, catalogue), u"Examination performed"_s);
    QCOMPARE(HistoryText::event(performed, catalogue, [](const QUuid &) { return QString(); }),
             u"Examination performed"_s);
    QCOMPARE(HistoryText::command(CancelExamination{unknown, u"x"_s}, catalogue), u"Cancel the examination"_s);
    QCOMPARE(HistoryText::event(performed, catalogue, [](const QUuid &) { return u"XRAY"_s; }), u"X-ray performed"_s);
}

QTEST_MAIN(TestHistoryText)
#include "TestHistoryText.moc"
