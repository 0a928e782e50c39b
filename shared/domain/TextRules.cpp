// The characters names and texts may hold (see TextRules.h).
#include "TextRules.h"

#include <QChar>

using namespace Qt::StringLiterals;

namespace clinicflow::domain {

bool isForbiddenCharacter(char32_t c, TextKind kind)
{
    if (kind == TextKind::FreeText && (c == u'\n' || c == u'\t'))
        return false;
    if (c == 0x200C || c == 0x200D)
        return false;
    switch (QChar::category(c)) {
    case QChar::Other_Control:       // C0, DEL, C1
    case QChar::Other_Format:        // bidi embeddings and overrides, zero-width spaces, BOM, soft hyphen, tags
    case QChar::Other_Surrogate:     // half of a pair: not text
    case QChar::Separator_Line:      // U+2028: a line break by another name
    case QChar::Separator_Paragraph: // U+2029
        return true;
    default:
        return false;
    }
}

std::optional<Error> characterError(QStringView text, TextKind kind, QStringView field)
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        char32_t c = text.at(i).unicode();
        if (QChar::isHighSurrogate(c) && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) {
            // Not surrogateToUcs4(text.at(i), text.at(++i)): the order its arguments are read in is unspecified, and
            // GCC reads the low surrogate twice (U+E0041 became 0x120441, and an invisible tag character passed).
            c = QChar::surrogateToUcs4(text.at(i), text.at(i + 1));
            ++i;
        }
        if (isForbiddenCharacter(c, kind))
            return makeError(ErrorCode::InvalidCharacters,
                             u"%1: U+%2"_s.arg(field, QString::number(uint(c), 16).toUpper().rightJustified(4, u'0')));
    }
    return std::nullopt;
}

} // namespace clinicflow::domain
