// Tests of the declarative configuration: precedence flag > environment > default, every server option's variable,
// and errors that name the option and its source.
#include "common/Config.h"

#include <QDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace clinicflow::common;

namespace {

QStringList args(std::initializer_list<QString> rest)
{
    QStringList list{u"clinicflow-server"_s};
    list.append(QStringList(rest));
    return list;
}

QProcessEnvironment env(std::initializer_list<std::pair<QString, QString>> vars)
{
    QProcessEnvironment environment; // empty: the real environment never leaks in
    for (const auto &[name, value] : vars)
        environment.insert(name, value);
    return environment;
}

} // namespace

class TestConfig : public QObject
{
    Q_OBJECT

private slots:
    void defaults()
    {
        const ParseResult parsed = serverOptions().parse(args({}), env({}));
        QVERIFY2(parsed.ok(), qPrintable(parsed.message));
        const ServerConfig config = ServerConfig::fromValues(parsed.values);
        QCOMPARE(config.bind, u"0.0.0.0"_s);
        QCOMPARE(config.port, quint16(7470));
        QCOMPARE(config.pubPort, quint16(7471));
        QCOMPARE(config.httpPort, quint16(8080));
        QCOMPARE(config.httpBind, u"127.0.0.1"_s); // this machine only, unless the operator says otherwise
        QVERIFY(config.httpTokenFile.isEmpty());
        QCOMPARE(config.dataDir, QDir::cleanPath(defaultDataDir()));
        QVERIFY(config.usesSqlite());
        QCOMPARE(config.modules, serverModules());
        QCOMPARE(config.logLevel, QtInfoMsg);
        QVERIFY(config.rosterPath.isEmpty());
        QCOMPARE(config.keysDir, config.dataDir + u"/keys"_s);
        QCOMPARE(parsed.values.source(u"port"_s), ValueSource::Default);
    }

    void flagBeatsEnvironmentBeatsDefault()
    {
        const auto environment = env({{u"CLINICFLOW_PORT"_s, u"9000"_s}, {u"CLINICFLOW_PUB_PORT"_s, u"9001"_s}});
        const ParseResult parsed = serverOptions().parse(args({u"--port"_s, u"9100"_s}), environment);
        QVERIFY2(parsed.ok(), qPrintable(parsed.message));
        QCOMPARE(parsed.values.integer(u"port"_s), 9100);
        QCOMPARE(parsed.values.source(u"port"_s), ValueSource::Flag);
        QCOMPARE(parsed.values.integer(u"pub-port"_s), 9001);
        QCOMPARE(parsed.values.source(u"pub-port"_s), ValueSource::Environment);
        QCOMPARE(parsed.values.integer(u"http-port"_s), 8080);
        QCOMPARE(parsed.values.source(u"http-port"_s), ValueSource::Default);
    }

    void everyServerOptionHasItsVariable_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("bind") << u"bind"_s << u"CLINICFLOW_BIND"_s << u"127.0.0.1"_s << u"127.0.0.1"_s;
        QTest::newRow("port") << u"port"_s << u"CLINICFLOW_PORT"_s << u"1234"_s << u"1234"_s;
        QTest::newRow("pub-port") << u"pub-port"_s << u"CLINICFLOW_PUB_PORT"_s << u"1235"_s << u"1235"_s;
        QTest::newRow("http-port") << u"http-port"_s << u"CLINICFLOW_HTTP_PORT"_s << u"1236"_s << u"1236"_s;
        QTest::newRow("http-bind") << u"http-bind"_s << u"CLINICFLOW_HTTP_BIND"_s << u"::1"_s << u"::1"_s;
        QTest::newRow("data") << u"data"_s << u"CLINICFLOW_DATA"_s << u"/srv/cf"_s << u"/srv/cf"_s;
        QTest::newRow("database") << u"database"_s << u"CLINICFLOW_DATABASE"_s << u"postgresql://cf@db/cf"_s
                                  << u"postgresql://cf@db/cf"_s;
        QTest::newRow("database on this host")
            << u"database"_s << u"CLINICFLOW_DATABASE"_s << u"postgresql:///cf?host=/run/postgresql"_s
            << u"postgresql:///cf?host=/run/postgresql"_s;
        QTest::newRow("only") << u"only"_s << u"CLINICFLOW_ONLY"_s << u"diagnosis, view"_s << u"diagnosis,view"_s;
        QTest::newRow("log-level") << u"log-level"_s << u"CLINICFLOW_LOG_LEVEL"_s << u"DEBUG"_s << u"debug"_s;
        QTest::newRow("roster") << u"roster"_s << u"CLINICFLOW_ROSTER"_s << u"/etc/cf/roster.json"_s
                                << u"/etc/cf/roster.json"_s;
        QTest::newRow("keys") << u"keys"_s << u"CLINICFLOW_KEYS"_s << u"/etc/cf/keys"_s << u"/etc/cf/keys"_s;
    }

    void everyServerOptionHasItsVariable()
    {
        QFETCH(QString, option);
        QFETCH(QString, variable);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        const OptionSet options = serverOptions();
        QVERIFY(options.find(option));
        QCOMPARE(options.find(option)->envVar, variable);

        const ParseResult fromEnv = options.parse(args({}), env({{variable, value}}));
        QVERIFY2(fromEnv.ok(), qPrintable(fromEnv.message));
        QCOMPARE(fromEnv.values.text(option), expected);
        QCOMPARE(fromEnv.values.source(option), ValueSource::Environment);

        const ParseResult fromFlag = options.parse(args({u"--"_s + option, value}), env({}));
        QVERIFY2(fromFlag.ok(), qPrintable(fromFlag.message));
        QCOMPARE(fromFlag.values.text(option), expected);
        QCOMPARE(fromFlag.values.source(option), ValueSource::Flag);
    }

    void serverOptionsAreExactlyTheDocumentedOnes()
    {
        QStringList names;
        const OptionSet options = serverOptions();
        for (const Option &option : options.options())
            names << option.name;
        QCOMPARE(names,
                 (QStringList{u"bind"_s, u"port"_s, u"pub-port"_s, u"http-port"_s, u"http-bind"_s, u"http-token-file"_s,
                              u"data"_s, u"database"_s, u"database-password-file"_s, u"only"_s, u"log-level"_s,
                              u"roster"_s, u"keys"_s, u"station-rate"_s, u"pub-queue"_s, u"drain-seconds"_s}));
    }

    void typedConfigFromEverySource()
    {
        const auto environment = env({{u"CLINICFLOW_DATA"_s, u"/srv/cf/"_s}, {u"CLINICFLOW_LOG_LEVEL"_s, u"error"_s}});
        const ParseResult parsed = serverOptions().parse(
            args({u"--bind"_s, u"10.0.0.5"_s, u"--only=gateway,view"_s, u"--keys"_s, u"/k"_s}), environment);
        QVERIFY2(parsed.ok(), qPrintable(parsed.message));
        const ServerConfig config = ServerConfig::fromValues(parsed.values);
        QCOMPARE(config.bind, u"10.0.0.5"_s);
        QCOMPARE(config.httpBind, u"127.0.0.1"_s); // never follows --bind: the data endpoints stay local
        QCOMPARE(config.dataDir, u"/srv/cf"_s);
        QCOMPARE(config.sqlitePath(), u"/srv/cf/clinicflow.sqlite"_s);
        QCOMPARE(config.keysDir, u"/k"_s);
        QCOMPARE(config.logLevel, QtCriticalMsg);
        QCOMPARE(config.modules, (QStringList{u"gateway"_s, u"view"_s}));
        QVERIFY(config.runs(u"gateway"_s));
        QVERIFY(!config.runs(u"diagnosis"_s));
    }

    void invalidValuesNameOptionAndSource_data()
    {
        QTest::addColumn<QStringList>("arguments");
        QTest::addColumn<QString>("variable");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        const QStringList none;
        QTest::newRow("port flag") << args({u"--port"_s, u"abc"_s}) << QString() << QString()
                                   << u"--port: 'abc' is not a port (1-65535)"_s;
        QTest::newRow("port env") << args({}) << u"CLINICFLOW_PORT"_s << u"abc"_s
                                  << u"CLINICFLOW_PORT: 'abc' is not a port (1-65535)"_s;
        QTest::newRow("port zero") << args({u"--http-port=0"_s}) << QString() << QString()
                                   << u"--http-port: '0' is not a port (1-65535)"_s;
        QTest::newRow("port too big") << args({}) << u"CLINICFLOW_PUB_PORT"_s << u"65536"_s
                                      << u"CLINICFLOW_PUB_PORT: '65536' is not a port (1-65535)"_s;
        QTest::newRow("enum flag") << args({u"--log-level"_s, u"loud"_s}) << QString() << QString()
                                   << u"--log-level: 'loud' is not one of debug, info, warning, error"_s;
        QTest::newRow("enum env") << args({}) << u"CLINICFLOW_LOG_LEVEL"_s << u"verbose"_s
                                  << u"CLINICFLOW_LOG_LEVEL: 'verbose' is not one of debug, info, warning, error"_s;
        QTest::newRow("only unknown") << args({u"--only"_s, u"gateway,billing"_s}) << QString() << QString()
                                      << u"--only: 'billing' is not one of reception, diagnosis, examination, view, "
                                         "gateway, http"_s;
        QTest::newRow("only env empty item") << args({}) << u"CLINICFLOW_ONLY"_s << u"view,,gateway"_s
                                             << u"CLINICFLOW_ONLY: 'view,,gateway' has an empty item (expected a "
                                                "comma list)"_s;
        QTest::newRow("only empty flag") << args({u"--only="_s}) << QString() << QString()
                                         << u"--only: '' has an empty item (expected a comma list)"_s;
        QTest::newRow("bind") << args({u"--bind"_s, u"example.org"_s}) << QString() << QString()
                              << u"--bind: 'example.org' is not an IP address"_s;
        QTest::newRow("http-bind env") << args({}) << u"CLINICFLOW_HTTP_BIND"_s << u"300.1.1.1"_s
                                       << u"CLINICFLOW_HTTP_BIND: '300.1.1.1' is not an IP address"_s;
        QTest::newRow("database") << args({}) << u"CLINICFLOW_DATABASE"_s << u"mysql://db/cf"_s
                                  << u"CLINICFLOW_DATABASE: 'mysql://db/cf' is not a postgresql:// URL (leave it "
                                     "empty for SQLite in --data)"_s;
        QTest::newRow("database with a password")
            << args({u"--database"_s, u"postgresql://cf:s3cret@db/cf"_s}) << QString() << QString()
            << u"--database: 'postgresql://cf@db/cf' carries a password: give it in --database-password-file, or "
               "in PGPASSWORD or ~/.pgpass"_s;
        QTest::newRow("database without a name")
            << args({u"--database"_s, u"postgresql://cf@db"_s}) << QString() << QString()
            << u"--database: 'postgresql://cf@db' names no database "
               "(postgresql://user@host/clinicflow, or postgresql:///clinicflow on this host)"_s;
        QTest::newRow("database on this host without a name")
            << args({u"--database"_s, u"postgresql:///?host=/run/postgresql"_s}) << QString() << QString()
            << u"--database: 'postgresql:///?host=/run/postgresql' names no database "
               "(postgresql://user@host/clinicflow, or postgresql:///clinicflow on this host)"_s;
        QTest::newRow("database with a password in its query")
            << args({u"--database"_s, u"postgresql://cf@db/cf?sslmode=require&password=s3cret"_s}) << QString()
            << QString()
            << u"--database: 'postgresql://cf@db/cf?sslmode=require' carries a password: give it in "
               "--database-password-file, or in PGPASSWORD or ~/.pgpass"_s;
        QTest::newRow("database without the slashes")
            << args({u"--database"_s, u"postgresql:cf"_s}) << QString() << QString()
            << u"--database: 'postgresql:cf' is not a postgresql:// URL (leave it empty for SQLite in --data)"_s;
        QTest::newRow("unknown flag") << args({u"--colour"_s}) << QString() << QString()
                                      << u"Unknown option 'colour'."_s;
        QTest::newRow("positional") << args({u"extra"_s}) << QString() << QString()
                                    << u"unexpected argument 'extra' (see --help)"_s;
    }

    void invalidValuesNameOptionAndSource()
    {
        QFETCH(QStringList, arguments);
        QFETCH(QString, variable);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        const auto environment = variable.isEmpty() ? env({}) : env({{variable, value}});
        const ParseResult parsed = serverOptions().parse(arguments, environment);
        QCOMPARE(parsed.status, ParseResult::Status::Error);
        QCOMPARE(parsed.message, expected);
        QCOMPARE(exitCodeFor(parsed), std::optional<int>(2));
    }

    void databasePasswordNeverInTheError()
    {
        const ParseResult parsed =
            serverOptions().parse(args({u"--database"_s, u"mysql://cf:s3cret@db/cf"_s}), env({}));
        QCOMPARE(parsed.status, ParseResult::Status::Error);
        QVERIFY2(!parsed.message.contains(u"s3cret"_s), qPrintable(parsed.message));
    }

    void emptyVariableMeansDefault()
    {
        const ParseResult parsed = serverOptions().parse(args({}), env({{u"CLINICFLOW_PORT"_s, QString()}}));
        QVERIFY2(parsed.ok(), qPrintable(parsed.message));
        QCOMPARE(parsed.values.integer(u"port"_s), 7470);
        QCOMPARE(parsed.values.source(u"port"_s), ValueSource::Default);
    }

    void onlyListIsNormalised()
    {
        const ParseResult parsed = serverOptions().parse(args({u"--only"_s, u" View ,gateway,view"_s}), env({}));
        QVERIFY2(parsed.ok(), qPrintable(parsed.message));
        QCOMPARE(parsed.values.list(u"only"_s), (QStringList{u"view"_s, u"gateway"_s}));
    }

    void helpAndVersion()
    {
        const ParseResult help = serverOptions().parse(args({u"--help"_s}), env({}));
        QCOMPARE(help.status, ParseResult::Status::Help);
        QVERIFY(help.message.contains(u"--pub-port <port>"_s));
        QVERIFY(help.message.contains(u"CLINICFLOW_HTTP_BIND"_s));
        QVERIFY(help.message.contains(u"default: 7470"_s));
        QCOMPARE(serverOptions().parse(args({u"--help-all"_s}), env({})).status, ParseResult::Status::Help);
        QCOMPARE(serverOptions().parse(args({u"-h"_s}), env({})).status, ParseResult::Status::Help);
        const ParseResult version = serverOptions().parse(args({u"--version"_s}), env({}));
        QCOMPARE(version.status, ParseResult::Status::Version);
        QVERIFY(version.message.startsWith(u"clinicflow-server "_s));
        QCOMPARE(version.message.trimmed(), u"clinicflow-server "_s + clinicflowVersion());
    }

    void customOptionKinds()
    {
        OptionSet options(u"tool"_s, u"1"_s, u"test"_s);
        options.add({u"workers"_s, u"TOOL_WORKERS"_s, u"4"_s, u"Workers."_s, OptionKind::PositiveInt, {}, {}, {}});
        options.add({u"dry-run"_s, u"TOOL_DRY_RUN"_s, QString(), u"Dry run."_s, OptionKind::Bool, {}, {}, {}});
        ParseResult parsed = options.parse({u"tool"_s}, env({}));
        QVERIFY2(parsed.ok(), qPrintable(parsed.message));
        QCOMPARE(parsed.values.integer(u"workers"_s), 4);
        QVERIFY(!parsed.values.flag(u"dry-run"_s));

        parsed = options.parse({u"tool"_s, u"--dry-run"_s}, env({{u"TOOL_DRY_RUN"_s, u"no"_s}}));
        QVERIFY(parsed.values.flag(u"dry-run"_s)); // the flag wins
        parsed = options.parse({u"tool"_s}, env({{u"TOOL_DRY_RUN"_s, u"Yes"_s}}));
        QVERIFY(parsed.values.flag(u"dry-run"_s));
        parsed = options.parse({u"tool"_s}, env({{u"TOOL_DRY_RUN"_s, u"maybe"_s}}));
        QCOMPARE(parsed.message, u"TOOL_DRY_RUN: 'maybe' is not a boolean (true/false, 1/0, yes/no, on/off)"_s);
        parsed = options.parse({u"tool"_s, u"--workers"_s, u"0"_s}, env({}));
        QCOMPARE(parsed.message, u"--workers: '0' is not a positive integer"_s);
        parsed = options.parse({u"tool"_s}, env({{u"TOOL_WORKERS"_s, u"-3"_s}}));
        QCOMPARE(parsed.message, u"TOOL_WORKERS: '-3' is not a positive integer"_s);
    }
};

QTEST_GUILESS_MAIN(TestConfig)
#include "TestConfig.moc"
