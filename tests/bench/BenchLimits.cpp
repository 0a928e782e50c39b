#include "BenchLimits.h"

#include <QElapsedTimer>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>
#include <zmq.hpp>
#include <zmq_addon.hpp>

using namespace Qt::StringLiterals;

namespace clinicflow::bench {

void printFigure(const Figure &f)
{
    std::printf("  %-58s %12.1f %s\n", qPrintable(f.name), f.value, qPrintable(f.unit));
    std::fflush(stdout);
}

void benchZeroMqRoundTrips(int count)
{
    zmq::context_t context(1);
    zmq::socket_t router(context, zmq::socket_type::router);
    router.set(zmq::sockopt::linger, 0);
    router.bind("tcp://127.0.0.1:*");
    const std::string endpoint = router.get(zmq::sockopt::last_endpoint);
    std::thread echo([&router, count] {
        for (int i = 0; i < count; ++i) {
            std::vector<zmq::message_t> frames;
            if (!zmq::recv_multipart(router, std::back_inserter(frames)))
                return;
            zmq::send_multipart(router, frames);
        }
    });
    zmq::socket_t dealer(context, zmq::socket_type::dealer);
    dealer.set(zmq::sockopt::linger, 0);
    dealer.connect(endpoint);
    std::vector<double> micros;
    micros.reserve(std::size_t(count));
    const std::string payload(200, 'x'); // about the size of a Submit
    QElapsedTimer total;
    total.start();
    for (int i = 0; i < count; ++i) {
        QElapsedTimer one;
        one.start();
        dealer.send(zmq::buffer(payload));
        zmq::message_t reply;
        if (!dealer.recv(reply))
            break;
        micros.push_back(double(one.nsecsElapsed()) / 1000.0);
    }
    const double seconds = double(total.nsecsElapsed()) / 1e9;
    echo.join();
    std::sort(micros.begin(), micros.end());
    printFigure({u"bare ZeroMQ DEALER<->ROUTER round trips"_s, double(micros.size()) / seconds, u"round trips/s"_s});
    printFigure({u"bare ZeroMQ round trip p50"_s, micros[micros.size() / 2], u"us"_s});
    printFigure({u"bare ZeroMQ round trip p99"_s, micros[micros.size() * 99 / 100], u"us"_s});
}

void benchSqliteInserts(const QString &folder, int rows, int rowsPerCommit)
{
    const QString name = u"bench-sqlite-%1"_s.arg(rowsPerCommit);
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(u"QSQLITE"_s, name);
        db.setDatabaseName(folder + u"/raw-%1.sqlite"_s.arg(rowsPerCommit));
        if (!db.open()) {
            std::printf("  cannot open SQLite: %s\n", qPrintable(db.lastError().text()));
            return;
        }
        QSqlQuery q(db);
        q.exec(u"PRAGMA journal_mode=WAL"_s);
        q.exec(u"PRAGMA synchronous=FULL"_s);
        q.exec(u"CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, a TEXT NOT NULL, b BLOB NOT NULL)"_s);
        QSqlQuery insert(db);
        insert.prepare(u"INSERT INTO t (a, b) VALUES (?, ?)"_s);
        const QByteArray blob(300, 'x');
        QElapsedTimer timer;
        timer.start();
        for (int done = 0; done < rows;) {
            q.exec(u"BEGIN IMMEDIATE"_s);
            for (int i = 0; i < rowsPerCommit && done < rows; ++i, ++done) {
                insert.bindValue(0, u"3f2c6a4e-5b1d-4c8e-9a7f-0d1e2f3a4b5c"_s);
                insert.bindValue(1, blob);
                insert.exec();
            }
            q.exec(u"COMMIT"_s);
        }
        const double seconds = double(timer.nsecsElapsed()) / 1e9;
        printFigure(
            {u"bare SQLite WAL FULL inserts, %1 per commit"_s.arg(rowsPerCommit), double(rows) / seconds, u"rows/s"_s});
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
}

} // namespace clinicflow::bench
