#include "CatalogueJson.h"

#include "TextRules.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace clinicflow::domain {
namespace {

// Reads `section` as an array of objects with the given string fields, all required and non-empty.
Result<QList<QStringList>> readSection(const QJsonObject &root, const QString &section, const QStringList &fields)
{
    const QJsonValue value = root.value(section);
    if (!value.isArray())
        return makeError(ErrorCode::InvalidCommand, u"'%1' must be an array"_s.arg(section));
    QList<QStringList> rows;
    const QJsonArray array = value.toArray();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QJsonObject item = array.at(i).toObject();
        QStringList row;
        for (const QString &field : fields) {
            const QString text = item.value(field).toString().trimmed();
            if (text.isEmpty())
                return makeError(ErrorCode::InvalidCommand,
                                 u"%1[%2].%3 is missing or empty"_s.arg(section).arg(i).arg(field));
            if (auto invalid = characterError(text, TextKind::Name, u"%1[%2].%3"_s.arg(section).arg(i).arg(field)))
                return *invalid;
            row.append(text);
        }
        rows.append(row);
    }
    return rows;
}

} // namespace

Result<Catalogue> catalogueFromJson(const QByteArray &json)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return makeError(ErrorCode::InvalidCommand,
                         u"not JSON at offset %1: %2"_s.arg(parseError.offset).arg(parseError.errorString()));
    if (!doc.isObject())
        return makeError(ErrorCode::InvalidCommand, u"the roster must be a JSON object"_s);
    const QJsonObject root = doc.object();
    auto departments = readSection(root, u"departments"_s, {u"code"_s, u"name"_s});
    if (!departments)
        return departments.error();
    auto doctors = readSection(root, u"doctors"_s, {u"id"_s, u"name"_s, u"department"_s});
    if (!doctors)
        return doctors.error();
    auto examinations = readSection(root, u"examinations"_s, {u"code"_s, u"name"_s});
    if (!examinations)
        return examinations.error();
    QList<Department> d;
    for (const auto &row : departments.value())
        d.append(Department{row[0], row[1]});
    QList<Doctor> people;
    for (const auto &row : doctors.value())
        people.append(Doctor{row[0], row[1], row[2]});
    QList<ExaminationType> x;
    for (const auto &row : examinations.value())
        x.append(ExaminationType{row[0], row[1]});
    Catalogue catalogue(d, people, x);
    if (auto valid = catalogue.validate(); !valid)
        return valid.error();
    return catalogue;
}

QByteArray catalogueToJson(const Catalogue &catalogue)
{
    QJsonArray departments;
    for (const auto &d : catalogue.departments())
        departments.append(QJsonObject{{u"code"_s, d.code}, {u"name"_s, d.name}});
    QJsonArray doctors;
    for (const auto &d : catalogue.doctors())
        doctors.append(QJsonObject{{u"id"_s, d.id}, {u"name"_s, d.name}, {u"department"_s, d.department}});
    QJsonArray examinations;
    for (const auto &x : catalogue.examinations())
        examinations.append(QJsonObject{{u"code"_s, x.code}, {u"name"_s, x.name}});
    const QJsonObject root{{u"departments"_s, departments}, {u"doctors"_s, doctors}, {u"examinations"_s, examinations}};
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace clinicflow::domain
