// The HTTP socket side's refusals (a request over a limit, a malformed or slow head, the connection cap), counted in
// clinicflow_http_refused_total{reason} and logged so that no peer can flood the log: the first refusal of a reason
// in a 10 s window is logged in full, the others of that window are counted, and one line at the window's end says
// how many more there were.
#pragma once

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>
#include <QTimer>
#include <string_view>

namespace clinicflow::server {

class HttpRefusals final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpRefusals)
public:
    static constexpr int kWindowMs = 10'000;
    static constexpr qsizetype kMaxQuoted = 200; // characters of a peer's bytes quoted in a log line

    explicit HttpRefusals(QObject *parent = nullptr, int windowMs = kWindowMs); // tests shorten the window
    ~HttpRefusals() override;                                                   // logs the summaries still pending

    // reason: the metric's label, a snake_case name ("uri_too_long"); line: the warning, with anything the peer
    // wrote already passed through quote().
    void refused(const QString &reason, const QString &line);

    // A peer's bytes made safe for a log line: at most kMaxQuoted characters (then "…"), control characters and
    // non-ASCII bytes as '?'.
    static QString quote(std::string_view bytes);
    static QString quote(const QString &text);

private:
    struct Window
    {
        QElapsedTimer started;
        qint64 suppressed = 0;
    };
    void flush(bool all);
    void summarize(const QString &reason, Window &window);

    int m_windowMs;
    QHash<QString, Window> m_windows;
    QTimer m_flush;
};

} // namespace clinicflow::server
