// The front desk's registration form, its real widgets offscreen: the age of the birth date typed is read back beside
// it (a date typed wrong shows at once), and an unknown birth date takes an estimate instead.
#include "screens/reception/ReceptionController.h"
#include "screens/reception/RegistrationForm.h"
#include "support/StoreHarness.h"

#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTest>

using namespace clinicflow;
using namespace clinicflow::client;
using namespace clinicflow::client::testing;
using namespace Qt::StringLiterals;

class TestRegistrationForm : public QObject
{
    Q_OBJECT

private slots:
    void theAgeOfTheDateTyped();
};

void TestRegistrationForm::theAgeOfTheDateTyped()
{
    StoreFixture f;
    ReceptionController controller(f.store());
    RegistrationForm form(controller);
    auto *birthDate = form.findChild<QLineEdit *>(u"birthDate"_s);
    auto *age = form.findChild<QSpinBox *>(u"estimatedAge"_s);
    auto *unknown = form.findChild<QCheckBox *>(u"birthUnknown"_s);
    auto *ageLabel = form.findChild<QLabel *>(u"estimatedAgeLabel"_s);
    QVERIFY(birthDate && age && unknown && ageLabel);
    QCOMPARE(ageLabel->text(), u"Age"_s);
    QCOMPARE(age->text(), u"?"_s);

    const QDate today = QDate::currentDate();
    birthDate->setText(today.addYears(-68).toString(u"yyyy-MM-dd"));
    QCOMPARE(age->value(), 68);
    QVERIFY(!age->isEnabled());                                               // read back, not typed
    birthDate->setText(today.addYears(-68).addDays(1).toString(u"yyyyMMdd")); // the birthday is tomorrow
    QCOMPARE(age->value(), 67);
    QVERIFY(!form.input().estimatedAge); // a date, not an estimate, goes with the registration

    birthDate->setText(u"1958-13-40"_s); // not a date
    QCOMPARE(age->text(), u"?"_s);
    birthDate->setText(today.addDays(1).toString(u"yyyy-MM-dd")); // not born yet: the rules say so on Register
    QCOMPARE(age->text(), u"?"_s);

    // Unknown: the date goes, and the field is the desk's to estimate, empty to begin with.
    birthDate->setText(u"1958-03-02"_s);
    unknown->setChecked(true);
    QVERIFY(birthDate->text().isEmpty());
    QVERIFY(age->isEnabled());
    QCOMPARE(ageLabel->text(), u"Age about"_s); // an estimate now
    QCOMPARE(age->text(), u"?"_s);
    age->setValue(70);
    QCOMPARE(form.input().estimatedAge, std::optional<int>(70));
}

QTEST_MAIN(TestRegistrationForm)
#include "TestRegistrationForm.moc"
