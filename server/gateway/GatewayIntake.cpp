#include "GatewayLoop.h"
#include "common/Logging.h"
#include "contexts/ContextWorker.h"
#include "proto/Convert.h"

using namespace Qt::StringLiterals;
using namespace clinicflow::domain;
using clinicflow::common::lcGateway;

namespace clinicflow::server {

IntakeRequest Gateway::Loop::intakeRequest(const Pending &p)
{
    const v1::Submit &s = p.envelope.submit();
    IntakeRequest request{idFromString(QString::fromStdString(s.command_id())),
                          p.station,
                          BoundedContext::Reception,
                          u"unknown"_s,
                          {},
                          commandFingerprint(s, p.command),
                          s.at_ms(),
                          {},
                          {}};
    if (p.command) {
        const std::string bytes = s.command().SerializeAsString();
        request.context = commandContext(p.command.value());
        request.type = commandName(p.command.value());
        request.payload = QByteArray(bytes.data(), qsizetype(bytes.size()));
    } else {
        request.refusal = p.command.error();
        // A command refused for who sent it still names its target: the audit trail records on which visit.
        if (auto decoded = proto::fromProto(s.command())) {
            request.context = commandContext(decoded.value());
            request.target = commandTarget(decoded.value());
            request.type = commandName(decoded.value());
        } else if (s.command().kind_case() != v1::Command::KIND_NOT_SET) {
            request.type =
                QString::fromLatin1(v1::Command::descriptor()->FindFieldByNumber(int(s.command().kind_case()))->name());
        }
    }
    return request;
}

// The intake round runs without holding up this thread: while it commits, the loop keeps answering and
// delivering what the workers finished, and gathers the next submits for the intake after it.
void Gateway::Loop::startIntake(std::vector<Pending> submits, std::vector<IntakeRequest> requests)
{
    auto taken = std::make_shared<std::vector<IntakeRequest>>(std::move(requests));
    auto results = std::make_shared<Result<std::vector<IntakeResult>>>(std::vector<IntakeResult>{});
    auto open = std::make_shared<IntakeOpen>();
    // The intake opens with its look-up of the commands, through the pipeline where there is one (BatchStatement).
    auto stored = m_commit.runAsync(
        [this, taken, results, open](Database &) -> Result<bool> {
            {
                std::lock_guard lock(open->mutex);
                open->begun = true; // what joined it until now is all it stores
            }
            *results = m_intake->accept(*taken);
            return *results ? Result<bool>(true) : Result<bool>(results->error());
        },
        [this] { m_bus.ringGateway(); }, GroupCommit::Opening::Pipelined);
    m_intakes.push_back(
        Intake{std::move(submits), std::move(taken), std::move(results), std::move(stored), std::move(open)});
}

void Gateway::Loop::startWaitingIntake()
{
    if (m_submitsWaiting.empty())
        return;
    std::vector<IntakeRequest> requests;
    requests.reserve(m_submitsWaiting.size());
    for (const Pending &p : m_submitsWaiting)
        requests.push_back(intakeRequest(p));
    if (!m_intakes.empty()) {
        Intake &last = m_intakes.back();
        std::lock_guard lock(last.open->mutex);
        if (!last.open->begun) {
            std::move(requests.begin(), requests.end(), std::back_inserter(*last.requests));
            std::move(m_submitsWaiting.begin(), m_submitsWaiting.end(), std::back_inserter(last.submits));
            m_submitsWaiting.clear();
            return;
        }
    }
    startIntake(std::exchange(m_submitsWaiting, {}), std::move(requests));
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
    Result<std::vector<IntakeResult>> &results = *intake.results;
    // A round that failed before its unit ran leaves no result for what joined the intake: none is stored.
    if (results && results->size() != submits.size())
        results = makeError(ErrorCode::InternalError, u"the intake's round ended without running it"_s);
    if (!results) {
        // Each station is answered; the log has the first failures of a database that went away, then a count.
        if (warnAboutDatabase(u"storing commands"_s))
            qCCritical(lcGateway).noquote()
                << "cannot store" << submits.size() << "commands:" << results.error().message();
        for (const Pending &p : submits) {
            m_limits.commandAnswered(p.station);
            replyError(p.identity, makeError(ErrorCode::ServerUnavailable, u"not stored; send again"_s),
                       p.envelope.request_id());
        }
        return;
    }
    bool wake[3] = {false, false, false};
    for (std::size_t i = 0; i < submits.size(); ++i) {
        const IntakeResult &r = results->at(i);
        Pending &p = submits[i];
        const IntakeRequest &request = intake.requests->at(i);
        if (r.kind == IntakeResult::Refused || r.kind == IntakeResult::Reused) {
            commandCounter(r.kind == IntakeResult::Refused ? "refused" : "reused").inc();
            if (warnAbout(request.station))
                qCWarning(lcGateway).noquote() << "command" << idString(r.record.commandId) << "from" << request.station
                                               << "refused:" << common::clipped(r.record.rejection.message(), 200);
        }
        if (r.kind == IntakeResult::Queued || r.record.state == CommandState::Pending) {
            commandCounter(r.kind == IntakeResult::Queued ? "queued" : "duplicate").inc();
            noteWaiting(r.record.commandId, QByteArray(p.identity.data<char>(), qsizetype(p.identity.size())),
                        request.context, request.station, p.arrived);
            wake[std::size_t(request.context)] = true;
            v1::Envelope queued;
            queued.mutable_queued()->set_command_id(idString(r.record.commandId).toStdString());
            reply(p.identity, queued, p.envelope.request_id());
            observeAnswer("queued", p.arrived);
            claimEarlyOutcome(r.record.commandId);
        } else {
            m_limits.commandAnswered(request.station);
            if (r.kind == IntakeResult::Seen)
                commandCounter("duplicate").inc();
            v1::Envelope answer = outcomeEnvelope(r.record);
            reply(p.identity, answer, p.envelope.request_id());
            observeAnswer("outcome", p.arrived);
        }
    }
    for (auto context : {BoundedContext::Reception, BoundedContext::Diagnosis, BoundedContext::Examination}) {
        if (wake[std::size_t(context)])
            ContextWorker::doorbellOf(m_bus, context).ring();
    }
}

} // namespace clinicflow::server
