#!/usr/bin/env bash
# Builds the clinicflow-server container image with Podman (packaging/container/Containerfile).
#
#   bash packaging/container/build-image.sh                        # release: compiles the server inside the image
#   bash packaging/container/build-image.sh --prebuilt build/server/clinicflow-server   # a binary built here
#
# Options:
#   --prebuilt FILE  take this clinicflow-server, built on a Debian 12 host (the runtime stage's libraries), instead
#                    of compiling it in the build stage; it is stripped on the way in. Minutes faster on 2 cores.
#   --tag NAME       the image's name (default localhost/clinicflow-server:<version>)
#   --base IMAGE     the Debian 12 image every stage starts from (default localhost/debian:bookworm). When that is
#                    localhost/debian:bookworm and missing, it is made first from Debian's mirror (mmdebstrap, a minute
#                    or two): registries of images are not needed.
#   --source URL     the image's org.opencontainers.image.source label (default: the git remote `origin`)
#   --base-only      only make the base image when it is missing, then stop (the test command does this first)
#
# On machines that may not raise resource limits (a sandbox), podman needs a containers.conf with
# `default_ulimits = []`: when CONTAINERS_CONF is not set, this script uses one of its own. It builds with
# --network host and --isolation chroot, which work there and elsewhere. Needs: podman, and mmdebstrap to make the
# base (Debian: apt-get install podman runc mmdebstrap uidmap).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
version=$(sed -n 's/^project(ClinicFlow VERSION \([0-9.]*\).*/\1/p' "$repo/CMakeLists.txt")
version=${version:-unknown}

prebuilt=
base_only=
tag=
base=localhost/debian:bookworm
source=
while [ $# -gt 0 ]; do
    case $1 in
        --prebuilt) prebuilt=${2:?--prebuilt needs a file}; shift 2 ;;
        --tag) tag=${2:?--tag needs a name}; shift 2 ;;
        --base) base=${2:?--base needs an image}; shift 2 ;;
        --source) source=${2:?--source needs a URL}; shift 2 ;;
        --base-only) base_only=1; shift ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "build-image: unknown option $1 (--help lists them)" >&2; exit 2 ;;
    esac
done
tag=${tag:-localhost/clinicflow-server:$version}
log() { printf '[build-image] %s\n' "$*"; }

command -v podman >/dev/null || { echo "build-image: podman is missing (apt-get install podman runc uidmap)" >&2; exit 1; }
if [ -z "${CONTAINERS_CONF:-}" ]; then
    CONTAINERS_CONF=${TMPDIR:-/tmp}/clinicflow-containers.conf
    printf '[containers]\ndefault_ulimits = []\n' >"$CONTAINERS_CONF"
    export CONTAINERS_CONF
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/clinicflow-image.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The local Debian 12 base, once per machine: what debian:bookworm-slim is, made from Debian's own mirror (the
# release, its updates and its security updates). Several builds at once make it once.
if [ "$base" = localhost/debian:bookworm ] && ! podman image exists "$base"; then
    exec 9>"${TMPDIR:-/tmp}/clinicflow-debian-base.lock"
    flock 9
    if ! podman image exists "$base"; then
        command -v mmdebstrap >/dev/null || { echo "build-image: mmdebstrap is missing (apt-get install mmdebstrap)" >&2; exit 1; }
        log "making the base image $base from Debian's mirror (mmdebstrap, a minute or two)"
        started=$SECONDS
        mmdebstrap --quiet --variant=minbase --include=ca-certificates bookworm "$work/base.tar" \
            "deb http://deb.debian.org/debian bookworm main" \
            "deb http://deb.debian.org/debian bookworm-updates main" \
            "deb http://deb.debian.org/debian-security bookworm-security main"
        podman import --quiet "$work/base.tar" "$base" >/dev/null
        rm -f "$work/base.tar"
        log "made $base in $((SECONDS - started)) s"
    fi
    flock -u 9
    exec 9>&-
fi
if [ -n "$base_only" ]; then
    podman image exists "$base" || { echo "build-image: no base image $base" >&2; exit 1; }
    log "base image $base is there"
    exit 0
fi

if [ -z "$source" ]; then
    source=$(git -C "$repo" config --get remote.origin.url 2>/dev/null || true)
fi
revision=$(git -C "$repo" rev-parse HEAD 2>/dev/null || echo unknown)
if [ "$revision" != unknown ] && [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then
    revision="$revision-modified"
fi

args=(--format docker --network host --isolation chroot
      --build-arg "BASE=$base" --build-arg "VERSION=$version" --build-arg "SOURCE=${source:-unknown}"
      --build-arg "REVISION=$revision" -f "$here/Containerfile" -t "$tag")
if [ -n "$prebuilt" ]; then
    [ -x "$prebuilt" ] || { echo "build-image: $prebuilt is not an executable" >&2; exit 1; }
    if ! grep -qs '^VERSION_ID="12"' /etc/os-release; then
        log "warning: this host is not Debian 12; a binary built here may need other libraries than the image's"
    fi
    # A context of its own: the binary (stripped: a tenth of the size) and this folder, nothing else.
    mkdir -p "$work/context/packaging"
    cp -a "$here" "$work/context/packaging/container"
    if command -v strip >/dev/null; then
        strip --strip-unneeded -o "$work/context/clinicflow-server" "$prebuilt"
    else
        cp "$prebuilt" "$work/context/clinicflow-server"
    fi
    log "building $tag from $base with the prebuilt $prebuilt"
    context=$work/context
    args+=(--build-arg SERVER_FROM=prebuilt)
else
    log "building $tag from $base, compiling the server in the build stage (about 10 minutes on 2 cores)"
    context=$repo
    args+=(--build-arg SERVER_FROM=build)
fi
started=$SECONDS
podman build "${args[@]}" "$context" 2>&1 | tee "$work/build.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || { echo "build-image: podman build failed" >&2; exit 1; }
log "built $tag in $((SECONDS - started)) s: $(podman image inspect --format '{{.Id}} {{.Size}}' "$tag" | awk '{printf "%.12s, %.0f MB", $1, $2 / 1e6}')"
# The prebuilt stage's image only carried the binary into the runtime stage (whose layers podman keeps as its cache):
# it is not left behind, untagged, at every build.
if [ -n "$prebuilt" ]; then
    stage=$(sed -n 's/.*STEP [0-9]*\/[0-9]*: FROM \([0-9a-f]\{64\}\) AS server-binary.*/\1/p' "$work/build.log" | tail -1)
    if [ -n "$stage" ] && [ -z "$(podman image inspect --format '{{join .RepoTags ","}}' "$stage" 2>/dev/null)" ]; then
        podman rmi "$stage" >/dev/null 2>&1 || true
    fi
fi
