// The committed translations (translations/*.ts) against the sources. lupdate run afresh over the same folders must
// find exactly the committed messages (a string added, changed or removed in the code without update_translations
// fails, naming it); every entry must be finished and non-empty; and a translation must keep every %1 / %n of its
// source, since word order differs but the arguments do not. Paths and options come from CMake (CMakeLists.txt).
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Qt::StringLiterals;

namespace {

struct Message
{
    QString context;
    QString source;
    QString comment; // the disambiguation, part of the message's identity
    bool numerus = false;
    QString type;      // empty when finished; "unfinished", "vanished" or "obsolete"
    QStringList forms; // the translation, or one entry per plural form

    QString key() const { return context + u'\x1f' + source + u'\x1f' + comment + (numerus ? u"\x1fn"_s : QString()); }
    QString name() const
    {
        return u"[%1] \"%2\""_s.arg(context, source) + (comment.isEmpty() ? QString() : u" (%1)"_s.arg(comment)) +
               (numerus ? u" [plural]"_s : QString());
    }
};

QStringList fromCMake(const char *list)
{
    return QString::fromUtf8(list).split(u'|', Qt::SkipEmptyParts);
}

Message readMessage(QXmlStreamReader &xml, const QString &context)
{
    Message m{context, {}, {}, xml.attributes().value(u"numerus"_s) == u"yes", {}, {}};
    while (xml.readNextStartElement()) {
        if (xml.name() == u"source") {
            m.source = xml.readElementText();
        } else if (xml.name() == u"comment") {
            m.comment = xml.readElementText();
        } else if (xml.name() == u"translation") {
            m.type = xml.attributes().value(u"type"_s).toString();
            if (!m.numerus)
                m.forms.append(xml.readElementText());
            while (m.numerus && xml.readNextStartElement())
                m.forms.append(xml.readElementText()); // <numerusform>
        } else {
            xml.skipCurrentElement(); // location, extracomment, translatorcomment, ...
        }
    }
    return m;
}

QList<Message> readTs(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = path + u": "_s + file.errorString();
        return {};
    }
    QList<Message> messages;
    QString context;
    QXmlStreamReader xml(&file);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"name")
            context = xml.readElementText(); // <context><name>
        else if (xml.isStartElement() && xml.name() == u"message")
            messages.append(readMessage(xml, context));
    }
    if (xml.hasError())
        *error = u"%1:%2: %3"_s.arg(path).arg(xml.lineNumber()).arg(xml.errorString());
    return messages;
}

QSet<QString> placeholders(const QString &text)
{
    static const QRegularExpression re(u"%L?(\\d{1,2}|n)"_s);
    QSet<QString> found;
    for (const auto &match : re.globalMatch(text))
        found.insert(u'%' + match.captured(1));
    return found;
}

void addTsFileRows()
{
    QTest::addColumn<QString>("tsFile");
    const QStringList files = fromCMake(CLINICFLOW_TS_FILES);
    QVERIFY(!files.isEmpty());
    for (const QString &file : files)
        QTest::newRow(qPrintable(QFileInfo(file).fileName())) << file;
}

QString sorted(const QSet<QString> &set)
{
    QStringList list(set.begin(), set.end());
    list.sort();
    return list.join(u", "_s);
}

} // namespace

class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void upToDate_data() { addTsFileRows(); }
    void upToDate();
    void finished_data() { addTsFileRows(); }
    void finished();
    void placeholdersKept_data() { addTsFileRows(); }
    void placeholdersKept();
};

void TestTranslations::upToDate()
{
    QFETCH(QString, tsFile);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString fresh = dir.filePath(QFileInfo(tsFile).fileName()); // same name: lupdate guesses the language
    QStringList args = fromCMake(CLINICFLOW_TRANSLATION_SOURCE_DIRS) + fromCMake(CLINICFLOW_LUPDATE_OPTIONS);
    if (fromCMake(CLINICFLOW_TS_PLURALONLY_FILES).contains(tsFile))
        args << u"-pluralonly"_s;
    args << u"-silent"_s << u"-ts"_s << fresh;
    QProcess lupdate;
    lupdate.start(QString::fromUtf8(CLINICFLOW_LUPDATE), args);
    QVERIFY2(lupdate.waitForFinished(120'000), qPrintable(lupdate.errorString()));
    const QString warnings = QString::fromLocal8Bit(lupdate.readAllStandardError()).trimmed();
    QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0, qPrintable(warnings));
    // A warning (a tr() in a class without Q_OBJECT, say) means a string the app will not find under that context.
    QVERIFY2(warnings.isEmpty(), qPrintable(u"lupdate warns about the sources:\n"_s + warnings));

    QString error;
    const QList<Message> expected = readTs(fresh, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QSet<QString> inSources;
    for (const Message &m : expected)
        inSources.insert(m.key());
    const QList<Message> messages = readTs(tsFile, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList problems;
    QSet<QString> inFile;
    for (const Message &m : messages) {
        inFile.insert(m.key());
        if (m.type == u"vanished" || m.type == u"obsolete" || !inSources.contains(m.key()))
            problems << u"  no longer in the sources: "_s + m.name();
    }
    for (const Message &m : expected) {
        if (!inFile.contains(m.key()))
            problems << u"  missing from the file:    "_s + m.name();
    }
    QVERIFY2(!expected.isEmpty() || !inFile.isEmpty(), "neither the sources nor the file hold a message");
    QVERIFY2(problems.isEmpty(),
             qPrintable(u"%1 is out of date with the sources. Run `cmake --build build --target "
                        "update_translations`, translate what is new, and commit the file:\n%2"_s.arg(
                            tsFile, problems.join(u'\n'))));
}

void TestTranslations::finished()
{
    QFETCH(QString, tsFile);
    QString error;
    const QList<Message> messages = readTs(tsFile, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(!messages.isEmpty(), qPrintable(tsFile + u" holds no message"_s));
    QStringList problems;
    for (const Message &m : messages) {
        if (m.type == u"unfinished")
            problems << u"  unfinished: "_s + m.name();
        else if (m.forms.isEmpty() || m.forms.contains(QString()))
            problems << u"  empty:      "_s + m.name();
    }
    QVERIFY2(problems.isEmpty(), qPrintable(u"%1 has entries to translate:\n%2"_s.arg(tsFile, problems.join(u'\n'))));
}

void TestTranslations::placeholdersKept()
{
    QFETCH(QString, tsFile);
    QString error;
    const QList<Message> messages = readTs(tsFile, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QStringList problems;
    for (const Message &m : messages) {
        const QSet<QString> wanted = placeholders(m.source);
        for (const QString &form : m.forms) {
            const QSet<QString> got = placeholders(form);
            if (!form.isEmpty() && got != wanted) // an empty form is finished()'s to report
                problems << u"  %1 -> \"%2\": lacks {%3}, adds {%4}"_s.arg(m.name(), form, sorted(wanted - got),
                                                                           sorted(got - wanted));
        }
    }
    QVERIFY2(problems.isEmpty(),
             qPrintable(u"%1 has translations whose %-placeholders differ from the source's:\n%2"_s.arg(
                 tsFile, problems.join(u'\n'))));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "TestTranslations.moc"
