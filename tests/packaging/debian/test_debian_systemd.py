"""DebianPackagesSystemd (issue #13): the server package, built from this build tree with cpack, installed with apt
into a Debian 12 container whose PID 1 is systemd (podman, ../shared/CONTAINERS.md): apt resolves its dependencies
from Debian's mirror, postinst makes the clinicflow user and enables and starts the unit with all its hardening,
/health/ready answers, clinicflow-server-admin enrols a station as that user, the journal holds the server's JSON
lines and no complaint, systemctl stop ends it with status 0, and purging the package stops it and keeps the data.

Exits 77 (ctest: skipped) without podman or the base image. One container, removed at the end (and powered off by
itself after 7 minutes should this test be killed); about a minute, most of it apt-get in the container.
"""

import argparse
import os
import re
import shutil
import sys
import tempfile
import time

from debian_support import SKIP, Failed, build_packages, expect, log_messages, run, say


def systemd_container(args):
    failures = []
    if not shutil.which("podman"):
        say("SKIPPED: no podman (apt-get install podman runc; ../shared/CONTAINERS.md)")
        return None
    conf_dir = tempfile.mkdtemp(prefix="clinicflow-debian-systemd.")
    conf = os.path.join(conf_dir, "containers.conf")
    with open(conf, "w") as f:
        f.write("[containers]\ndefault_ulimits = []\n")
    env = {**os.environ, "CONTAINERS_CONF": os.environ.get("CONTAINERS_CONF", conf)}
    podman = ["podman", "--runtime", "runc"]
    if run(podman + ["image", "exists", args.image], timeout=60, env=env, check=False).returncode != 0:
        shutil.rmtree(conf_dir, ignore_errors=True)
        say(f"SKIPPED: no image {args.image} (../shared/CONTAINERS.md makes it once per machine)")
        return None
    name = f"clinicflow-debian-systemd-{os.getpid()}"

    def inside(command, timeout=60, check=True):
        return run(podman + ["exec", name, "bash", "-c", command], timeout=timeout, env=env, check=check)

    started = time.monotonic()
    try:
        debs = build_packages(args, conf_dir, components=["server"])
        deb = debs["clinicflow-server"]
        # PID 1 is systemd, once the base image has it: installed first by the container's own shell, which then
        # becomes init. Its own network namespace: the service's default ports touch nothing of this machine's.
        boot = ("set -e; export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; "
                "apt-get install -y -qq --no-install-recommends systemd systemd-sysv curl >/dev/null; "
                "touch /run/booting; exec /sbin/init")
        run(podman + ["run", "-d", "--rm", "--name", name, "--systemd=always", args.image, "bash", "-c", boot],
            timeout=60, env=env)
        deadline = time.monotonic() + 150
        while True:
            state = inside("systemctl is-system-running 2>/dev/null || true", timeout=20, check=False).stdout.strip()
            if state in ("running", "degraded"):
                break
            if time.monotonic() > deadline:
                logs = run(podman + ["logs", name], timeout=30, env=env, check=False)
                raise Failed(f"systemd did not boot in the container (state '{state}'):\n{logs.stdout[-2000:]}"
                             f"{logs.stderr[-2000:]}")
            time.sleep(1)
        say(f"systemd runs as PID 1 in the container after {time.monotonic() - started:.0f} s")
        # Should this test be killed, the container powers itself off (and --rm removes it).
        inside("systemd-run --quiet --on-active=420 systemctl poweroff")

        run(podman + ["cp", deb, f"{name}:/tmp/clinicflow-server.deb"], timeout=60, env=env)
        installed = inside("DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "
                           "/tmp/clinicflow-server.deb 2>&1", timeout=240, check=False)
        if installed.returncode != 0:
            raise Failed(f"apt-get install clinicflow-server.deb failed:\n{installed.stdout[-3000:]}")
        expect(inside("getent passwd clinicflow", check=False).returncode == 0, "postinst made no clinicflow user",
               failures)
        expect(inside("systemctl is-enabled clinicflow-server", check=False).stdout.strip() == "enabled",
               "the unit is not enabled after installation", failures)
        ready = inside("for i in $(seq 1 150); do curl -fsS http://127.0.0.1:8080/health/ready >/dev/null 2>&1 && "
                       "exit 0; sleep 0.2; done; exit 1", timeout=60, check=False)
        if ready.returncode != 0:
            journal = inside("systemctl status clinicflow-server --no-pager; journalctl -u clinicflow-server "
                             "--no-pager | tail -30", check=False)
            raise Failed(f"the service was not ready 30 s after installation:\n{journal.stdout}")
        say(f"apt-get installed the package; postinst made the user and started the unit; /health/ready after "
            f"{time.monotonic() - started:.0f} s")
        owner = inside("stat -c '%U %a' /var/lib/clinicflow").stdout.strip()
        expect(owner == "clinicflow 700", f"/var/lib/clinicflow is '{owner}', not 'clinicflow 700'", failures)
        user = inside("stat -c %U /proc/$(systemctl show -p MainPID --value clinicflow-server)").stdout.strip()
        expect(user == "clinicflow", f"the server runs as {user}", failures)
        inside("cd /root && clinicflow-server-admin enrol --station A --role receptionist --name Desk "
               "--address 127.0.0.1 && test \"$(stat -c '%U %a' A.enrolment.json)\" = 'root 600' && "
               "clinicflow-server-admin stations | grep -qw A")
        say("clinicflow-server-admin enrolled a station as the clinicflow user")

        inside("systemctl stop clinicflow-server", timeout=60)
        shown = inside("systemctl show -p Result -p ExecMainStatus clinicflow-server").stdout.split()
        expect(shown == ["Result=success", "ExecMainStatus=0"] or sorted(shown) == ["ExecMainStatus=0",
               "Result=success"], f"systemctl stop: {shown}", failures)
        journal = inside("journalctl -u clinicflow-server -o cat --no-pager").stdout
        expect("stopped" in log_messages(journal.splitlines()), f"the journal lacks the server's 'stopped':\n"
               f"{journal[-2000:]}", failures)
        # Under the unit's sandbox (seccomp filter, no W+X memory, /proc limited...) nothing went wrong.
        complaints = [line for line in journal.splitlines() if re.search(r'"level":"(warning|error|critical)"', line)]
        expect(not complaints, f"the server complained under the unit's sandbox: {complaints[:5]}", failures)
        inside("systemctl start clinicflow-server && DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq "
               "clinicflow-server >/dev/null 2>&1", timeout=120)
        expect(inside("systemctl is-active clinicflow-server", check=False).stdout.strip() != "active",
               "the service still runs after the package's removal", failures)
        expect(inside("test -f /var/lib/clinicflow/clinicflow.sqlite", check=False).returncode == 0,
               "purging the package deleted the data", failures)
        say(f"systemctl stop: exit 0; purge stopped it and kept /var/lib/clinicflow; {time.monotonic() - started:.0f} s"
            " in all")
    except Failed as e:
        failures.append(str(e))
    finally:
        run(podman + ["rm", "-f", "-t", "0", name], timeout=60, env=env, check=False)
        shutil.rmtree(conf_dir, ignore_errors=True)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--cpack", default="cpack")
    parser.add_argument("--image", default="localhost/debian:bookworm", help="the Debian 12 base image")
    args = parser.parse_args()
    missing = [tool for tool in ("dpkg-deb", "dpkg-shlibdeps", args.cpack) if not shutil.which(tool)]
    if missing:
        print(f"[debian] cannot run: {', '.join(missing)} missing (apt-get install dpkg-dev)", file=sys.stderr)
        return 1
    started = time.monotonic()
    failures = systemd_container(args)
    if failures is None:
        return SKIP
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    say(f"{'failed' if failures else 'passed'} in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
