#!/usr/bin/env bash
# start-coldsweat.sh PORT DATA_DIR
#
# Starts a private coldsweat 0.10.2 (a real Fever API server, on SQLite) for tidings' sync tests
# and benchmarks, serving http://127.0.0.1:PORT/fever/ from the database DATA_DIR/coldsweat.db.
#   * coldsweat is installed once from PyPI into a virtual environment kept in a cache directory
#     ($COLDSWEAT_VENV, default ${XDG_CACHE_HOME:-~/.cache}/tidings-test/coldsweat-0.10.2-venv),
#     shared by every data directory; later starts only use it.
#   * it runs as coldsweat_app.py beside this script sets it up (feeds fetched whenever asked,
#     no favicon look-ups outside this machine, a `refresh URL...` command);
#   * a user COLDSWEAT_EMAIL with COLDSWEAT_PASSWORD (at least 12 characters) is made if missing;
#   * optionally a static server of feed files on loopback: COLDSWEAT_FEEDS_DIR=dir
#     [COLDSWEAT_FEEDS_PORT=n, default PORT+1], for the feeds the server is subscribed to.
# Each service runs in a session of its own (setsid); "name pid starttime" lines in
# DATA_DIR/coldsweat.pids let stop-coldsweat.sh stop exactly them. The facts (addresses, user,
# api_key) go to DATA_DIR/coldsweat.env (sourceable) and stdout; coldsweat-flask.sh DATA_DIR ...
# runs coldsweat's own commands (setup, import, fetch, refresh) on that database.
#
# Idempotent: an instance that is running is left as it is; a partial one is stopped first.
# The database survives a stop; delete DATA_DIR for a fresh one. A start that fails half-way
# stops what it had started.
set -euo pipefail
umask 022

die() { echo "start-coldsweat: error: $*" >&2; exit 1; }
[ $# -eq 2 ] || die "usage: $0 PORT DATA_DIR"
PORT=$1
case $PORT in '' | *[!0-9]*) die "PORT must be a number" ;; esac
[ "$PORT" -ge 1024 ] && [ "$PORT" -le 65000 ] || die "PORT must be in 1024..65000"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
VERSION=0.10.2
VENV=${COLDSWEAT_VENV:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/tidings-test/coldsweat-$VERSION-venv}
EMAIL=${COLDSWEAT_EMAIL:-tidings@example.org}
PASSWORD=${COLDSWEAT_PASSWORD:-tidings-secret-pw}
FEEDS_DIR=${COLDSWEAT_FEEDS_DIR:-}
FEEDS_PORT=${COLDSWEAT_FEEDS_PORT:-$((PORT + 1))}
[ ${#PASSWORD} -ge 12 ] || die "COLDSWEAT_PASSWORD must have at least 12 characters (coldsweat's rule)"

# ---------------------------------------------------------------- coldsweat, once
# One install at a time (tests start servers in parallel); a marker written once pip has
# finished tells a complete one from a half-made one, which is made again. (A virtual
# environment cannot be moved: it is made where it stays.)
mkdir -p "$(dirname "$VENV")"
exec 9>"$VENV.lock"
flock 9
if [ ! -f "$VENV/.tidings-complete" ] || ! "$VENV/bin/python" -c 'import coldsweat' 2>/dev/null; then
	echo "start-coldsweat: installing coldsweat $VERSION into $VENV" >&2
	rm -rf "$VENV"
	if ! python3 -m venv "$VENV" >&2 2>/dev/null; then
		# Debian's python3 keeps venv in a package of its own.
		[ "$(id -u)" = 0 ] || die "python3 -m venv failed (install python3-venv)"
		rm -rf "$VENV"
		apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
		DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q python3-venv >&2
		python3 -m venv "$VENV" >&2 || die "python3 -m venv failed"
	fi
	"$VENV/bin/python" -m pip install -q --disable-pip-version-check "coldsweat==$VERSION" >&2 ||
		die "pip install coldsweat==$VERSION failed"
	touch "$VENV/.tidings-complete"
fi
flock -u 9

# ---------------------------------------------------------------- data dir
mkdir -p "$2"
DATA=$(cd "$2" && pwd -P)
PIDS=$DATA/coldsweat.pids
ENVF=$DATA/coldsweat.env
LOGS=$DATA/logs
mkdir -p "$LOGS"
export FLASK_APP=$HERE/coldsweat_app.py
export FLASK_DATABASE_URL=sqlite:///$DATA/coldsweat.db
export FLASK_SECRET_KEY=tidings-test-instance
export PYTHONDONTWRITEBYTECODE=1 # nothing written beside coldsweat_app.py in the checkout
FEVER_URL=http://127.0.0.1:$PORT/fever/
API_KEY=$(printf '%s:%s' "$EMAIL" "$PASSWORD" | md5sum | cut -d' ' -f1)

starttime() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }
alive() { [ -n "$2" ] && [ "$(starttime "$1")" = "$2" ]; }
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
authorised() { # the Fever API takes the user's api_key
	curl -sS --max-time 10 -d "api_key=$API_KEY" "${FEVER_URL}?api" 2>/dev/null | grep -q '"auth": *1'
}

if [ -f "$PIDS" ]; then
	all=1
	while read -r _ pid st; do alive "$pid" "$st" || all=0; done <"$PIDS"
	if [ $all = 1 ] && authorised; then
		echo "start-coldsweat: already running (pids in $PIDS)" >&2
		cat "$ENVF"
		exit 0
	fi
	echo "start-coldsweat: partial or stale instance, stopping it first" >&2
	"$HERE/stop-coldsweat.sh" "$DATA" >&2 || die "could not stop the old instance (still listed in $PIDS)"
fi
trap 'rc=$?; if [ $rc -ne 0 ] && [ -f "$PIDS" ]; then echo "start-coldsweat: failed, stopping what was started" >&2; "$HERE/stop-coldsweat.sh" "$DATA" >&2; fi' EXIT
port_busy "$PORT" && die "127.0.0.1:$PORT is already in use"
[ -n "$FEEDS_DIR" ] && port_busy "$FEEDS_PORT" && die "127.0.0.1:$FEEDS_PORT (feeds) is already in use"

# The database and the user (`setup` makes the tables if missing and says so if the user exists).
"$VENV/bin/python" -m flask setup "$EMAIL" -p "$PASSWORD" -n Tester >>"$LOGS/setup.log" 2>&1 ||
	die "flask setup failed, see $LOGS/setup.log"

# spawn NAME LOGFILE CMD... : CMD in a session of its own, recorded in $PIDS
spawn() {
	local name=$1 log=$2 pidf pid st
	shift 2
	pidf=$DATA/run-$name.pid
	rm -f "$pidf"
	setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidf" "$@" </dev/null >>"$log" 2>&1 &
	for _ in $(seq 100); do [ -s "$pidf" ] && break; sleep 0.05; done
	pid=$(cat "$pidf" 2>/dev/null) || die "$name did not start, see $log"
	rm -f "$pidf"
	st=$(starttime "$pid")
	[ -n "$st" ] || die "$name died at once, see $log"
	echo "$name $pid $st" >>"$PIDS"
}

FEEDS_URL=
if [ -n "$FEEDS_DIR" ]; then
	FEEDS_DIR=$(cd "$FEEDS_DIR" && pwd -P)
	spawn feeds "$LOGS/feeds.log" "$VENV/bin/python" -m http.server "$FEEDS_PORT" --bind 127.0.0.1 --directory "$FEEDS_DIR"
	for _ in $(seq 100); do port_busy "$FEEDS_PORT" && break; sleep 0.05; done
	port_busy "$FEEDS_PORT" || die "the feed server did not start, see $LOGS/feeds.log"
	FEEDS_URL=http://127.0.0.1:$FEEDS_PORT/
fi

spawn web "$LOGS/web.log" "$VENV/bin/python" -m flask run --host 127.0.0.1 --port "$PORT" --no-reload --no-debugger --with-threads
for _ in $(seq 200); do authorised && break; sleep 0.05; done
authorised || die "the Fever API does not answer at $FEVER_URL, see $LOGS/web.log"

cat >"$ENVF" <<ENV
COLDSWEAT_URL=http://127.0.0.1:$PORT/
COLDSWEAT_FEVER_URL=$FEVER_URL
COLDSWEAT_EMAIL=$EMAIL
COLDSWEAT_PASSWORD='$(printf %s "$PASSWORD" | sed "s/'/'\\\\''/g")'
COLDSWEAT_API_KEY=$API_KEY
COLDSWEAT_FEEDS_URL=$FEEDS_URL
COLDSWEAT_VENV=$VENV
COLDSWEAT_PIDS_FILE=$PIDS
COLDSWEAT_LOGS=$LOGS
ENV
cat "$ENVF"
