// Counting and rate-limited logging of the HTTP socket side's refusals (see HttpRefusals.h).
#include "HttpRefusals.h"

#include "common/Logging.h"
#include "common/Metrics.h"

using namespace Qt::StringLiterals;

namespace clinicflow::server {

HttpRefusals::HttpRefusals(QObject *parent, int windowMs)
    : QObject(parent)
    , m_windowMs(windowMs)
{
    m_flush.setSingleShot(true);
    m_flush.setTimerType(Qt::PreciseTimer);
    connect(&m_flush, &QTimer::timeout, this, [this] { flush(false); });
}

HttpRefusals::~HttpRefusals()
{
    flush(true);
}

void HttpRefusals::refused(const QString &reason, const QString &line)
{
    common::Metrics::global()
        .counter(u"clinicflow_http_refused_total"_s,
                 u"HTTP requests and connections refused at the socket, before any route, by reason"_s,
                 {{u"reason"_s, reason}})
        .inc();
    Window &window = m_windows[reason];
    if (window.started.isValid() && window.started.elapsed() < m_windowMs) {
        ++window.suppressed;
        if (!m_flush.isActive())
            m_flush.start(int(std::max<qint64>(0, m_windowMs - window.started.elapsed())));
        return;
    }
    if (window.suppressed > 0) { // the window ended before its summary was written: this one joins the summary
        ++window.suppressed;
        summarize(reason, window);
        return;
    }
    window.started.start();
    qCWarning(common::lcHttp).noquote() << line;
}

void HttpRefusals::summarize(const QString &reason, Window &window)
{
    qCWarning(common::lcHttp).noquote() << u"HTTP: %1 more refused (%2) in the last %3 s"_s.arg(window.suppressed)
                                               .arg(reason)
                                               .arg(std::max<qint64>(1, window.started.elapsed() / 1000));
    // A new window: a steady flood gives one line per window, never one per refusal.
    window.started.start();
    window.suppressed = 0;
}

void HttpRefusals::flush(bool all)
{
    qint64 next = -1; // ms until the next window with something to say ends
    for (auto it = m_windows.begin(); it != m_windows.end(); ++it) {
        Window &window = it.value();
        if (window.suppressed == 0)
            continue;
        const qint64 elapsed = window.started.elapsed();
        if (!all && elapsed < m_windowMs)
            next = next < 0 ? m_windowMs - elapsed : std::min(next, m_windowMs - elapsed);
        else
            summarize(it.key(), window);
    }
    if (!all && next >= 0)
        m_flush.start(int(next));
}

QString HttpRefusals::quote(std::string_view bytes)
{
    QString text;
    const auto shown = std::min<std::size_t>(bytes.size(), std::size_t(kMaxQuoted));
    text.reserve(qsizetype(shown) + 1);
    for (std::size_t i = 0; i < shown; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        text.append(c >= 0x20 && c < 0x7f ? QChar(char16_t(c)) : QChar(u'?'));
    }
    if (bytes.size() > shown)
        text.append(u'…');
    return text;
}

QString HttpRefusals::quote(const QString &text)
{
    QString safe = text.left(kMaxQuoted);
    for (QChar &c : safe)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = u'?';
    if (text.size() > kMaxQuoted)
        safe.append(u'…');
    return safe;
}

} // namespace clinicflow::server
