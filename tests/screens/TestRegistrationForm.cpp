// The front desk's registration form, its real widgets offscreen: the age of the birth date typed is read back beside
// it (a date typed wrong shows at once), an unknown birth date takes an estimate instead, and Register with mistakes
// puts the keyboard on the first one in the form.
#include "screens/reception/ReceptionController.h"
#include "screens/reception/RegistrationForm.h"
#include "support/StoreHarness.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
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
    void theKeyboardGoesToTheFirstFieldToFix();
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

// The rules list a date that is no date after the department and the complaint; the desk reads the form from the top.
void TestRegistrationForm::theKeyboardGoesToTheFirstFieldToFix()
{
    StoreFixture f;
    ReceptionController controller(f.store());
    RegistrationForm form(controller);
    form.show();
    form.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&form));
    auto *name = form.findChild<QLineEdit *>(u"name"_s);
    auto *birthDate = form.findChild<QLineEdit *>(u"birthDate"_s);
    auto *department = form.findChild<QComboBox *>(u"department"_s);
    auto *complaint = form.findChild<QPlainTextEdit *>(u"complaint"_s);
    QVERIFY(name && birthDate && department && complaint);
    QSignalSpy registered(&form, &RegistrationForm::registered);

    name->setText(u"Kim Minjun"_s);
    birthDate->setText(u"1990-02-30"_s);
    form.submit();
    QCOMPARE(QApplication::focusWidget(), birthDate);
    birthDate->setText(u"1990-02-28"_s);
    form.submit();
    QCOMPARE(QApplication::focusWidget(), department);
    department->setCurrentIndex(1);
    form.submit();
    QCOMPARE(QApplication::focusWidget(), complaint);
    QCOMPARE(registered.count(), 0);
    complaint->setPlainText(u"cough for three days"_s);
    form.submit();
    QCOMPARE(registered.count(), 1);
    QCOMPARE(QApplication::focusWidget(), name); // the next patient, whose department is chosen anew
    QCOMPARE(department->currentIndex(), 0);
    QVERIFY(name->text().isEmpty() && birthDate->text().isEmpty() && complaint->toPlainText().isEmpty());
}

QTEST_MAIN(TestRegistrationForm)
#include "TestRegistrationForm.moc"
