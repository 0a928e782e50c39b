// clinicflow-screenshots: each role's window, in Korean and in English, over a realistic morning, saved as PNGs for
// the README (docs/screenshots). It opens real stations against a running server (packaging/screenshots.sh starts
// one and plays the morning first), waits until each has caught up, and grabs its window. The doctor's window is
// grabbed with a patient whose results are ready open, as a doctor spends most of the day.
//   clinicflow-screenshots --server tcp://127.0.0.1:7470 --data DIR --out docs/screenshots [--lang ko|en]
#include "Application.h"
#include "MainWindow.h"
#include "models/DoctorQueueModel.h"
#include "screens/common/RoleScreen.h"
#include "station/Workstation.h"
#include "store/LocalStore.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDeadlineTimer>
#include <QDir>
#include <QLoggingCategory>
#include <QSize>
#include <QTableView>
#include <QThread>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace clinicflow;
using namespace clinicflow::client;

namespace {

bool waitUntil(const std::function<bool()> &condition, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    while (!condition()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        QThread::msleep(20);
    }
    return true;
}

// The first patient of the doctor's queue whose results are ready, selected: the visit panel shows the examinations
// and their results.
void openPatientWithResults(MainWindow *window)
{
    auto *queue = window->findChild<QTableView *>(u"doctorQueue"_s);
    if (!queue || !queue->model())
        return;
    const QAbstractItemModel *model = queue->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex index = model->index(row, 0);
        if (index.data(DoctorQueueModel::StatusRole).toString() ==
            domain::toString(domain::DiagnosisStatus::ResultsReady)) {
            queue->setCurrentIndex(index);
            return;
        }
    }
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(u"ClinicFlow-screenshots"_s); // never the real stations' settings
    QApplication::setApplicationName(u"clinicflow"_s);
    QLoggingCategory::setFilterRules(u"clinicflow.*.debug=false\nclinicflow.*.info=false"_s);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOptions(
        {{u"server"_s, u"The server's requests endpoint."_s, u"endpoint"_s, u"tcp://127.0.0.1:7470"_s},
         {u"data"_s, u"Folder for the stations' stores."_s, u"dir"_s},
         {u"enrolments"_s, u"Folder of the stations' enrolment files, SA, SD (dr.kim), SL and SB."_s, u"dir"_s},
         {u"out"_s, u"Folder for the PNG files."_s, u"dir"_s, u"docs/screenshots"_s},
         {u"lang"_s, u"Only this language (ko or en); both when not given."_s, u"lang"_s},
         {u"width"_s, u"Window width (the board's is a TV's, 1920)."_s, u"px"_s, u"1440"_s},
         {u"height"_s, u"Window height (the board's is a TV's, 1080)."_s, u"px"_s, u"900"_s},
         {u"board-size"_s, u"The board's window, WIDTHxHEIGHT: a full-HD TV's unless told (a laptop's, 1366x768)."_s,
          u"size"_s, u"1920x1080"_s}});
    parser.process(app);
    const QStringList boardDims = parser.value(u"board-size"_s).split(u'x');
    const QSize boardSize = boardDims.size() == 2 ? QSize(boardDims[0].toInt(), boardDims[1].toInt()) : QSize();
    if (!boardSize.isValid() || boardSize.width() < 640 || boardSize.height() < 480) {
        std::fprintf(stderr, "--board-size: WIDTHxHEIGHT, at least 640x480, e.g. 1366x768\n");
        return 2;
    }
    QFont font(u"NanumGothic"_s);
    font.setPointSize(10);
    QApplication::setFont(font); // Korean needs a CJK font; the same one for English keeps the pictures alike
    QDir().mkpath(parser.value(u"out"_s));

    struct Shot
    {
        domain::Role role;
        QString station;
        QString name;
    };
    const QList<Shot> shots{{domain::Role::Receptionist, u"SA"_s, u"desk"_s},
                            {domain::Role::Doctor, u"SD"_s, u"doctor"_s},
                            {domain::Role::Examiner, u"SL"_s, u"examiner"_s},
                            {domain::Role::Board, u"SB"_s, u"board"_s}};
    int failures = 0;
    const QStringList languages =
        parser.isSet(u"lang"_s) ? QStringList{parser.value(u"lang"_s)} : QStringList{u"ko"_s, u"en"_s};
    for (const QString &language : languages) {
        for (const Shot &shot : shots) {
            StationOptions options;
            options.dataDir = parser.value(u"data"_s);
            options.language = language;
            QString error;
            const auto enrolment = security::Enrolment::load(
                QDir(parser.value(u"enrolments"_s)).filePath(shot.station + u".enrolment.json"_s));
            if (!enrolment || !options.importEnrolment(*enrolment, &error)) {
                std::fprintf(stderr, "%s: %s\n", qPrintable(shot.name),
                             qPrintable(enrolment ? error : enrolment.error().message()));
                ++failures;
                continue;
            }
            if (parser.isSet(u"server"_s))
                options.server = parser.value(u"server"_s);
            Application application(app);
            if (!application.open(options, &error)) {
                std::fprintf(stderr, "%s: %s\n", qPrintable(shot.name), qPrintable(error));
                ++failures;
                continue;
            }
            MainWindow *window = application.window();
            // A board hangs on a wall as a full-HD TV; the other roles sit at a desktop's window.
            if (shot.role == domain::Role::Board)
                window->resize(boardSize);
            else
                window->resize(parser.value(u"width"_s).toInt(), parser.value(u"height"_s).toInt());
            window->show();
            Workstation *station = application.station();
            const bool synced = waitUntil(
                [&] {
                    return station->state() == ConnectionState::Online &&
                           station->store().lastSequence() >= station->headSequence() && station->headSequence() > 0;
                },
                30'000);
            if (shot.role == domain::Role::Doctor)
                openPatientWithResults(window);
            waitUntil([] { return false; }, 700); // the throttled counts and the first clock tick
            const QString file = QDir(parser.value(u"out"_s)).filePath(u"%1-%2.png"_s.arg(shot.name, language));
            if (!synced || !window->grab().save(file)) {
                std::fprintf(stderr, "%s: not saved (synced: %d)\n", qPrintable(file), synced);
                ++failures;
                continue;
            }
            std::printf("%s\n", qPrintable(file));
        }
    }
    return failures == 0 ? 0 : 1;
}
