#!/usr/bin/env bash
# Every test: set up Python packages and Debian's Chromium, then run the whole suite on SQLite
# and on this machine's PostgreSQL (and Elasticsearch tests against osmem-server, or the cluster
# named by MATCHMAKER_TEST_ELASTICSEARCH_URL). ruff checks the code first (pyproject.toml). Extra
# arguments go to pytest. The suite runs in TEST_PROCESSES pytest-xdist processes (default: 2, one per
# core of the reference machine; 0 runs it in this process) unless the arguments choose -n themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  echo "==> installing Debian's chromium and chromium-driver for the browser tests"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

echo "==> ruff check"
.venv/bin/ruff check .

export MATCHMAKER_TEST_POSTGRES_URL=${MATCHMAKER_TEST_POSTGRES_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test}
.venv/bin/python - <<'PY'
import os, sys
import sqlalchemy as sa
url = os.environ["MATCHMAKER_TEST_POSTGRES_URL"]
try:
    with sa.create_engine(url).connect() as conn:
        conn.execute(sa.text("select 1"))
except Exception as exc:
    sys.exit(f"PostgreSQL at {url} is not reachable ({exc.__class__.__name__}); the suite needs it")
PY
PARALLEL=(-n "${TEST_PROCESSES:-2}")
for arg in "$@"; do
  case "$arg" in -n|-n*|--numprocesses*|no:xdist|-pno:xdist) PARALLEL=() ;; esac
done
[ "${TEST_PROCESSES:-2}" = "0" ] && PARALLEL=()
exec .venv/bin/python -m pytest "${PARALLEL[@]}" "$@"
