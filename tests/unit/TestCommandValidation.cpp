// Validation of commands before any transition: the shape of what a user typed (required fields, lengths, ids,
// ticket) and what the catalogue and the day allow (department, doctor, examination code, birth date).
// Each case is a valid command with one thing wrong, sent to its own context in a state that would accept it.
#include "domain/RegistrationFields.h"
#include "support/DomainFixtures.h"

#include <QTest>

using namespace clinicflow::domain;
using namespace clinicflow::domain::fixtures;
using namespace Qt::StringLiterals;

namespace {

QString longText(qsizetype n)
{
    return QString(n, u'x');
}

// Runs the command in its owning context, against a state in which a valid command of its kind is allowed.
ErrorCode outcomeOf(const Command &command, const Catalogue &catalogue = Catalogue::builtIn())
{
    switch (commandContext(command)) {
    case BoundedContext::Reception: {
        const bool registering = std::holds_alternative<RegisterVisit>(command);
        const auto state = registering ? std::nullopt
                           : std::holds_alternative<CancelVisit>(command)
                               ? receptionIn(ReceptionStatus::InTreatment)
                               : receptionIn(ReceptionStatus::TreatmentCompleted);
        return reception::execute(state, command, deskMeta(), catalogue).code();
    }
    case BoundedContext::Diagnosis: {
        const bool reviewing = std::holds_alternative<ReviewResults>(command);
        const auto state = diagnosisIn(reviewing ? DiagnosisStatus::ResultsReady : DiagnosisStatus::ExamsPending);
        const auto completeFrom = diagnosisIn(DiagnosisStatus::Reviewed);
        return diagnosis::execute(std::holds_alternative<CompleteTreatment>(command) ? completeFrom : state, command,
                                  doctorMeta(), catalogue)
            .code();
    }
    case BoundedContext::Examination:
        return examination::execute(examinationIn(ExamState::Requested), command, examinerMeta(), catalogue).code();
    }
    return ErrorCode::InternalError;
}

template<typename Edit>
RegisterVisit registration(Edit edit)
{
    RegisterVisit c = validRegistration();
    edit(c);
    return c;
}

} // namespace

class TestCommandValidation : public QObject
{
    Q_OBJECT

private slots:
    void validation_data();
    void validation();
    void registrationFieldsAgreeWithExecute();
    void everyBadFieldIsNamed();

    void futureBirthDateIsRelativeToTheCommand();
    void departmentWithoutDoctors();
    void shapeNeedsNoState();
    void commandTraits_data();
    void commandTraits();
};

void TestCommandValidation::validation_data()
{
    QTest::addColumn<Command>("command");
    QTest::addColumn<ErrorCode>("error");
    using E = ErrorCode;
    const QUuid dx = diagnosisId();
    const QUuid x = examId(1);
    auto row = [](const char *name, const Command &command, ErrorCode error) {
        QTest::newRow(name) << command << error;
    };

    // The reference point: every base command is accepted.
    for (CommandKind kind : allCommandKinds())
        QTest::addRow("valid %s", kindName(kind).constData()) << commandOf(kind) << E::None;

    // RegisterVisit
    row("null reception id", registration([](RegisterVisit &c) { c.receptionId = {}; }), E::MissingId);
    row("invalid ticket station", registration([](RegisterVisit &c) { c.ticket.station = u"a"_s; }), E::InvalidTicket);
    row("ticket number 0", registration([](RegisterVisit &c) { c.ticket.number = 0; }), E::InvalidTicket);
    row("ticket number 10000", registration([](RegisterVisit &c) { c.ticket.number = 10000; }), E::InvalidTicket);
    row("empty patient name", registration([](RegisterVisit &c) { c.patient.name.clear(); }), E::PatientNameRequired);
    row("blank patient name", registration([](RegisterVisit &c) { c.patient.name = u"   "_s; }),
        E::PatientNameRequired);
    row("name of 100", registration([](RegisterVisit &c) { c.patient.name = longText(kMaxNameLength); }), E::None);
    row("name of 101", registration([](RegisterVisit &c) { c.patient.name = longText(kMaxNameLength + 1); }),
        E::FieldTooLong);
    row("patient number of 201",
        registration([](RegisterVisit &c) { c.patient.patientNumber = longText(kMaxShortTextLength + 1); }),
        E::FieldTooLong);
    row("phone of 200", registration([](RegisterVisit &c) { c.patient.phone = longText(kMaxShortTextLength); }),
        E::None);
    row("phone of 201", registration([](RegisterVisit &c) { c.patient.phone = longText(kMaxShortTextLength + 1); }),
        E::FieldTooLong);
    row("address of 4001", registration([](RegisterVisit &c) { c.patient.address = longText(kMaxLongTextLength + 1); }),
        E::FieldTooLong);
    // An unconscious patient: no known birth date, perhaps an estimated age; never both.
    row("no birth date", registration([](RegisterVisit &c) { c.patient.birthDate = {}; }), E::None);
    row("no birth date, estimated age 40", registration([](RegisterVisit &c) {
            c.patient.birthDate = {};
            c.patient.estimatedAgeYears = 40;
        }),
        E::None);
    row("no birth date, estimated age 0", registration([](RegisterVisit &c) {
            c.patient.birthDate = {};
            c.patient.estimatedAgeYears = 0;
        }),
        E::None);
    row("estimated age 151", registration([](RegisterVisit &c) {
            c.patient.birthDate = {};
            c.patient.estimatedAgeYears = kMaxEstimatedAge + 1;
        }),
        E::InvalidBirthDate);
    row("birth date and estimated age", registration([](RegisterVisit &c) { c.patient.estimatedAgeYears = 40; }),
        E::InvalidBirthDate);
    row("birth date 1879", registration([](RegisterVisit &c) { c.patient.birthDate = QDate(1879, 12, 31); }),
        E::InvalidBirthDate);
    // Tomorrow in UTC is already today east of UTC (a baby born at 01:00 in Seoul); the day after is not.
    row("birth date the next UTC day",
        registration([](RegisterVisit &c) { c.patient.birthDate = deskMeta().at.date().addDays(1); }), E::None);
    row("birth date in two days",
        registration([](RegisterVisit &c) { c.patient.birthDate = deskMeta().at.date().addDays(2); }),
        E::InvalidBirthDate);
    row("born today", registration([](RegisterVisit &c) { c.patient.birthDate = deskMeta().at.date(); }), E::None);
    row("empty department", registration([](RegisterVisit &c) { c.department.clear(); }), E::UnknownDepartment);
    row("unknown department", registration([](RegisterVisit &c) { c.department = u"XX"_s; }), E::UnknownDepartment);
    row("department of 201", registration([](RegisterVisit &c) { c.department = longText(kMaxShortTextLength + 1); }),
        E::FieldTooLong);
    row("unknown doctor", registration([](RegisterVisit &c) { c.requestedDoctor = u"dr.nobody"_s; }), E::UnknownDoctor);
    row("doctor of another department", registration([](RegisterVisit &c) { c.requestedDoctor = u"dr.park"_s; }),
        E::DoctorNotInDepartment);
    row("doctor of the department", registration([](RegisterVisit &c) { c.requestedDoctor = u"dr.lee"_s; }), E::None);
    row("requested doctor of 201",
        registration([](RegisterVisit &c) { c.requestedDoctor = longText(kMaxShortTextLength + 1); }), E::FieldTooLong);
    row("no chief complaint", registration([](RegisterVisit &c) { c.chiefComplaint = u" "_s; }),
        E::ChiefComplaintRequired);
    row("complaint of 4000", registration([](RegisterVisit &c) { c.chiefComplaint = longText(kMaxLongTextLength); }),
        E::None);
    row("complaint of 4001",
        registration([](RegisterVisit &c) { c.chiefComplaint = longText(kMaxLongTextLength + 1); }), E::FieldTooLong);

    // Desk
    row("cancel: null id", CancelVisit{{}, u"left"_s}, E::MissingId);
    row("cancel: reason of 201", CancelVisit{receptionId(), longText(kMaxShortTextLength + 1)}, E::FieldTooLong);
    row("confirm: null id", ConfirmOutcome{}, E::MissingId);

    // Doctor
    row("prescribe: null diagnosis id", PrescribeExamination{{}, examId(5), u"CT"_s, {}}, E::MissingId);
    row("prescribe: null examination id", PrescribeExamination{dx, {}, u"CT"_s, {}}, E::MissingId);
    row("prescribe: no code", PrescribeExamination{dx, examId(5), {}, {}}, E::UnknownExaminationCode);
    row("prescribe: unknown code", PrescribeExamination{dx, examId(5), u"PET"_s, {}}, E::UnknownExaminationCode);
    row("prescribe: lower-case code", PrescribeExamination{dx, examId(5), u"ct"_s, {}}, E::UnknownExaminationCode);
    row("prescribe: code of 201", PrescribeExamination{dx, examId(5), longText(kMaxShortTextLength + 1), {}},
        E::FieldTooLong);
    row("prescribe: note of 4001", PrescribeExamination{dx, examId(5), u"CT"_s, longText(kMaxLongTextLength + 1)},
        E::FieldTooLong);
    // Exam 1 is already prescribed in the exams_pending fixture, whatever the code this time.
    row("prescribe: same examination id", PrescribeExamination{dx, examId(1), u"CT"_s, {}},
        E::ExaminationAlreadyPrescribed);
    row("review: null id", ReviewResults{{}, {}}, E::MissingId);
    row("review: note of 4001", ReviewResults{dx, longText(kMaxLongTextLength + 1)}, E::FieldTooLong);
    row("complete: null id", CompleteTreatment{{}, {}}, E::MissingId);
    row("complete: note of 4001", CompleteTreatment{dx, longText(kMaxLongTextLength + 1)}, E::FieldTooLong);
    row("refuse: null id", RefuseTreatment{{}, {}}, E::MissingId);
    row("refuse: note of 4001", RefuseTreatment{dx, longText(kMaxLongTextLength + 1)}, E::FieldTooLong);

    // Examiner
    row("perform: null id", PerformExamination{{}, u"ok"_s}, E::MissingId);
    row("perform: no result", PerformExamination{x, {}}, E::ResultRequired);
    row("perform: blank result", PerformExamination{x, u"\n\t "_s}, E::ResultRequired);
    row("perform: result of 4000", PerformExamination{x, longText(kMaxLongTextLength)}, E::None);
    row("perform: result of 4001", PerformExamination{x, longText(kMaxLongTextLength + 1)}, E::FieldTooLong);
    row("cancel exam: null id", CancelExamination{{}, u"broken"_s}, E::MissingId);
    row("cancel exam: no reason", CancelExamination{x, {}}, E::ReasonRequired);
    row("cancel exam: blank reason", CancelExamination{x, u"  "_s}, E::ReasonRequired);
    row("cancel exam: reason of 201", CancelExamination{x, longText(kMaxShortTextLength + 1)}, E::FieldTooLong);

    // Characters (TextRules.h): a name is one line of visible text; free text may break lines and hold tabs.
    const auto name = [&](const char *what, const QString &text, ErrorCode error) {
        QTest::addRow("name with %s", what)
            << Command(registration([&](RegisterVisit &c) { c.patient.name = text; })) << error;
    };
    name("a line feed", u"Kim\nMinjun"_s, E::InvalidCharacters);
    name("a carriage return", u"Kim\rMinjun"_s, E::InvalidCharacters);
    name("a tab", u"Kim\tMinjun"_s, E::InvalidCharacters);
    name("NUL", QString(u"Kim\0Minjun"_s), E::InvalidCharacters);
    name("ESC", u"Kim\u001B[2JMinjun"_s, E::InvalidCharacters);
    name("DEL", u"Kim\u007FMinjun"_s, E::InvalidCharacters);
    name("a C1 control", u"Kim\u0085Minjun"_s, E::InvalidCharacters);
    name("a right-to-left override", u"Kim\u202EnujniM"_s, E::InvalidCharacters);
    name("a bidi isolate", u"Kim\u2067Minjun"_s, E::InvalidCharacters);
    name("a zero-width space", u"Kim\u200BMinjun"_s, E::InvalidCharacters);
    name("a byte-order mark", u"\uFEFFKim"_s, E::InvalidCharacters);
    name("a line separator", u"Kim\u2028Minjun"_s, E::InvalidCharacters);
    name("a lone surrogate", u"Kim"_s + QChar(0xD800), E::InvalidCharacters);
    name("an invisible tag character (a surrogate pair)", u"Kim\U000E0041"_s, E::InvalidCharacters);
    name("Hangul", u"김민준"_s, E::None);
    name("accents and an apostrophe", u"Zoë O'Brien-Müller"_s, E::None);
    name("a zero-width non-joiner", u"\u0645\u06CC\u200C\u062E\u0648\u0627\u0647\u0645"_s, E::None);
    name("an emoji", u"Kim \U0001F600"_s, E::None);
    row("patient number with a tab", registration([](RegisterVisit &c) { c.patient.patientNumber = u"P\t1"_s; }),
        E::InvalidCharacters);
    row("phone with a line feed", registration([](RegisterVisit &c) { c.patient.phone = u"010\n1234"_s; }),
        E::InvalidCharacters);
    row("department with a bidi override", registration([](RegisterVisit &c) { c.department = u"\u202EIM"_s; }),
        E::InvalidCharacters);
    row("requested doctor with a NUL", registration([](RegisterVisit &c) { c.requestedDoctor = u"dr.kim\u0001"_s; }),
        E::InvalidCharacters);
    row("address on two lines", registration([](RegisterVisit &c) { c.patient.address = u"1 Main St\nSeoul"_s; }),
        E::None);
    row("address with a carriage return",
        registration([](RegisterVisit &c) { c.patient.address = u"1 Main St\r\nSeoul"_s; }), E::InvalidCharacters);
    row("complaint with lines and tabs", registration([](RegisterVisit &c) { c.chiefComplaint = u"cough\n\tfever"_s; }),
        E::None);
    row("complaint with an escape sequence",
        registration([](RegisterVisit &c) { c.chiefComplaint = u"cough\u001B[31m"_s; }), E::InvalidCharacters);
    row("complaint with a bidi override", registration([](RegisterVisit &c) { c.chiefComplaint = u"a\u202Eb"_s; }),
        E::InvalidCharacters);
    row("cancel: reason with a bell", CancelVisit{receptionId(), u"left\a"_s}, E::InvalidCharacters);
    row("prescribe: code with a line feed", PrescribeExamination{dx, examId(5), u"CT\n"_s, {}}, E::InvalidCharacters);
    row("prescribe: note on two lines", PrescribeExamination{dx, examId(5), u"CT"_s, u"fast\n8 h"_s}, E::None);
    row("review: note with a NUL", ReviewResults{dx, QString(u"ok\0"_s)}, E::InvalidCharacters);
    row("complete: note with an override", CompleteTreatment{dx, u"\u202Edone"_s}, E::InvalidCharacters);
    row("refuse: note with a form feed", RefuseTreatment{dx, u"no\f"_s}, E::InvalidCharacters);
    row("perform: result on lines with tabs", PerformExamination{x, u"Hb\t13.5\nWBC\t6.1"_s}, E::None);
    row("perform: result with an escape", PerformExamination{x, u"Hb\u001B13.5"_s}, E::InvalidCharacters);
    row("cancel exam: reason with a carriage return", CancelExamination{x, u"broken\r"_s}, E::InvalidCharacters);
}

void TestCommandValidation::validation()
{
    QFETCH(Command, command);
    QFETCH(ErrorCode, error);
    QCOMPARE(outcomeOf(command), error);
}

// The desk's form shows checkRegistrationFields(); the server refuses with reception::execute(). Over every
// registration row of the table above, they agree: no field error exactly when execute accepts, and execute's code
// is the first field error's.
void TestCommandValidation::registrationFieldsAgreeWithExecute()
{
    int registrations = 0;
    const QDate today = deskMeta().at.date();
    const QList<std::function<void(RegisterVisit &)>> edits{
        [](RegisterVisit &) {},
        [](RegisterVisit &c) { c.patient.name.clear(); },
        [](RegisterVisit &c) { c.patient.name = longText(kMaxNameLength + 1); },
        [](RegisterVisit &c) { c.patient.phone = longText(kMaxShortTextLength + 1); },
        [today](RegisterVisit &c) { c.patient.birthDate = today.addDays(2); },
        [](RegisterVisit &c) { c.patient.birthDate = QDate(1879, 1, 1); },
        [](RegisterVisit &c) { c.patient.estimatedAgeYears = 40; },
        [](RegisterVisit &c) { c.department = u"XX"_s; },
        [](RegisterVisit &c) { c.requestedDoctor = u"dr.park"_s; },
        [](RegisterVisit &c) { c.requestedDoctor = u"dr.nobody"_s; },
        [](RegisterVisit &c) { c.chiefComplaint = u" "_s; },
        [](RegisterVisit &c) {
            c.patient.name.clear();
            c.department = u"XX"_s;
        },
        [today](RegisterVisit &c) {
            c.patient.birthDate = today.addDays(3);
            c.chiefComplaint.clear();
        },
    };
    for (const auto &edit : edits) {
        const RegisterVisit c = registration(edit);
        const QList<FieldError> fields = checkRegistrationFields(c, Catalogue::builtIn(), today);
        const ErrorCode executed = outcomeOf(c);
        QCOMPARE(fields.isEmpty() ? ErrorCode::None : fields.front().error.code, executed);
        ++registrations;
    }
    QCOMPARE(registrations, int(edits.size()));
}

void TestCommandValidation::everyBadFieldIsNamed()
{
    using F = RegistrationField;
    RegisterVisit c = validRegistration();
    c.patient.name.clear();
    c.patient.phone = longText(kMaxShortTextLength + 1);
    c.patient.birthDate = deskMeta().at.date().addDays(2);
    c.department = u"IM"_s;
    c.requestedDoctor = u"dr.park"_s; // surgery's
    c.chiefComplaint.clear();
    const QList<FieldError> errors = checkRegistrationFields(c, Catalogue::builtIn(), deskMeta().at.date());
    QList<F> fields;
    for (const FieldError &e : errors)
        fields.append(e.field);
    QCOMPARE(fields, (QList<F>{F::PatientName, F::Phone, F::ChiefComplaint, F::BirthDate, F::Doctor}));
    QCOMPARE(errors.at(0).error.code, ErrorCode::PatientNameRequired);
    QCOMPARE(errors.at(1).error.code, ErrorCode::FieldTooLong);
    QCOMPARE(errors.at(3).error.code, ErrorCode::InvalidBirthDate);
    QCOMPARE(errors.at(4).error.code, ErrorCode::DoctorNotInDepartment);
    // A birth date in the detail would be personal data.
    for (const FieldError &e : errors)
        QVERIFY(!e.error.detail.contains(c.patient.birthDate.toString(Qt::ISODate)));
}

void TestCommandValidation::futureBirthDateIsRelativeToTheCommand()
{
    // "Future" is judged against the command's own time, so client and server agree whenever they check it.
    RegisterVisit c = validRegistration();
    c.patient.birthDate = QDate(2030, 1, 1);
    CommandMeta meta = deskMeta();
    QCOMPARE(reception::execute(std::nullopt, c, meta, Catalogue::builtIn()).code(), ErrorCode::InvalidBirthDate);
    meta.at = QDateTime(QDate(2030, 1, 1), QTime(8, 0), Qt::UTC);
    QCOMPARE(reception::execute(std::nullopt, c, meta, Catalogue::builtIn()).code(), ErrorCode::None);
}

void TestCommandValidation::departmentWithoutDoctors()
{
    const Catalogue catalogue({{u"IM"_s, u"Internal medicine"_s}, {u"RAD"_s, u"Radiology"_s}},
                              {{u"dr.kim"_s, u"Kim"_s, u"IM"_s}}, {{u"BLOOD"_s, u"Blood test"_s}});
    QCOMPARE(outcomeOf(registration([](RegisterVisit &c) { c.department = u"RAD"_s; }), catalogue),
             ErrorCode::NoDoctorAvailable);
    QCOMPARE(outcomeOf(validRegistration(), catalogue), ErrorCode::None);
}

void TestCommandValidation::shapeNeedsNoState()
{
    // The stateless check a gateway or a screen can run before anything else.
    QCOMPARE(validateShape(validRegistration()).code(), ErrorCode::None);
    QCOMPARE(validateShape(PerformExamination{examId(1), {}}).code(), ErrorCode::ResultRequired);
    QCOMPARE(validateShape(CancelExamination{examId(1), {}}).code(), ErrorCode::ReasonRequired);
    QCOMPARE(validateShape(ConfirmOutcome{}).code(), ErrorCode::MissingId);
    // A shape error wins over a missing target: the command is wrong whatever the state.
    QCOMPARE(examination::execute(std::nullopt, PerformExamination{examId(1), {}}, examinerMeta(), Catalogue::builtIn())
                 .code(),
             ErrorCode::ResultRequired);
    // Over-long fields say which field, never its content.
    const auto tooLong = validateShape(registration([](RegisterVisit &c) { c.patient.name = longText(500); }));
    QCOMPARE(tooLong.code(), ErrorCode::FieldTooLong);
    QVERIFY(tooLong.error().detail.contains(u"patient name"_s));
    QVERIFY(!tooLong.error().detail.contains(longText(50)));
}

void TestCommandValidation::commandTraits_data()
{
    QTest::addColumn<CommandKind>("kind");
    QTest::addColumn<QString>("name");
    QTest::addColumn<Role>("role");
    QTest::addColumn<BoundedContext>("context");
    QTest::addColumn<QUuid>("target");
    using K = CommandKind;
    using R = Role;
    using C = BoundedContext;
    // ARCHITECTURE §1 (who does what) and §3 (which context owns it).
    QTest::newRow("RegisterVisit") << K::RegisterVisit << u"RegisterVisit"_s << R::Receptionist << C::Reception
                                   << receptionId();
    QTest::newRow("CancelVisit") << K::CancelVisit << u"CancelVisit"_s << R::Receptionist << C::Reception
                                 << receptionId();
    QTest::newRow("ConfirmOutcome") << K::ConfirmOutcome << u"ConfirmOutcome"_s << R::Receptionist << C::Reception
                                    << receptionId();
    QTest::newRow("PrescribeExamination")
        << K::PrescribeExamination << u"PrescribeExamination"_s << R::Doctor << C::Diagnosis << diagnosisId();
    QTest::newRow("ReviewResults") << K::ReviewResults << u"ReviewResults"_s << R::Doctor << C::Diagnosis
                                   << diagnosisId();
    QTest::newRow("CompleteTreatment") << K::CompleteTreatment << u"CompleteTreatment"_s << R::Doctor << C::Diagnosis
                                       << diagnosisId();
    QTest::newRow("RefuseTreatment") << K::RefuseTreatment << u"RefuseTreatment"_s << R::Doctor << C::Diagnosis
                                     << diagnosisId();
    QTest::newRow("PerformExamination") << K::PerformExamination << u"PerformExamination"_s << R::Examiner
                                        << C::Examination << examId(1);
    QTest::newRow("CancelExamination") << K::CancelExamination << u"CancelExamination"_s << R::Examiner
                                       << C::Examination << examId(1);
}

void TestCommandValidation::commandTraits()
{
    QFETCH(CommandKind, kind);
    QFETCH(QString, name);
    QFETCH(Role, role);
    QFETCH(BoundedContext, context);
    QFETCH(QUuid, target);
    const Command command = commandOf(kind);
    QCOMPARE(commandName(command), name);
    QCOMPARE_NAMED(commandRole(command), role);
    QCOMPARE_NAMED(commandContext(command), context);
    QCOMPARE(commandTarget(command), target);
}

QTEST_GUILESS_MAIN(TestCommandValidation)
#include "TestCommandValidation.moc"
