// clinicflow: the desktop workstation for one role (front desk, doctor, examiner or status board).
#include "Application.h"
#include "common/Config.h"

#include <QApplication>
#include <QLoggingCategory>
#include <sys/stat.h>

int main(int argc, char *argv[])
{
    // What the app keeps (the store with patients' data, the enrolment with the station's secret key, the settings)
    // is the user's alone.
    ::umask(S_IRWXG | S_IRWXO);
    QApplication app(argc, argv);
    // The stations' debug lines are for developers (QT_LOGGING_RULES turns them back on).
    QLoggingCategory::setFilterRules(QStringLiteral("clinicflow.*.debug=false"));
    QApplication::setOrganizationName(QStringLiteral("ClinicFlow"));
    QApplication::setApplicationName(QStringLiteral("clinicflow"));
    QApplication::setApplicationDisplayName(QStringLiteral("ClinicFlow"));
    QApplication::setApplicationVersion(clinicflow::common::clinicflowVersion());
    clinicflow::client::Application application(app);
    return application.run();
}
