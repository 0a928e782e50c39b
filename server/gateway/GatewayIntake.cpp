#include "GatewayLoop.h"
#include "common/Logging.h"
#include "contexts/ContextWorker.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcGateway;

namespace clinicflow::server {

// The intake round runs without holding up this thread: while it commits, the loop keeps answering and
// delivering what the workers finished. Intakes complete in the order they were started.
void Gateway::Loop::startIntake(std::vector<Pending> submits)
{
    auto requests = std::make_shared<std::vector<IntakeRequest>>();
    requests->reserve(submits.size());
    for (const Pending &p : submits) {
        const v1::Submit &s = p.envelope.submit();
        const std::string bytes = s.command().SerializeAsString();
        requests->push_back(IntakeRequest{idFromString(QString::fromStdString(s.command_id())),
                                          QString::fromStdString(s.station()), commandContext(p.command),
                                          commandName(p.command), QByteArray(bytes.data(), qsizetype(bytes.size())),
                                          s.at_ms()});
    }
    auto results = std::make_shared<Result<std::vector<IntakeResult>>>(std::vector<IntakeResult>{});
    auto stored = m_commit.runAsync(
        [this, requests, results](Database &) -> Result<bool> {
            *results = m_intake->accept(*requests);
            return *results ? Result<bool>(true) : Result<bool>(results->error());
        },
        [this] { m_bus.ringGateway(); });
    m_intakes.push_back(Intake{std::move(submits), std::move(requests), std::move(results), std::move(stored)});
}

void Gateway::Loop::finishIntakes(bool wait)
{
    while (!m_intakes.empty()) {
        Intake &intake = m_intakes.front();
        if (!wait && intake.stored.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
            return;
        if (auto stored = intake.stored.get(); !stored)
            *intake.results = stored.error();
        answerIntake(intake);
        m_intakes.pop_front();
    }
}

void Gateway::Loop::answerIntake(Intake &intake)
{
    std::vector<Pending> &submits = intake.submits;
    const Result<std::vector<IntakeResult>> &results = *intake.results;
    if (!results) {
        qCCritical(lcGateway).noquote() << "cannot store" << submits.size() << "commands:" << results.error().message();
        for (const Pending &p : submits)
            replyError(p.identity, makeError(ErrorCode::ServerUnavailable, u"not stored; send again"_s),
                       p.envelope.request_id());
        return;
    }
    bool wake[3] = {false, false, false};
    for (std::size_t i = 0; i < submits.size(); ++i) {
        const IntakeResult &r = results->at(i);
        Pending &p = submits[i];
        if (r.stored || r.record.state == CommandState::Pending) {
            commandCounter(r.stored ? "queued" : "duplicate").inc();
            m_waiting.insert(r.record.commandId, QByteArray(p.identity.data<char>(), qsizetype(p.identity.size())));
            wake[std::size_t(intake.requests->at(i).context)] = true;
            v1::Envelope queued;
            queued.mutable_queued()->set_command_id(p.envelope.submit().command_id());
            reply(p.identity, queued, p.envelope.request_id());
        } else {
            commandCounter("duplicate").inc();
            v1::Envelope answer = outcomeEnvelope(r.record);
            reply(p.identity, answer, p.envelope.request_id());
        }
    }
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination}) {
        if (wake[std::size_t(context)])
            ContextWorker::doorbellOf(m_bus, context).ring();
    }
}

} // namespace clinicflow::server
