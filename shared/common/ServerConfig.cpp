// The server's settings (ARCHITECTURE §8) as an OptionSet, and the typed ServerConfig made from them (see Config.h).
#include "Config.h"
#include "Logging.h"

#include <QDir>
#include <QHostAddress>
#include <QStandardPaths>
#include <QUrl>
#include <QUrlQuery>

#ifdef Q_OS_UNIX
#include <unistd.h>
#endif

using namespace Qt::StringLiterals;

namespace clinicflow::common {

namespace {

// A server option; its variable is CLINICFLOW_ and the flag's name in capitals with '_' for '-'.
Option serverOption(const QString &name, OptionKind kind, QString defaultValue, QString help, QString valueName = {},
                    std::function<QString(const QString &)> check = {})
{
    Option option;
    option.name = name;
    option.envVar = u"CLINICFLOW_"_s + name.toUpper().replace(u'-', u'_');
    option.defaultValue = std::move(defaultValue);
    option.help = std::move(help);
    option.kind = kind;
    option.valueName = std::move(valueName);
    option.check = std::move(check);
    return option;
}

QString optionalAddressCheck(const QString &value)
{
    return value.isEmpty() || !QHostAddress(value).isNull() ? QString() : u"'%1' is not an IP address"_s.arg(value);
}

QString notEmptyCheck(const QString &value)
{
    return value.trimmed().isEmpty() ? u"must not be empty"_s : QString();
}

QString postgresCheck(const QString &value)
{
    if (value.isEmpty())
        return {};
    // The URL may carry a password: an error shows it without one.
    const QUrl url(value, QUrl::StrictMode);
    if (!url.isValid())
        return u"not a valid URL (expected postgresql://user@host/db, or nothing for SQLite in --data)"_s;
    const QString scheme = url.scheme();
    // No host is libpq's own form for a database on this host, through its Unix socket (postgresql:///clinicflow,
    // or ?host=/run/postgresql for the socket's folder): with peer authentication there is then no password at all.
    if ((scheme != u"postgresql"_s && scheme != u"postgres"_s) ||
        !value.startsWith(scheme + u"://"_s, Qt::CaseInsensitive))
        return u"'%1' is not a postgresql:// URL (leave it empty for SQLite in --data)"_s.arg(
            url.toDisplayString(QUrl::RemovePassword));
    // A command line is visible to every account on the host (ps, /proc): the password lives elsewhere.
    // libpq takes one in the query too (?password=): shown without it.
    QUrlQuery query(url);
    if (!url.password().isEmpty() || query.hasQueryItem(u"password"_s)) {
        query.removeAllQueryItems(u"password"_s);
        QUrl shown = url;
        shown.setQuery(query);
        return u"'%1' carries a password: give it in --database-password-file, or in PGPASSWORD or ~/.pgpass"_s.arg(
            shown.toDisplayString(QUrl::RemovePassword));
    }
    if (url.path().size() < 2)
        return u"'%1' names no database (postgresql://user@host/clinicflow, or postgresql:///clinicflow on this "
               "host)"_s.arg(url.toDisplayString());
    return {};
}

} // namespace

QString clinicflowVersion()
{
    return QStringLiteral(CLINICFLOW_VERSION_STRING);
}

QStringList serverModules()
{
    return {u"reception"_s, u"diagnosis"_s, u"examination"_s, u"view"_s, u"gateway"_s};
}

QString defaultDataDir()
{
#ifdef Q_OS_UNIX
    if (::geteuid() == 0)
        return u"/var/lib/clinicflow"_s;
#endif
    const QString base = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    return base.isEmpty() ? QDir::homePath() + u"/.clinicflow"_s : base + u"/clinicflow"_s;
}

OptionSet serverOptions()
{
    OptionSet set(u"clinicflow-server"_s, clinicflowVersion(),
                  u"ClinicFlow server: the gateway, the reception, diagnosis and examination workers and the status "
                  "view."_s);
    set.add(serverOption(u"bind"_s, OptionKind::Address, u"0.0.0.0"_s,
                         u"Address the ZeroMQ request and status sockets bind to."_s));
    set.add(serverOption(u"port"_s, OptionKind::Port, u"7470"_s, u"Port for station requests (ZeroMQ ROUTER)."_s));
    set.add(serverOption(u"pub-port"_s, OptionKind::Port, u"7471"_s, u"Port for status updates (ZeroMQ PUB)."_s));
    set.add(serverOption(u"http-port"_s, OptionKind::Port, u"8080"_s,
                         u"Port for health, metrics and the read-only API."_s));
    set.add(serverOption(u"http-bind"_s, OptionKind::String, u"127.0.0.1"_s,
                         u"Address the HTTP server binds to: this machine only unless you say so, and then with "
                         "--http-token-file."_s,
                         u"address"_s, optionalAddressCheck));
    set.add(serverOption(u"http-token-file"_s, OptionKind::String, QString(),
                         u"File holding the operators' bearer token for every HTTP endpoint but health (a "
                         "Kubernetes Secret, say); <keys>/http.token, made at the first start, when not given."_s,
                         u"file"_s));
    set.add(serverOption(u"data"_s, OptionKind::String, defaultDataDir(),
                         u"Folder for the SQLite database and the keys."_s, u"dir"_s, notEmptyCheck));
    set.add(serverOption(u"database"_s, OptionKind::String, QString(),
                         u"PostgreSQL URL (postgresql://user@host/db); SQLite in --data when not given."_s, u"url"_s,
                         postgresCheck));
    set.add(serverOption(u"database-password-file"_s, OptionKind::String, QString(),
                         u"File holding the PostgreSQL password (a Kubernetes Secret, say); libpq's PGPASSWORD or "
                         "~/.pgpass when not given. Never in the URL."_s,
                         u"file"_s));
    Option only = serverOption(u"only"_s, OptionKind::List, serverModules().join(u','),
                               u"Modules this process runs, a comma list; all when not given. Each runs in one "
                               "process per database; 'http' alone makes a read replica: health, metrics and the "
                               "read-only API over the database, as many processes as wanted."_s,
                               u"modules"_s);
    only.allowed = serverModules() << u"http"_s;
    set.add(std::move(only));
    Option logLevel = serverOption(u"log-level"_s, OptionKind::Enum, u"info"_s, u"Minimum level of the log lines."_s);
    logLevel.allowed = logLevelNames();
    set.add(std::move(logLevel));
    set.add(serverOption(u"roster"_s, OptionKind::String, QString(),
                         u"Roster and examination catalogue JSON; the built-in catalogue when not given."_s,
                         u"file"_s));
    set.add(serverOption(u"keys"_s, OptionKind::String, QString(),
                         u"Folder of the server's CURVE key pair and HTTP token, readable by the server only; "
                         "<data>/keys when not given."_s,
                         u"dir"_s));
    set.add(serverOption(u"station-rate"_s, OptionKind::PositiveInt, u"200"_s,
                         u"Requests per second each station may send on average; a station may burst ten seconds' "
                         "worth, and more than that is answered RATE_LIMITED with a time to wait."_s,
                         u"requests"_s));
    set.add(serverOption(u"pub-queue"_s, OptionKind::PositiveInt, u"20000"_s,
                         u"Status events held for each subscriber that does not read (up to 4 KB each); past it, "
                         "that station misses events and fetches them again."_s,
                         u"events"_s));
    set.add(serverOption(u"drain-seconds"_s, OptionKind::PositiveInt, u"10"_s,
                         u"At SIGTERM: readiness turns 503 at once and new commands are answered SERVER_UNAVAILABLE; "
                         "commands already taken are applied and answered for up to this long, then the server "
                         "exits 0. What is still queued then is applied after the restart."_s,
                         u"seconds"_s));
    return set;
}

QString ServerConfig::sqlitePath() const
{
    return QDir(dataDir).filePath(u"clinicflow.sqlite"_s);
}

ServerConfig ServerConfig::fromValues(const ConfigValues &values)
{
    ServerConfig config;
    config.bind = values.text(u"bind"_s);
    config.port = quint16(values.integer(u"port"_s));
    config.pubPort = quint16(values.integer(u"pub-port"_s));
    config.httpPort = quint16(values.integer(u"http-port"_s));
    config.httpBind = values.text(u"http-bind"_s).isEmpty() ? u"127.0.0.1"_s : values.text(u"http-bind"_s);
    config.httpTokenFile = values.text(u"http-token-file"_s);
    config.dataDir = QDir::cleanPath(values.text(u"data"_s));
    config.database = values.text(u"database"_s);
    config.databasePasswordFile = values.text(u"database-password-file"_s);
    config.modules = values.list(u"only"_s);
    config.logLevel = logLevelFromName(values.text(u"log-level"_s)).value_or(QtInfoMsg);
    config.rosterPath = values.text(u"roster"_s);
    config.keysDir = values.text(u"keys"_s).isEmpty() ? QDir(config.dataDir).filePath(u"keys"_s)
                                                      : QDir::cleanPath(values.text(u"keys"_s));
    config.stationRate = int(values.integer(u"station-rate"_s));
    config.pubQueue = int(values.integer(u"pub-queue"_s));
    config.drainSeconds = int(values.integer(u"drain-seconds"_s));
    return config;
}

} // namespace clinicflow::common
