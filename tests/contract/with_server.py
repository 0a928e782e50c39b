# Runs one command against a real clinicflow-server: picks free loopback ports, starts the server with a temporary
# --data folder, waits until GET /health/ready answers 200, runs the command, stops the server with SIGTERM and
# exits with the command's status. Used by ctest (ExamplePythonStation, OpenApiContract) and by hand:
#
#   python3 with_server.py --server-binary build/server/clinicflow-server -- \
#       python3 examples/python/station.py --enrolment {enrolments}/A.enrolment.json
#
# In the command's arguments {request}, {pub} and {http} become tcp://127.0.0.1:<port> (ROUTER and PUB) and
# http://127.0.0.1:<port>, and {enrolments} the folder where each --enrol CODE:ROLE[:DOCTOR] station's enrolment
# file, CODE.enrolment.json, was written (`clinicflow-server enrol`: only enrolled stations connect); the same values
# are in the command's environment as CLINICFLOW_TEST_REQUEST, CLINICFLOW_TEST_PUB, CLINICFLOW_TEST_HTTP and
# CLINICFLOW_TEST_ENROLMENTS, with the operators' HTTP token in CLINICFLOW_TEST_HTTP_TOKEN (never passed to the
# server, which reads CLINICFLOW_* itself).

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def free_ports(count):
    """Distinct free loopback ports: all held at once, then released for the server."""
    sockets = []
    try:
        for _ in range(count):
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def http_status(url, timeout=1.0):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as reply:
            return reply.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return 0


def tail(path, lines=30):
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


class Server:
    """The clinicflow-server child process, with its ports, data folder and log file."""

    def __init__(self, binary, extra_args, workdir):
        self.binary = binary
        self.extra_args = extra_args
        self.workdir = workdir
        self.data = os.path.join(workdir, "data")
        self.log = os.path.join(workdir, "server.log")
        self.process = None
        self.port = self.pub_port = self.http_port = 0

    def start(self, ready_timeout):
        # Another process may take a released port before the server binds it: pick again a few times.
        for _ in range(3):
            self.port, self.pub_port, self.http_port = free_ports(3)
            if self._launch(ready_timeout):
                return True
            if "cannot bind" not in tail(self.log) and "cannot listen" not in tail(self.log):
                return False
        return False

    def _launch(self, ready_timeout):
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLINICFLOW_")}
        args = [self.binary,
                "--bind", "127.0.0.1", "--http-bind", "127.0.0.1",
                "--port", str(self.port), "--pub-port", str(self.pub_port),
                "--http-port", str(self.http_port),
                "--data", self.data, "--log-level", "info"] + self.extra_args
        log = open(self.log, "ab")
        self.process = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                        env=env)
        log.close()
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                print("with_server: the server exited during start-up with status %d" % self.process.returncode,
                      file=sys.stderr)
                return False
            if http_status(self.http_url() + "/health/ready") == 200:
                return True
            time.sleep(0.1)
        print("with_server: /health/ready did not answer 200 within %.0f s" % ready_timeout, file=sys.stderr)
        self.kill()
        return False

    def enrol(self, spec, folder):
        """Runs `clinicflow-server enrol` for CODE:ROLE[:DOCTOR], writing folder/CODE.enrolment.json."""
        code, role, *doctor = spec.split(":")
        args = [self.binary, "enrol", "--data", self.data, "--station", code, "--role", role,
                "--address", "127.0.0.1", "--port", str(self.port), "--pub-port", str(self.pub_port),
                "--out", os.path.join(folder, code + ".enrolment.json")] + self.extra_args
        if doctor:
            args += ["--doctor", doctor[0]]
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLINICFLOW_")}
        done = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        if done.returncode != 0:
            print("with_server: cannot enrol %s: %s" % (spec, done.stdout.decode(errors="replace")), file=sys.stderr)
        return done.returncode == 0

    def request_endpoint(self):
        return "tcp://127.0.0.1:%d" % self.port

    def pub_endpoint(self):
        return "tcp://127.0.0.1:%d" % self.pub_port

    def http_url(self):
        return "http://127.0.0.1:%d" % self.http_port

    def terminate(self, timeout=20.0):
        """SIGTERM, then the exit status (None when it had to be killed)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            return None

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def main():
    parser = argparse.ArgumentParser(description="Run a command against a real clinicflow-server.")
    parser.add_argument("--server-binary", required=True, help="the clinicflow-server executable")
    parser.add_argument("--enrol", action="append", default=[], metavar="CODE:ROLE[:DOCTOR]",
                        help="enrol a station once the server runs (repeat for several)")
    parser.add_argument("--server-arg", action="append", default=[],
                        help="one more argument for the server (repeat for several)")
    parser.add_argument("--ready-timeout", type=float, default=30.0, help="seconds to wait for /health/ready")
    parser.add_argument("--timeout", type=float, default=240.0, help="seconds the command may run")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (data and server.log)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command and its arguments")
    options = parser.parse_args()
    command = options.command[1:] if options.command[:1] == ["--"] else options.command
    if not command:
        parser.error("no command given (put it after --)")
    if not os.access(options.server_binary, os.X_OK):
        parser.error("%s is not an executable" % options.server_binary)

    workdir = tempfile.mkdtemp(prefix="clinicflow-contract-")
    server = Server(options.server_binary, options.server_arg, workdir)
    status = 1
    try:
        if not server.start(options.ready_timeout):
            print("with_server: cannot start %s; its log:\n%s" % (options.server_binary, tail(server.log)),
                  file=sys.stderr)
            return 1
        enrolments = os.path.join(workdir, "enrolments")
        os.makedirs(enrolments, mode=0o700)
        for station in options.enrol:
            if not server.enrol(station, enrolments):
                return 1
        values = {"request": server.request_endpoint(), "pub": server.pub_endpoint(), "http": server.http_url(),
                  "enrolments": enrolments}
        argv = [arg.replace("{request}", values["request"]).replace("{pub}", values["pub"])
                .replace("{http}", values["http"]).replace("{enrolments}", enrolments) for arg in command]
        env = dict(os.environ)
        env["CLINICFLOW_TEST_REQUEST"] = values["request"]
        env["CLINICFLOW_TEST_PUB"] = values["pub"]
        env["CLINICFLOW_TEST_HTTP"] = values["http"]
        env["CLINICFLOW_TEST_ENROLMENTS"] = enrolments
        with open(os.path.join(server.data, "keys", "http.token"), encoding="ascii") as f:
            env["CLINICFLOW_TEST_HTTP_TOKEN"] = f.read().strip()
        print("with_server: server pid %d, requests %s, status %s, http %s"
              % (server.process.pid, values["request"], values["pub"], values["http"]), flush=True)
        try:
            status = subprocess.run(argv, env=env, timeout=options.timeout).returncode
        except subprocess.TimeoutExpired:
            print("with_server: the command ran longer than %.0f s" % options.timeout, file=sys.stderr)
            status = 1
        exit_code = server.terminate()
        if exit_code != 0:
            print("with_server: the server did not stop cleanly on SIGTERM (status %s)" % exit_code, file=sys.stderr)
            status = status or 1
        if status != 0:
            print("with_server: the server's log (tail):\n%s" % tail(server.log), file=sys.stderr)
        return status
    finally:
        server.kill()
        if options.keep:
            print("with_server: kept %s" % workdir)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
