#include "Ids.h"

#include <QDateTime>
#include <QRandomGenerator>

namespace clinicflow::domain {

QUuid newId()
{
    // RFC 9562's layout (Qt has QUuid::createUuidV7 only from 6.9): the Unix time in milliseconds in the first 48
    // bits, the version, 12 random bits, the variant, 62 random bits.
    const quint64 ms = quint64(QDateTime::currentMSecsSinceEpoch()) & 0xFFFF'FFFF'FFFFull;
    QRandomGenerator *random = QRandomGenerator::system();
    const quint64 low = random->generate64();
    const auto byte = [low](int i) { return uchar(low >> (8 * i)); };
    return QUuid(uint(ms >> 16), ushort(ms), ushort(0x7000 | (random->generate() & 0x0FFF)),
                 uchar(0x80 | (byte(0) & 0x3F)), byte(1), byte(2), byte(3), byte(4), byte(5), byte(6), byte(7));
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
