// The registration form (see RegistrationForm.h).
#include "RegistrationForm.h"

#include "ReceptionController.h"
#include "models/ModelText.h"
#include "screens/common/ErrorText.h"
#include "ui_RegistrationForm.h"

#include <QDate>
#include <QEvent>
#include <QShortcut>
#include <algorithm>

namespace clinicflow::client {

using namespace domain;

struct FieldErrorView
{
    RegistrationField field;
    QString text;
};

RegistrationForm::RegistrationForm(ReceptionController &controller, QWidget *parent)
    : QWidget(parent)
    , m_ui(std::make_unique<Ui::RegistrationForm>())
    , m_controller(controller)
{
    m_ui->setupUi(this);
    m_ui->registerButton->setIcon(QIcon(QStringLiteral(":/icons/register.svg")));
    m_ui->registerButton->setIconSize(QSize(20, 20));
    QFont big = m_ui->registerButton->font();
    big.setBold(true);
    m_ui->registerButton->setFont(big);
    for (auto *shortcut : {new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this),
                           new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Enter), this)}) {
        shortcut->setContext(Qt::WidgetWithChildrenShortcut);
        connect(shortcut, &QShortcut::activated, this, &RegistrationForm::submit);
    }
    connect(m_ui->registerButton, &QPushButton::clicked, this, &RegistrationForm::submit);
    connect(m_ui->clearButton, &QPushButton::clicked, this, [this] {
        clear();
        focusFirst();
    });
    connect(m_ui->department, &QComboBox::currentIndexChanged, this, &RegistrationForm::fillDoctors);
    connect(m_ui->birthUnknown, &QCheckBox::toggled, this, [this](bool unknown) {
        m_ui->birthDate->setEnabled(!unknown);
        m_ui->estimatedAge->setEnabled(unknown);
        m_ui->estimatedAgeLabel->setEnabled(unknown);
        m_ui->estimatedAge->setValue(-1); // neither the age of a date nor an estimate for one
        m_ui->estimatedAgeLabel->setText(ageLabel());
        if (unknown)
            m_ui->birthDate->clear();
    });
    // The age of the date typed, shown greyed where an estimate would go: the desk reads back "68" and sees at once
    // a date typed wrong (1985 for 1958) before the doctor does.
    connect(m_ui->birthDate, &QLineEdit::textChanged, this, [this](const QString &text) {
        if (m_ui->birthUnknown->isChecked())
            return;
        const int years = ModelText::yearsOld(ReceptionController::parseBirthDate(text), QDate::currentDate());
        m_ui->estimatedAge->setValue(std::min(years, m_ui->estimatedAge->maximum()));
    });
    m_ui->estimatedAge->setEnabled(false);
    m_ui->estimatedAgeLabel->setEnabled(false);
    retranslate();
    clearErrors();
    refreshLists();
}

RegistrationForm::~RegistrationForm() = default;

void RegistrationForm::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange) {
        m_ui->retranslateUi(this);
        retranslate();
    }
    QWidget::changeEvent(event);
}

void RegistrationForm::retranslate()
{
    const int sex = m_ui->sex->currentIndex();
    m_ui->sex->clear();
    m_ui->sex->addItem(tr("Not recorded"), int(Sex::Unknown));
    m_ui->sex->addItem(tr("Female"), int(Sex::Female));
    m_ui->sex->addItem(tr("Male"), int(Sex::Male));
    m_ui->sex->addItem(tr("Other"), int(Sex::Other));
    m_ui->sex->setCurrentIndex(std::max(0, sex));
    m_ui->estimatedAgeLabel->setText(ageLabel());
    refreshLists();
}

// The age of a date typed is exact; only one for an unknown birth date is an estimate.
QString RegistrationForm::ageLabel() const
{
    return m_ui->birthUnknown->isChecked() ? tr("Age about") : tr("Age");
}

void RegistrationForm::refreshLists()
{
    const QString current = m_ui->department->currentData().toString();
    {
        const QSignalBlocker block(m_ui->department);
        m_ui->department->clear();
        m_ui->department->addItem(tr("Choose a department"), QString());
        for (const Department &d : m_controller.departments())
            m_ui->department->addItem(d.name, d.code);
        m_ui->department->setCurrentIndex(std::max(0, m_ui->department->findData(current)));
    }
    fillDoctors();
    m_ui->nextTicket->setText(tr("Next ticket: %1").arg(m_controller.nextTicket().toString()));
}

void RegistrationForm::fillDoctors()
{
    const QString current = m_ui->doctor->currentData().toString();
    m_ui->doctor->clear();
    m_ui->doctor->addItem(tr("Any doctor (the least busy)"), QString());
    for (const Doctor &d : m_controller.doctorsOf(m_ui->department->currentData().toString()))
        m_ui->doctor->addItem(d.name, d.id);
    m_ui->doctor->setCurrentIndex(std::max(0, m_ui->doctor->findData(current)));
}

RegistrationInput RegistrationForm::input() const
{
    RegistrationInput in;
    in.patientNumber = m_ui->patientNumber->text();
    in.name = m_ui->name->text();
    in.birthDate = m_ui->birthDate->text();
    in.birthUnknown = m_ui->birthUnknown->isChecked();
    if (in.birthUnknown && m_ui->estimatedAge->value() >= 0)
        in.estimatedAge = m_ui->estimatedAge->value();
    in.sex = Sex(m_ui->sex->currentData().toInt());
    in.phone = m_ui->phone->text();
    in.address = m_ui->address->text();
    in.department = m_ui->department->currentData().toString();
    in.doctor = m_ui->doctor->currentData().toString();
    in.complaint = m_ui->complaint->toPlainText();
    in.priority = m_ui->urgentPriority->isChecked() ? Priority::Urgent : Priority::Normal;
    return in;
}

QLabel *RegistrationForm::errorLabel(int field) const
{
    switch (RegistrationField(field)) {
    case RegistrationField::PatientName:
        return m_ui->nameError;
    case RegistrationField::BirthDate:
        return m_ui->birthError;
    case RegistrationField::Phone:
        return m_ui->phoneError;
    case RegistrationField::Address:
        return m_ui->addressError;
    case RegistrationField::PatientNumber:
        return m_ui->patientNumberError;
    case RegistrationField::Department:
        return m_ui->departmentError;
    case RegistrationField::Doctor:
        return m_ui->doctorError;
    case RegistrationField::ChiefComplaint:
        return m_ui->complaintError;
    case RegistrationField::Ticket:
        break;
    }
    return m_ui->nameError; // the ticket is the station's: said at the top of the form
}

void RegistrationForm::clearErrors()
{
    for (QLabel *label : {m_ui->nameError, m_ui->birthError, m_ui->phoneError, m_ui->addressError,
                          m_ui->patientNumberError, m_ui->departmentError, m_ui->doctorError, m_ui->complaintError}) {
        label->clear();
        label->hide();
    }
}

void RegistrationForm::showErrors(const QList<FieldErrorView> &errors)
{
    clearErrors();
    for (const FieldErrorView &e : errors) {
        QLabel *label = errorLabel(int(e.field));
        label->setText(e.text);
        label->show();
    }
}

void RegistrationForm::submit()
{
    const RegistrationInput in = input();
    const QList<FieldError> errors = m_controller.check(in);
    if (!errors.isEmpty()) {
        QList<FieldErrorView> views;
        for (const FieldError &e : errors)
            views.append({e.field, ErrorText::forField(e)});
        showErrors(views);
        // The keyboard goes to the first field to fix, in the form's order: the rules list their errors in theirs.
        using F = RegistrationField;
        constexpr F kFormOrder[] = {F::PatientName,   F::BirthDate,  F::Phone,  F::Address,
                                    F::PatientNumber, F::Department, F::Doctor, F::ChiefComplaint};
        const auto failed = [&errors](F field) {
            return std::any_of(errors.cbegin(), errors.cend(),
                               [field](const FieldError &e) { return e.field == field; });
        };
        const auto firstToFix = std::find_if(std::cbegin(kFormOrder), std::cend(kFormOrder), failed);
        QWidget *first = nullptr;
        switch (firstToFix == std::cend(kFormOrder) ? F::PatientName : *firstToFix) {
        case F::BirthDate:
            first = m_ui->birthUnknown->isChecked() ? static_cast<QWidget *>(m_ui->estimatedAge) : m_ui->birthDate;
            break;
        case F::Phone:
            first = m_ui->phone;
            break;
        case F::Address:
            first = m_ui->address;
            break;
        case F::PatientNumber:
            first = m_ui->patientNumber;
            break;
        case F::Department:
            first = m_ui->department;
            break;
        case F::Doctor:
            first = m_ui->doctor;
            break;
        case F::ChiefComplaint:
            first = m_ui->complaint;
            break;
        default:
            first = m_ui->name;
        }
        first->setFocus();
        return;
    }
    auto visit = m_controller.registerVisit(in);
    if (!visit) {
        showErrors({{RegistrationField::PatientName, ErrorText::sentence(visit.error())}});
        return;
    }
    clearErrors();
    clear();
    focusFirst();
    Q_EMIT registered(visit.value());
}

void RegistrationForm::clear()
{
    for (QLineEdit *edit : {m_ui->patientNumber, m_ui->name, m_ui->birthDate, m_ui->phone, m_ui->address})
        edit->clear();
    m_ui->complaint->clear();
    m_ui->birthUnknown->setChecked(false);
    m_ui->estimatedAge->setValue(-1);
    m_ui->sex->setCurrentIndex(0);
    // The desk chooses each patient's department anew, never left over from the one before (a valid but wrong
    // department is a misfiled visit that no rule can catch); the doctors' list follows it back to "any doctor".
    m_ui->department->setCurrentIndex(0);
    m_ui->doctor->setCurrentIndex(0);
    m_ui->normalPriority->setChecked(true);
    clearErrors();
    m_ui->nextTicket->setText(tr("Next ticket: %1").arg(m_controller.nextTicket().toString()));
}

void RegistrationForm::focusFirst()
{
    m_ui->name->setFocus();
}

} // namespace clinicflow::client
