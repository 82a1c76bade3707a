#!/usr/bin/env bash
# stop-coldsweat.sh DATA_DIR
#
# Stops exactly the processes start-coldsweat.sh recorded in DATA_DIR/coldsweat.pids ("name pid
# starttime" lines): each was started as the leader of a session of its own, so it and the other
# members of that session get SIGTERM, then SIGKILL after 10 s. A pid whose start time no
# longer matches (the pid was reused) is left alone. Nothing else is touched.
set -uo pipefail
trap '' PIPE

[ $# -eq 1 ] || { echo "usage: $0 DATA_DIR" >&2; exit 2; }
[ -d "$1" ] || { echo "stop-coldsweat: no such directory $1, nothing to stop" >&2; exit 0; }
DATA=$(cd "$1" && pwd -P)
PIDS=$DATA/coldsweat.pids
[ -f "$PIDS" ] || { echo "stop-coldsweat: no $PIDS, nothing to stop" >&2; exit 0; }

starttime() { sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{print $20}'; }
# live members of session SID started no earlier than START (zombies count as gone)
members() {
	local p t
	for p in $(ps -e -o pid=,sid=,stat= | awk -v s="$1" '$2 == s && $3 !~ /^Z/ {print $1}'); do
		t=$(starttime "$p")
		[ -n "$t" ] && [ "$t" -ge "$2" ] && echo "$p"
	done
}

rc=0
left=()
while read -r name pid st; do
	[ -n "$pid" ] || continue
	cur=$(starttime "$pid")
	if [ -n "$cur" ] && [ "$cur" != "$st" ]; then
		echo "stop-coldsweat: $name (pid $pid) already gone (pid reused)" >&2
		continue
	fi
	live=$(members "$pid" "$st")
	[ -n "$live" ] && kill -TERM $live 2>/dev/null
	for _ in $(seq 200); do
		live=$(members "$pid" "$st")
		[ -z "$live" ] && break
		sleep 0.05
	done
	if [ -n "$live" ]; then
		echo "stop-coldsweat: $name ($pid) did not stop in 10 s, killing: $live" >&2
		kill -KILL $live 2>/dev/null
		sleep 0.2
		live=$(members "$pid" "$st")
	fi
	if [ -n "$live" ]; then
		echo "stop-coldsweat: $name still running: $live" >&2
		rc=1
		left+=("$name $pid $st")
	else
		echo "stop-coldsweat: stopped $name (pid $pid)" >&2
	fi
done < <(tac "$PIDS")
if [ $rc = 0 ]; then
	rm -f "$PIDS"
else
	printf '%s\n' "${left[@]}" >"$PIDS"
fi
exit $rc
