# Contract test of the HTTP API: a real clinicflow-server (started by with_server.py) gets data over the ZeroMQ
# protocol (scenario.py), then every path in docs/openapi.yaml must answer in its documented shape: the status is one
# the document lists for that path and method, the Content-Type is the documented one, and a JSON body validates
# against the documented schema (JSON Schema 2020-12, $ref resolved in the document's components). Documented error
# answers (400, 404, 405) are provoked on purpose, and paths the document does not list must never answer 200.
#
#   python3 test_openapi.py --spec docs/openapi.yaml     (the server's endpoints come from CLINICFLOW_TEST_*)
#
# Prints a summary; exits 1 listing every mismatch.

import argparse
import datetime
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

import jsonschema
import yaml

from scenario import Scenario
from station import StationError

METHODS_REFUSED = ["post", "put", "patch", "delete", "head", "options"]

# Plausible paths the document does not list: none may answer 200. ("/receptions/" is the row path with an
# empty id, so 400 is right there; the others are 404.)
UNDOCUMENTED = [
    "/", "/index.html", "/favicon.ico", "/.env", "/admin", "/debug", "/status", "/events", "/snapshot",
    "/health", "/health/", "/health/live/", "/health/ready/", "/health/liveness", "/Health/Live",
    "/metrics/", "/metrics/x", "/api/metrics",
    "/visits/", "/visits/x", "/visit", "/VISITS", "/api/visits", "/v1/visits", "/visits.json",
    "/receptions", "/receptions/", "/diagnoses", "/examinations", "/patients", "/stations", "/audit/",
    "/audit/x", "/audits",
    "/receptions/{reception}/", "/receptions/{reception}/diagnosis", "/diagnoses/{diagnosis}/prescriptions",
    "/examinations/{examination}/result",
]


class Http:
    def __init__(self, base, token):
        self.base = base
        self.token = token  # the operators' bearer token

    def request(self, path, method="GET", token=True):
        """(status, headers, body bytes); status 0 when nothing answered. token=False sends none."""
        request = urllib.request.Request(self.base + path, method=method)
        if token:
            request.add_header("Authorization", "Bearer " + self.token)
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return reply.status, reply.headers, reply.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()
        except (urllib.error.URLError, OSError) as e:
            return 0, {}, str(e).encode()

    def json(self, path):
        status, _, body = self.request(path)
        return status, (json.loads(body) if body else None)


def format_checker():
    """uuid and date-time as OpenAPI means them (jsonschema 4.10 has no date-time checker without extra packages)."""
    checker = jsonschema.FormatChecker(formats=())

    @checker.checks("uuid", raises=ValueError)
    def is_uuid(value):
        if isinstance(value, str):
            uuid.UUID(value)
        return True

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value):
        if isinstance(value, str):
            parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is None:
                raise ValueError("no time zone")
        return True

    return checker


class Contract:
    """The document, and the checks made against it, with their mismatches."""

    def __init__(self, spec_path, http):
        with open(spec_path, encoding="utf-8") as f:
            self.spec = yaml.safe_load(f)
        self.http = http
        self.resolver = jsonschema.RefResolver(base_uri="", referrer=self.spec)
        self.checker = format_checker()
        self.mismatches = []
        self.counts = {}  # (method, template, status) -> [ok, failed]
        self.covered = set()  # (template, method, status) seen answering as documented

    def check_document(self):
        """The document itself: every $ref resolves and every schema is a valid JSON Schema 2020-12."""
        def walk(node, where):
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    try:
                        self.resolver.resolve(node["$ref"])
                    except jsonschema.RefResolutionError as e:
                        self.fail("docs/openapi.yaml " + where, "$ref %s does not resolve: %s" % (node["$ref"], e))
                for key, value in node.items():
                    walk(value, where + "/" + str(key))
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    walk(value, "%s/%d" % (where, i))

        if not str(self.spec.get("openapi", "")).startswith("3.1"):
            self.fail("docs/openapi.yaml", "not an OpenAPI 3.1 document (openapi: %r)" % self.spec.get("openapi"))
        walk(self.spec, "#")
        for name, schema in self.spec.get("components", {}).get("schemas", {}).items():
            try:
                jsonschema.Draft202012Validator.check_schema(schema)
            except jsonschema.SchemaError as e:
                self.fail("docs/openapi.yaml #/components/schemas/" + name, "not a valid schema: %s" % e.message)

    def deref(self, node):
        while isinstance(node, dict) and "$ref" in node:
            node = self.resolver.resolve(node["$ref"])[1]
        return node

    def fail(self, where, what):
        self.mismatches.append("%s: %s" % (where, what))

    def check(self, method, template, path, expect=None, label=None, token=True):
        """Requests the path and checks the answer against the document; returns the parsed JSON body or None.
        token=False asks without the operators' token."""
        where = "%s %s" % (method.upper(), path) + (" (%s)" % label if label else "") + ("" if token else " no token")
        status, headers, body = self.http.request(path, method.upper(), token=token)
        key = (method.upper(), template, status)
        self.counts.setdefault(key, [0, 0])
        before = len(self.mismatches)
        document = None
        try:
            document = self._check(where, method, template, status, headers, body, expect)
        finally:
            self.counts[key][0 if len(self.mismatches) == before else 1] += 1
            if len(self.mismatches) == before:
                self.covered.add((template, method, str(status)))
        return document

    def _check(self, where, method, template, status, headers, body, expect):
        if expect is not None and status != expect:
            self.fail(where, "answered %d, expected %d (%s)" % (status, expect, body[:200]))
        operation = self.spec["paths"].get(template, {}).get(method)
        if operation is None:
            self.fail(where, "%s %s is not in the document" % (method.upper(), template))
            return None
        response = self.deref(operation["responses"].get(str(status)) or operation["responses"].get("default"))
        if response is None:
            self.fail(where, "status %d is not documented for %s %s" % (status, method.upper(), template))
            return None
        for name, header in (response.get("headers") or {}).items():
            schema = self.deref(header.get("schema", {}))
            value = headers.get(name)
            if value is None:
                self.fail(where, "header %s missing" % name)
            elif "const" in schema and value != schema["const"]:
                self.fail(where, "header %s is %r, documented %r" % (name, value, schema["const"]))
        content = response.get("content")
        if not content:
            return None
        content_type = headers.get("Content-Type", "")
        if content_type not in content:
            self.fail(where, "Content-Type %r, documented %s" % (content_type, sorted(content)))
            return None
        if method == "head":
            return None  # no body on the wire
        schema = content[content_type].get("schema", {})
        if content_type.startswith("text/"):
            if not body:
                self.fail(where, "empty body")
            return None
        try:
            document = json.loads(body)
        except ValueError as e:
            self.fail(where, "body is not JSON (%s): %r" % (e, body[:200]))
            return None
        validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver, format_checker=self.checker)
        for error in sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path)):
            location = "/".join(str(p) for p in error.absolute_path) or "(body)"
            self.fail(where, "%s: %s" % (location, error.message))
        return document


def wait_for_view(http, scenario, expected, timeout=15.0):
    """The status view is projected from the log by its own worker: wait until it shows every visit as expected."""
    deadline = time.monotonic() + timeout
    rows = {}
    while time.monotonic() < deadline:
        status, page = http.json("/visits?limit=1000")
        if status == 200:
            rows = {row["visitId"]: row for row in page["visits"]}
            if all(rows.get(scenario.visits[name], {}).get("receptionStatus") == want
                   for name, want in expected.items()) and \
                    max((row["lastSequence"] for row in rows.values()), default=0) >= scenario.desk.position:
                return rows
        time.sleep(0.1)
    return rows


def run_checks(contract, scenario):
    http = contract.http
    reception_status = {"waiting": "in_treatment", "pending": "in_treatment", "ready": "in_treatment",
                        "reviewed": "in_treatment", "refused": "treatment_refused", "cancelled": "cancelled",
                        "completed": "treatment_completed", "closed": "closed"}
    diagnosis_status = {"waiting": "waiting", "pending": "exams_pending", "ready": "results_ready",
                        "reviewed": "reviewed", "refused": "refused", "cancelled": "withdrawn",
                        "completed": "completed", "closed": "completed"}

    # Health and metrics.
    contract.check("get", "/health/live", "/health/live", 200)
    ready = contract.check("get", "/health/ready", "/health/ready", 200)
    if ready and ready.get("ready") is not True:
        contract.fail("GET /health/ready", "200 with ready=%r" % ready.get("ready"))
    contract.check("get", "/metrics", "/metrics", 200)
    # Health is open to the probes; everything with data answers only to the operators' token.
    contract.check("get", "/health/ready", "/health/ready", 200, token=False)
    for template, path in (("/metrics", "/metrics"), ("/visits", "/visits"),
                           ("/receptions/{id}", "/receptions/" + str(uuid.uuid4())),
                           ("/diagnoses/{id}", "/diagnoses/" + str(uuid.uuid4())),
                           ("/examinations/{id}", "/examinations/" + str(uuid.uuid4()))):
        contract.check("get", template, path, 401, token=False)

    # Rows of every kind and status, and their content where the scenario knows it.
    for name, visit_id in scenario.visits.items():
        row = contract.check("get", "/receptions/{id}", "/receptions/" + visit_id, 200, label=name)
        if row and row.get("status") != reception_status[name]:
            contract.fail("GET /receptions/" + visit_id, "status %r, expected %r (%s visit)"
                          % (row.get("status"), reception_status[name], name))
        if row and row.get("diagnosisId") != scenario.diagnoses[name]:
            contract.fail("GET /receptions/" + visit_id, "diagnosisId %r, expected %r"
                          % (row.get("diagnosisId"), scenario.diagnoses[name]))
    for name, diagnosis_id in scenario.diagnoses.items():
        row = contract.check("get", "/diagnoses/{id}", "/diagnoses/" + diagnosis_id, 200, label=name)
        if row and row.get("status") != diagnosis_status[name]:
            contract.fail("GET /diagnoses/" + diagnosis_id, "status %r, expected %r (%s visit)"
                          % (row.get("status"), diagnosis_status[name], name))
    for name, (examination_id, status) in scenario.examinations.items():
        row = contract.check("get", "/examinations/{id}", "/examinations/" + examination_id, 200, label=status)
        if row and row.get("status") != status:
            contract.fail("GET /examinations/" + examination_id, "status %r, expected %r (%s)"
                          % (row.get("status"), status, name))

    # Row errors: not a UUID, an unknown UUID.
    for template, collection in (("/receptions/{id}", "/receptions/"), ("/diagnoses/{id}", "/diagnoses/"),
                                 ("/examinations/{id}", "/examinations/")):
        contract.check("get", template, collection + "not-a-uuid", 400)
        contract.check("get", template, collection + "12345", 400)
        contract.check("get", template, collection + str(uuid.uuid4()), 404)
        contract.check("get", template, collection + "00000000-0000-0000-0000-000000000000", 404)

    # The status view: the whole list, filters, paging, and bad parameters.
    rows = wait_for_view(http, scenario, reception_status)
    page = contract.check("get", "/visits", "/visits", 200)
    if page is not None:
        seen = {row["visitId"] for row in page["visits"]}
        missing = sorted(name for name, visit_id in scenario.visits.items() if visit_id not in seen)
        if missing:
            contract.fail("GET /visits", "visits missing: %s" % ", ".join(missing))
        if page["count"] != len(page["visits"]):
            contract.fail("GET /visits", "count %d for %d rows" % (page["count"], len(page["visits"])))
    for name, visit_id in scenario.visits.items():
        if rows.get(visit_id, {}).get("diagnosisStatus") != diagnosis_status[name]:
            contract.fail("GET /visits", "visit %s: diagnosisStatus %r, expected %r"
                          % (name, rows.get(visit_id, {}).get("diagnosisStatus"), diagnosis_status[name]))
    closed = contract.check("get", "/visits", "/visits?status=closed", 200)
    if closed is not None and [row["visitId"] for row in closed["visits"]] != [scenario.visits["closed"]]:
        contract.fail("GET /visits?status=closed", "rows %s" % [row["ticket"] for row in closed["visits"]])
    surgery = contract.check("get", "/visits", "/visits?department=GS&status=in_treatment", 200)
    if surgery is not None and [row["visitId"] for row in surgery["visits"]] != [scenario.visits["pending"]]:
        contract.fail("GET /visits?department=GS", "rows %s" % [row["ticket"] for row in surgery["visits"]])
    contract.check("get", "/visits", "/visits?status=&department=", 200)
    empty = contract.check("get", "/visits", "/visits?after=9223372036854775807", 200)
    if empty is not None and (empty["visits"] or empty["nextAfter"] is not None):
        contract.fail("GET /visits?after=9223372036854775807", "expected an empty last page, got %d rows"
                      % len(empty["visits"]))
    check_paging(contract, scenario)
    for query in ("limit=0", "limit=1001", "limit=abc", "limit=", "after=-1", "after=%2B5", "after=x",
                  "status=open", "department=" + "D" * 33, "colour=red", "limit=1&limit=2"):
        contract.check("get", "/visits", "/visits?" + query, 400)

    # The audit trail: the closed visit's whole story (every command applied, the reads), and bad parameters.
    closed_visit = scenario.visits["closed"]
    trail = contract.check("get", "/audit", "/audit?visit=%s&limit=1000" % closed_visit, 200)
    if trail is not None:
        actions = {(entry["action"], entry["result"]) for entry in trail["entries"]}
        for action in ("RegisterVisit", "CompleteTreatment", "ConfirmOutcome"):  # the scenario's closed visit
            if (action, "applied") not in actions:
                contract.fail("GET /audit?visit=" + closed_visit, "no applied %s in %s" % (action, sorted(actions)))
        if ("read:http", "served") not in actions:
            contract.fail("GET /audit?visit=" + closed_visit, "the HTTP reads above are not in the trail")
        if any(entry["visitId"] != closed_visit for entry in trail["entries"]):
            contract.fail("GET /audit?visit=" + closed_visit, "entries of other visits")
    contract.check("get", "/audit", "/audit?station=R&from=2020-01-01&to=2100-01-01T00:00:00Z&limit=2&after=1", 200)
    contract.check("get", "/audit", "/audit", 401, token=False)
    for query in ("visit=42", "from=yesterday", "to=2020-13-01", "from=2026-11-30&to=2026-11-29", "limit=0",
                  "limit=1001", "after=-1", "station=", "who=me", "visit=%s&visit=%s" % (closed_visit, closed_visit)):
        contract.check("get", "/audit", "/audit?" + query, 400)

    # Other methods on every documented path.
    samples = {"/receptions/{id}": "/receptions/" + scenario.visits["closed"],
               "/diagnoses/{id}": "/diagnoses/" + scenario.diagnoses["closed"],
               "/examinations/{id}": "/examinations/" + scenario.examinations["performed"][0]}
    for template in contract.spec["paths"]:
        for method in METHODS_REFUSED:
            contract.check(method, template, samples.get(template, template), 405)

    # Paths the document does not list.
    for path in UNDOCUMENTED:
        path = path.format(reception=scenario.visits["closed"], diagnosis=scenario.diagnoses["closed"],
                           examination=scenario.examinations["performed"][0])
        status, _, body = http.request(path)
        if status == 200:
            contract.fail("GET " + path, "answers 200 but the document does not list it: %r" % body[:120])
        elif status not in (400, 404):
            contract.fail("GET " + path, "answers %d; an unlisted path should be 404 (or 400)" % status)


def check_paging(contract, scenario):
    """Pages of 3 cover every visit in ascending lastSequence; a row that changes while paging comes again later."""
    after, seen, pages, last = 0, [], 0, 0
    changed_id = None
    while pages < 50:
        path = "/visits?limit=3&after=%d" % after
        page = contract.check("get", "/visits", path, 200)
        if page is None:
            return
        pages += 1
        for row in page["visits"]:
            if row["lastSequence"] <= last:
                contract.fail("GET " + path, "lastSequence %d after %d: not ascending" % (row["lastSequence"], last))
            last = row["lastSequence"]
        seen.extend(row["visitId"] for row in page["visits"])
        if page["visits"] and page["count"] == 3 and page["nextAfter"] != page["visits"][-1]["lastSequence"]:
            contract.fail("GET " + path, "nextAfter %r is not the last row's lastSequence" % page["nextAfter"])
        if page["count"] < 3 and page["nextAfter"] is not None:
            contract.fail("GET " + path, "a short page with nextAfter %r" % page["nextAfter"])
        if pages == 1 and page["visits"]:
            # Change the first row while paging: the doctor prescribes an examination for that visit.
            changed_id = page["visits"][0]["visitId"]
            name = next(n for n, v in scenario.visits.items() if v == changed_id)
            scenario.prescribe(name, "while-paging", "ECG")
            wait_for_row_change(contract.http, changed_id, page["visits"][0]["lastSequence"])
        if page["nextAfter"] is None:
            break
        after = page["nextAfter"]
    missing = set(scenario.visits.values()) - set(seen)
    if missing:
        contract.fail("GET /visits?limit=3 (paging)", "%d visits never seen" % len(missing))
    if changed_id is not None and seen.count(changed_id) != 2:
        contract.fail("GET /visits?limit=3 (paging)", "a visit changed while paging was seen %d times, expected 2 "
                      "(the cursor is the row's lastSequence)" % seen.count(changed_id))


def wait_for_row_change(http, visit_id, last_sequence, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status, page = http.json("/visits?limit=1000&after=%d" % last_sequence)
        if status == 200 and any(row["visitId"] == visit_id for row in page["visits"]):
            return
        time.sleep(0.05)


def summary(contract):
    print("%-8s %-22s %6s %5s %6s" % ("method", "path", "status", "ok", "failed"))
    for (method, template, status), (ok, failed) in sorted(contract.counts.items()):
        print("%-8s %-22s %6d %5d %6d" % (method, template, status, ok, failed))
    untested = []
    for template, item in contract.spec["paths"].items():
        for method, operation in item.items():
            for status in operation.get("responses", {}):
                if (template, method, status) not in contract.covered and status != "503":
                    untested.append("%s %s %s" % (method.upper(), template, status))
    if untested:
        print("documented but never answered as documented: " + ", ".join(untested))
        contract.mismatches.extend("not exercised: " + u for u in untested)


def main():
    parser = argparse.ArgumentParser(description="Check a real server's HTTP answers against docs/openapi.yaml.")
    parser.add_argument("--spec", required=True, help="the OpenAPI document")
    parser.add_argument("--server", default=os.environ.get("CLINICFLOW_TEST_REQUEST"), help="tcp://host:port")
    parser.add_argument("--pub", default=os.environ.get("CLINICFLOW_TEST_PUB"), help="tcp://host:port")
    parser.add_argument("--http", default=os.environ.get("CLINICFLOW_TEST_HTTP"), help="http://host:port")
    parser.add_argument("--token", default=os.environ.get("CLINICFLOW_TEST_HTTP_TOKEN"),
                        help="the operators' HTTP token")
    parser.add_argument("--enrolments", default=os.environ.get("CLINICFLOW_TEST_ENROLMENTS"),
                        help="the folder of stations R, D and X's enrolment files")
    options = parser.parse_args()
    if not (options.server and options.pub and options.http and options.enrolments and options.token):
        parser.error("the server's endpoints: --server, --pub and --http (with_server.py sets them)")

    contract = Contract(options.spec, Http(options.http, options.token))
    contract.check_document()
    try:
        scenario = Scenario(options.server, options.pub, options.enrolments)
    except StationError as error:
        print("test_openapi.py: cannot connect the stations: %s" % error, file=sys.stderr)
        return 1
    try:
        scenario.build()
        run_checks(contract, scenario)
    except StationError as error:
        print("test_openapi.py: the scenario failed: %s" % error, file=sys.stderr)
        return 1
    finally:
        scenario.close()
    summary(contract)
    total = sum(ok + failed for ok, failed in contract.counts.values())
    if contract.mismatches:
        print("\n%d mismatches in %d requests:" % (len(contract.mismatches), total))
        for mismatch in contract.mismatches:
            print("  " + mismatch)
        return 1
    print("\nall %d requests answered as docs/openapi.yaml says" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
