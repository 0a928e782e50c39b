"""DebianPackages (issue #13): both .deb packages, built from this build tree with cpack, checked as their users
would meet them. dpkg-deb shows the expected files with their modes and owners, the maintainer scripts and conffiles,
and the dependencies (dpkg-shlibdeps' and the run-time plugins named by hand, each a package this Debian has); the
binaries are stripped and have no RUNPATH; the translations are inside the app; the desktop entry validates; the unit
passes systemd-analyze verify and security as shipped (in the extracted tree); the sysusers.d file makes the user;
the default configuration names every CLINICFLOW_* setting of clinicflow-server --help and no other; no install()
rule lacks a COMPONENT.

Then, systemd not being PID 1 here, the server starts the way its unit says: ExecStart= from the extracted tree,
Environment=, then EnvironmentFile= with every setting uncommented (loopback and free ports for the addresses),
StateDirectory= made with its mode for an unprivileged account standing for User= (nobody, as root), UMask=,
NoNewPrivileges= and no capabilities. It turns ready, clinicflow-server-admin enrols four stations as that account,
the packaged clinicflow-journey plays one patient's journey through it, and KillSignal= (SIGTERM) stops it with
status 0 within TimeoutStopSec=; stdout, the journal's stand-in, holds JSON log records only.

Everything is made in one temporary folder, removed at the end; about 15-30 s, most of it cpack.
"""

import argparse
import glob
import os
import pwd
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from debian_support import (Failed, build_packages, contents, control, environment_file, expect, free_ports,
                            http_status, log_messages, names, read_unit, run, say, tail, unit_value)

CLIENT_FILES = {
    "./usr/bin/clinicflow": "-rwxr-xr-x",
    "./usr/bin/clinicflow-journey": "-rwxr-xr-x",
    "./usr/share/applications/clinicflow.desktop": "-rw-r--r--",
    "./usr/share/icons/hicolor/scalable/apps/clinicflow.svg": "-rw-r--r--",
}
SERVER_FILES = {
    "./usr/bin/clinicflow-server": "-rwxr-xr-x",
    "./usr/sbin/clinicflow-server-admin": "-rwxr-xr-x",
    "./etc/default/clinicflow-server": "-rw-r--r--",
    "./usr/lib/sysusers.d/clinicflow-server.conf": "-rw-r--r--",
    # + the unit, in --unit-dir
}
# Dependencies each package must declare: dpkg-shlibdeps' (proof that it ran) and those no binary links.
CLIENT_DEPENDS = {"libc6", "libqt6core6", "libqt6widgets6", "libqt6sql6", "libzmq5", "libqt6sql6-sqlite", "libqt6svg6"}
SERVER_DEPENDS = {"libc6", "libqt6core6", "libqt6network6", "libqt6sql6", "libzmq5", "libqt6sql6-sqlite", "adduser"}
CLIENT_RECOMMENDS = {"fonts-nanum", "qt6-translations-l10n"}
SERVER_RECOMMENDS = {"libqt6sql6-psql"}


def check_package(deb, expected_files, depends, recommends, failures):
    """Files, owners, modes, control fields and dependencies of one package."""
    name = os.path.basename(deb)
    files = contents(deb)
    for path, mode in expected_files.items():
        if path not in files:
            failures.append(f"{name}: {path} missing (has {sorted(files)})")
        elif files[path][0] != mode:
            failures.append(f"{name}: {path} is {files[path][0]}, expected {mode}")
    for path, (mode, owner) in files.items():
        expect(path in expected_files, f"{name}: unexpected file {path}", failures)
        expect(owner == "root/root", f"{name}: {path} owned by {owner}, not root/root", failures)
        expect("/usr/local/" not in path, f"{name}: {path} is under /usr/local", failures)

    fields = control(deb)
    expect(fields.get("Architecture") == run(["dpkg", "--print-architecture"], timeout=10).stdout.strip(),
           f"{name}: Architecture {fields.get('Architecture')}", failures)
    expect(re.fullmatch(r".+ <[^@ ]+@[^> ]+>", fields.get("Maintainer", "")), f"{name}: Maintainer "
           f"'{fields.get('Maintainer')}'", failures)
    synopsis = fields.get("Description", "").split("\n")[0]
    expect(synopsis and "CMake" not in synopsis and len(synopsis) < 80, f"{name}: synopsis '{synopsis}'", failures)
    expect(fields.get("Section"), f"{name}: no Section", failures)
    declared = names(fields.get("Depends"))
    expect(depends <= declared, f"{name}: Depends lacks {sorted(depends - declared)}: {fields.get('Depends')}",
           failures)
    expect(re.search(r"libc6 \(>= [0-9.]+\)", fields.get("Depends", "")),
           f"{name}: no versioned libc6 dependency, so dpkg-shlibdeps did not run: {fields.get('Depends')}", failures)
    declared_recommends = names(fields.get("Recommends"))
    expect(recommends <= declared_recommends, f"{name}: Recommends lacks {sorted(recommends - declared_recommends)}",
           failures)
    # Each package named must be a real Debian package: those of the test command's machine are installed.
    for package in sorted(declared | declared_recommends):
        status = run(["dpkg-query", "-W", "-f=${Status}", package], timeout=10, check=False).stdout
        expect("install ok installed" in status, f"{name}: depends on '{package}', which this system does not "
               "have installed (a typo, or a package setup.sh should install)", failures)
    return fields


def check_control_scripts(deb, folder, failures):
    """The server's maintainer scripts and conffiles."""
    name = os.path.basename(deb)
    run(["dpkg-deb", "--control", deb, folder], timeout=30)
    for script in ("postinst", "prerm", "postrm"):
        path = os.path.join(folder, script)
        if not os.path.exists(path):
            failures.append(f"{name}: no {script}")
            continue
        expect(os.stat(path).st_mode & 0o777 == 0o755, f"{name}: {script} is not 0755", failures)
        syntax = run(["sh", "-n", path], timeout=10, check=False)
        expect(syntax.returncode == 0, f"{name}: {script} is not valid sh: {syntax.stderr}", failures)
    conffiles = open(os.path.join(folder, "conffiles")).read().split() if os.path.exists(
        os.path.join(folder, "conffiles")) else []
    expect(conffiles == ["/etc/default/clinicflow-server"], f"{name}: conffiles {conffiles}", failures)


def check_unit(root, unit_path, failures):
    """systemd-analyze verify and security on the unit as shipped, inside the extracted tree (--root), where its
    ExecStart exists; the tree gets the host's targets and slices, which the unit's default dependencies name."""
    unit_dir = os.path.dirname(unit_path)
    for pattern in ("*.target", "*.slice"):
        for path in glob.glob(os.path.join("/lib/systemd/system", pattern)):
            target = os.path.join(unit_dir, os.path.basename(path))
            if not os.path.exists(target):
                shutil.copy(path, target, follow_symlinks=True)
    unit = os.path.basename(unit_path)
    verify = run(["systemd-analyze", "verify", f"--root={root}", unit], timeout=60, check=False)
    output = (verify.stdout + verify.stderr).strip()
    expect(verify.returncode == 0 and not output, f"systemd-analyze verify {unit}: exit {verify.returncode}\n{output}",
           failures)
    security = run(["systemd-analyze", "security", "--offline=true", f"--root={root}", "--threshold=20", unit],
                   timeout=60, check=False)
    level = re.search(r"Overall exposure level for \S+: ([0-9.]+)", security.stdout)
    say(f"systemd-analyze verify: clean; security: exposure {level.group(1) if level else '?'} (at most 2.0)")
    expect(security.returncode == 0, f"systemd-analyze security {unit}: exposure over 2.0:\n{security.stdout[-3000:]}",
           failures)
    sysusers = run(["systemd-sysusers", f"--root={root}", "--dry-run"], timeout=30, check=False)
    expect("Creating user 'clinicflow'" in sysusers.stdout + sysusers.stderr,
           f"systemd-sysusers --dry-run makes no clinicflow user:\n{sysusers.stdout}{sysusers.stderr}", failures)


def check_default_config(root, server, defaults_path, failures):
    """The default configuration holds every CLINICFLOW_* setting of --help, commented, and no other."""
    help_text = run([server, "--help"], timeout=30).stdout
    in_help = set(re.findall(r"env\s+(CLINICFLOW_[A-Z0-9_]+)", help_text))
    text = open(defaults_path, encoding="utf-8").read()
    defaults_path = os.path.relpath(defaults_path, root)  # for the messages
    in_file = set(re.findall(r"^#(CLINICFLOW_[A-Z0-9_]+)=", text, re.M))
    active = re.findall(r"^(CLINICFLOW_[A-Z0-9_]+)=", text, re.M)
    expect(in_help, "clinicflow-server --help names no CLINICFLOW_* variable", failures)
    expect(in_help <= in_file, f"{defaults_path}: settings of --help missing: {sorted(in_help - in_file)}", failures)
    expect(in_file <= in_help, f"{defaults_path}: settings the server does not read: {sorted(in_file - in_help)}",
           failures)
    expect(not active, f"{defaults_path}: settings not commented out: {active}", failures)
    say(f"default configuration: all {len(in_help)} settings of --help, commented")


def check_desktop_entry(root, version, failures):
    path = os.path.join(root, "usr/share/applications/clinicflow.desktop")
    validate = run(["desktop-file-validate", path], timeout=30, check=False)
    # Hints (another category MedicalSoftware could go with) are no fault; errors and warnings are.
    faults = [line for line in (validate.stdout + validate.stderr).splitlines() if ": hint: " not in line]
    expect(validate.returncode == 0 and not faults, f"desktop-file-validate: {faults}", failures)
    entry = dict(line.split("=", 1) for line in open(path, encoding="utf-8").read().splitlines() if "=" in line
                 and not line.startswith("#"))
    for key in ("Exec", "TryExec"):
        program = shlex.split(entry.get(key, ""))[0] if entry.get(key) else ""
        where = program if program.startswith("/") else f"/usr/bin/{program}"
        expect(program and os.path.exists(root + where), f"desktop entry: {key}={entry.get(key)} is not in the "
               "package", failures)
    expect(os.path.exists(os.path.join(root, f"usr/share/icons/hicolor/scalable/apps/{entry.get('Icon')}.svg")),
           f"desktop entry: Icon={entry.get('Icon')} is not in the package", failures)
    expect(entry.get("X-ClinicFlow-Version") == version, f"desktop entry: version {entry.get('X-ClinicFlow-Version')}",
           failures)


def check_binaries(root, failures):
    """Stripped (the debug info is not shipped), no RUNPATH (every library is the system's)."""
    for path in ("usr/bin/clinicflow", "usr/bin/clinicflow-journey", "usr/bin/clinicflow-server"):
        dynamic = run(["readelf", "-d", os.path.join(root, path)], timeout=30).stdout
        expect("RPATH" not in dynamic and "RUNPATH" not in dynamic, f"{path} has a RUNPATH", failures)
        sections = run(["readelf", "-S", "-W", os.path.join(root, path)], timeout=30).stdout
        expect(".debug_info" not in sections and ".symtab" not in sections, f"{path} is not stripped", failures)


def check_translations_embedded(root, failures):
    """lrelease's .qm files are resources in the app (:/i18n/), so the package holds no .qm file."""
    data = open(os.path.join(root, "usr/bin/clinicflow"), "rb").read()
    for lang in ("ko", "en"):
        expect(f"clinicflow_{lang}.qm".encode("utf-16-be") in data,
               f"usr/bin/clinicflow holds no :/i18n/clinicflow_{lang}.qm resource", failures)


def check_every_install_has_a_component(args, folder, failures):
    """An install() without COMPONENT lands in Unspecified, which no package holds."""
    dest = os.path.join(folder, "unspecified")
    os.makedirs(dest)
    run(["cmake", "--install", args.build_dir, "--component", "Unspecified", "--prefix", "/usr"], timeout=60,
        env={**os.environ, "DESTDIR": dest})
    found = [os.path.join(d, f) for d, _, fs in os.walk(dest) for f in fs]
    expect(not found, f"install() rules without COMPONENT (in no package): {found}", failures)


# ---------------------------------------------------------------------------------------------------------------
# Starting the server the way the unit says, without systemd


class ServiceAccount:
    """The unit's User=, played by an account of this machine: nobody when the test runs as root (the package's
    clinicflow user is made by its postinst, which the extracted tree does not run), else the test's own user."""

    def __init__(self):
        if os.geteuid() == 0:
            entry = pwd.getpwnam("nobody")
            self.drop = ["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--clear-groups",
                         "--bounding-set=-all", "--inh-caps=-all", "--no-new-privs"]
        else:
            entry = pwd.getpwuid(os.geteuid())
            self.drop = ["setpriv", "--no-new-privs"]
        self.name, self.uid, self.gid = entry.pw_name, entry.pw_uid, entry.pw_gid


def start_as_unit_says(root, unit_path, account, state_dir, log_path):
    entries = read_unit(unit_path)
    exec_start = shlex.split(unit_value(entries, "ExecStart"))
    binary = root + exec_start[0]
    env = {
        "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin", "LANG": "C.UTF-8", "HOME": state_dir,
        "USER": account.name, "LOGNAME": account.name, "SHELL": "/usr/sbin/nologin", "STATE_DIRECTORY": state_dir,
    }
    for _, key, value in [e for e in entries if e[0] == "Service" and e[1] == "Environment"]:
        for assignment in shlex.split(value):
            name, val = assignment.split("=", 1)
            env[name] = val
    for _, key, value in [e for e in entries if e[0] == "Service" and e[1] == "EnvironmentFile"]:
        path = root + value.lstrip("-")
        if os.path.exists(path):
            env.update(environment_file(path))
        elif not value.startswith("-"):
            raise Failed(f"EnvironmentFile={value} is missing")
    umask = int(unit_value(entries, "UMask", "0022"), 8)
    log = open(log_path, "wb")
    # timeout passes SIGTERM on and ends the server should this test itself be killed.
    guard = ["timeout", "-s", "KILL", "300"]
    process = subprocess.Popen(guard + account.drop + ["--", binary] + exec_start[1:], env=env, cwd="/", stdout=log,
                               stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               preexec_fn=lambda: os.umask(umask))
    log.close()
    return process


def emulated_service(args, work, root, unit_path, failures):
    entries = read_unit(unit_path)
    expect(unit_value(entries, "User") == "clinicflow", "the unit's User= is not clinicflow", failures)
    expect(unit_value(entries, "KillSignal") == "SIGTERM", "the unit's KillSignal= is not SIGTERM", failures)
    expect(unit_value(entries, "NoNewPrivileges") == "yes", "the unit lacks NoNewPrivileges=yes", failures)
    state_name = unit_value(entries, "StateDirectory")
    expect(state_name == "clinicflow", f"the unit's StateDirectory= is {state_name}", failures)
    stop_timeout = float(unit_value(entries, "TimeoutStopSec", "90").rstrip("s"))
    kill_signal = getattr(signal, unit_value(entries, "KillSignal", "SIGTERM"))

    # StateDirectory=: systemd makes /var/lib/<name> for User= with StateDirectoryMode=.
    account = ServiceAccount()
    state_dir = os.path.join(root, "var/lib", state_name)
    state_mode = int(unit_value(entries, "StateDirectoryMode", "0755"), 8)
    os.makedirs(state_dir)
    os.chown(state_dir, account.uid, account.gid)
    os.chmod(state_dir, state_mode)

    # The operator's edit of the default configuration: every setting uncommented with its default, but for the
    # addresses and folder of this test (loopback, free ports, the extracted tree's state folder).
    defaults_path = os.path.join(root, "etc/default/clinicflow-server")
    port, pub_port, http_port = free_ports(3)
    overrides = {"CLINICFLOW_BIND": "127.0.0.1", "CLINICFLOW_PORT": str(port), "CLINICFLOW_PUB_PORT": str(pub_port),
                 "CLINICFLOW_HTTP_PORT": str(http_port), "CLINICFLOW_DATA": state_dir}
    lines = []
    for line in open(defaults_path, encoding="utf-8").read().splitlines():
        match = re.match(r"^#(CLINICFLOW_[A-Z0-9_]+)=(.*)$", line)
        if match:
            line = f"{match.group(1)}={overrides.get(match.group(1), match.group(2))}"
        lines.append(line)
    with open(defaults_path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

    log_path = os.path.join(work, "journal.log")
    started = time.monotonic()
    process = start_as_unit_says(root, unit_path, account, state_dir, log_path)
    try:
        ready_url = f"http://127.0.0.1:{http_port}/health/ready"
        while http_status(ready_url) != 200:
            if process.poll() is not None:
                raise Failed(f"the server exited {process.returncode} before it was ready:\n{tail(log_path)}")
            if time.monotonic() - started > 30:
                raise Failed(f"the server was not ready within 30 s:\n{tail(log_path)}")
            time.sleep(0.1)
        say(f"the server started as the unit says (as {account.name}, NoNewPrivileges, UMask, settings from "
            f"{os.path.relpath(defaults_path, root)}) and was ready in {time.monotonic() - started:.1f} s")

        for name in os.listdir(state_dir):
            info = os.lstat(os.path.join(state_dir, name))
            expect(info.st_uid == account.uid, f"{state_name}/{name} is not the service account's", failures)
            expect(info.st_mode & 0o077 == 0, f"{state_name}/{name} is open to others: {oct(info.st_mode)}", failures)
        expect(os.stat(state_dir).st_mode & 0o777 == state_mode, "the state folder's mode changed", failures)

        # clinicflow-server-admin, as root through runuser or as the account itself, with the same settings.
        enrolments = os.path.join(work, "enrolments")
        os.makedirs(enrolments, mode=0o700)
        admin = os.path.join(root, "usr/sbin/clinicflow-server-admin")
        admin_env = {k: v for k, v in os.environ.items() if not k.startswith(("SUDO_", "CLINICFLOW_"))}
        admin_env.update(CLINICFLOW_SERVICE_USER=account.name, CLINICFLOW_DEFAULTS_FILE=defaults_path)
        for code, role, extra in (("JD", "receptionist", []), ("JK", "doctor", ["--doctor", "dr.kim"]),
                                  ("JL", "examiner", []), ("JB", "board", [])):
            # JD without --out: the file lands in the caller's folder.
            out = [] if code == "JD" else ["--out", os.path.join(enrolments, f"{code}.enrolment.json")]
            run([admin, "enrol", "--station", code, "--role", role, "--name", f"{code} test", "--address",
                 "127.0.0.1"] + extra + out, timeout=30, env=admin_env, cwd=enrolments)
            info = os.stat(os.path.join(enrolments, f"{code}.enrolment.json"))
            expect(info.st_mode & 0o777 == 0o600 and info.st_uid == os.geteuid(),
                   f"{code}.enrolment.json: mode {oct(info.st_mode & 0o777)} owner {info.st_uid}", failures)
        listed = run([admin, "stations"], timeout=30, env=admin_env).stdout
        for code in ("JD", "JK", "JL", "JB"):
            expect(re.search(rf"\b{code}\b", listed), f"clinicflow-server-admin stations lacks {code}:\n{listed}",
                   failures)
        say("clinicflow-server-admin enrolled JD, JK, JL and JB as the service account, and lists them")

        journey = run([os.path.join(root, "usr/bin/clinicflow-journey"), "--server", f"tcp://127.0.0.1:{port}",
                       "--pub", f"tcp://127.0.0.1:{pub_port}", "--data", os.path.join(work, "journey"),
                       "--enrolments", enrolments, "--timeout", "20"], timeout=90, check=False,
                      env={**admin_env, "QT_QPA_PLATFORM": "offscreen"})
        expect(journey.returncode == 0, f"the packaged clinicflow-journey failed ({journey.returncode}):\n"
               f"{journey.stdout[-3000:]}{journey.stderr[-3000:]}\nserver:\n{tail(log_path)}", failures)
        if journey.returncode == 0:
            say(f"the packaged clinicflow-journey played a journey: {journey.stdout.strip().splitlines()[-1]}")

        # An online backup through the wrapper, into a folder the account may write, named relative to the caller's
        # folder (the wrapper runs the command elsewhere, so it must make the path absolute first).
        backups = os.path.join(work, "backups")
        os.makedirs(backups, mode=0o700)
        if os.geteuid() == 0:
            os.chown(backups, account.uid, account.gid)
        backed = run([admin, "backup", "--to", "backups/cf.sqlite"], timeout=60, check=False, env=admin_env, cwd=work)
        copy = os.path.join(backups, "cf.sqlite")
        expect(backed.returncode == 0 and os.path.isfile(copy),
               f"clinicflow-server-admin backup failed ({backed.returncode}):\n{backed.stdout}{backed.stderr}", failures)
        if os.path.isfile(copy):
            info = os.stat(copy)
            expect(info.st_mode & 0o777 == 0o600 and info.st_uid == account.uid,
                   f"the backup's mode {oct(info.st_mode & 0o777)} owner {info.st_uid}", failures)
            say("clinicflow-server-admin backup copied the running service's database")

        process.send_signal(kill_signal)
        stopping = time.monotonic()
        try:
            code = process.wait(timeout=stop_timeout)
        except subprocess.TimeoutExpired:
            raise Failed(f"the server did not stop within TimeoutStopSec={stop_timeout:g} s:\n{tail(log_path)}")
        expect(code == 0, f"the server exited {code} on {kill_signal.name}:\n{tail(log_path)}", failures)
        say(f"{kill_signal.name}: exit {code} in {time.monotonic() - stopping:.1f} s")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    log_lines = [line for line in open(log_path, encoding="utf-8", errors="replace").read().splitlines() if line]
    messages = log_messages(log_lines)
    expect(len(messages) == len(log_lines), f"stdout (the journal) holds lines that are not JSON log records (time, "
           f"level, message): {[line for line in log_lines if not line.startswith('{')][:5]}", failures)
    expect("stopped" in messages, f"the log lacks the server's last line, 'stopped':\n{tail(log_path)}", failures)


def emulated(args):
    failures = []
    work = tempfile.mkdtemp(prefix="clinicflow-debian.")
    try:
        os.chmod(work, 0o755)  # the service account reaches the extracted binaries
        debs = build_packages(args, work)
        if set(debs) != {"clinicflow", "clinicflow-server"}:
            raise Failed(f"cpack made {sorted(debs)}, expected clinicflow and clinicflow-server")
        # The unit's folder is a cache setting (CLINICFLOW_SYSTEMD_UNIT_DIR): /lib or /usr/lib.
        units = [p for p in contents(debs["clinicflow-server"])
                 if re.fullmatch(r"\./(usr/)?lib/systemd/system/clinicflow-server\.service", p)]
        if len(units) != 1:
            raise Failed(f"clinicflow-server: no systemd unit in /lib/systemd/system or /usr/lib/systemd/system")
        unit_file = units[0]
        server_files = {**SERVER_FILES, unit_file: "-rw-r--r--"}
        for package, fields in (("clinicflow", check_package(debs["clinicflow"], CLIENT_FILES, CLIENT_DEPENDS,
                                                             CLIENT_RECOMMENDS, failures)),
                                ("clinicflow-server", check_package(debs["clinicflow-server"], server_files,
                                                                    SERVER_DEPENDS, SERVER_RECOMMENDS, failures))):
            expect(fields.get("Version", "").startswith(f"{args.version}-"),
                   f"{package}: Version {fields.get('Version')}, not {args.version}-<revision>", failures)
        check_control_scripts(debs["clinicflow-server"], os.path.join(work, "control"), failures)
        say("contents, modes, owners, control fields, dependencies and maintainer scripts checked")

        root = os.path.join(work, "root")
        for deb in debs.values():
            run(["dpkg-deb", "-x", deb, root], timeout=60)
        os.chmod(root, 0o755)
        unit_path = root + unit_file[1:]
        check_desktop_entry(root, args.version, failures)
        check_translations_embedded(root, failures)
        check_binaries(root, failures)
        admin_syntax = run(["bash", "-n", os.path.join(root, "usr/sbin/clinicflow-server-admin")], timeout=10,
                           check=False)
        expect(admin_syntax.returncode == 0, f"clinicflow-server-admin: {admin_syntax.stderr}", failures)
        check_default_config(root, os.path.join(root, "usr/bin/clinicflow-server"),
                             os.path.join(root, "etc/default/clinicflow-server"), failures)
        check_every_install_has_a_component(args, work, failures)
        check_unit(root, unit_path, failures)
        emulated_service(args, work, root, unit_path, failures)
    except Failed as e:
        failures.append(str(e))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--cpack", default="cpack")
    parser.add_argument("--version", required=True, help="the project's version")
    args = parser.parse_args()
    tools = ["dpkg-deb", "dpkg-shlibdeps", args.cpack, "cmake", "readelf", "systemd-analyze", "systemd-sysusers",
             "setpriv", "runuser", "desktop-file-validate"]
    missing = [tool for tool in tools if not shutil.which(tool)]
    if missing:
        print(f"[debian] cannot run: {', '.join(missing)} missing (apt-get install dpkg-dev systemd "
              "desktop-file-utils)", file=sys.stderr)
        return 1
    started = time.monotonic()
    failures = emulated(args)
    for failure in failures:
        print(f"FAIL: {failure}", file=sys.stderr)
    say(f"{'failed' if failures else 'passed'} in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
