"""What the Debian package tests share (test_debian_packages.py, test_debian_systemd.py): running commands with a
time limit, building the packages with cpack, reading a .deb's control fields and contents, a unit file and an
environment file, the server's JSON log records."""

import glob
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request

SKIP = 77  # ctest SKIP_RETURN_CODE


class Failed(Exception):
    pass


def say(text):
    print(f"[debian] {text}", flush=True)


def run(cmd, timeout, check=True, **kwargs):
    """A command's completed process; its output is shown when it fails."""
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kwargs)
    except subprocess.TimeoutExpired:
        raise Failed(f"{shlex.join(map(str, cmd))} took more than {timeout} s")
    if check and done.returncode != 0:
        raise Failed(f"{shlex.join(map(str, cmd))} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done


def expect(condition, message, failures):
    if not condition:
        failures.append(message)


def free_ports(count):
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



def build_packages(args, folder, components=None):
    """Runs cpack on the build tree into folder; returns {package name: .deb path}."""
    cmd = [args.cpack, "-G", "DEB", "--config", os.path.join(args.build_dir, "CPackConfig.cmake"), "-B", folder]
    if components:
        cmd += ["-D", f"CPACK_COMPONENTS_ALL={';'.join(components)}"]
    started = time.monotonic()
    run(cmd, timeout=240, cwd=folder)
    debs = {}
    for path in glob.glob(os.path.join(folder, "*.deb")):
        debs[control(path)["Package"]] = path
    say(f"cpack made {', '.join(sorted(os.path.basename(p) for p in debs.values()))} "
        f"in {time.monotonic() - started:.1f} s")
    shutil.rmtree(os.path.join(folder, "_CPack_Packages"), ignore_errors=True)
    return debs


def control(deb):
    fields = {}
    key = None
    for line in run(["dpkg-deb", "--field", deb], timeout=30).stdout.splitlines():
        if line.startswith((" ", "\t")) and key:
            fields[key] += "\n" + line.strip()
        elif ":" in line:
            key, value = line.split(":", 1)
            fields[key] = value.strip()
    return fields


def names(relation_field):
    """Package names in a Depends-like field: 'a (>= 1), b | c' -> {a, b, c}."""
    result = set()
    for alternative in re.split(r"[,|]", relation_field or ""):
        name = alternative.strip().split(" ")[0].split(":")[0]
        if name:
            result.add(name)
    return result


def contents(deb):
    """{path: (mode string, owner)} of the regular files and links in a .deb."""
    files = {}
    for line in run(["dpkg-deb", "--contents", deb], timeout=30).stdout.splitlines():
        parts = line.split(None, 5)
        if len(parts) < 6 or parts[0].startswith("d"):
            continue
        path = parts[5].split(" -> ")[0]
        files[path] = (parts[0], parts[1])
    return files


def read_unit(path):
    """[(section, key, value)] of a unit file, in order (keys may repeat)."""
    entries = []
    section = None
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
        else:
            key, value = line.split("=", 1)
            entries.append((section, key.strip(), value.strip()))
    return entries


def unit_value(entries, key, default=None):
    values = [v for s, k, v in entries if s == "Service" and k == key]
    return values[-1] if values else default


def environment_file(path):
    """KEY=value lines as systemd's EnvironmentFile= reads them (quotes removed)."""
    values = {}
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def log_messages(lines):
    """The messages of the JSON log records among lines (the server's; systemd's own lines are skipped)."""
    messages = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and {"time", "level", "message"} <= set(record):
            messages.append(record["message"])
    return messages


def tail(path, lines=30):
    try:
        return "\n".join(open(path, "rb").read().decode("utf-8", "replace").splitlines()[-lines:])
    except OSError:
        return ""
