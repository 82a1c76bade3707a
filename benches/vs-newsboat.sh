#!/usr/bin/env bash
# tidings against newsboat 2.21, side by side in one run (issue 10). Prints one markdown table
# and writes it to $WORK/results.md. See benches/vs_newsboat/README.md.
#
#   benches/vs-newsboat.sh [--quick] [--only cold|warm|cache|default|scale|startup|latency]
#
# TIDINGS=path/to/tidings picks the binary (default: cargo build --release); WORK=dir the work
# dir (default /tmp/tidings-vs-newsboat). Installs newsboat and nginx-light when missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# The rule of src/shared_data.rs: TIDINGS_SHARED_DIR instead of ../shared; when the data is
# missing, skip saying so, or fail under TIDINGS_REQUIRE_SHARED=1.
DATA="${TIDINGS_SHARED_DIR:-$ROOT/../shared}/data"
WORK="${WORK:-/tmp/tidings-vs-newsboat}"

if [[ ! -d "$DATA/feeds/corpus" || ! -d "$DATA/extraction/html" ]]; then
    if [[ "${TIDINGS_REQUIRE_SHARED:-}" == 1 ]]; then
        echo "vs-newsboat: ../shared/data/feeds/corpus or extraction/html not found (looked in $DATA), and TIDINGS_REQUIRE_SHARED=1" >&2
        exit 1
    fi
    echo "skipped: ../shared/data/feeds/corpus or extraction/html not found (looked in $DATA)"
    exit 0
fi

as_root() {
    if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "vs-newsboat: need root (or sudo) to run: $*" >&2; exit 1; fi
}
missing=()
command -v newsboat >/dev/null || missing+=(newsboat)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx-light)
if ((${#missing[@]})); then
    echo "vs-newsboat: installing ${missing[*]} from Debian's packages" >&2
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
    # the nginx package may start the system nginx on port 80: we do not need it
    if [[ " ${missing[*]} " == *" nginx-light "* ]] && command -v systemctl >/dev/null; then
        as_root systemctl stop nginx 2>/dev/null || true
    fi
fi
export PATH="$PATH:/usr/sbin"

python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "vs-newsboat: needs Python 3.11 or newer" >&2; exit 1; }

if [[ -z "${TIDINGS:-}" ]]; then
    (cd "$ROOT" && cargo build --release >&2)
    TIDINGS="$ROOT/target/release/tidings"
fi
TIDINGS="$(cd "$(dirname "$TIDINGS")" && pwd)/$(basename "$TIDINGS")"

mkdir -p "$WORK/pids"
cleanup() {
    # the driver stops its servers itself; this catches what a killed driver left behind
    local f pid
    for f in "$WORK"/pids/*; do
        [[ -f "$f" ]] || continue
        pid="$(cat "$f")"
        [[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
        rm -f "$f"
    done
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

export PYTHONDONTWRITEBYTECODE=1 PYTHONPATH="$ROOT/benches${PYTHONPATH:+:$PYTHONPATH}"
python3 -m vs_newsboat --tidings "$TIDINGS" --data "$DATA" --work "$WORK" "$@"
