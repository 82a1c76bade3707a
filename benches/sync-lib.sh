# Sourced by benches/sync-ttrss.sh and benches/sync-fever.sh: the generated feeds and the timed
# `tidings sync`. Needs $work (the bench's directory, with feeds/ and config.toml) and $TIDINGS.

feed() { # feed NAME FIRST COUNT: $work/feeds/NAME.xml with items FIRST.. of NAME
	{
		printf '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>%s</title>' "$1"
		printf '<link>http://127.0.0.1/%s/</link><description>bench</description>\n' "$1"
		for ((n = $2; n < $2 + $3; n++)); do
			printf '<item><title>%s item %d</title><link>http://127.0.0.1/%s/%d</link><guid>%s-%d</guid>' "$1" "$n" "$1" "$n" "$1" "$n"
			printf '<description>&lt;p&gt;Text of %s item %d, a paragraph long enough to look like a feed summary of a news story.&lt;/p&gt;</description></item>\n' "$1" "$n"
		done
		printf '</channel></rss>\n'
	} >"$work/feeds/$1.xml"
}

run() { # run LABEL: one `tidings sync` on $work's config and cache, timed
	local t0 t1
	t0=$(date +%s.%N)
	"$TIDINGS" --config "$work/config.toml" --cache "$work/cache.db" sync --quiet
	t1=$(date +%s.%N)
	printf '%-40s %6.2f s\n' "$1" "$(echo "$t1 - $t0" | bc)"
}
