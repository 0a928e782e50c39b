#!/usr/bin/python3
"""KubernetesManifests: packaging/kubernetes checked offline, with Debian 12's packages only.

1. Every YAML file parses; every object in it validates against the Kubernetes API schema (k8s_schema.py: the
   python3-kubernetes models, strictly), patches as patches; every kustomization keeps to what kustomize v2 reads and
   lists files that exist; no manifest is left out of a kustomization.
2. `kubectl kustomize` builds base/ (SQLite, the default) and overlays/postgresql/, with the Secret's files made by
   make-secret.sh and the real clinicflow-server; the output validates the same way; `images:` overrides the image.
3. The rendered objects agree with the server (its --help and the CLINICFLOW_* variables its source reads): every
   CLINICFLOW_* variable set is one the server reads, and the ConfigMap sets every one; ports, probe paths, the token
   the non-loopback HTTP bind requires, the key and data folders, the drain, the security context, resources,
   Prometheus' annotations, Services that reach the pods' ports; and what scales: each module runs in one pod, and an
   HorizontalPodAutoscaler only ever scales a part that runs no module, beyond one replica.
4. The real clinicflow-server runs with the base's settings in an emulation of the pod's file system (the volume's
   root owned by root with the fsGroup, the Secret's files read-only; as uid 10001 when this runs as root): /health/live
   and /health/ready answer 200 at the probes' port, /metrics 401 without the Secret's token and 200 with it, the CURVE
   key is the Secret's, the data stays the server's alone, and SIGTERM ends it with 0 within the grace period.
5. The test can fail: each of a list of breakages (a typo'd field, a string replica count, a variable the server does
   not read, a wrong probe path, two replicas of the SQLite writer, an autoscaled gateway, ...) must be caught.
"""

import argparse
import base64
import copy
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

try:
    import yaml
    import k8s_schema
except ImportError as e:
    print(f"KubernetesManifests cannot run: {e}; on Debian: apt-get install python3-yaml python3-kubernetes",
          file=sys.stderr)
    sys.exit(1)

NAMESPACE = "clinicflow"
PART_OF = ("app.kubernetes.io/part-of", "clinicflow")
SERVER_UID = 10001  # the image's user (packaging/container)
PROBES = {"readinessProbe": "/health/ready", "livenessProbe": "/health/live", "startupProbe": "/health/live"}
# Ports by the name the manifests give them, and the setting each must equal.
PORT_SETTINGS = {"zmq-requests": "CLINICFLOW_PORT", "zmq-status": "CLINICFLOW_PUB_PORT", "http": "CLINICFLOW_HTTP_PORT"}
# `--only http`: a read replica (health, metrics, the read-only API), no module's lock, as many as wanted. The server
# must say it takes it (--help); over PostgreSQL, between pods, it waits for #14, and the test says so.
READ_REPLICA = "http"
# Environment variables other than CLINICFLOW_* that a container may set, and why.
OTHER_ENV = {"PGPASSWORD": "libpq's password, for the PostgreSQL overlay"}
# kustomization fields kustomize v2 (Debian 12's kubectl 1.20) reads and builds right.
KUSTOMIZE_V2_FIELDS = {"apiVersion", "kind", "namespace", "bases", "resources", "patchesStrategicMerge",
                       "patchesJson6902", "secretGenerator", "configMapGenerator", "generatorOptions", "images",
                       "commonAnnotations", "namePrefix", "nameSuffix", "vars", "crds"}
KUSTOMIZE_AVOIDED = {
    "commonLabels": "kustomize v2 gives a StatefulSet a bogus volumeClaimTemplates map for it",
    "patches": "kustomize v2 does not know it", "components": "kustomize v2 does not know it",
    "labels": "kustomize v2 does not know it", "replacements": "kustomize v2 does not know it",
}


# ---------------------------------------------------------------------------------------------------------------------
# What the server reads


class ServerFacts:
    def __init__(self, binary, source_dir):
        self.binary = binary
        out = subprocess.run([binary, "--help"], capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise SystemExit(f"{binary} --help failed: {out.stderr}")
        self.help = out.stdout
        text = " ".join(line.strip() for line in out.stdout.splitlines())
        # "[env CLINICFLOW_PORT; default: 7470]"; a long default may be wrapped in the middle of a word.
        self.defaults = {}
        for var, default in re.findall(r"\[env (CLINICFLOW_[A-Z0-9_]+); default: ([^\]]*)\]", text):
            default = default.strip()
            if "," in default:
                default = default.replace(" ", "")
            self.defaults[var] = "" if default == "none" else default
        self.from_help = set(self.defaults)
        levels = re.search(r"--log-level <([a-z|]+)>", text)
        self.log_levels = set(levels.group(1).split("|")) if levels else set()
        self.modules = [m for m in self.defaults.get("CLINICFLOW_ONLY", "").split(",") if m]
        self.read_replicas = "'http' alone makes a read replica" in " ".join(text.split())
        # Variables the server reads from the environment alone (the HTTP limits), found in its source.
        self.env_only = {}
        pattern = re.compile(
            r"\b(?:fromEnvironment|qEnvironmentVariable\w*|qgetenv|getenv|secure_getenv)\s*\(\s*\"(CLINICFLOW_[A-Z0-9_]+)\"")
        for top in ("server", "shared"):
            for root, _, files in os.walk(os.path.join(source_dir, top)):
                for name in files:
                    if name.endswith((".cpp", ".h", ".hpp", ".cc")):
                        path = os.path.join(root, name)
                        with open(path, encoding="utf-8", errors="replace") as f:
                            for var in pattern.findall(f.read()):
                                self.env_only.setdefault(var, os.path.relpath(path, source_dir))
        self.known = self.from_help | set(self.env_only)

    def sanity(self):
        errors = []
        for var in ("CLINICFLOW_PORT", "CLINICFLOW_PUB_PORT", "CLINICFLOW_HTTP_PORT", "CLINICFLOW_HTTP_BIND",
                    "CLINICFLOW_HTTP_TOKEN_FILE", "CLINICFLOW_KEYS", "CLINICFLOW_DATA", "CLINICFLOW_ONLY"):
            if var not in self.defaults:
                errors.append(f"clinicflow-server --help no longer names {var}: read it again, and fix this test")
        if "gateway" not in self.modules:
            errors.append(f"could not read the modules from --help (got {self.modules})")
        if not self.log_levels:
            errors.append("could not read the log levels from --help")
        return errors


# ---------------------------------------------------------------------------------------------------------------------
# Reading the rendered objects


def by_kind(docs, kind):
    return [d for d in docs if isinstance(d, dict) and d.get("kind") == kind]


def find(docs, kind, name):
    for d in by_kind(docs, kind):
        if d.get("metadata", {}).get("name") == name:
            return d
    return None


def workloads(docs):
    return [d for d in docs if isinstance(d, dict) and d.get("kind") in ("StatefulSet", "Deployment")]


def pod_spec(w):
    return w.get("spec", {}).get("template", {}).get("spec", {}) or {}


def server_containers(w):
    return [c for c in pod_spec(w).get("containers", []) or [] if "clinicflow-server" in str(c.get("image", ""))]


def wname(w):
    return f"{w.get('kind')}/{w.get('metadata', {}).get('name')}"


def container_env(c, docs, where, errors):
    """The container's environment: envFrom ConfigMaps, then env entries (which win). Values from Secrets are marked."""
    env = {}
    for source in c.get("envFrom", []) or []:
        ref = source.get("configMapRef")
        if ref:
            cm = find(docs, "ConfigMap", ref.get("name"))
            if cm is None:
                errors.append(f"{where}: envFrom names ConfigMap {ref.get('name')}, which is not in the output")
                continue
            env.update({k: str(v) for k, v in (cm.get("data") or {}).items()})
        if source.get("secretRef"):
            errors.append(f"{where}: envFrom a Secret: its variables cannot be checked here")
    for e in c.get("env", []) or []:
        if "value" in e:
            env[e["name"]] = str(e.get("value") or "")
        elif "valueFrom" in e:
            env[e["name"]] = ("<from>", e["valueFrom"])
        else:
            env[e["name"]] = ""
    return env


def setting(env, facts, var):
    """A setting's effective value: the environment's when set and not empty, else the server's default."""
    value = env.get(var, "")
    if isinstance(value, tuple):
        return value
    return value if value != "" else facts.defaults.get(var, "")


def mount_for(path, c, pod):
    """The (volumeMount, volume) a path lies in, the deepest one, or (None, None)."""
    best = (None, None)
    for m in c.get("volumeMounts", []) or []:
        mp = m.get("mountPath", "").rstrip("/")
        if path == mp or path.startswith(mp + "/"):
            if best[0] is None or len(mp) > len(best[0]["mountPath"].rstrip("/")):
                vol = next((v for v in pod.get("volumes", []) or [] if v.get("name") == m.get("name")), None)
                best = (m, vol)
    return best


def secret_file(path, c, pod, docs):
    """Where a file under a Secret volume comes from: (secret, key), or a reason it does not."""
    m, vol = mount_for(path, c, pod)
    if m is None or vol is None or "secret" not in vol:
        return None, "not in a Secret volume"
    if m.get("subPath"):
        return None, "a subPath mount (it never sees a changed Secret)"
    secret = find(docs, "Secret", vol["secret"].get("secretName"))
    if secret is None:
        return None, f"Secret {vol['secret'].get('secretName')} is not in the output"
    rel = path[len(m["mountPath"].rstrip("/")) + 1:]
    items = vol["secret"].get("items")
    if items:
        key = next((i.get("key") for i in items if i.get("path") == rel), None)
    else:
        key = rel
    data = set((secret.get("data") or {}).keys()) | set((secret.get("stringData") or {}).keys())
    if key is None or key not in data:
        return None, f"no key for {rel} in Secret {secret['metadata']['name']} (it has {sorted(data)})"
    return (secret, key), None


def container_port(c, ref):
    """The number a probe's or Service's port refers to (a name or a number) in the container, else None."""
    for p in c.get("ports", []) or []:
        if ref == p.get("name") or ref == p.get("containerPort"):
            return p.get("containerPort")
    return None


def quantity(text):
    units = {"n": 1e-9, "u": 1e-6, "m": 1e-3, "": 1, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
             "Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60}
    m = re.match(r"^([0-9.]+)([a-zA-Z]*)$", str(text))
    if not m or m.group(2) not in units:
        return None
    return float(m.group(1)) * units[m.group(2)]


def modules_of(env, facts):
    value = setting(env, facts, "CLINICFLOW_ONLY")
    return [m.strip() for m in value.split(",")] if isinstance(value, str) and value else []


# ---------------------------------------------------------------------------------------------------------------------
# The checks on a rendered deployment (base or overlay). Each returns a list of errors; none means it holds.


def check_rendered(docs, facts, profile):
    errors = []
    notes = []
    err = errors.append

    # Objects: the namespace, the common label.
    if find(docs, "Namespace", NAMESPACE) is None:
        err(f"no Namespace {NAMESPACE}")
    for d in docs:
        meta = d.get("metadata", {}) or {}
        where = f"{d.get('kind')}/{meta.get('name')}"
        if k8s_schema.namespaced(d) and meta.get("namespace") != NAMESPACE:
            err(f"{where}: namespace {meta.get('namespace')!r}, not {NAMESPACE}")
        if (meta.get("labels") or {}).get(PART_OF[0]) != PART_OF[1]:
            err(f"{where}: no label {PART_OF[0]}: {PART_OF[1]}")

    # The settings: every CLINICFLOW_* the ConfigMap sets is read by the server, and it sets every one.
    cm = find(docs, "ConfigMap", "clinicflow-server-config")
    if cm is None:
        err("no ConfigMap clinicflow-server-config")
    else:
        data = cm.get("data") or {}
        for key in data:
            if not key.startswith("CLINICFLOW_"):
                err(f"ConfigMap: {key} is not a CLINICFLOW_* setting")
            elif key not in facts.known:
                err(f"ConfigMap: {key} is not a setting the server reads (--help and its source read "
                    f"{', '.join(sorted(facts.known))})")
        for var in sorted(facts.known - set(data)):
            err(f"ConfigMap: {var} is missing: the server reads it "
                f"({'--help' if var in facts.from_help else facts.env_only.get(var)})")
        for key, value in data.items():
            if not isinstance(value, str):
                err(f"ConfigMap: {key} is not a string")

    ws = workloads(docs)
    if not ws:
        err("no StatefulSet or Deployment runs clinicflow-server")
    runs = {}  # module -> [workload]
    for w in ws:
        where = wname(w)
        pod = pod_spec(w)
        cs = server_containers(w)
        if len(cs) != 1:
            err(f"{where}: {len(cs)} clinicflow-server containers, expected 1")
            continue
        c = cs[0]
        env = container_env(c, docs, where, errors)

        for name, value in env.items():
            if name.startswith("CLINICFLOW_"):
                if name not in facts.known:
                    err(f"{where}: {name} is not a setting the server reads")
            elif name not in OTHER_ENV:
                err(f"{where}: sets {name}, neither a CLINICFLOW_* setting nor one of {sorted(OTHER_ENV)}")
            if isinstance(value, tuple):
                ref = value[1].get("secretKeyRef")
                if ref is None:
                    err(f"{where}: {name} comes from neither a value nor a Secret")
                else:
                    secret = find(docs, "Secret", ref.get("name"))
                    if secret is None or ref.get("key") not in (secret.get("data") or {}):
                        err(f"{where}: {name} names key {ref.get('key')} of Secret {ref.get('name')}, not in the output")

        # Values.
        ports = {}
        for var in ("CLINICFLOW_PORT", "CLINICFLOW_PUB_PORT", "CLINICFLOW_HTTP_PORT"):
            v = setting(env, facts, var)
            if not (isinstance(v, str) and v.isdigit() and 0 < int(v) < 65536):
                err(f"{where}: {var}={v!r} is not a port")
            else:
                ports[var] = int(v)
        for var in ("CLINICFLOW_BIND", "CLINICFLOW_HTTP_BIND"):
            v = setting(env, facts, var)
            try:
                ipaddress.ip_address(v)
            except ValueError:
                err(f"{where}: {var}={v!r} is not an IP address")
        level = setting(env, facts, "CLINICFLOW_LOG_LEVEL")
        if level not in facts.log_levels:
            err(f"{where}: CLINICFLOW_LOG_LEVEL={level!r} is not one of {sorted(facts.log_levels)}")
        rate = setting(env, facts, "CLINICFLOW_STATION_RATE")
        if not (isinstance(rate, str) and rate.isdigit() and int(rate) > 0):
            err(f"{where}: CLINICFLOW_STATION_RATE={rate!r} is not a positive number")
        for var in facts.env_only:
            v = env.get(var, "")
            if v != "" and not (isinstance(v, str) and v.isdigit() and int(v) > 0):
                err(f"{where}: {var}={v!r}: empty (the server's default) or a positive number")
        mods = modules_of(env, facts)
        if not mods:
            err(f"{where}: runs no module (CLINICFLOW_ONLY empty)")
        real = []
        for m in mods:
            if m in facts.modules:
                real.append(m)
            elif m == READ_REPLICA and facts.read_replicas:
                if profile == "postgresql":
                    notes.append(f"{where}: HTTP read replicas over PostgreSQL wait for issue #14")
            else:
                err(f"{where}: CLINICFLOW_ONLY names {m!r}, not a module of the server ({', '.join(facts.modules)})")
        for m in real:
            runs.setdefault(m, []).append(w)
        database = setting(env, facts, "CLINICFLOW_DATABASE")
        sqlite = database == ""

        # The HTTP token: a bind beyond loopback needs a token file, which must be the Secret's.
        http_bind = setting(env, facts, "CLINICFLOW_HTTP_BIND")
        token = setting(env, facts, "CLINICFLOW_HTTP_TOKEN_FILE")
        try:
            loopback = ipaddress.ip_address(http_bind).is_loopback
        except ValueError:
            loopback = True
        if not loopback:
            if not token:
                err(f"{where}: CLINICFLOW_HTTP_BIND={http_bind} without CLINICFLOW_HTTP_TOKEN_FILE: the server "
                    f"refuses to start")
            else:
                _, why = secret_file(token, c, pod, docs)
                if why:
                    err(f"{where}: CLINICFLOW_HTTP_TOKEN_FILE {token}: {why}")
        elif "/health" in str(c.get("readinessProbe")):
            err(f"{where}: HTTP bound to {http_bind}: the kubelet's probes cannot reach it")

        # The server's key: from the Secret, for the gateway.
        data_dir = setting(env, facts, "CLINICFLOW_DATA")
        keys = setting(env, facts, "CLINICFLOW_KEYS") or (data_dir + "/keys")
        if "gateway" in mods:
            _, why = secret_file(keys.rstrip("/") + "/server.key", c, pod, docs)
            if why:
                err(f"{where}: the gateway's {keys}/server.key: {why}")

        # The data folder: inside a volume, not its root (the server makes the folder its own, 0700); SQLite's on a
        # persistent volume.
        m, vol = mount_for(data_dir, c, pod)
        if m is None or vol is None:
            err(f"{where}: CLINICFLOW_DATA {data_dir} is on no volume")
        else:
            if data_dir.rstrip("/") == m["mountPath"].rstrip("/"):
                err(f"{where}: CLINICFLOW_DATA {data_dir} is the volume's root, which the server cannot make its own "
                    f"(it belongs to root): use a folder inside it")
            if m.get("readOnly"):
                err(f"{where}: CLINICFLOW_DATA {data_dir} is mounted read-only")
            if sqlite:
                claim = (vol.get("persistentVolumeClaim") or {}).get("claimName")
                if not claim:
                    err(f"{where}: SQLite in {data_dir} is not on a PersistentVolumeClaim")
                elif find(docs, "PersistentVolumeClaim", claim) is None:
                    err(f"{where}: PersistentVolumeClaim {claim} is not in the output")
        if profile == "postgresql":
            if not (isinstance(database, str) and database.startswith(("postgresql://", "postgres://"))):
                err(f"{where}: CLINICFLOW_DATABASE {database!r} is not a postgresql:// URL")
            elif re.match(r"^postgres(ql)?://[^/@]*:[^/@]*@", database):
                err(f"{where}: CLINICFLOW_DATABASE carries a password: put it in the Secret (PGPASSWORD)")
            if "PGPASSWORD" not in env:
                err(f"{where}: no PGPASSWORD from the database Secret")
        elif not sqlite:
            err(f"{where}: the base must run on SQLite (CLINICFLOW_DATABASE={database!r})")

        # Read-only root: a writable /tmp (SQLite's temporary files).
        sc = c.get("securityContext") or {}
        psc = pod.get("securityContext") or {}
        if sc.get("readOnlyRootFilesystem"):
            mt, vt = mount_for("/tmp", c, pod)
            if mt is None or mt.get("readOnly"):
                err(f"{where}: read-only root file system and no writable /tmp")

        # Ports, probes, scraping.
        named = {p.get("name"): p.get("containerPort") for p in c.get("ports", []) or []}
        for pname, var in PORT_SETTINGS.items():
            need = pname == "http" or "gateway" in mods
            if pname in named:
                if var in ports and named[pname] != ports[var]:
                    err(f"{where}: container port {pname} is {named[pname]}, the server listens on {var}={ports[var]}")
            elif need:
                err(f"{where}: no container port named {pname} ({var})")
        for probe, path in PROBES.items():
            p = c.get(probe)
            if p is None:
                if probe != "startupProbe":
                    err(f"{where}: no {probe}")
                continue
            get = p.get("httpGet")
            if not get:
                err(f"{where}: {probe} is not an HTTP GET on {path}")
                continue
            if get.get("path") != path:
                err(f"{where}: {probe} asks {get.get('path')}, the server answers it on {path}")
            number = container_port(c, get.get("port"))
            if number is None:
                err(f"{where}: {probe} port {get.get('port')!r} is not a port of the container")
            elif "CLINICFLOW_HTTP_PORT" in ports and number != ports["CLINICFLOW_HTTP_PORT"]:
                err(f"{where}: {probe} on port {number}, HTTP is on {ports['CLINICFLOW_HTTP_PORT']}")
            if (get.get("scheme") or "HTTP") != "HTTP":
                err(f"{where}: {probe} uses {get.get('scheme')}; the server speaks plain HTTP")
        notes_ = (w.get("spec", {}).get("template", {}).get("metadata", {}) or {}).get("annotations") or {}
        if notes_.get("prometheus.io/scrape") != "true":
            err(f"{where}: no prometheus.io/scrape: \"true\" on the pods")
        if notes_.get("prometheus.io/path") != "/metrics":
            err(f"{where}: prometheus.io/path is {notes_.get('prometheus.io/path')!r}, the server's is /metrics")
        if "CLINICFLOW_HTTP_PORT" in ports and notes_.get("prometheus.io/port") != str(ports["CLINICFLOW_HTTP_PORT"]):
            err(f"{where}: prometheus.io/port is {notes_.get('prometheus.io/port')!r}, HTTP is on "
                f"{ports['CLINICFLOW_HTTP_PORT']}")

        # Security.
        if psc.get("runAsNonRoot") is not True:
            err(f"{where}: runAsNonRoot is not true")
        if psc.get("runAsUser", sc.get("runAsUser")) != SERVER_UID:
            err(f"{where}: runAsUser is not {SERVER_UID} (the image's user)")
        if psc.get("fsGroup") is None:
            err(f"{where}: no fsGroup: the volume would not be writable by the server")
        seccomp = (sc.get("seccompProfile") or psc.get("seccompProfile") or {}).get("type")
        if seccomp != "RuntimeDefault":
            err(f"{where}: seccompProfile is {seccomp!r}, not RuntimeDefault")
        if sc.get("allowPrivilegeEscalation") is not False:
            err(f"{where}: allowPrivilegeEscalation is not false")
        if sc.get("readOnlyRootFilesystem") is not True:
            err(f"{where}: readOnlyRootFilesystem is not true")
        if sc.get("privileged"):
            err(f"{where}: privileged")
        if "ALL" not in ((sc.get("capabilities") or {}).get("drop") or []):
            err(f"{where}: capabilities do not drop ALL")
        if (sc.get("capabilities") or {}).get("add"):
            err(f"{where}: adds capabilities")

        # Resources.
        res = c.get("resources") or {}
        for kind in ("cpu", "memory"):
            req = (res.get("requests") or {}).get(kind)
            lim = (res.get("limits") or {}).get(kind)
            if req is None or lim is None:
                err(f"{where}: no {kind} request or limit")
            elif quantity(req) is None or quantity(lim) is None or quantity(req) > quantity(lim):
                err(f"{where}: {kind} request {req} above its limit {lim}")

        # The drain: a preStop pause, then SIGTERM, within the grace period.
        pre = ((c.get("lifecycle") or {}).get("preStop") or {}).get("exec", {}).get("command") or []
        pause = None
        if len(pre) >= 2 and os.path.basename(str(pre[0])) == "sleep" and str(pre[1]).isdigit():
            pause = int(pre[1])
        elif len(pre) == 3 and os.path.basename(str(pre[0])) in ("sh", "bash") and pre[1] == "-c":
            found = re.fullmatch(r"\s*sleep\s+(\d+)\s*", str(pre[2]))
            pause = int(found.group(1)) if found else None
        grace = pod.get("terminationGracePeriodSeconds", 30)
        # The server drains for up to CLINICFLOW_DRAIN_SECONDS, then closes its databases: 5 s more for that.
        drain = setting(env, facts, "CLINICFLOW_DRAIN_SECONDS") if "CLINICFLOW_DRAIN_SECONDS" in facts.known else "10"
        if not (isinstance(drain, str) and drain.isdigit()):
            err(f"{where}: CLINICFLOW_DRAIN_SECONDS={drain!r} is not a number of seconds")
            drain = "10"
        if pause is None:
            err(f"{where}: no preStop sleep (the endpoints drop the pod while it pauses)")
        elif not 1 <= pause <= 15:
            err(f"{where}: preStop sleeps {pause} s")
        elif grace < pause + int(drain) + 5:
            err(f"{where}: terminationGracePeriodSeconds {grace} does not hold the preStop pause ({pause} s), the "
                f"drain (up to {drain} s) and 5 s to close: the kubelet would kill the server mid-drain")

        # One process per module: no second replica, never two pods at once.
        if real:
            replicas = w.get("spec", {}).get("replicas", 1)
            if replicas != 1:
                err(f"{where}: runs {', '.join(real)} with {replicas} replicas: each module runs in one process")
            if w["kind"] == "Deployment" and (w["spec"].get("strategy") or {}).get("type") != "Recreate":
                err(f"{where}: runs {', '.join(real)} in a Deployment without strategy Recreate: an update would run "
                    f"two at once")
            if sqlite and sorted(real) != sorted(facts.modules):
                err(f"{where}: on SQLite every module runs in the one pod (it runs {', '.join(real)})")

    for m in facts.modules:
        n = len(runs.get(m, []))
        if n != 1:
            err(f"module {m} runs in {n} workloads ({', '.join(wname(w) for w in runs.get(m, []))}), expected 1")

    # Autoscalers: only for a part that runs no module, and beyond one replica.
    hpas = by_kind(docs, "HorizontalPodAutoscaler")
    for h in hpas:
        where = f"HorizontalPodAutoscaler/{h['metadata'].get('name')}"
        ref = h.get("spec", {}).get("scaleTargetRef") or {}
        target = find(docs, ref.get("kind"), ref.get("name"))
        if target is None:
            err(f"{where}: scales {ref.get('kind')}/{ref.get('name')}, which is not in the output")
            continue
        spec = h["spec"]
        if spec.get("maxReplicas", 0) <= 1:
            err(f"{where}: maxReplicas {spec.get('maxReplicas')}: an autoscaler that cannot scale")
        if not 1 <= spec.get("minReplicas", 1) <= spec.get("maxReplicas", 0):
            err(f"{where}: minReplicas {spec.get('minReplicas')} outside 1..maxReplicas")
        if "replicas" in target.get("spec", {}):
            err(f"{where}: {wname(target)} sets replicas, which every apply would reset under the autoscaler")
        for c in server_containers(target):
            env = container_env(c, docs, where, [])
            busy = [m for m in modules_of(env, facts) if m in facts.modules]
            if busy:
                err(f"{where}: scales {wname(target)}, which runs {', '.join(busy)}: each module runs in one process")
            for metric in spec.get("metrics") or []:
                if (metric.get("resource") or {}).get("name") == "cpu" and \
                        not ((c.get("resources") or {}).get("requests") or {}).get("cpu"):
                    err(f"{where}: scales on CPU, and {wname(target)} requests none")
    if profile == "postgresql" and not hpas:
        err("the PostgreSQL overlay ships no HorizontalPodAutoscaler for the part that scales")
    if profile == "sqlite" and hpas:
        err("an autoscaler on SQLite: nothing scales beyond one writer")

    # Services: each reaches pods, on ports they have; the stations' keep the server's ports, from outside.
    for s in by_kind(docs, "Service"):
        where = f"Service/{s['metadata'].get('name')}"
        spec = s.get("spec") or {}
        selector = spec.get("selector") or {}
        targets = [w for w in ws if selector and all(
            (w["spec"]["template"]["metadata"].get("labels") or {}).get(k) == v for k, v in selector.items())]
        if not targets:
            err(f"{where}: its selector {selector} matches no pods")
            continue
        zmq = False
        for p in spec.get("ports") or []:
            target_port = p.get("targetPort", p.get("port"))
            for w in targets:
                for c in server_containers(w):
                    number = container_port(c, target_port)
                    if number is None:
                        err(f"{where}: port {p.get('name')} targets {target_port!r}, not a port of {wname(w)}")
                    env = container_env(c, docs, where, [])
                    for pname, var in PORT_SETTINGS.items():
                        if number is not None and number == container_port(c, pname) and pname.startswith("zmq"):
                            zmq = True
                            want = setting(env, facts, var)
                            if str(p.get("port")) != want:
                                err(f"{where}: publishes {pname} on {p.get('port')}; the enrolment files carry the "
                                    f"server's {var}={want}")
        if zmq:
            if spec.get("type") not in ("LoadBalancer", "NodePort"):
                err(f"{where}: the stations are outside the cluster: type {spec.get('type')!r} cannot reach them")
            if spec.get("externalTrafficPolicy") != "Local":
                err(f"{where}: without externalTrafficPolicy Local every station arrives from a node's address, "
                    f"and the server caps connections per address")
        elif spec.get("type", "ClusterIP") != "ClusterIP":
            err(f"{where}: HTTP is for the cluster only (type {spec.get('type')})")

    if profile == "sqlite":
        for p in by_kind(docs, "PersistentVolumeClaim"):
            modes = (p.get("spec") or {}).get("accessModes") or []
            if "ReadWriteMany" in modes:
                err(f"PersistentVolumeClaim/{p['metadata']['name']}: ReadWriteMany: SQLite wants one node's file system")
    elif by_kind(docs, "PersistentVolumeClaim") or by_kind(docs, "StatefulSet"):
        err("the PostgreSQL overlay keeps the SQLite volume or StatefulSet")
    return errors, notes


def validate_all(docs, where):
    errors = []
    for i, d in enumerate(docs):
        errors += k8s_schema.validate(d, f"{where}[{i}] ")
    return errors


# ---------------------------------------------------------------------------------------------------------------------
# The source tree


def check_sources(tree):
    errors = []
    referenced = set()
    kustomizations = []
    for root, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d != "secrets"]
        for name in sorted(files):
            if not name.endswith((".yaml", ".yml")):
                continue
            path = os.path.join(root, name)
            rel = os.path.relpath(path, tree)
            try:
                with open(path) as f:
                    docs = [d for d in yaml.safe_load_all(f)]
            except yaml.YAMLError as e:
                errors.append(f"{rel}: does not parse: {e}")
                continue
            if name == "kustomization.yaml":
                kustomizations.append((root, rel, docs[0] if docs else None))
    for root, rel, k in kustomizations:
        if not isinstance(k, dict):
            errors.append(f"{rel}: empty")
            continue
        for field in k:
            if field in KUSTOMIZE_AVOIDED:
                errors.append(f"{rel}: {field}: {KUSTOMIZE_AVOIDED[field]}")
            elif field not in KUSTOMIZE_V2_FIELDS:
                errors.append(f"{rel}: {field} is not a kustomization field kustomize v2 reads")
        for kind, entries, partial in (("resources", k.get("resources") or [], False),
                                       ("patchesStrategicMerge", k.get("patchesStrategicMerge") or [], True)):
            for entry in entries:
                path = os.path.normpath(os.path.join(root, entry))
                if not os.path.isfile(path):
                    errors.append(f"{rel}: {kind} {entry} is not a file (kustomize v2 takes folders in bases:)")
                    continue
                referenced.add(path)
                with open(path) as f:
                    for i, d in enumerate(yaml.safe_load_all(f)):
                        errors += k8s_schema.validate(d, f"{os.path.relpath(path, tree)}[{i}] ", partial=partial)
        for entry in k.get("bases") or []:
            path = os.path.normpath(os.path.join(root, entry))
            if not os.path.isfile(os.path.join(path, "kustomization.yaml")):
                errors.append(f"{rel}: base {entry} has no kustomization.yaml")
        for gen in (k.get("secretGenerator") or []) + (k.get("configMapGenerator") or []):
            for entry in gen.get("files") or []:
                source = entry.split("=", 1)[-1]
                if not os.path.normpath(os.path.join(root, source)).startswith(root + os.sep):
                    errors.append(f"{rel}: generator file {source} is outside the kustomization's folder")
    for root, dirs, files in os.walk(tree):
        dirs[:] = [d for d in dirs if d != "secrets"]
        for name in files:
            path = os.path.join(root, name)
            if name.endswith((".yaml", ".yml")) and name != "kustomization.yaml" and path not in referenced:
                errors.append(f"{os.path.relpath(path, tree)}: in no kustomization")
    if not kustomizations:
        errors.append("no kustomization.yaml")
    return errors


# ---------------------------------------------------------------------------------------------------------------------
# Breakages the checks must catch


def mutations():
    """(what, which build, change, a phrase the errors must contain)."""

    def sts(docs):
        return by_kind(docs, "StatefulSet")[0]

    def ctr(docs):
        return server_containers(sts(docs))[0]

    def cm(docs):
        return find(docs, "ConfigMap", "clinicflow-server-config")["data"]

    def deployment(docs, name):
        return find(docs, "Deployment", name)

    def rename(d, old, new):
        d[new] = d.pop(old)

    return [
        ("a misspelt field", "sqlite", lambda d: rename(ctr(d), "livenessProbe", "livenesProbe"), "unknown field"),
        ("a field at the wrong level", "sqlite", lambda d: sts(d)["spec"].update(terminationGracePeriodSeconds=30),
         "unknown field"),
        ("replicas as a string", "sqlite", lambda d: sts(d)["spec"].update(replicas="1"), "expected an integer"),
        ("a container without a name", "sqlite", lambda d: ctr(d).pop("name"), "required field 'name'"),
        ("kustomize v2's volumeClaimTemplates map", "sqlite",
         lambda d: sts(d)["spec"].update(volumeClaimTemplates={"metadata": {"labels": {"a": "b"}}}), "expected a list"),
        ("memory as a number of bytes with a space", "sqlite",
         lambda d: ctr(d)["resources"]["limits"].update(memory="1 GB"), "not a quantity"),
        ("a wrong enumeration value", "sqlite",
         lambda d: find(d, "Service", "clinicflow-stations")["spec"].update(externalTrafficPolicy="local"),
         "is not one of"),
        ("an empty document (kustomize v2's $patch: delete)", "sqlite", lambda d: d.append({}), "not an object"),
        ("a variable the server does not read", "sqlite", lambda d: cm(d).update(CLINICFLOW_HTTP_PORTS="8080"),
         "not a setting the server reads"),
        ("a setting left out of the ConfigMap", "sqlite", lambda d: cm(d).pop("CLINICFLOW_STATION_RATE"),
         "CLINICFLOW_STATION_RATE is missing"),
        ("an env-only HTTP limit left out", "sqlite", lambda d: cm(d).pop("CLINICFLOW_HTTP_MAX_CONNECTIONS"),
         "CLINICFLOW_HTTP_MAX_CONNECTIONS is missing"),
        ("an env variable the server does not read", "sqlite",
         lambda d: ctr(d).setdefault("env", []).append({"name": "CLINICFLOW_LOGLEVEL", "value": "debug"}),
         "not a setting the server reads"),
        ("the readiness probe on another path", "sqlite",
         lambda d: ctr(d)["readinessProbe"]["httpGet"].update(path="/healthz"), "the server answers it on"),
        ("the liveness probe on the readiness path", "sqlite",
         lambda d: ctr(d)["livenessProbe"]["httpGet"].update(path="/health/ready"), "the server answers it on"),
        ("the HTTP port moved without the container port", "sqlite", lambda d: cm(d).update(CLINICFLOW_HTTP_PORT="8081"),
         "the server listens on"),
        ("a probe on a port the container lacks", "sqlite",
         lambda d: ctr(d)["livenessProbe"]["httpGet"].update(port="metrics"), "not a port of the container"),
        ("HTTP bound beyond loopback without a token", "sqlite", lambda d: cm(d).update(CLINICFLOW_HTTP_TOKEN_FILE=""),
         "refuses to start"),
        ("the token file outside the Secret", "sqlite",
         lambda d: cm(d).update(CLINICFLOW_HTTP_TOKEN_FILE="/var/lib/clinicflow/http.token"), "not in a Secret volume"),
        ("the data folder at the volume's root", "sqlite", lambda d: cm(d).update(CLINICFLOW_DATA="/var/lib/clinicflow"),
         "the volume's root"),
        ("a module that does not exist", "sqlite", lambda d: cm(d).update(CLINICFLOW_ONLY="gateway,billing"),
         "not a module of the server"),
        ("two replicas of the SQLite writer", "sqlite", lambda d: sts(d)["spec"].update(replicas=2), "2 replicas"),
        ("root", "sqlite", lambda d: sts(d)["spec"]["template"]["spec"]["securityContext"].update(runAsUser=0),
         "runAsUser"),
        ("a writable root file system", "sqlite", lambda d: ctr(d)["securityContext"].update(readOnlyRootFilesystem=False),
         "readOnlyRootFilesystem"),
        ("no preStop", "sqlite", lambda d: ctr(d).pop("lifecycle"), "no preStop"),
        ("a grace period the drain does not fit in", "sqlite",
         lambda d: sts(d)["spec"]["template"]["spec"].update(terminationGracePeriodSeconds=15), "mid-drain"),
        ("a drain longer than the grace period", "sqlite", lambda d: cm(d).update(CLINICFLOW_DRAIN_SECONDS="60"),
         "mid-drain"),
        ("scraping another path", "sqlite",
         lambda d: sts(d)["spec"]["template"]["metadata"]["annotations"].update({"prometheus.io/path": "/stats"}),
         "prometheus.io/path"),
        ("the stations' Service on other ports", "sqlite",
         lambda d: find(d, "Service", "clinicflow-stations")["spec"]["ports"][0].update(port=17470),
         "the enrolment files carry"),
        ("a Service that reaches no pod", "sqlite",
         lambda d: find(d, "Service", "clinicflow-http")["spec"]["selector"].update(
             {"app.kubernetes.io/component": "web"}), "matches no pods"),
        ("the stations' Service inside the cluster only", "sqlite",
         lambda d: find(d, "Service", "clinicflow-stations")["spec"].update(type="ClusterIP"), "outside the cluster"),
        ("an object in another namespace", "sqlite",
         lambda d: find(d, "Service", "clinicflow-http")["metadata"].update(namespace="default"), "namespace"),
        ("an autoscaled gateway", "postgresql",
         lambda d: find(d, "HorizontalPodAutoscaler", "clinicflow-read")["spec"]["scaleTargetRef"].update(
             name="clinicflow-gateway"), "runs gateway"),
        ("an autoscaler with maxReplicas 1", "postgresql",
         lambda d: find(d, "HorizontalPodAutoscaler", "clinicflow-read")["spec"].update(maxReplicas=1),
         "cannot scale"),
        ("a worker Deployment rolled, not recreated", "postgresql",
         lambda d: deployment(d, "clinicflow-diagnosis")["spec"].update(strategy={"type": "RollingUpdate"}),
         "without strategy Recreate"),
        ("a module run twice", "postgresql",
         lambda d: [c.update(env=[{"name": "CLINICFLOW_ONLY", "value": "view"}] + c["env"][1:])
                    for c in server_containers(deployment(d, "clinicflow-diagnosis"))],
         "module view runs in 2 workloads"),
        ("a password in the database URL", "postgresql",
         lambda d: cm(d).update(CLINICFLOW_DATABASE="postgresql://clinicflow:secret@db/clinicflow"),
         "carries a password"),
    ]


# ---------------------------------------------------------------------------------------------------------------------
# The real server with the base's settings


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(port, path, token=None, timeout=3):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def run_server(docs, facts, work, public_key):
    """Starts clinicflow-server as the base's pod would: its environment, its mounts emulated in `work`."""
    errors = []
    sts = by_kind(docs, "StatefulSet")[0]
    pod = pod_spec(sts)
    c = server_containers(sts)[0]
    env_errors = []
    env = {k: v for k, v in container_env(c, docs, "run", env_errors).items() if not isinstance(v, tuple)}
    as_root = os.geteuid() == 0 and shutil.which("setpriv")
    uid = SERVER_UID
    fs_group = (pod.get("securityContext") or {}).get("fsGroup", uid)

    # The mounts: the volume's root owned by root with the fsGroup (as the kubelet leaves it), the Secret's files
    # read-only for the group, an empty /tmp.
    roots = {}
    for m in c.get("volumeMounts", []) or []:
        vol = next(v for v in pod["volumes"] if v["name"] == m["name"])
        host = os.path.join(work, "mounts", m["name"])
        os.makedirs(host)
        roots[m["mountPath"].rstrip("/")] = host
        if "secret" in vol:
            secret = find(docs, "Secret", vol["secret"]["secretName"])
            items = vol["secret"].get("items") or [{"key": k, "path": k} for k in secret["data"]]
            for item in items:
                path = os.path.join(host, item["path"])
                with open(path, "wb") as f:
                    f.write(base64.b64decode(secret["data"][item["key"]]))
                os.chmod(path, vol["secret"].get("defaultMode", 0o644) & 0o777)
                if as_root:
                    os.chown(path, 0, fs_group)
            os.chmod(host, 0o755)
        else:
            os.chmod(host, 0o2775 if "persistentVolumeClaim" in vol else 0o1777)
            if as_root:
                os.chown(host, 0, fs_group)

    def host_path(path):
        for mount, host in sorted(roots.items(), key=lambda kv: -len(kv[0])):
            if path == mount or path.startswith(mount + "/"):
                return host + path[len(mount):]
        return path

    ports = {var: free_port() for var in ("CLINICFLOW_PORT", "CLINICFLOW_PUB_PORT", "CLINICFLOW_HTTP_PORT")}
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("CLINICFLOW_")}
    for k, v in env.items():
        run_env[k] = host_path(v) if v.startswith("/") else v
    run_env.update({k: str(v) for k, v in ports.items()})
    run_env["CLINICFLOW_BIND"] = "127.0.0.1"  # the stations' ports stay on this machine here; HTTP keeps the base's
    http_port = ports["CLINICFLOW_HTTP_PORT"]

    command = [facts.binary]
    if as_root:
        prefix = ["setpriv", f"--reuid={uid}", f"--regid={uid}", f"--groups={fs_group}", "--no-new-privs"]
        probe = subprocess.run(prefix + [facts.binary, "--version"], capture_output=True, timeout=30)
        if probe.returncode != 0:
            copy_to = os.path.join(work, "bin", "clinicflow-server")
            os.makedirs(os.path.dirname(copy_to))
            os.chmod(os.path.dirname(copy_to), 0o755)
            shutil.copy2(facts.binary, copy_to)
            os.chmod(copy_to, 0o755)
            command = [copy_to]
            probe = subprocess.run(prefix + command + ["--version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            command = prefix + command
            print(f"  running the server as uid {uid}, groups {fs_group}, no new privileges")
        else:
            as_root = False
            print(f"  NOTE: uid {uid} cannot run the server binary here; running it as this user")
    else:
        print("  NOTE: not root: the server runs as this user (no uid/fsGroup emulation)")

    log_path = os.path.join(work, "server.log")
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, env=run_env, stdout=log, stderr=subprocess.STDOUT, cwd=work)
    try:
        deadline = time.monotonic() + 60
        live = None
        while time.monotonic() < deadline:
            if server.poll() is not None:
                break
            try:
                live = http_get(http_port, "/health/live")
                if live[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        if server.poll() is not None or not live or live[0] != 200:
            with open(log_path, errors="replace") as f:
                errors.append(f"the server with the base's settings did not come up (exit {server.poll()}):\n"
                              + f.read()[-3000:])
            return errors
        token_path = host_path(env["CLINICFLOW_HTTP_TOKEN_FILE"])
        with open(token_path) as f:
            token = f.read().strip()
        ready = (None, "")
        while time.monotonic() < deadline:
            ready = http_get(http_port, "/health/ready")
            if ready[0] == 200:
                break
            time.sleep(0.2)
        checks = [
            ("liveness", PROBES["livenessProbe"], None, 200),
            ("readiness", PROBES["readinessProbe"], None, 200),
            ("metrics without the token", "/metrics", None, 401),
            ("metrics with the Secret's token", "/metrics", token, 200),
        ]
        for what, path, bearer, want in checks:
            status, body = http_get(http_port, path, bearer)
            print(f"  GET {path}{' (token)' if bearer else ''}: {status}")
            if status != want:
                errors.append(f"{what}: GET {path} answered {status}, expected {want}: {body[:200]}")
            elif path == "/metrics" and want == 200 and "clinicflow_" not in body:
                errors.append("metrics: no clinicflow_ metric in the answer")
        status, body = http_get(http_port, PROBES["readinessProbe"])
        if '"ready":true' not in body.replace(" ", ""):
            errors.append(f"readiness says {body[:200]}")
    finally:
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        grace = pod.get("terminationGracePeriodSeconds", 30)
        pause = 5
        try:
            code = server.wait(timeout=grace - pause)
            took = time.monotonic() - started
            print(f"  SIGTERM: exit {code} after {took:.1f} s (the grace period leaves {grace - pause} s)")
            if code != 0:
                errors.append(f"SIGTERM: the server exited {code}, not 0")
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            errors.append(f"SIGTERM: the server was still running after {grace - pause} s: the kubelet would kill it")

    with open(log_path, errors="replace") as f:
        log_text = f.read()
    if public_key and public_key not in log_text:
        errors.append(f"the server's CURVE key is not the Secret's (expected public key {public_key} in its log)")
    data_dir = host_path(env["CLINICFLOW_DATA"])
    if not os.path.isfile(os.path.join(data_dir, "clinicflow.sqlite")):
        errors.append(f"no clinicflow.sqlite in the data folder {env['CLINICFLOW_DATA']}")
    for root, dirs, files in os.walk(data_dir):
        for name in dirs + files:
            path = os.path.join(root, name)
            st = os.stat(path)
            if st.st_mode & 0o077:
                errors.append(f"{os.path.relpath(path, data_dir)} is open to others: mode {oct(st.st_mode & 0o7777)}")
            if as_root and st.st_uid != uid:
                errors.append(f"{os.path.relpath(path, data_dir)} belongs to uid {st.st_uid}, not {uid}")
    if not errors:
        print(f"  data folder {env['CLINICFLOW_DATA']}: the server's alone; key and token from the Secret")
    return errors


# ---------------------------------------------------------------------------------------------------------------------


def find_kubectl(given):
    for candidate in [given, os.environ.get("KUBECTL"), shutil.which("kubectl")]:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def kustomize(kubectl, folder):
    out = subprocess.run([kubectl, "kustomize", folder], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        return None, f"kubectl kustomize {folder} failed: {out.stderr.strip()}"
    return [d for d in yaml.safe_load_all(out.stdout)], None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True, help="the clinicflow-server binary")
    parser.add_argument("--source-dir", required=True, help="the repository")
    parser.add_argument("--kubectl", help="kubectl to build the kustomizations with (default: $KUBECTL, then PATH)")
    parser.add_argument("--no-run", action="store_true", help="skip running the server")
    args = parser.parse_args()

    manifests = os.path.join(args.source_dir, "packaging", "kubernetes")
    failures = []
    passed = 0

    def section(name, errors, notes=()):
        nonlocal passed
        for n in notes:
            print(f"  NOTE {n}")
        if errors:
            failures.append(name)
            print(f"FAIL {name}")
            for e in errors:
                print(f"  - {e}")
        else:
            passed += 1
            print(f"PASS {name}")

    facts = ServerFacts(args.server, args.source_dir)
    section("the server's settings are readable from --help and its source", facts.sanity())
    print(f"  the server reads: {', '.join(sorted(facts.from_help))}; from the environment only: "
          f"{', '.join(sorted(facts.env_only))}")

    kubectl = find_kubectl(args.kubectl)
    if kubectl is None:
        print("FAIL no kubectl to run kustomize with: on Debian, apt-get install kubernetes-client")
        return 1
    version = subprocess.run([kubectl, "version", "--client"], capture_output=True, text=True, timeout=30)
    print(f"  kubectl: {kubectl}: {(version.stdout or version.stderr).strip().splitlines()[0][:160]}")

    section("every YAML file parses and validates; kustomizations for kustomize v2", check_sources(manifests))

    work = tempfile.mkdtemp(prefix="clinicflow-k8s-")
    os.chmod(work, 0o755)
    try:
        tree = os.path.join(work, "kubernetes")
        # The manifests, without any real Secret files a developer may keep in secrets/.
        shutil.copytree(manifests, tree, ignore=lambda d, names: [
            n for n in names if os.path.basename(d) == "secrets" and n != ".gitignore"])
        made = subprocess.run(["bash", os.path.join(tree, "make-secret.sh"), "--server", args.server],
                              capture_output=True, text=True, timeout=60)
        public_key = None
        found = re.search(r"server public key[^:]*: (\S{40})", made.stdout)
        if found:
            public_key = found.group(1)
        secret_errors = [] if made.returncode == 0 and public_key else [
            f"make-secret.sh failed ({made.returncode}): {made.stdout}{made.stderr}"]
        for name in ("server.key", "http.token"):
            path = os.path.join(tree, "common", "secrets", name)
            if not os.path.isfile(path):
                secret_errors.append(f"make-secret.sh made no {name}")
            elif os.stat(path).st_mode & 0o077:
                secret_errors.append(f"make-secret.sh left {name} open to others")
        again = subprocess.run(["bash", os.path.join(tree, "make-secret.sh"), "--server", args.server],
                               capture_output=True, text=True, timeout=60)
        if "exists already" not in again.stderr:
            secret_errors.append("make-secret.sh a second time does not keep the existing key")
        section("make-secret.sh makes the Secret's files with clinicflow-server", secret_errors)
        with open(os.path.join(tree, "overlays", "postgresql", "secrets", "database.password"), "w") as f:
            f.write("test-password")

        rendered = {}
        for profile, folder in (("sqlite", "base"), ("postgresql", os.path.join("overlays", "postgresql"))):
            docs, why = kustomize(kubectl, os.path.join(tree, folder))
            if docs is None:
                section(f"kustomize builds {folder}", [why])
                continue
            rendered[profile] = docs
            section(f"kustomize builds {folder}; {len(docs)} objects validate against the API schema",
                    validate_all(docs, folder))
            errors, notes = check_rendered(docs, facts, profile)
            section(f"{folder} agrees with the server", errors, notes)

        # images: the image reference is the kustomization's to change.
        kfile = os.path.join(tree, "base", "kustomization.yaml")
        with open(kfile) as f:
            k = yaml.safe_load(f)
        k["images"] = [{"name": "clinicflow-server", "newName": "registry.test/clinicflow-server", "newTag": "9.9.9"}]
        with open(kfile, "w") as f:
            yaml.safe_dump(k, f)
        docs, why = kustomize(kubectl, os.path.join(tree, "base"))
        images = {c.get("image") for w in workloads(docs or []) for c in server_containers(w)}
        section("kustomize images: overrides the server's image",
                [why] if why else ([] if images == {"registry.test/clinicflow-server:9.9.9"} else [f"got {images}"]))

        if "sqlite" in rendered and not args.no_run:
            print("the real server with the base's settings:")
            section("clinicflow-server runs with the base's ConfigMap, Secret and mounts",
                    run_server(rendered["sqlite"], facts, work, public_key))

        missed = []
        caught = 0
        for what, profile, change, phrase in mutations():
            if profile not in rendered:
                missed.append(f"{what}: no {profile} build to break")
                continue
            docs = copy.deepcopy(rendered[profile])
            try:
                change(docs)
            except (KeyError, IndexError, TypeError, AttributeError) as e:
                missed.append(f"{what}: could not be made ({e!r}): the manifests changed, fix the mutation")
                continue
            errors = validate_all(docs, profile)
            errors += check_rendered(docs, facts, profile)[0]
            if not any(phrase in e for e in errors):
                missed.append(f"{what} ({profile}) went unnoticed (wanted an error with {phrase!r}; got "
                              f"{errors[:3]})")
            else:
                caught += 1
        section(f"the checks catch every breakage ({caught} of {len(mutations())})", missed)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
