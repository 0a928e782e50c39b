#!/usr/bin/python3
# ContainerImage: the server's container image, for real, with Podman (issue #13, "a real container").
#
# Builds the image from packaging/container/Containerfile with this build tree's clinicflow-server (build-image.sh
# --prebuilt; the runtime stage is the release recipe's), then:
#   1. the image: non-root user, volume, ports, SIGTERM, HEALTHCHECK, labels, CLINICFLOW_* settings the server reads;
#   2. its libraries: ldd inside the runtime image resolves every one, and each comes from a package the runtime stage
#      installs (the Containerfile's list, or what those depend on); no build tools, no apt lists;
#   3. a container on a new named volume: /health/ready, the HEALTHCHECK, its process's uid, stations enrolled with
#      `podman exec ... clinicflow-server enrol`, journeys played by CURVE stations (tests/contract/scenario.py over
#      examples/python/station.py), the data files' modes;
#   4. `podman stop` (SIGTERM): exit status 0, the drain in the log;
#   5. a new container on the same volume (its HTTP token now a podman secret, as a Kubernetes Secret would be): the
#      same server, the same event log byte for byte, the same /visits, every applied command answered again with
#      its stored outcome (same sequences, nothing applied twice), and a new visit taken; stopped cleanly again.
# Everything it makes (containers, the volume, the secret, the image) is named clinicflow-ctest-<pid>-<random> and
# removed at the end, even on failure; leftovers of a run that was killed are removed by the next run.
#
#   python3 test_container_image.py --server-binary build/server/clinicflow-server --version 0.1.0
#   python3 test_container_image.py --image localhost/clinicflow-server:0.1.0 --version 0.1.0   # a release image
#
# PYTHONPATH: the generated clinicflow.v1 modules, examples/python and tests/contract (CMakeLists.txt sets it).

import argparse
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from clinicflow.v1 import envelope_pb2
from scenario import Scenario
from station import StationError

PREFIX = "clinicflow-ctest-"
DATA = "/var/lib/clinicflow"
UID = 10001
STATIONS = ["R:receptionist", "X:examiner", "D:doctor:dr.kim", "DG:doctor:dr.park", "DP:doctor:dr.choi",
            "DO:doctor:dr.jung"]  # what tests/contract/scenario.py plays with
STOP_TIMEOUT = 30  # seconds podman stop waits before SIGKILL: the drain takes well under that


class Failure(Exception):
    """A check that did not hold: the message says what."""


def say(text):
    print(text, flush=True)


def check(condition, what):
    if not condition:
        raise Failure(what)


class Podman:
    """podman with this machine's settings (containers.conf without default ulimits, runc, the host's network)."""

    def __init__(self, workdir):
        self.env = dict(os.environ)
        if not self.env.get("CONTAINERS_CONF"):
            conf = os.path.join(workdir, "containers.conf")
            with open(conf, "w", encoding="ascii") as f:
                f.write("[containers]\ndefault_ulimits = []\n")
            self.env["CONTAINERS_CONF"] = conf
        self.globals = ["--runtime", "runc"] if shutil.which("runc") else []

    def run(self, *args, timeout=60, check_status=True, input_text=None):
        done = subprocess.run(["podman"] + self.globals + list(args), env=self.env, input=input_text,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=timeout)
        if check_status and done.returncode != 0:
            raise Failure("podman %s: status %d\n%s%s" % (" ".join(args), done.returncode, done.stdout[-3000:],
                                                         done.stderr[-3000:]))
        return done

    def out(self, *args, timeout=60):
        return self.run(*args, timeout=timeout).stdout

    def inspect(self, kind, name):
        return json.loads(self.out(kind, "inspect", name))[0]


def free_ports(count):
    """Distinct ports free on every interface (the gateway binds 0.0.0.0), held at once, then released."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def http_get(url, token=None, timeout=3.0):
    """(status, body); status 0 when nothing answered."""
    request = urllib.request.Request(url)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as reply:
            return reply.status, reply.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()
    except (urllib.error.URLError, OSError):
        return 0, b""


def runtime_packages(containerfile):
    """The packages the Containerfile's runtime stage installs: its `apt-get install` line, continuations joined."""
    text = open(containerfile, encoding="utf-8").read().replace("\\\n", " ")
    stage = None
    for line in text.splitlines():
        words = line.split()
        if words[:1] == ["FROM"]:
            stage = words[-1] if len(words) >= 4 and words[-2].upper() == "AS" else None
        elif stage == "runtime" and words[:1] == ["RUN"] and "install" in words and "apt-get" in words:
            packages = []
            for word in words[words.index("install") + 1:]:
                if word in ("&&", ";", "||"):
                    break
                if not word.startswith("-"):
                    packages.append(word)
            return packages
    raise Failure("%s: no `apt-get install` in a stage named runtime" % containerfile)


# What the runtime image says about its libraries and packages, in one container run.
LIBRARY_REPORT = r"""
set -u
files="/usr/bin/clinicflow-server $(ls /usr/lib/x86_64-linux-gnu/qt6/plugins/sqldrivers/*.so 2>/dev/null)"
for f in $files; do
    ldd "$f" | while read -r line; do printf 'LDD\t%s\t%s\n' "$f" "$line"; done
done
for lib in $(for f in $files; do ldd "$f"; done | awk '$2 == "=>" && $3 ~ /^\// {print $3} $1 ~ /^\// {print $1}' | sort -u); do
    owner=
    for p in "$lib" "/usr$lib" "${lib#/usr}" "$(readlink -f "$lib")" "/usr$(readlink -f "$lib")" "$(readlink -f "$lib" | sed 's,^/usr,,')"; do
        owner=$(dpkg -S "$p" 2>/dev/null | head -n1 | cut -d: -f1) && [ -n "$owner" ] && break
    done
    printf 'OWNER\t%s\t%s\n' "$lib" "${owner:-?}"
done
for f in $files; do printf 'FILEOWNER\t%s\t%s\n' "$f" "$(dpkg -S "$f" 2>/dev/null | head -n1 | cut -d: -f1)"; done
dpkg-query -W -f 'PKG\t${Package}\t${db:Status-Abbrev}\t${Pre-Depends}, ${Depends}\t${Provides}\n'
for tool in cc gcc g++ c++ ld make cmake ninja; do command -v "$tool" >/dev/null && printf 'TOOL\t%s\n' "$tool"; done
for f in /var/lib/apt/lists/*; do case $f in */partial | */lock | */auxfiles | *'*') ;; *) printf 'APTLIST\t%s\n' "$f" ;; esac; done
exit 0
"""


def names_in(field):
    """Package names of a Depends-like field, alternatives kept together: [[a], [b, c], ...]."""
    groups = []
    for group in field.split(","):
        names = [re.sub(r"[:(\s].*$", "", alt.strip()) for alt in group.split("|")]
        names = [n for n in names if n]
        if names:
            groups.append(names)
    return groups


def check_libraries(podman, image, containerfile):
    listed = runtime_packages(containerfile)
    report = podman.out("run", "--rm", "--network", "host", "--entrypoint", "/bin/sh", image, "-c", LIBRARY_REPORT,
                        timeout=120)
    ldd = {}          # file -> [ldd lines]
    owners = {}       # library path -> package
    file_owner = {}   # binary or plugin -> package
    installed = {}    # package -> its dependency groups
    provides = {}     # virtual name -> real packages
    tools, apt_lists = [], []
    for line in report.splitlines():
        fields = line.split("\t")
        if fields[0] == "LDD":
            ldd.setdefault(fields[1], []).append(fields[2])
        elif fields[0] == "OWNER":
            owners[fields[1]] = fields[2]
        elif fields[0] == "FILEOWNER":
            file_owner[fields[1]] = fields[2]
        elif fields[0] == "PKG" and fields[2].startswith("ii"):
            installed[fields[1]] = names_in(fields[3])
            for virtual in names_in(fields[4]):
                provides.setdefault(virtual[0], []).append(fields[1])
        elif fields[0] == "TOOL":
            tools.append(fields[1])
        elif fields[0] == "APTLIST":
            apt_lists.append(fields[1])
    binary = "/usr/bin/clinicflow-server"
    check(binary in ldd, "ldd printed nothing for %s:\n%s" % (binary, report[-2000:]))
    plugins = sorted(f for f in ldd if f != binary)
    for f, lines in ldd.items():
        missing = [l for l in lines if "not found" in l]
        check(not missing, "ldd %s inside the image: unresolved libraries: %s" % (f, "; ".join(missing)))
    unowned = sorted(lib for lib, package in owners.items() if package == "?")
    check(not unowned, "libraries no Debian package owns: %s" % ", ".join(unowned))

    # What the runtime stage installs: its list and, recursively, what those depend on.
    missing = [p for p in listed if p not in installed]
    check(not missing, "listed in the Containerfile but not installed in the image: %s" % ", ".join(missing))
    closure, todo = set(), list(listed)
    while todo:
        package = todo.pop()
        if package in closure:
            continue
        closure.add(package)
        for group in installed.get(package, []):
            real = [n for alt in group for n in ([alt] if alt in installed else provides.get(alt, []))]
            todo.extend(real)
    needed = sorted(set(owners.values()))
    outside = [p for p in needed if p not in closure]
    check(not outside, "libraries the server needs come from packages the runtime stage does not install "
                       "(neither listed nor a dependency of the list): %s" % ", ".join(outside))

    # Nothing listed without a reason: each package gives the server a library ldd names, or is its SQL plugin.
    binary_libs = {l.split()[2] for l in ldd[binary] if "=>" in l and len(l.split()) > 2}
    direct = {owners.get(lib) for lib in binary_libs}
    plugin_packages = {file_owner.get(p) for p in plugins}
    unexplained = [p for p in listed if p not in direct and p not in plugin_packages]
    check(not unexplained, "listed in the Containerfile but no library of the server's comes from it: %s"
                           % ", ".join(unexplained))
    check("libqt6sql6-sqlite" in plugin_packages, "the Qt SQLite driver (the default database) is not in the image")
    check(not tools, "build tools in the runtime image: %s" % ", ".join(tools))
    dev = sorted(p for p in installed if p.endswith("-dev"))
    check(not dev, "-dev packages in the runtime image: %s" % ", ".join(dev))
    check(not apt_lists, "apt lists left in the runtime image: %s" % ", ".join(apt_lists[:5]))
    say("libraries  ldd resolves all %d libraries the server needs and %d more of its SQL drivers (%s), from %d "
        "packages; each is one of the %d the runtime stage lists or among their %d dependencies; no build tools, no "
        "-dev packages, no apt lists" % (len(binary_libs), len(owners) - len(binary_libs & set(owners)),
                          ", ".join(os.path.basename(p) for p in plugins), len(needed), len(listed),
                          len(closure) - len(listed)))


def check_image_config(podman, image, version):
    info = podman.inspect("image", image)
    config = info["Config"]
    check(config.get("User") == "%d:%d" % (UID, UID), "image user is %r, not %d:%d" % (config.get("User"), UID, UID))
    check(DATA in (config.get("Volumes") or {}), "%s is not a volume: %s" % (DATA, config.get("Volumes")))
    ports = sorted(config.get("ExposedPorts") or {})
    check(ports == ["7470/tcp", "7471/tcp", "8080/tcp"], "exposed ports: %s" % ports)
    check(config.get("StopSignal") in ("SIGTERM", "15", "TERM"), "stop signal: %r" % config.get("StopSignal"))
    health = info.get("Healthcheck") or config.get("Healthcheck") or {}
    check(health.get("Test") and "/health/live" in open_healthcheck(podman, image, health),
          "no HEALTHCHECK on /health/live: %s" % health)
    check(config.get("Entrypoint") == ["/usr/bin/clinicflow-server"], "entrypoint: %s" % config.get("Entrypoint"))
    labels = config.get("Labels") or {}
    for label in ("title", "description", "version", "source", "revision"):
        check(labels.get("org.opencontainers.image." + label), "label org.opencontainers.image.%s missing" % label)
    check(labels["org.opencontainers.image.version"] == version,
          "version label %r, the project's is %r" % (labels["org.opencontainers.image.version"], version))
    env = dict(e.split("=", 1) for e in config.get("Env") or [])
    settings = sorted(k for k in env if k.startswith("CLINICFLOW_"))
    others = sorted(k for k in env if not k.startswith("CLINICFLOW_") and k not in ("PATH", "LANG"))
    check(not others, "the image sets variables other than CLINICFLOW_* (and PATH, LANG): %s" % others)
    known = set(re.findall(r"CLINICFLOW_[A-Z_]+", podman.out("run", "--rm", "--network", "host", image, "--help")))
    unknown = [k for k in settings if k not in known]
    check(not unknown, "the image sets CLINICFLOW_* variables the server does not read: %s" % unknown)
    check(env.get("CLINICFLOW_DATA") == DATA, "CLINICFLOW_DATA is %r" % env.get("CLINICFLOW_DATA"))
    say("image      %s, %.0f MB: user %s, volume %s, ports %s, stop signal %s, healthcheck %s every %ds, labels %s; "
        "settings %s" % (image, info["Size"] / 1e6, config["User"], DATA, " ".join(ports), config["StopSignal"],
                         " ".join(health["Test"][1:]), health.get("Interval", 0) // 10**9,
                         " ".join(sorted(k.rsplit(".", 1)[1] for k in labels if k.startswith("org.opencontainers"))),
                         ", ".join("%s=%s" % (k, env[k]) for k in settings)))


def open_healthcheck(podman, image, health):
    """The healthcheck's command, and the script it runs when it is one in the image."""
    command = " ".join(health["Test"][1:])
    script = health["Test"][-1]
    if script.startswith("/"):
        command += "\n" + podman.out("run", "--rm", "--network", "host", "--entrypoint", "/bin/cat", image, script)
    return command


class Container:
    """One `podman run -d` of the image on the volume, with its own ports."""

    def __init__(self, podman, name, image, volume, extra=()):
        self.podman, self.name, self.image, self.volume, self.extra = podman, name, image, volume, list(extra)
        self.port = self.pub_port = self.http_port = 0

    def start(self, ready_timeout=60):
        for attempt in range(3):
            self.port, self.pub_port, self.http_port = free_ports(3)
            self.podman.run("run", "-d", "--name", self.name, "--network", "host", "--stop-timeout",
                            str(STOP_TIMEOUT), "-v", "%s:%s" % (self.volume, DATA),
                            "-e", "CLINICFLOW_PORT=%d" % self.port, "-e", "CLINICFLOW_PUB_PORT=%d" % self.pub_port,
                            "-e", "CLINICFLOW_HTTP_PORT=%d" % self.http_port, *self.extra, self.image)
            started = time.monotonic()
            while time.monotonic() - started < ready_timeout:
                status, body = http_get(self.http() + "/health/ready", timeout=1.0)
                if status == 200:
                    return time.monotonic() - started
                state = self.podman.inspect("container", self.name)["State"]
                if state["Status"] != "running":
                    break
                time.sleep(0.2)
            logs = self.logs()
            self.podman.run("rm", "-f", "-t", "0", self.name, check_status=False)
            if attempt < 2 and ("bind" in logs or "in use" in logs):
                continue  # another process took a port between our pick and the server's bind
            raise Failure("container %s: /health/ready did not answer 200 within %d s; its log:\n%s"
                          % (self.name, ready_timeout, logs[-4000:]))
        raise Failure("container %s: no free ports" % self.name)

    def http(self):
        return "http://127.0.0.1:%d" % self.http_port

    def endpoints(self):
        return "tcp://127.0.0.1:%d" % self.port, "tcp://127.0.0.1:%d" % self.pub_port

    def exec(self, *args, timeout=60):
        return self.podman.out("exec", self.name, *args, timeout=timeout)

    def logs(self):
        done = self.podman.run("logs", self.name, check_status=False)
        return done.stdout + done.stderr

    def stop(self):
        """podman stop (the image's SIGTERM); the exit status, the seconds it took and the log's JSON lines."""
        started = time.monotonic()
        self.podman.run("stop", "-t", str(STOP_TIMEOUT), self.name, timeout=STOP_TIMEOUT + 30)
        took = time.monotonic() - started
        state = self.podman.inspect("container", self.name)["State"]
        lines = []
        for line in self.podman.run("logs", self.name).stdout.splitlines():
            try:
                lines.append(json.loads(line))
            except ValueError:
                pass
        return state["ExitCode"], took, lines


def check_stop(container):
    code, took, lines = container.stop()
    messages = [str(l.get("message", "")) for l in lines]
    tail = "\n".join(messages[-15:])
    check(code == 0, "container %s exited with status %s after podman stop (%.1f s); its last lines:\n%s"
          % (container.name, code, took, tail))
    draining = [m for m in messages if m.startswith("signal 15 received: draining")]
    check(draining, "container %s: no 'signal 15 received: draining' line in its log; its last lines:\n%s"
          % (container.name, tail))
    check(messages and messages[-1] == "stopped", "container %s: its last line is not 'stopped':\n%s"
          % (container.name, tail))
    say("stop       podman stop %s: SIGTERM, %r, exit status 0 in %.1f s, last line 'stopped'"
        % (container.name, draining[0][:60], took))


def check_account_and_modes(container):
    status = container.exec("cat", "/proc/1/status")
    uids = re.search(r"^Uid:\s+(.*)$", status, re.M).group(1).split()
    gids = re.search(r"^Gid:\s+(.*)$", status, re.M).group(1).split()
    check(uids == [str(UID)] * 4 and gids == [str(UID)] * 4,
          "the server (pid 1) runs as uid %s gid %s, not %d" % (uids, gids, UID))
    check(container.exec("id", "-u").strip() == str(UID), "podman exec runs as uid %s" % container.exec("id", "-u"))
    listing = container.exec("find", DATA, "-printf", r"%m %u %g %y %p\n")
    entries = [line.split(" ", 4) for line in listing.splitlines()]
    open_to_others = [e for e in entries if int(e[0], 8) & 0o077]
    check(not open_to_others, "data files readable or writable by others than the server's account:\n%s"
          % "\n".join(" ".join(e) for e in open_to_others))
    foreign = [e for e in entries if e[1] != "clinicflow" or e[2] != "clinicflow"]
    check(not foreign, "data files not owned by clinicflow:\n%s" % "\n".join(" ".join(e) for e in foreign))
    files = [e for e in entries if e[3] == "f"]
    check(any(e[4].endswith("/clinicflow.sqlite") for e in files), "no clinicflow.sqlite in %s:\n%s"
          % (DATA, listing))
    modes = sorted({"%s %s" % (e[0], "dirs" if e[3] == "d" else "files") for e in entries})
    say("account    the server runs as uid/gid %d (pid 1, every id), podman exec too; %s: %d files and %d folders, "
        "all clinicflow's, modes %s" % (UID, DATA, len(files), len(entries) - len(files), ", ".join(modes)))


def enrol_stations(container, folder):
    """`clinicflow-server enrol` inside the container for each station; the files copied out, readable by us only."""
    for spec in STATIONS:
        code, role, *doctor = spec.split(":")
        inside = "/tmp/%s.enrolment.json" % code
        args = ["clinicflow-server", "enrol", "--station", code, "--role", role, "--address", "127.0.0.1",
                "--out", inside] + (["--doctor", doctor[0]] if doctor else [])
        container.exec(*args)
        text = container.exec("cat", inside)
        container.exec("rm", "-f", inside)
        path = os.path.join(folder, code + ".enrolment.json")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w", encoding="utf-8") as f:
            f.write(text)
    say("enrol      %s with `podman exec %s clinicflow-server enrol`"
        % (", ".join(s.split(":")[0] for s in STATIONS), container.name))


def stations_of(scenario):
    return {s.code: s for s in [scenario.desk, scenario.examiner] + list(scenario.doctors.values())}


def record_commands(scenario):
    """Wraps each station's submit so that every command it sends is kept: (station, id, content, outcome), the
    content as a function that fills a Command with the very command sent (the scenario's own reads its state)."""
    recorded = []
    for station in stations_of(scenario).values():
        def submit(command_id, fill, deadline, station=station, original=station.submit):
            sent = envelope_pb2.Envelope()
            fill(sent.submit.command)
            content = sent.submit.command.SerializeToString()
            outcome = original(command_id, fill, deadline)
            recorded.append((station.code, command_id, lambda command, b=content: command.ParseFromString(b), outcome))
            return outcome
        station.submit = submit
    return recorded


def read_log(station, deadline):
    """The whole event log, page by page, through FetchEvents: [(sequence, serialized event)] and the head."""
    events, after, head = [], 0, 0
    while True:
        envelope = envelope_pb2.Envelope()
        envelope.fetch_events.after_sequence = after
        envelope.fetch_events.limit = 1000
        reply = station.wait_reply(station.send(envelope), deadline)
        check(reply is not None and reply.WhichOneof("body") == "event_batch",
              "FetchEvents after %d: %s" % (after, reply))
        batch = reply.event_batch
        for event in batch.events:
            events.append((event.sequence, event.SerializeToString(deterministic=True)))
            after = event.sequence
        head = batch.head_sequence
        if not batch.more or not batch.events:
            return events, head


def all_visits(container, token):
    """GET /visits: every row, without waitingSeconds where it counts up to now (a visit nobody has seen yet)."""
    status, body = http_get(container.http() + "/visits?limit=1000", token)
    check(status == 200, "GET /visits with the operators' token: %s %s" % (status, body[:300]))
    page = json.loads(body)
    check(page["nextAfter"] is None, "more than 1000 visits?")
    for row in page["visits"]:
        if row.get("seenAt") is None and row.get("finishedAt") is None:
            row.pop("waitingSeconds", None)
    return page["visits"]


def play(container, folder, deadline):
    """The first container: the contract scenario's journeys, every command recorded; then what the log and the
    HTTP API hold."""
    request, pub = container.endpoints()
    scenario = Scenario(request, pub, folder, timeout=max(10.0, deadline - time.monotonic()))
    try:
        recorded = record_commands(scenario)
        started = time.monotonic()
        scenario.build()
        applied = [r for r in recorded if r[3].WhichOneof("body") == "applied"]
        check(len(applied) == len(recorded), "commands not applied: %s" % [r[3] for r in recorded if r not in applied])
        events, head = read_log(scenario.desk, deadline)
        check([s for s, _ in events] == list(range(1, head + 1)), "the log has gaps: %s" % [s for s, _ in events])
        named = sorted({s for r in applied for s in r[3].applied.sequences})
        check(named and named[-1] <= head, "applied sequences beyond the head %d" % head)
        server_id = scenario.desk.server_id
        say("journeys   %d visits played by a desk, four doctors' rooms and an examiner over CURVE: %d commands "
            "applied, %d events in the log, in %.1f s" % (len(scenario.visits), len(applied), head,
                                                          time.monotonic() - started))
        return recorded, events, head, server_id
    finally:
        scenario.close()


def replay(container, folder, recorded, events, head, server_id, visits, token, deadline):
    """The second container, on the same volume: everything is there, and resending changes nothing."""
    request, pub = container.endpoints()
    scenario = Scenario(request, pub, folder, timeout=max(10.0, deadline - time.monotonic()))
    try:
        check(scenario.desk.server_id == server_id, "another server answers: %s, was %s"
              % (scenario.desk.server_id, server_id))
        events_now, head_now = read_log(scenario.desk, deadline)
        check(head_now == head, "the log's head is %d after the restart, was %d" % (head_now, head))
        check(events_now == events, "the event log differs after the restart (%d events, were %d)"
              % (len(events_now), len(events)))
        visits_now = all_visits(container, token)
        check(visits_now == visits, "GET /visits differs after the restart:\nbefore %s\nafter  %s"
              % (visits, visits_now))
        stations = stations_of(scenario)
        for code, command_id, fill, outcome in recorded:
            again = stations[code].submit(command_id, fill, deadline)
            check(again.WhichOneof("body") == "applied"
                  and list(again.applied.sequences) == list(outcome.applied.sequences),
                  "command %s of %s resent after the restart: %s, was applied as %s"
                  % (command_id, code, again, list(outcome.applied.sequences)))
        _, head_after = read_log(scenario.desk, deadline)
        check(head_after == head, "resending the commands changed the log: head %d, was %d" % (head_after, head))
        say("restart    same server %s; the log's %d events identical byte for byte; GET /visits identical (%d "
            "visits); all %d commands resent: each answered with its stored Applied, same sequences, the log "
            "unchanged" % (server_id[:8], head, len(visits), len(recorded)))
        scenario.tickets = len(visits)  # the desk's next ticket number
        scenario.register("after-restart")
        visit = scenario.visits["after-restart"]
        status, body = http_get(container.http() + "/receptions/" + visit, token)
        check(status == 200, "GET /receptions/%s after the restart: %s %s" % (visit, status, body[:200]))
        say("new work   a visit registered after the restart reaches the doctor (TreatmentStarted) and the HTTP API")
    finally:
        scenario.close()


def build_image(podman, build_script, binary, image, workdir, deadline):
    """build-image.sh --prebuilt: the Debian base when it is missing, then the image with this binary."""
    log = os.path.join(workdir, "build.log")
    with open(log, "w") as out:
        built = subprocess.run(["bash", build_script, "--prebuilt", binary, "--tag", image], env=podman.env,
                               stdout=out, stderr=subprocess.STDOUT, timeout=max(30, deadline - time.monotonic() - 120))
    lines = open(log, encoding="utf-8", errors="replace").read().splitlines()
    if built.returncode != 0:
        raise Failure("build-image.sh failed (%d); its last lines:\n%s" % (built.returncode, "\n".join(lines[-40:])))
    for line in lines:
        if line.startswith("[build-image]"):
            say("build      " + line[len("[build-image] "):])


def remove_leftovers(podman):
    """What an earlier run left when it was killed (its pid is gone): containers, volumes, secrets, images."""
    def dead(name):
        match = re.match(re.escape(PREFIX) + r"(\d+)-", name.split("/")[-1])
        return match and not os.path.exists("/proc/" + match.group(1))

    removed = []
    for name in podman.out("ps", "-a", "--format", "{{.Names}}").split():
        if dead(name):
            podman.run("rm", "-f", "-t", "0", name, check_status=False)
            removed.append(name)
    for name in podman.out("volume", "ls", "--format", "{{.Name}}").split():
        if dead(name):
            podman.run("volume", "rm", "-f", name, check_status=False)
            removed.append(name)
    for name in podman.out("secret", "ls", "--format", "{{.Name}}").split():
        if dead(name):
            podman.run("secret", "rm", name, check_status=False)
            removed.append(name)
    for name in podman.out("images", "--format", "{{.Repository}}:{{.Tag}}").split():
        if dead(name.split(":")[0]):
            podman.run("rmi", "-f", name, check_status=False)
            removed.append(name)
    if removed:
        say("leftovers  removed what killed runs left: %s" % ", ".join(removed))


def main():
    parser = argparse.ArgumentParser(description="The server's container image, built and run with Podman.")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--server-binary", help="build the image with this clinicflow-server, built on this "
                                                "(Debian 12) host")
    source.add_argument("--image", help="check this image instead (e.g. one build-image.sh compiled); it is kept")
    parser.add_argument("--version", required=True, help="the project's version (the image's version label)")
    parser.add_argument("--timeout", type=float, default=420, help="seconds for the whole test")
    parser.add_argument("--keep", action="store_true", help="keep the image, containers and volume (debugging)")
    options = parser.parse_args()
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    containerfile = os.path.join(repo, "packaging", "container", "Containerfile")
    build_script = os.path.join(repo, "packaging", "container", "build-image.sh")
    if not shutil.which("podman"):
        print("ContainerImage cannot run: podman is missing (apt-get install podman runc mmdebstrap uidmap)",
              file=sys.stderr)
        return 1
    deadline = time.monotonic() + options.timeout
    # ctest stops a test that runs too long: let the cleanup below run then too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("ContainerImage: terminated"))

    workdir = tempfile.mkdtemp(prefix="clinicflow-container-test-")
    podman = Podman(workdir)
    run = "%s%d-%s" % (PREFIX, os.getpid(), secrets.token_hex(3))
    image = options.image or "localhost/%s:test" % run
    volume = run + "-data"
    secret = run + "-http-token"
    containers = []
    started = time.monotonic()
    try:
        remove_leftovers(podman)
        if not options.image:
            build_image(podman, build_script, options.server_binary, image, workdir, deadline)

        check_libraries(podman, image, containerfile)
        check_image_config(podman, image, options.version)

        podman.out("volume", "create", volume)
        first = Container(podman, run + "-1", image, volume)
        containers.append(first)
        ready = first.start()
        podman.out("healthcheck", "run", first.name)
        # The healthcheck is not vacuous: pointed at a port where nothing listens, it fails.
        wrong = podman.run("exec", "-e", "CLINICFLOW_HTTP_PORT=%d" % free_ports(1)[0], first.name,
                           "/usr/local/bin/clinicflow-healthcheck", check_status=False)
        check(wrong.returncode == 1, "the healthcheck against a closed port: status %d, %s"
              % (wrong.returncode, wrong.stdout + wrong.stderr))
        say("run        %s on the new volume %s: /health/ready 200 after %.1f s, `podman healthcheck run` healthy "
            "(and unhealthy on a closed port)" % (first.name, volume, ready))
        enrolments = os.path.join(workdir, "enrolments")
        os.mkdir(enrolments, 0o700)
        enrol_stations(first, enrolments)
        recorded, events, head, server_id = play(first, enrolments, deadline)
        token = first.exec("cat", DATA + "/keys/http.token").strip()
        visits = all_visits(first, token)
        check_account_and_modes(first)
        check_stop(first)

        # The second container reads its HTTP token from a secret (what Kubernetes does with a Secret).
        token_file = os.path.join(workdir, "http-token")
        secret_token = secrets.token_urlsafe(32)
        with open(os.open(token_file, os.O_WRONLY | os.O_CREAT, 0o600), "w", encoding="ascii") as f:
            f.write(secret_token + "\n")
        podman.out("secret", "create", secret, token_file)
        second = Container(podman, run + "-2", image, volume,
                           ["--secret", "%s,type=mount,uid=%d,gid=%d,mode=0400,target=http-token" % (secret, UID, UID),
                            "-e", "CLINICFLOW_HTTP_TOKEN_FILE=/run/secrets/http-token"])
        containers.append(second)
        ready = second.start()
        podman.out("healthcheck", "run", second.name)
        old_status, _ = http_get(second.http() + "/visits", token)
        check(old_status == 401, "the first run's token still opens /visits: %s" % old_status)
        say("run        %s on the same volume, HTTP token from the podman secret %s: ready after %.1f s, healthy; "
            "the old token gets 401" % (second.name, secret, ready))
        replay(second, enrolments, recorded, events, head, server_id, visits, secret_token, deadline)
        check_account_and_modes(second)
        check_stop(second)
        say("ContainerImage: every check held, in %.0f s" % (time.monotonic() - started))
        return 0
    except (Failure, StationError, subprocess.TimeoutExpired) as error:
        print("ContainerImage FAILED: %s" % error, file=sys.stderr)
        for container in containers:
            print("--- last lines of %s:\n%s" % (container.name, "\n".join(container.logs().splitlines()[-25:])),
                  file=sys.stderr)
        return 1
    finally:
        if options.keep:
            say("kept       image %s, volume %s, containers %s, secret %s"
                % (image, volume, " ".join(c.name for c in containers), secret))
        else:
            for container in containers:
                podman.run("rm", "-f", "-t", "0", container.name, check_status=False)
            podman.run("volume", "rm", "-f", volume, check_status=False)
            podman.run("secret", "rm", secret, check_status=False)
            if not options.image:
                podman.run("rmi", "-f", image, check_status=False)
            left = [n for n in podman.out("ps", "-a", "--format", "{{.Names}}").split() if n.startswith(run)]
            left += [n for n in podman.out("volume", "ls", "--format", "{{.Name}}").split() if n.startswith(run)]
            left += [n for n in podman.out("images", "--format", "{{.Repository}}").split() if run in n]
            if left:
                print("ContainerImage: could not remove %s" % ", ".join(left), file=sys.stderr)
            else:
                say("cleanup    removed the containers, the volume, the secret%s"
                    % ("" if options.image else " and the image"))
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
