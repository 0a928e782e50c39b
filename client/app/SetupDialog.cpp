// The station's setup (see SetupDialog.h).
#include "SetupDialog.h"

#include "domain/Ids.h"

#include <QComboBox>
#include <QDialogButtonBox>
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
    , m_server(new QLineEdit(options.server, this))
    , m_serverError(errorLabel(this))
    , m_station(new QLineEdit(options.station, this))
    , m_stationError(errorLabel(this))
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

    auto *intro = new QLabel(tr("Ask the clinic's IT staff for the server's address and this station's code. Each "
                                "station needs its own code: it starts every ticket it prints."),
                             this);
    intro->setWordWrap(true);
    auto *form = new QFormLayout;
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
    form->addRow(QString(), m_stationError);
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
    o.station = m_station->text().trimmed().toUpper();
    o.role = fromString<Role>(m_role->currentData().toString()).value_or(Role::Receptionist);
    o.doctor = o.role == Role::Doctor ? m_doctor->currentData().toString() : QString();
    o.language = m_language->currentData().toString();
    return o;
}

void SetupDialog::accept()
{
    const StationOptions o = options();
    const bool serverOk = StationOptions::isEndpoint(o.server);
    const bool stationOk = isValidStationCode(o.station);
    m_serverError->setText(tr("An address like tcp://clinic-server:7470"));
    m_serverError->setVisible(!serverOk);
    m_stationError->setText(tr("1 to 4 letters or digits, starting with a letter (e.g. A, B2, ER)"));
    m_stationError->setVisible(!stationOk);
    if (!serverOk) {
        m_server->setFocus();
        return;
    }
    if (!stationOk) {
        m_station->setFocus();
        return;
    }
    QDialog::accept();
}

} // namespace clinicflow::client
