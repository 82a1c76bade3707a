#!/usr/bin/env bash
# coldsweat-flask.sh DATA_DIR COMMAND [ARGS...]
#
# Runs one of coldsweat's own commands on the database of the instance that start-coldsweat.sh
# started in DATA_DIR, with its settings (coldsweat_app.py beside this script):
#   setup EMAIL -p PASSWORD        a user (password of at least 12 characters)
#   import FILE.opml EMAIL [-f]    subscriptions from an OPML file (-f: fetch them now)
#   refresh URL...                 fetch these feeds now
#   fetch                          fetch every feed
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 DATA_DIR COMMAND [ARGS...]" >&2; exit 2; }
DATA=$(cd "$1" && pwd -P)
shift
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
VENV=$(sed -n 's/^COLDSWEAT_VENV=//p' "$DATA/coldsweat.env")
[ -f "$VENV/.tidings-complete" ] || { echo "coldsweat-flask: no coldsweat in $DATA (start-coldsweat.sh first)" >&2; exit 1; }
export FLASK_APP=$HERE/coldsweat_app.py
export FLASK_DATABASE_URL=sqlite:///$DATA/coldsweat.db
export FLASK_SECRET_KEY=tidings-test-instance
export PYTHONDONTWRITEBYTECODE=1 # nothing written beside coldsweat_app.py in the checkout
exec "$VENV/bin/python" -m flask "$@"
