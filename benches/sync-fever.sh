#!/usr/bin/env bash
# First and incremental sync times against a real Fever API server, coldsweat (the README's
# "Sync" figures).
#
#   benches/sync-fever.sh [FEEDS [ITEMS_PER_FEED]]     (default 10 feeds of 500 items: 5,000)
#
# Starts a private coldsweat with tests/servers/start-coldsweat.sh (it installs coldsweat from
# PyPI into a cached virtual environment on first use), subscribes its user to FEEDS generated
# feeds (an OPML import, fetched at once), then times `tidings sync` into an empty cache (first
# sync), again at once (nothing new: the cost of the unread/saved lists), and after 50 new items
# in one feed. TIDINGS=path picks the binary (default target/release/tidings). Everything it
# started is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDS=${1:-10}
PER=${2:-500}
TIDINGS=${TIDINGS:-target/release/tidings}
SERVERS=tests/servers
PORT=${SYNC_BENCH_PORT:-28690}
EMAIL=tidings@example.org
PASSWORD=tidings-secret-pw
work=$(mktemp -d /tmp/tidings-sync-bench.XXXXXX)
mkdir -p "$work/feeds"
trap '"$SERVERS/stop-coldsweat.sh" "$work/coldsweat" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

. benches/sync-lib.sh
for ((f = 1; f <= FEEDS; f++)); do feed "feed$f" 1 "$PER"; done

COLDSWEAT_EMAIL=$EMAIL COLDSWEAT_PASSWORD=$PASSWORD COLDSWEAT_FEEDS_DIR="$work/feeds" COLDSWEAT_FEEDS_PORT=$((PORT + 1)) \
	"$SERVERS/start-coldsweat.sh" "$PORT" "$work/coldsweat" >"$work/start.log" 2>&1 || { cat "$work/start.log"; exit 1; }
{
	printf '<?xml version="1.0"?>\n<opml version="1.0"><head><title>bench</title></head><body>\n'
	for ((f = 1; f <= FEEDS; f++)); do
		printf '<outline type="rss" xmlUrl="http://127.0.0.1:%s/feed%d.xml"/>\n' $((PORT + 1)) "$f"
	done
	printf '</body></opml>\n'
} >"$work/feeds.opml"
"$SERVERS/coldsweat-flask.sh" "$work/coldsweat" import "$work/feeds.opml" "$EMAIL" -f >"$work/import.log" 2>&1 ||
	{ cat "$work/import.log"; exit 1; }
printf '[sync]\nbackend = "fever"\nurl = "http://127.0.0.1:%s/fever/"\nuser = "%s"\npassword_env = "SYNC_BENCH_PASSWORD"\n' \
	"$PORT" "$EMAIL" >"$work/config.toml"
export SYNC_BENCH_PASSWORD=$PASSWORD XDG_STATE_HOME="$work/state"
echo "coldsweat (Fever API), $FEEDS feeds x $PER items = $((FEEDS * PER)) items (all unread), $("$TIDINGS" --version)"
run "first sync (empty cache)"
run "incremental, nothing new"
feed feed1 1 $((PER + 50))
"$SERVERS/coldsweat-flask.sh" "$work/coldsweat" refresh "http://127.0.0.1:$((PORT + 1))/feed1.xml" >/dev/null 2>&1
run "incremental, 50 new items"
