#include "ChangeFeed.h"

#include "common/Logging.h"

#include <QEventLoop>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QTimer>
#include <QUuid>
#include <algorithm>
#include <future>

using namespace Qt::StringLiterals;
using clinicflow::common::lcStorage;
using clinicflow::domain::ErrorCode;
using clinicflow::domain::makeError;
using clinicflow::domain::Result;

namespace clinicflow::server {
namespace {

// How often the listening connection is checked, and reopened when it broke.
constexpr int kCheckEveryMs = 2000;

// This process's tag in the notifications it sends: a process does not wake itself.
const QString &processTag()
{
    static const QString tag = QUuid::createUuid().toString(QUuid::Id128);
    return tag;
}

// The Change bits among `changes` that have a channel, lowest first: the order a round's notifications go in.
QList<quint8> toldBits(quint8 changes)
{
    QList<quint8> bits;
    for (quint8 bit = 1; bit != 0 && bit <= ChangeFeed::kTold; bit = quint8(bit << 1)) {
        if (changes & ChangeFeed::kTold & bit)
            bits.append(bit);
    }
    return bits;
}

} // namespace

ChangeFeed::ChangeFeed(DatabaseSettings settings, quint8 interests, std::function<void(quint8)> changed,
                       std::function<void(bool)> listeningChanged)
    : m_settings(std::move(settings))
    , m_interests(interests)
    , m_changed(std::move(changed))
    , m_listeningChanged(std::move(listeningChanged))
{
}

ChangeFeed::~ChangeFeed()
{
    stop();
}

bool ChangeFeed::available(const DatabaseSettings &settings)
{
    return Dialect::of(settings).notifiesAcrossProcesses();
}

QString ChangeFeed::channelFor(quint8 change)
{
    switch (change) {
    case Change::Log:
        return u"clinicflow_log"_s;
    case Change::ReceptionWork:
        return u"clinicflow_reception"_s;
    case Change::DiagnosisWork:
        return u"clinicflow_diagnosis"_s;
    case Change::ExaminationWork:
        return u"clinicflow_examination"_s;
    default:
        break;
    }
    return u"clinicflow_resolved"_s;
}

quint8 ChangeFeed::interestsOf(bool gateway, bool view, const std::array<bool, 3> &contexts)
{
    const bool workers = std::all_of(contexts.begin(), contexts.end(), [](bool here) { return here; });
    quint8 interests = 0;
    if (!workers && (gateway || view))
        interests |= Change::Log;
    if (!workers && gateway)
        interests |= Change::Resolved;
    for (auto context :
         {domain::BoundedContext::Reception, domain::BoundedContext::Diagnosis, domain::BoundedContext::Examination}) {
        if (contexts[std::size_t(context)] && !(gateway && workers))
            interests |= Change::workFor(context);
    }
    return interests;
}

// The payload, on every channel: "<process tag>:<Change bits>", all of them (a process that hears it on one
// channel rings every doorbell it names; one that hears it on two rings them twice, which costs nothing).
QString ChangeFeed::notifyStatement(const Dialect &dialect, quint8 changes)
{
    if (!dialect.notifiesAcrossProcesses() || !(changes & kTold))
        return {};
    const QString payload = u"%1:%2"_s.arg(processTag()).arg(changes);
    QStringList notifies;
    for (quint8 bit : toldBits(changes))
        notifies.append(u"pg_notify('%1', '%2')"_s.arg(channelFor(bit), payload));
    return u"SELECT "_s + notifies.join(u", "_s);
}

Result<bool> ChangeFeed::start()
{
    if (!available(m_settings) || m_thread)
        return true;
    std::promise<Result<bool>> started;
    auto firstConnection = started.get_future();
    m_thread = QThread::create([this, &started] {
        std::unique_ptr<Database> db;
        // (Re)opens the listening connection; on success, notifications from other processes call m_changed.
        const auto listen = [this, &db]() -> Result<bool> {
            db.reset();
            auto opened = Database::open(m_settings, u"change-feed"_s);
            if (!opened)
                return opened.error();
            db = std::move(opened).value();
            QSqlDriver *driver = db->connection().driver();
            QObject::connect(driver, &QSqlDriver::notification, driver,
                             [this](const QString &, QSqlDriver::NotificationSource, const QVariant &payload) {
                                 const QString text = payload.toString();
                                 const qsizetype colon = text.lastIndexOf(u':');
                                 if (text.left(colon) == processTag())
                                     return;
                                 bool ok = false;
                                 const uint changes = text.mid(colon + 1).toUInt(&ok);
                                 m_changed(ok && changes <= 0xff ? quint8(changes) : Change::Everything);
                             });
            for (quint8 bit : toldBits(m_interests)) {
                if (!driver->subscribeToNotification(channelFor(bit)))
                    return makeError(ErrorCode::InternalError,
                                     u"cannot LISTEN %1: %2"_s.arg(channelFor(bit), driver->lastError().text()));
            }
            m_listening = true;
            return true;
        };
        auto first = listen();
        const bool ok = first.ok();
        started.set_value(std::move(first));
        if (!ok)
            return;
        QTimer check;
        check.setInterval(kCheckEveryMs);
        QObject::connect(&check, &QTimer::timeout, [this, &db, &listen] {
            if (db) {
                QSqlQuery alive(db->connection());
                if (alive.exec(u"SELECT 1"_s))
                    return;
            }
            if (m_listening.exchange(false)) {
                qCWarning(lcStorage) << "the database's change feed broke: reconnecting; workers poll meanwhile";
                if (m_listeningChanged)
                    m_listeningChanged(false);
            }
            if (auto again = listen(); !again) {
                db.reset();
                return;
            }
            qCInfo(lcStorage) << "the database's change feed is back";
            if (m_listeningChanged)
                m_listeningChanged(true);
            m_changed(Change::Everything); // what was committed while it was down
        });
        check.start();
        QEventLoop loop;
        loop.exec(); // until stop(): QThread::quit() ends it, even before it started
        check.stop();
        db.reset();
        m_listening = false;
    });
    m_thread->setObjectName(u"cf-feed"_s);
    m_thread->start();
    auto result = firstConnection.get();
    if (!result)
        stop();
    return result;
}

void ChangeFeed::stop()
{
    if (!m_thread)
        return;
    m_thread->quit();
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

} // namespace clinicflow::server
