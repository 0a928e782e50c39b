// Declarative command-line and environment configuration for both executables.
// An OptionSet lists every setting once (flag, CLINICFLOW_* variable, default, help, value kind); parse() reads the
// arguments and an injected environment with the precedence flag > environment > default, checks every value, and
// reports the first invalid one by option and source (e.g. "--port: 'abc' is not a port (1-65535)"). Nothing falls
// back silently. serverOptions() / ServerConfig are ARCHITECTURE §8's server settings, typed.
#pragma once

#include <QHash>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QtGlobal>
#include <functional>
#include <optional>

namespace clinicflow::common {

enum class OptionKind
{
    String,      // any text, empty allowed
    Port,        // 1..65535
    PositiveInt, // 1..INT_MAX
    Bool,        // flag: a switch (present = true); environment: true/false, 1/0, yes/no, on/off
    Enum,        // one of Option::allowed (case-insensitive, normalised to the allowed spelling)
    List,        // comma list; every item one of Option::allowed when allowed is not empty; duplicates dropped
    Address,     // an IPv4 or IPv6 address literal (0.0.0.0 and :: mean every interface)
};

enum class ValueSource
{
    Default,
    Environment,
    Flag
};

struct Option
{
    QString name;         // "port": the flag is --port
    QString envVar;       // "CLINICFLOW_PORT"; empty = no variable
    QString defaultValue; // as text, checked like any other value
    QString help;         // one sentence for --help; the variable and the default are appended
    OptionKind kind = OptionKind::String;
    QStringList allowed; // Enum and List: the allowed values
    QString valueName;   // placeholder in --help, e.g. "port"; empty = derived from the kind
    // Extra check after the kind's: returns an error text (without the option name) or an empty string.
    std::function<QString(const QString &)> check;
};

// The checked values of one parse, by option name.
class ConfigValues
{
public:
    bool contains(const QString &name) const { return m_values.contains(name); }
    QString text(const QString &name) const;       // normalised text of any kind (a List joined by ',')
    int integer(const QString &name) const;        // Port and PositiveInt; 0 when absent
    bool flag(const QString &name) const;          // Bool
    QStringList list(const QString &name) const;   // List
    ValueSource source(const QString &name) const; // where the value came from
    void set(const QString &name, QString text, ValueSource source);

private:
    struct Value
    {
        QString text;
        ValueSource source = ValueSource::Default;
    };
    QHash<QString, Value> m_values;
};

struct ParseResult
{
    enum class Status
    {
        Ok,
        Help,
        Version,
        Error
    };
    Status status = Status::Error;
    QString message; // the error, or the help / version text to print
    ConfigValues values;

    bool ok() const { return status == Status::Ok; }
};

class OptionSet
{
public:
    OptionSet(QString applicationName, QString version, QString description);

    // Adds an option; names must be unique (a duplicate replaces the earlier one).
    OptionSet &add(Option option);
    const QList<Option> &options() const { return m_options; }
    const Option *find(const QString &name) const;

    // arguments[0] is the program, as in QCoreApplication::arguments(). --help/-h and --version/-v are built in.
    ParseResult parse(const QStringList &arguments, const QProcessEnvironment &environment) const;

    // Checks one value of an option as if it came from source; the error text names the option and the source.
    // On success returns the normalised text.
    static std::optional<QString> normalise(const Option &option, const QString &value, ValueSource source,
                                            QString *error);

private:
    QString m_applicationName;
    QString m_version;
    QString m_description;
    QList<Option> m_options;
};

// For main(): prints help/version to stdout or the error to stderr and returns the exit code (0 or 2);
// returns nothing when the program should run.
std::optional<int> exitCodeFor(const ParseResult &result);

// The project version (CMake's PROJECT_VERSION), for --version and logs.
QString clinicflowVersion();

// ---- The server (clinicflow-server), defined in ServerConfig.cpp ----

// Modules that --only may name, in start order.
QStringList serverModules();

// The default --data folder: /var/lib/clinicflow when running as root (the systemd unit and the container),
// else the user's data folder (QStandardPaths::GenericDataLocation + "/clinicflow", e.g. ~/.local/share/clinicflow).
QString defaultDataDir();

// ARCHITECTURE §8: bind, port, pub-port, http-port, http-bind, http-token-file, data, database,
// database-password-file, only, log-level, roster, keys, station-rate, drain-seconds.
OptionSet serverOptions();

struct ServerConfig
{
    QString bind = QStringLiteral("0.0.0.0");       // ZeroMQ ROUTER and PUB
    quint16 port = 7470;                            // requests (ROUTER)
    quint16 pubPort = 7471;                         // status (PUB)
    quint16 httpPort = 8080;                        // health, metrics, read-only REST
    QString httpBind = QStringLiteral("127.0.0.1"); // the HTTP server's address: this machine only by default
    QString httpTokenFile;                          // the operators' bearer token; <keys>/http.token when not given
    QString dataDir;                                // SQLite file and keys
    QString database;                               // postgresql:// URL; empty = SQLite in dataDir
    QString databasePasswordFile;                   // its password; else libpq's PGPASSWORD or ~/.pgpass
    QStringList modules;                            // from serverModules(); all by default
    QtMsgType logLevel = QtInfoMsg;                 // minimum level logged
    QString rosterPath;                             // roster/catalogue JSON; empty = the built-in catalogue
    QString keysDir;                                // enrolled station keys; <dataDir>/keys when not given
    int stationRate = 200;                          // requests per second per station, on average
    int pubQueue = 20000;                           // status events held per subscriber that does not read
    int drainSeconds = 10;                          // at SIGTERM: how long commands already taken may take

    bool runs(const QString &module) const { return modules.contains(module); }
    bool usesSqlite() const { return database.isEmpty(); }
    QString sqlitePath() const; // <dataDir>/clinicflow.sqlite

    // From the values of a successful serverOptions().parse().
    static ServerConfig fromValues(const ConfigValues &values);
};

} // namespace clinicflow::common
