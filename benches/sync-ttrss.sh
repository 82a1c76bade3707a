#!/usr/bin/env bash
# First and incremental sync times against a real Tiny Tiny RSS (the README's "Sync" figures).
#
#   benches/sync-ttrss.sh [FEEDS [ITEMS_PER_FEED]]     (default 10 feeds of 500 items: 5,000)
#
# Starts a private tt-rss with ../shared/tools/sync-servers/start-ttrss.sh (as root; it installs
# its packages on first use), subscribes its user to FEEDS generated feeds, then times
# `tidings sync` into an empty cache (first sync), again at once (nothing new: the cost of the
# unread/starred lists), and after 50 new items in one feed. TIDINGS=path picks the binary
# (default target/release/tidings). Everything it started is stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
FEEDS=${1:-10}
PER=${2:-500}
TIDINGS=${TIDINGS:-target/release/tidings}
SERVERS=../shared/tools/sync-servers
PORT=${SYNC_BENCH_PORT:-28680}
work=$(mktemp -d /tmp/tidings-sync-bench.XXXXXX)
chmod 755 "$work"
mkdir -p "$work/feeds"
trap '"$SERVERS/stop-ttrss.sh" "$work/ttrss" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

. benches/sync-lib.sh
for ((f = 1; f <= FEEDS; f++)); do feed "feed$f" 1 "$PER"; done

TTRSS_UPDATER=none TTRSS_FEEDS_DIR="$work/feeds" TTRSS_FEEDS_PORT=$((PORT + 1)) \
	"$SERVERS/start-ttrss.sh" "$PORT" "$work/ttrss" >"$work/start.log" 2>&1 || { cat "$work/start.log"; exit 1; }
api() { curl -s -X POST "http://127.0.0.1:$PORT/api/" -d "$1"; }
sid=$(api '{"op":"login","user":"tidings","password":"tidings-secret"}' | sed 's/.*"session_id":"\([^"]*\)".*/\1/')
for ((f = 1; f <= FEEDS; f++)); do
	id=$(api "{\"op\":\"subscribeToFeed\",\"sid\":\"$sid\",\"feed_url\":\"http://127.0.0.1:$((PORT + 1))/feed$f.xml\"}" |
		sed 's/.*"feed_id":\([0-9]*\).*/\1/')
	api "{\"op\":\"updateFeed\",\"sid\":\"$sid\",\"feed_id\":$id}" >/dev/null
done
printf '[sync]\nbackend = "ttrss"\nurl = "http://127.0.0.1:%s/"\nuser = "tidings"\npassword_env = "SYNC_BENCH_PASSWORD"\n' "$PORT" >"$work/config.toml"
export SYNC_BENCH_PASSWORD=tidings-secret XDG_STATE_HOME="$work/state"
echo "tt-rss, $FEEDS feeds x $PER items = $((FEEDS * PER)) items (all unread), $("$TIDINGS" --version)"
run "first sync (empty cache)"
run "incremental, nothing new"
feed feed1 1 $((PER + 50))
touch -d '+5 seconds' "$work/feeds/feed1.xml"
api "{\"op\":\"updateFeed\",\"sid\":\"$sid\",\"feed_id\":1}" >/dev/null
run "incremental, 50 new items"
