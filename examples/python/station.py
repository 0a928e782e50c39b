# An example ClinicFlow station for people writing their own (a kiosk, an EMR connector): it registers one visit at
# the front desk and follows it until a doctor is assigned, using only what docs/protocol.md describes.
#
#   python3 station.py --server tcp://127.0.0.1:7470 --pub tcp://127.0.0.1:7471 --station K
#
# It needs pyzmq, protobuf and the Python modules generated from shared/proto (see README.md beside this file).
# Exit status: 0 when the doctor's assignment was seen, 1 on a refusal or a timeout, 2 on a usage problem.

import argparse
import json
import sys
import time
import uuid

try:
    import zmq
except ImportError:
    sys.exit("station.py: pyzmq is missing (Debian: apt-get install python3-zmq)")
try:
    from clinicflow.v1 import common_pb2, envelope_pb2
except ImportError as error:
    sys.exit("station.py: cannot import the generated protocol modules (%s).\n"
             "Generate them with: protoc -I shared/proto --python_out=OUT shared/proto/clinicflow/v1/*.proto\n"
             "and put OUT on PYTHONPATH." % error)

PROTOCOL_VERSION = 1      # Hello.protocol_version this example speaks
REQUEST_TIMEOUT = 3.0     # seconds before an unanswered request is sent again (resending is harmless)
GAP_WAIT = 0.2            # seconds a sequence gap may stay open before FetchEvents fills it
QUEUED_RECHECK = 15.0     # seconds a queued command may wait for its outcome before it is asked about again
PING_EVERY = 2.0          # seconds between Pings while the DEALER is quiet


class StationError(Exception):
    """A problem that ends the run: the message says what happened."""


def now_ms():
    return int(time.time() * 1000)


def error_name(code):
    """ERROR_CODE_VISIT_NOT_FOUND for 200; the number itself for a code newer than these modules."""
    try:
        return common_pb2.ErrorCode.Name(code)
    except ValueError:
        return str(code)


class Station:
    """One station's connection: a DEALER for requests and replies, a SUB for the published status.

    Everything arrives through pump(): replies are matched to their request by request_id, command outcomes by
    command_id (they may come on either socket), and events are put in sequence order, with FetchEvents filling
    any gap the PUB socket left.
    """

    def __init__(self, enrolment, request_endpoint=None, pub_endpoint=None, echo=print):
        """enrolment: the dict load_enrolment() read. The endpoints default to the enrolment's server."""
        self.code = enrolment["station"]
        self.echo = echo  # where progress lines go
        server = enrolment["server"]
        request_endpoint = request_endpoint or "tcp://%s:%d" % (server["address"], server["port"])
        pub_endpoint = pub_endpoint or "tcp://%s:%d" % (server["address"], server["pub_port"])
        self.context = zmq.Context()
        # SUB first, so nothing published after our Hello is missed. Two topics: the common one (events without
        # personal fields, outcomes, heartbeats) and our role's (registrations, with the fields our role may read).
        self.sub = self.context.socket(zmq.SUB)
        self.sub.setsockopt(zmq.LINGER, 0)
        self.sub.setsockopt(zmq.SUBSCRIBE, b"common")
        self.sub.setsockopt(zmq.SUBSCRIBE, ("events." + enrolment["role"]).encode("ascii"))
        # One frame per message on the DEALER: no empty delimiter frame (the server's ROUTER adds the identity).
        self.dealer = self.context.socket(zmq.DEALER)
        self.dealer.setsockopt(zmq.LINGER, 0)
        # Every socket speaks CURVE with the station's enrolled key pair, to the server's key.
        for socket in (self.sub, self.dealer):
            socket.curve_serverkey = server["public_key"].encode("ascii")
            socket.curve_publickey = enrolment["keys"]["public"].encode("ascii")
            socket.curve_secretkey = enrolment["keys"]["secret"].encode("ascii")
        self.sub.connect(pub_endpoint)
        self.dealer.connect(request_endpoint)
        self.poller = zmq.Poller()
        self.poller.register(self.dealer, zmq.POLLIN)
        self.poller.register(self.sub, zmq.POLLIN)

        self.next_request_id = 0
        self.replies = {}        # request_id -> the reply Envelope
        self.outcomes = {}       # command_id -> the Applied or Rejected Envelope
        self.position = None     # last sequence delivered in order; None until Welcome
        self.known_head = 0      # highest sequence the server said exists
        self.early = {}          # sequence -> Event that arrived before the ones below it
        self.delivered = []      # Events in sequence order, for the caller to read
        self.gap_since = None
        self.fetch_request = None  # request_id of the FetchEvents on its way
        self.fetch_sent_at = 0.0
        self.last_reply_at = time.monotonic()
        self.last_ping_at = 0.0
        self.catalogue = None
        self.server_id = None
        self.role = None

    def close(self):
        self.context.destroy(linger=0)

    # Sending

    def send(self, envelope):
        """Sends a request with a fresh request_id and returns that id."""
        self.next_request_id += 1
        envelope.request_id = self.next_request_id
        self.dealer.send(envelope.SerializeToString())
        return envelope.request_id

    def hello(self, role, deadline):
        """Says Hello until a Welcome comes back; afterwards events are followed from the server's head."""
        self.role = role
        while True:
            envelope = envelope_pb2.Envelope()
            envelope.hello.protocol_version = PROTOCOL_VERSION
            envelope.hello.station = self.code
            envelope.hello.role = role
            envelope.hello.last_sequence = 0  # a fresh station: no replica
            envelope.hello.client_version = "clinicflow-example-station/1"
            request_id = self.send(envelope)
            reply = self.wait_reply(request_id, min(deadline, time.monotonic() + REQUEST_TIMEOUT))
            if reply is None:
                if time.monotonic() >= deadline:
                    raise StationError("no Welcome from the server (is it running? are the endpoints right?)")
                continue  # Hello is safe to repeat
            if reply.WhichOneof("body") == "error":
                raise StationError("Hello refused: %s %s" % (error_name(reply.error.code), reply.error.message))
            welcome = reply.welcome
            if self.server_id is not None and welcome.server_id != self.server_id:
                raise StationError("server %s answers now, not %s: start again" % (welcome.server_id, self.server_id))
            self.server_id = welcome.server_id
            self.catalogue = welcome.catalogue
            # This example keeps no replica: it follows the log from the current head on.
            if self.position is None:
                self.position = welcome.head_sequence
            self.note_head(welcome.head_sequence)
            return welcome

    # Receiving

    def pump(self, timeout):
        """Reads whatever arrives within `timeout` seconds, then keeps the event stream whole."""
        for socket, _ in self.poller.poll(int(timeout * 1000)):
            while True:
                try:
                    frames = socket.recv_multipart(zmq.NOBLOCK)
                except zmq.Again:
                    break
                # A reply is one frame; a publication is its topic, then the envelope. Anything else is not ours.
                if len(frames) != (1 if socket is self.dealer else 2):
                    continue
                envelope = envelope_pb2.Envelope()
                try:
                    envelope.ParseFromString(frames[-1])
                except Exception:  # protobuf's DecodeError: not an Envelope
                    continue
                if socket is self.dealer:
                    self.last_reply_at = time.monotonic()
                    self.on_reply(envelope)
                else:
                    self.on_published(envelope)
        self.repair_gaps()
        self.keep_alive()

    def on_reply(self, envelope):
        body = envelope.WhichOneof("body")
        if body in ("applied", "rejected"):
            self.note_outcome(envelope)
        if body == "event_batch":
            self.on_event_batch(envelope)
        elif body == "pong":
            self.note_head(envelope.pong.head_sequence)
        if envelope.request_id != 0:
            self.replies[envelope.request_id] = envelope

    def on_published(self, envelope):
        body = envelope.WhichOneof("body")
        if body == "event_batch":
            # The role's topic: a run of the log per message, every event redacted for this station's role.
            for event in envelope.event_batch.events:
                self.add_event(event)
        elif body == "event":
            self.add_event(envelope.event)  # from a server before December 2026, on the common topic
        elif body == "heartbeat":
            # Every event up to head_sequence was published before this heartbeat: a lower position is a gap.
            self.note_head(envelope.heartbeat.head_sequence)
        elif body in ("applied", "rejected"):
            self.note_outcome(envelope)

    def note_outcome(self, envelope):
        outcome = getattr(envelope, envelope.WhichOneof("body"))
        self.outcomes.setdefault(outcome.command_id, envelope)
        if envelope.WhichOneof("body") == "applied" and outcome.sequences:
            # The events it names may not have reached us on PUB yet: they are fetched if they do not come.
            self.note_head(max(outcome.sequences))

    def note_head(self, head):
        self.known_head = max(self.known_head, head)

    def add_event(self, event):
        if self.position is None or event.sequence <= self.position:
            return  # before our Welcome, or a repeat (PUB and a fetched page may overlap)
        self.note_head(event.sequence)
        self.early[event.sequence] = event
        while self.position + 1 in self.early:
            self.position += 1
            self.delivered.append(self.early.pop(self.position))

    def on_event_batch(self, envelope):
        batch = envelope.event_batch
        for event in batch.events:
            self.add_event(event)
        if batch.head_sequence < self.position:
            raise StationError("the server's log ends at %d, before our position %d: another or a restored server"
                               % (batch.head_sequence, self.position))
        self.note_head(batch.head_sequence)
        if envelope.request_id == self.fetch_request:
            self.fetch_request = None
            if batch.more:
                self.fetch()

    def repair_gaps(self):
        """A gap (a head we know of beyond our position) that stays open GAP_WAIT seconds is fetched."""
        now = time.monotonic()
        if self.position is None or self.known_head <= self.position:
            self.gap_since = None
            return
        if self.gap_since is None:
            self.gap_since = now
        waited = now - self.gap_since >= GAP_WAIT
        lost = self.fetch_request is not None and now - self.fetch_sent_at >= REQUEST_TIMEOUT
        if (self.fetch_request is None and waited) or lost:
            self.fetch()

    def fetch(self):
        envelope = envelope_pb2.Envelope()
        envelope.fetch_events.after_sequence = self.position
        envelope.fetch_events.limit = 1000
        self.fetch_request = self.send(envelope)
        self.fetch_sent_at = time.monotonic()
        self.gap_since = None

    def keep_alive(self):
        now = time.monotonic()
        if now - self.last_reply_at >= PING_EVERY and now - self.last_ping_at >= PING_EVERY:
            envelope = envelope_pb2.Envelope()
            envelope.ping.nonce = self.next_request_id + 1
            self.send(envelope)
            self.last_ping_at = now

    # Waiting

    def wait_reply(self, request_id, deadline):
        while request_id not in self.replies:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.pump(min(remaining, 0.05))
        return self.replies.pop(request_id)

    def submit(self, command_id, fill_command, deadline):
        """Sends a command until the server takes it, then waits for its outcome (the Applied or Rejected)."""
        said_hello_again = False
        while True:
            envelope = envelope_pb2.Envelope()
            envelope.submit.command_id = command_id
            envelope.submit.station = self.code  # must be the station named in Hello
            envelope.submit.at_ms = now_ms()
            fill_command(envelope.submit.command)
            request_id = self.send(envelope)
            reply = self.wait_reply(request_id, min(deadline, time.monotonic() + REQUEST_TIMEOUT))
            if reply is None:
                if time.monotonic() >= deadline:
                    raise StationError("command %s: no answer from the server" % command_id)
                continue  # same command id: the server answers a resent command with its stored result
            body = reply.WhichOneof("body")
            if body == "queued":
                self.echo("queued   command %s" % command_id)
                if self.wait_outcome(command_id, min(deadline, time.monotonic() + QUEUED_RECHECK)):
                    return self.outcomes[command_id]
                if time.monotonic() >= deadline:
                    raise StationError("command %s: queued, but no outcome in time" % command_id)
                continue  # the outcome may have been dropped: asking again returns the stored one
            code = reply.error.code if body == "error" else reply.rejected.code if body == "rejected" else 0
            if code == common_pb2.ERROR_CODE_UNKNOWN_STATION and not said_hello_again:
                # The server restarted and forgot our session (older servers answered Rejected, newer ones Error):
                # say Hello again and resend under the same command id.
                self.outcomes.pop(command_id, None)
                self.hello(self.role, deadline)
                said_hello_again = True
                continue
            if body in ("applied", "rejected"):
                return reply  # a resent command that was already resolved, or a refusal by the gateway
            if body == "error" and code == common_pb2.ERROR_CODE_SERVER_UNAVAILABLE:
                time.sleep(1.0)  # the server is shutting down: nothing was stored, send it again later
                continue
            raise StationError("command %s not taken: %s %s" % (command_id, error_name(code), reply.error.message))

    def wait_outcome(self, command_id, until):
        """True once the command's Applied or Rejected arrived (on either socket), False at `until`."""
        while command_id not in self.outcomes:
            if time.monotonic() >= until:
                return False
            self.pump(0.05)
        return True

    def wait_events(self, wanted, deadline):
        """Yields, in sequence order, the events for which wanted(event) is true, until the deadline."""
        while True:
            while self.delivered:
                event = self.delivered.pop(0)
                if wanted(event):
                    yield event
            if deadline <= time.monotonic():
                return
            self.pump(0.05)


def load_enrolment(path):
    """The enrolment file `clinicflow-server enrol` wrote: the station, its role, its server and its keys."""
    with open(path, encoding="utf-8") as f:
        enrolment = json.load(f)
    if enrolment.get("format") != "clinicflow-enrolment":
        raise StationError("%s is not a ClinicFlow enrolment file" % path)
    return enrolment


def parse_arguments():
    parser = argparse.ArgumentParser(description="Register one visit and follow it until a doctor is assigned.")
    parser.add_argument("--enrolment", required=True,
                        help="the desk's enrolment file (clinicflow-server enrol --role receptionist): its station "
                             "code, its server and its keys")
    parser.add_argument("--server", help="the gateway's request port, e.g. tcp://127.0.0.1:7470 (default: the "
                                         "enrolment's)")
    parser.add_argument("--pub", help="the gateway's status port, e.g. tcp://127.0.0.1:7471 (default: the "
                                      "enrolment's)")
    parser.add_argument("--department", default="IM", help="department code from the catalogue (default IM)")
    parser.add_argument("--ticket", type=int, default=0,
                        help="ticket number 1..9999 (default: derived from the time of day)")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait in all (default 30)")
    options = parser.parse_args()
    try:
        options.enrolment = load_enrolment(options.enrolment)
    except (OSError, ValueError, StationError) as e:
        parser.error("--enrolment: %s" % e)
    options.station = options.enrolment["station"]
    if options.enrolment.get("role") != "receptionist":
        parser.error("--enrolment: station %s is a %s station; registering a visit takes a receptionist's"
                     % (options.station, options.enrolment.get("role")))
    if options.ticket == 0:
        options.ticket = int(time.time()) % 9999 + 1
    if not 1 <= options.ticket <= 9999:
        parser.error("--ticket must be from 1 to 9999")
    return options


def run(options):
    deadline = time.monotonic() + options.timeout
    station = Station(options.enrolment, options.server, options.pub)
    try:
        welcome = station.hello(common_pb2.ROLE_RECEPTIONIST, deadline)
        print("welcome  server %s, head sequence %d" % (welcome.server_id, welcome.head_sequence))
        departments = [d.code for d in welcome.catalogue.departments]
        if options.department not in departments:
            raise StationError("department %s is not in the server's catalogue (%s)"
                               % (options.department, ", ".join(departments)))

        visit_id = str(uuid.uuid4())    # the station makes the visit's id: registering works offline
        command_id = str(uuid.uuid4())  # the idempotency key: resend under the same id, never a new one

        def register_visit(command):
            visit = command.register_visit
            visit.reception_id = visit_id
            visit.ticket.station = options.station
            visit.ticket.number = options.ticket
            visit.patient.name = "Example Patient"
            visit.patient.birth_date = "1970-01-01"
            visit.patient.sex = common_pb2.SEX_UNSPECIFIED
            visit.department = options.department
            visit.chief_complaint = "example: persistent cough"
            visit.priority = common_pb2.PRIORITY_NORMAL

        print("submit   RegisterVisit %s-%03d, visit %s" % (options.station, options.ticket, visit_id))
        outcome = station.submit(command_id, register_visit, deadline)
        if outcome.WhichOneof("body") == "rejected":
            rejected = outcome.rejected
            raise StationError("RegisterVisit rejected: %s %s" % (error_name(rejected.code), rejected.message))
        print("applied  command %s, events %s" % (command_id, list(outcome.applied.sequences)))

        # The saga goes on without us: the diagnosis context assigns a doctor (DiagnosisRegistered, which carries
        # the diagnosis id the server made), then the reception context starts the treatment (TreatmentStarted).
        # Each reaction names the event that caused it in causation_id.
        waiting_for = {"DiagnosisRegistered", "TreatmentStarted"}
        for event in station.wait_events(lambda e: e.visit_id == visit_id, deadline):
            print("event    #%d %s, id %s, caused by %s" % (event.sequence, event.type, event.id, event.causation_id))
            if event.HasField("diagnosis_registered"):
                assigned = event.diagnosis_registered
                print("         doctor %s assigned, diagnosis %s" % (assigned.doctor, assigned.diagnosis_id))
            waiting_for.discard(event.type)
            if not waiting_for:
                print("done     visit %s is in treatment" % visit_id)
                return 0
        raise StationError("timed out waiting for %s of visit %s" % (" and ".join(sorted(waiting_for)), visit_id))
    finally:
        station.close()


def main():
    options = parse_arguments()
    try:
        return run(options)
    except StationError as error:
        print("station.py: %s" % error, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 1


if __name__ == "__main__":
    sys.exit(main())
