// Parsing and checking of OptionSet values (see Config.h); the server's options are in ServerConfig.cpp.
#include "Config.h"

#include <QCommandLineParser>
#include <QHostAddress>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace clinicflow::common {

namespace {

QString sourceName(const Option &option, ValueSource source)
{
    switch (source) {
    case ValueSource::Flag:
        return u"--"_s + option.name;
    case ValueSource::Environment:
        return option.envVar;
    case ValueSource::Default:
        break;
    }
    return u"--%1 (default)"_s.arg(option.name);
}

QString placeholder(const Option &option)
{
    if (!option.valueName.isEmpty())
        return option.valueName;
    switch (option.kind) {
    case OptionKind::Port:
        return u"port"_s;
    case OptionKind::PositiveInt:
        return u"n"_s;
    case OptionKind::Enum:
        return option.allowed.join(u'|');
    case OptionKind::List:
        return u"a,b,..."_s;
    case OptionKind::Address:
        return u"address"_s;
    case OptionKind::String:
    case OptionKind::Bool:
        break;
    }
    return u"value"_s;
}

std::optional<QString> matchAllowed(const QStringList &allowed, const QString &value)
{
    for (const QString &candidate : allowed) {
        if (candidate.compare(value, Qt::CaseInsensitive) == 0)
            return candidate;
    }
    return std::nullopt;
}

// The kind's check: the normalised value, or an error text without the option name.
std::optional<QString> checkKind(const Option &option, const QString &value, QString *error)
{
    const QString trimmed = value.trimmed();
    bool ok = false;
    switch (option.kind) {
    case OptionKind::String:
        return value;
    case OptionKind::Port: {
        const uint port = trimmed.toUInt(&ok);
        if (!ok || port < 1 || port > 65535) {
            *error = u"'%1' is not a port (1-65535)"_s.arg(value);
            return std::nullopt;
        }
        return QString::number(port);
    }
    case OptionKind::PositiveInt: {
        const int n = trimmed.toInt(&ok);
        if (!ok || n < 1) {
            *error = u"'%1' is not a positive integer"_s.arg(value);
            return std::nullopt;
        }
        return QString::number(n);
    }
    case OptionKind::Bool: {
        static const QStringList yes{u"true"_s, u"1"_s, u"yes"_s, u"on"_s};
        static const QStringList no{u"false"_s, u"0"_s, u"no"_s, u"off"_s};
        if (matchAllowed(yes, trimmed))
            return u"true"_s;
        if (matchAllowed(no, trimmed))
            return u"false"_s;
        *error = u"'%1' is not a boolean (true/false, 1/0, yes/no, on/off)"_s.arg(value);
        return std::nullopt;
    }
    case OptionKind::Enum: {
        if (auto match = matchAllowed(option.allowed, trimmed))
            return match;
        *error = u"'%1' is not one of %2"_s.arg(value, option.allowed.join(u", "_s));
        return std::nullopt;
    }
    case OptionKind::List: {
        QStringList items;
        for (const QString &raw : value.split(u',')) {
            const QString item = raw.trimmed();
            if (item.isEmpty()) {
                *error = u"'%1' has an empty item (expected a comma list)"_s.arg(value);
                return std::nullopt;
            }
            QString normalised = item;
            if (!option.allowed.isEmpty()) {
                const auto match = matchAllowed(option.allowed, item);
                if (!match) {
                    *error = u"'%1' is not one of %2"_s.arg(item, option.allowed.join(u", "_s));
                    return std::nullopt;
                }
                normalised = *match;
            }
            if (!items.contains(normalised))
                items.append(normalised);
        }
        return items.join(u',');
    }
    case OptionKind::Address: {
        QHostAddress address;
        if (!address.setAddress(trimmed)) {
            *error = u"'%1' is not an IP address"_s.arg(value);
            return std::nullopt;
        }
        return trimmed;
    }
    }
    *error = u"unknown option kind"_s;
    return std::nullopt;
}

QString describe(const Option &option)
{
    QString text = option.help;
    QStringList notes;
    if (!option.envVar.isEmpty())
        notes << u"env %1"_s.arg(option.envVar);
    if (option.kind != OptionKind::Bool)
        notes << (option.defaultValue.isEmpty() ? u"default: none"_s : u"default: %1"_s.arg(option.defaultValue));
    if (!notes.isEmpty())
        text += u" ["_s + notes.join(u"; "_s) + u']';
    return text;
}

} // namespace

QString ConfigValues::text(const QString &name) const
{
    return m_values.value(name).text;
}

int ConfigValues::integer(const QString &name) const
{
    return m_values.value(name).text.toInt();
}

bool ConfigValues::flag(const QString &name) const
{
    return m_values.value(name).text == u"true"_s;
}

QStringList ConfigValues::list(const QString &name) const
{
    const QString value = text(name);
    return value.isEmpty() ? QStringList{} : value.split(u',');
}

ValueSource ConfigValues::source(const QString &name) const
{
    return m_values.value(name).source;
}

void ConfigValues::set(const QString &name, QString text, ValueSource source)
{
    m_values.insert(name, Value{std::move(text), source});
}

OptionSet::OptionSet(QString applicationName, QString version, QString description)
    : m_applicationName(std::move(applicationName))
    , m_version(std::move(version))
    , m_description(std::move(description))
{
}

OptionSet &OptionSet::add(Option option)
{
    for (Option &existing : m_options) {
        if (existing.name == option.name) {
            existing = std::move(option);
            return *this;
        }
    }
    m_options.append(std::move(option));
    return *this;
}

const Option *OptionSet::find(const QString &name) const
{
    for (const Option &option : m_options) {
        if (option.name == name)
            return &option;
    }
    return nullptr;
}

std::optional<QString> OptionSet::normalise(const Option &option, const QString &value, ValueSource source,
                                            QString *error)
{
    QString reason;
    auto normalised = checkKind(option, value, &reason);
    if (normalised && option.check)
        reason = option.check(*normalised);
    if (!normalised || !reason.isEmpty()) {
        if (error)
            *error = sourceName(option, source) + u": "_s + reason;
        return std::nullopt;
    }
    return normalised;
}

ParseResult OptionSet::parse(const QStringList &arguments, const QProcessEnvironment &environment) const
{
    ParseResult result;
    QCommandLineParser parser;
    parser.setApplicationDescription(m_description);
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    for (const Option &option : m_options) {
        QCommandLineOption cli(option.name, describe(option));
        if (option.kind != OptionKind::Bool)
            cli.setValueName(placeholder(option));
        parser.addOption(cli);
    }

    if (!parser.parse(arguments)) {
        result.message = parser.errorText();
        return result;
    }
    if (parser.isSet(help) || parser.isSet(u"help-all"_s)) {
        result.status = ParseResult::Status::Help;
        result.message = parser.helpText();
        return result;
    }
    if (parser.isSet(version)) {
        result.status = ParseResult::Status::Version;
        result.message = u"%1 %2\n"_s.arg(m_applicationName, m_version);
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.message = u"unexpected argument '%1' (see --help)"_s.arg(parser.positionalArguments().constFirst());
        return result;
    }

    for (const Option &option : m_options) {
        QString raw = option.defaultValue;
        ValueSource source = ValueSource::Default;
        if (parser.isSet(option.name)) {
            raw = option.kind == OptionKind::Bool ? u"true"_s : parser.value(option.name);
            source = ValueSource::Flag;
        } else if (!option.envVar.isEmpty() && !environment.value(option.envVar).isEmpty()) {
            // A variable set to an empty string counts as unset: a blank ConfigMap key means "the default".
            raw = environment.value(option.envVar);
            source = ValueSource::Environment;
        }
        if (option.kind == OptionKind::Bool && source == ValueSource::Default && raw.isEmpty())
            raw = u"false"_s;
        QString error;
        const auto value = normalise(option, raw, source, &error);
        if (!value) {
            result.message = error;
            return result;
        }
        result.values.set(option.name, *value, source);
    }
    result.status = ParseResult::Status::Ok;
    return result;
}

std::optional<int> exitCodeFor(const ParseResult &result)
{
    switch (result.status) {
    case ParseResult::Status::Ok:
        return std::nullopt;
    case ParseResult::Status::Help:
    case ParseResult::Status::Version:
        std::fputs(qPrintable(result.message), stdout);
        std::fflush(stdout);
        return 0;
    case ParseResult::Status::Error:
        break;
    }
    std::fprintf(stderr, "%s\n", qPrintable(result.message));
    std::fflush(stderr);
    return 2;
}

} // namespace clinicflow::common
