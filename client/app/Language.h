// The language of the screens: Qt's own catalogue (qtbase: the standard buttons and dialogs) and ours, for Korean or
// English, chosen at start (--lang, the settings, else the system's locale) and switched while the app runs. Every
// widget then receives QEvent::LanguageChange and retranslates itself. Other locales fall back to English.
#pragma once

#include <QObject>
#include <QTranslator>

namespace clinicflow::client {

class Language : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Language)

public:
    explicit Language(QObject *parent = nullptr);

    // "ko" or "en"; empty: the system's locale.
    void apply(const QString &code);
    QString current() const { return m_current; }
    static QStringList available() { return {QStringLiteral("ko"), QStringLiteral("en")}; }

private:
    QTranslator m_qt;
    QTranslator m_ours;
    QString m_current;
};

} // namespace clinicflow::client
