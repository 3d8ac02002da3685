#!/usr/bin/env bash
# The main job: set up, migrate, load the demo cluster (once), build the index, train the first
# models, and serve Matchmaker through gunicorn at http://127.0.0.1:8000 (demo logins on the sign-in page).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export MATCHMAKER_DEMO=${MATCHMAKER_DEMO:-1}
BIND=${BIND:-127.0.0.1:8000}
# links in outbox emails point where this demo is served, unless the caller named another address
# (bound to every interface, 0.0.0.0, the links name this machine as localhost)
export MATCHMAKER_BASE_URL=${MATCHMAKER_BASE_URL:-http://${BIND/#0.0.0.0:/localhost:}}
flask() { .venv/bin/flask --app matchmaker "$@"; }
flask db upgrade
flask demo-data --if-empty --makers "${DEMO_MAKERS:-1400}" --buyers "${DEMO_BUYERS:-300}"
echo "==> serving on http://${BIND}"
exec .venv/bin/python -m gunicorn -c scripts/gunicorn_conf.py --bind "${BIND}" --workers "${WORKERS:-2}" --threads "${THREADS:-4}" \
  --access-logfile - wsgi:app
