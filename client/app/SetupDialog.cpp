// The station's setup (see SetupDialog.h).
#include "SetupDialog.h"

#include "domain/Ids.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

using namespace domain;

namespace {
QLabel *errorLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setStyleSheet(u"color: #DC2626;"_s);
    label->setWordWrap(true);
    label->hide();
    return label;
}
} // namespace

SetupDialog::SetupDialog(const StationOptions &options, const Catalogue &roster, QWidget *parent)
    : QDialog(parent)
    , m_options(options)
    , m_enrolment(new QLabel(this))
    , m_enrolmentError(errorLabel(this))
    , m_server(new QLineEdit(options.server, this))
    , m_serverError(errorLabel(this))
    , m_station(new QLineEdit(options.station, this))
    , m_role(new QComboBox(this))
    , m_doctorLabel(new QLabel(tr("&Doctor"), this))
    , m_doctor(new QComboBox(this))
    , m_language(new QComboBox(this))
{
    setObjectName(u"setupDialog"_s);
    setWindowTitle(tr("Set up this workstation"));
    m_server->setObjectName(u"setupServer"_s);
    m_server->setPlaceholderText(u"tcp://clinic-server:7470"_s);
    m_station->setObjectName(u"setupStation"_s);
    m_station->setPlaceholderText(tr("e.g. A"));
    m_station->setMaxLength(4);
    m_role->setObjectName(u"setupRole"_s);
    m_doctor->setObjectName(u"setupDoctor"_s);
    m_language->setObjectName(u"setupLanguage"_s);
    m_role->addItem(tr("Front desk (receptionist)"), toString(Role::Receptionist));
    m_role->addItem(tr("Consultation room (doctor)"), toString(Role::Doctor));
    m_role->addItem(tr("Examination room (examiner)"), toString(Role::Examiner));
    m_role->addItem(tr("Status board"), toString(Role::Board));
    m_role->setCurrentIndex(std::max(0, m_role->findData(toString(options.role))));
    for (const Doctor &d : roster.doctors()) {
        const Department *department = roster.department(d.department);
        m_doctor->addItem(tr("%1 (%2)").arg(d.name, department ? department->name : d.department), d.id);
    }
    m_doctor->setCurrentIndex(std::max(0, m_doctor->findData(options.doctor)));
    m_language->addItem(tr("As the system"), QString());
    m_language->addItem(u"한국어"_s, u"ko"_s);
    m_language->addItem(u"English"_s, u"en"_s);
    m_language->setCurrentIndex(std::max(0, m_language->findData(options.language)));

    auto *intro = new QLabel(tr("Ask the clinic's IT staff for this station's enrolment file. It says which station "
                                "this is and where its server is, and holds the key that lets it in."),
                             this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
    auto *import = new QPushButton(tr("&Import enrolment file…"), this);
    import->setObjectName(u"setupImport"_s);
    connect(import, &QPushButton::clicked, this, &SetupDialog::chooseEnrolment);
    m_enrolment->setObjectName(u"setupEnrolment"_s);
    m_enrolment->setWordWrap(true);
    form->addRow(tr("Enrolment"), import);
    form->addRow(QString(), m_enrolment);
    form->addRow(QString(), m_enrolmentError);
    // The station, its role and its doctor are the enrolment's: shown, not chosen.
    for (QWidget *w : std::initializer_list<QWidget *>{m_station, m_role, m_doctor})
        w->setEnabled(false);
    auto *serverLabel = new QLabel(tr("&Server"), this);
    serverLabel->setBuddy(m_server);
    auto *stationLabel = new QLabel(tr("S&tation code"), this);
    stationLabel->setBuddy(m_station);
    auto *roleLabel = new QLabel(tr("&Role"), this);
    roleLabel->setBuddy(m_role);
    m_doctorLabel->setBuddy(m_doctor);
    auto *languageLabel = new QLabel(tr("&Language"), this);
    languageLabel->setBuddy(m_language);
    form->addRow(serverLabel, m_server);
    form->addRow(QString(), m_serverError);
    form->addRow(stationLabel, m_station);
    form->addRow(roleLabel, m_role);
    form->addRow(m_doctorLabel, m_doctor);
    form->addRow(languageLabel, m_language);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Start"));
    connect(buttons, &QDialogButtonBox::accepted, this, &SetupDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_role, &QComboBox::currentIndexChanged, this, &SetupDialog::updateDoctorRow);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
    setMinimumWidth(520);
    showEnrolment();
    // Without an enrolment, importing one is the next thing to do.
    if (m_options.enrolment.isEmpty())
        import->setFocus();
}

void SetupDialog::chooseEnrolment()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("This station's enrolment file"), QDir::homePath(),
                                                      tr("Enrolment files (*.json);;All files (*)"));
    if (!path.isEmpty())
        importFrom(path);
}

bool SetupDialog::importFrom(const QString &path)
{
    auto enrolment = security::Enrolment::load(path);
    QString error;
    if (enrolment) {
        StationOptions imported = m_options;
        if (imported.importEnrolment(enrolment.value(), &error)) {
            m_options = imported;
            m_server->setText(m_options.server);
            m_enrolmentError->hide();
            showEnrolment();
            return true;
        }
    } else {
        error = enrolment.error().detail;
    }
    m_enrolmentError->setText(tr("Not imported: %1").arg(error));
    m_enrolmentError->show();
    return false;
}

void SetupDialog::showEnrolment()
{
    m_station->setText(m_options.station);
    m_role->setCurrentIndex(std::max(0, m_role->findData(toString(m_options.role))));
    m_doctor->setCurrentIndex(std::max(0, m_doctor->findData(m_options.doctor)));
    if (m_options.enrolment.isEmpty())
        m_enrolment->setText(tr("None yet: this workstation cannot connect without one."));
    else
        m_enrolment->setText(tr("Station %1, %2").arg(m_options.station, m_role->currentText()));
    updateDoctorRow();
}

void SetupDialog::updateDoctorRow()
{
    const bool doctor = m_role->currentData().toString() == toString(Role::Doctor);
    m_doctorLabel->setVisible(doctor);
    m_doctor->setVisible(doctor);
}

StationOptions SetupDialog::options() const
{
    StationOptions o = m_options;
    o.server = m_server->text().trimmed();
    o.language = m_language->currentData().toString();
    return o;
}

void SetupDialog::accept()
{
    const StationOptions o = options();
    if (o.enrolment.isEmpty()) {
        m_enrolmentError->setText(tr("Import this station's enrolment file first."));
        m_enrolmentError->show();
        return;
    }
    const bool serverOk = StationOptions::isEndpoint(o.server);
    m_serverError->setText(tr("An address like tcp://clinic-server:7470"));
    m_serverError->setVisible(!serverOk);
    if (!serverOk) {
        m_server->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace clinicflow::client
