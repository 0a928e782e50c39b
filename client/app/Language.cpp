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

void Language::apply(const QString &code)
{
    const QLocale locale = code.isEmpty() ? QLocale::system() : QLocale(code == u"ko"_s ? u"ko_KR"_s : u"en_US"_s);
    QLocale::setDefault(locale);
    QCoreApplication::removeTranslator(&m_qt);
    QCoreApplication::removeTranslator(&m_ours);
    if (m_qt.load(locale, u"qtbase"_s, u"_"_s, QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(&m_qt);
    if (m_ours.load(locale, u"clinicflow"_s, u"_"_s, u":/i18n"_s))
        QCoreApplication::installTranslator(&m_ours);
    m_current = locale.language() == QLocale::Korean ? u"ko"_s : u"en"_s;
}

} // namespace clinicflow::client
