# Puts data into a fresh clinicflow-server over the ZeroMQ protocol, so that the HTTP contract test meets every shape
# the REST API can answer: visits in each status, diagnoses waiting, with pending, ready, reviewed results, completed,
# refused and withdrawn, and examinations requested, performed, cancelled and withdrawn (for either reason).
# Stations are the example's (examples/python/station.py): a desk, a doctor's room per department (a doctor acts on
# their own patients only) and an examiner, each on its own sockets.

import os
import time
import uuid

from clinicflow.v1 import common_pb2
from station import Station, StationError, error_name, load_enrolment


# Each department's doctor, asked for at registration, and the code of the room enrolled for them.
DOCTORS = {"IM": ("dr.kim", "D"), "GS": ("dr.park", "DG"), "PED": ("dr.choi", "DP"), "ORTH": ("dr.jung", "DO")}


class Scenario:
    """Stations on one server, and what they made: ids by name, for the checks to read back over HTTP."""

    def __init__(self, request_endpoint, pub_endpoint, enrolments, timeout=60.0):
        """enrolments: the folder with R, X and the doctors' enrolment files (with_server.py --enrol)."""
        self.deadline = time.monotonic() + timeout
        quiet = lambda line: None  # noqa: E731 (the stations' progress lines are not worth printing here)
        station = lambda code: Station(load_enrolment(os.path.join(enrolments, code + ".enrolment.json")),  # noqa
                                       request_endpoint, pub_endpoint, echo=quiet)
        self.desk = station("R")
        self.doctors = {department: station(code) for department, (_, code) in DOCTORS.items()}
        self.examiner = station("X")
        self.desk.hello(common_pb2.ROLE_RECEPTIONIST, self.deadline)
        for doctor in self.doctors.values():
            doctor.hello(common_pb2.ROLE_DOCTOR, self.deadline)
        self.examiner.hello(common_pb2.ROLE_EXAMINER, self.deadline)
        self.doctor_of = {}     # visit name -> the room of the doctor it was assigned to
        self.tickets = 0
        self.visits = {}        # name -> reception (visit) id
        self.diagnoses = {}     # name -> diagnosis id
        self.examinations = {}  # name -> (examination id, expected status)
        self.events = []        # every event the desk saw, in sequence order

    def close(self):
        for station in [self.desk, self.examiner] + list(self.doctors.values()):
            station.close()

    # Commands

    def command(self, station, fill):
        command_id = str(uuid.uuid4())
        outcome = station.submit(command_id, fill, self.deadline)
        if outcome.WhichOneof("body") != "applied":
            rejected = outcome.rejected
            raise StationError("station %s: command rejected: %s %s"
                               % (station.code, error_name(rejected.code), rejected.message))
        return outcome.applied

    def wait_event(self, type_name, matches=lambda e: True):
        """The first event of that type, in order, that matches; the desk follows the whole log."""
        for event in self.events:
            if event.type == type_name and matches(event):
                return event
        for event in self.desk.wait_events(lambda e: True, self.deadline):
            self.events.append(event)
            if event.type == type_name and matches(event):
                return event
        raise StationError("no %s event in time" % type_name)

    def register(self, name, department="IM"):
        visit_id = str(uuid.uuid4())
        self.tickets += 1

        def fill(command):
            visit = command.register_visit
            visit.reception_id = visit_id
            visit.ticket.station = self.desk.code
            visit.ticket.number = self.tickets
            visit.patient.name = "Contract Patient %d" % self.tickets
            visit.patient.birth_date = "1985-06-15"
            visit.patient.sex = common_pb2.SEX_FEMALE
            visit.department = department
            visit.requested_doctor = DOCTORS[department][0]
            visit.chief_complaint = "contract test"
            visit.priority = common_pb2.PRIORITY_URGENT if self.tickets % 2 else common_pb2.PRIORITY_NORMAL

        self.command(self.desk, fill)
        # The doctor can act only once the saga registered the diagnosis; its id comes in that event.
        assigned = self.wait_event("DiagnosisRegistered", lambda e: e.visit_id == visit_id)
        self.wait_event("TreatmentStarted", lambda e: e.visit_id == visit_id)
        self.visits[name] = visit_id
        self.diagnoses[name] = assigned.diagnosis_registered.diagnosis_id
        self.doctor_of[name] = self.doctors[department]
        return visit_id

    def prescribe(self, visit, name, code):
        examination_id = str(uuid.uuid4())  # the doctor's station makes the examination's id
        diagnosis_id = self.diagnoses[visit]

        def fill(command):
            command.prescribe_examination.diagnosis_id = diagnosis_id
            command.prescribe_examination.examination_id = examination_id
            command.prescribe_examination.code = code
            command.prescribe_examination.note = "contract test"

        self.command(self.doctor_of[visit], fill)
        # The examiner can act only once the examination context took the prescription.
        self.wait_event("ExaminationRequested", lambda e: e.examination_requested.examination_id == examination_id)
        self.examinations[name] = (examination_id, "requested")
        return examination_id

    def perform(self, name):
        examination_id = self.examinations[name][0]

        def fill(command):
            command.perform_examination.examination_id = examination_id
            command.perform_examination.result = "within normal limits"

        self.command(self.examiner, fill)
        self.examinations[name] = (examination_id, "performed")

    def cancel_examination(self, name):
        examination_id = self.examinations[name][0]

        def fill(command):
            command.cancel_examination.examination_id = examination_id
            command.cancel_examination.reason = "equipment unavailable"

        self.command(self.examiner, fill)
        self.examinations[name] = (examination_id, "cancelled")

    def doctor_note(self, visit, kind, note="contract test"):
        """ReviewResults, CompleteTreatment or RefuseTreatment (kind is the Command field's name)."""
        diagnosis_id = self.diagnoses[visit]

        def fill(command):
            body = getattr(command, kind)
            body.diagnosis_id = diagnosis_id
            body.note = note

        return self.command(self.doctor_of[visit], fill)

    def desk_command(self, visit, kind):
        """CancelVisit or ConfirmOutcome (kind is the Command field's name)."""
        visit_id = self.visits[visit]

        def fill(command):
            getattr(command, kind).reception_id = visit_id

        return self.command(self.desk, fill)

    # The whole set

    def build(self):
        """Every status the REST answers can carry; returns self."""
        self.register("waiting")                                 # diagnosis waiting, reception in_treatment

        self.register("pending", department="GS")                # exams_pending, one examination of each end
        self.prescribe("pending", "performed", "BLOOD")
        self.prescribe("pending", "cancelled", "XRAY")
        self.prescribe("pending", "requested", "ECG")
        self.perform("performed")
        self.cancel_examination("cancelled")

        self.register("ready")                                   # results_ready
        self.prescribe("ready", "ready-performed", "URINE")
        self.perform("ready-performed")
        self.wait_event("ResultsReady", lambda e: e.results_ready.diagnosis_id == self.diagnoses["ready"])

        self.register("reviewed", department="PED")              # reviewed
        self.prescribe("reviewed", "reviewed-performed", "US")
        self.perform("reviewed-performed")
        self.wait_event("ResultsReady", lambda e: e.results_ready.diagnosis_id == self.diagnoses["reviewed"])
        self.doctor_note("reviewed", "review_results")

        self.register("refused", department="ORTH")              # refused: its open examination is withdrawn
        self.prescribe("refused", "withdrawn-refused", "MRI")
        self.doctor_note("refused", "refuse_treatment")
        self.wait_event("ExaminationWithdrawn",
                        lambda e: e.examination_withdrawn.examination_id == self.examinations["withdrawn-refused"][0])
        self.examinations["withdrawn-refused"] = (self.examinations["withdrawn-refused"][0], "withdrawn")

        self.register("cancelled")                               # the desk cancels: everything is withdrawn
        self.prescribe("cancelled", "withdrawn-cancelled", "CT")
        self.desk_command("cancelled", "cancel_visit")
        self.wait_event("ExaminationWithdrawn",
                        lambda e: e.examination_withdrawn.examination_id
                        == self.examinations["withdrawn-cancelled"][0])
        self.examinations["withdrawn-cancelled"] = (self.examinations["withdrawn-cancelled"][0], "withdrawn")

        self.register("completed")                               # completed without examinations, not confirmed
        self.doctor_note("completed", "complete_treatment")
        self.wait_event("OutcomeRecorded", lambda e: e.visit_id == self.visits["completed"])

        self.register("closed")                                  # completed, and confirmed at the desk
        self.doctor_note("closed", "complete_treatment")
        self.wait_event("OutcomeRecorded", lambda e: e.visit_id == self.visits["closed"])
        self.desk_command("closed", "confirm_outcome")
        self.wait_event("VisitClosed", lambda e: e.visit_id == self.visits["closed"])
        return self
