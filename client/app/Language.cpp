// The screens' language (see Language.h).
#include "Language.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace clinicflow::client {

Language::Language(QObject *parent)
    : QObject(parent)
{
}

// The catalogue is chosen by language, never by the locale's full name: a system in C, de_DE or en_GB gets the
// English one (its plural forms: "1 visit", "3 visits"), not the raw source texts. Dates and numbers follow the
// system's locale when it speaks the chosen language.
void Language::apply(const QString &code)
{
    const QLocale system = QLocale::system();
    const bool korean = code.isEmpty() ? system.language() == QLocale::Korean : code == u"ko"_s;
    QLocale locale = QLocale(korean ? u"ko_KR"_s : u"en_US"_s);
    if (system.language() == locale.language())
        locale = system;
    QLocale::setDefault(locale);
    QCoreApplication::removeTranslator(&m_qt);
    QCoreApplication::removeTranslator(&m_ours);
    if (m_qt.load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&m_qt);
    m_current = korean ? u"ko"_s : u"en"_s;
    if (m_ours.load(u":/i18n/clinicflow_%1"_s.arg(m_current)))
        QCoreApplication::installTranslator(&m_ours);
}

} // namespace clinicflow::client
