#include "Ids.h"

namespace clinicflow::domain {

QUuid newId()
{
    return QUuid::createUuid();
}

QUuid derivedId(const QUuid &from, QStringView purpose)
{
    return QUuid::createUuidV5(from, purpose.toString());
}

QString idString(const QUuid &id)
{
    return id.toString(QUuid::WithoutBraces);
}

QUuid idFromString(QStringView text)
{
    return QUuid::fromString(text);
}

bool isValidStationCode(QStringView code)
{
    if (code.isEmpty() || code.size() > 4 || !(code.front() >= u'A' && code.front() <= u'Z'))
        return false;
    for (QChar c : code) {
        if (!((c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9')))
            return false;
    }
    return true;
}

bool Ticket::isValid() const
{
    return isValidStationCode(station) && number >= 1 && number <= 9999;
}

QString Ticket::toString() const
{
    return station + u'-' + QString::number(number).rightJustified(3, u'0');
}

Result<Ticket> Ticket::parse(QStringView text)
{
    const qsizetype dash = text.indexOf(u'-');
    if (dash <= 0)
        return makeError(ErrorCode::InvalidTicket, text.toString());
    const QStringView digits = text.mid(dash + 1);
    bool ok = false;
    const int number = digits.toInt(&ok);
    for (QChar c : digits) {
        if (!c.isDigit())
            ok = false;
    }
    Ticket ticket{text.left(dash).toString(), ok ? number : 0};
    if (!ok || digits.size() < 3 || !ticket.isValid())
        return makeError(ErrorCode::InvalidTicket, text.toString());
    return ticket;
}

} // namespace clinicflow::domain
