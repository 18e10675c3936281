# shellcheck shell=bash
# Shared settings for scripts/prefect-{server,deploy,worker}.sh; source it, do not run it.
#
# Every value can be overridden from the environment:
#   PREFECT_HOME                     Prefect's state: SQLite database, profiles, server log and pid file
#                                    (default: <repo>/.prefect, as in the Makefile)
#   PREFECT_SERVER_API_HOST / _PORT  where the server listens (default: 127.0.0.1:4200)
#   PREFECT_API_URL                  the server the CLI, deploy, trigger and worker talk to (default: the
#                                    URL `prefect-server.sh` recorded in $PREFECT_HOME/server.url when it
#                                    started, else http://127.0.0.1:$PREFECT_SERVER_API_PORT/api)
#   MEDIA_ETL_ROOT                   the checkout flow runs start in (default: this repo)
#   PREFECT                          the prefect command (default: .venv/bin/prefect, else prefect on PATH)

MEDIA_ETL_ROOT=${MEDIA_ETL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
export MEDIA_ETL_ROOT
export PREFECT_HOME=${PREFECT_HOME:-$MEDIA_ETL_ROOT/.prefect}
# No internet here, and no reason to report usage anywhere.
export PREFECT_SERVER_ANALYTICS_ENABLED=false
export DO_NOT_TRACK=${DO_NOT_TRACK:-1} # the client's telemetry (deploy, trigger, worker) as well
export PREFECT_SERVER_API_HOST=${PREFECT_SERVER_API_HOST:-127.0.0.1}
export PREFECT_SERVER_API_PORT=${PREFECT_SERVER_API_PORT:-4200}
# The URL the project's server recorded (media_etl/prefect_api.py reads the same file for `media-etl run`).
SERVER_URL_FILE=$PREFECT_HOME/server.url
if [ -z "${PREFECT_API_URL:-}" ] && [ -s "$SERVER_URL_FILE" ]; then
  PREFECT_API_URL=$(cat "$SERVER_URL_FILE")
fi
export PREFECT_API_URL=${PREFECT_API_URL:-http://127.0.0.1:$PREFECT_SERVER_API_PORT/api}
# Never wait for an answer at a prompt (deploy, worker package installs).
export PREFECT_CLI_PROMPT=false

if [ -z "${PREFECT:-}" ]; then
  if [ -x "$MEDIA_ETL_ROOT/.venv/bin/prefect" ]; then
    PREFECT=$MEDIA_ETL_ROOT/.venv/bin/prefect
  else
    PREFECT=prefect
  fi
fi
PREFECT_PYTHON=$(dirname "$(command -v "$PREFECT")")/python
[ -x "$PREFECT_PYTHON" ] || PREFECT_PYTHON=python3

# server_healthy URL: true when URL/health answers 200 (URL is an API URL ending in /api).
server_healthy() {
  "$PREFECT_PYTHON" - "$1" <<'EOF'
import sys
import urllib.request

try:
    with urllib.request.urlopen(sys.argv[1].rstrip("/") + "/health", timeout=3) as response:
        sys.exit(0 if response.status == 200 else 1)
except Exception:
    sys.exit(1)
EOF
}

# require_server: stop with a hint when no Prefect server answers at PREFECT_API_URL.
require_server() {
  if ! server_healthy "$PREFECT_API_URL"; then
    echo "No Prefect server answers at $PREFECT_API_URL." >&2
    echo "Start one with 'make server' (FOREGROUND=1 to keep it attached), or set PREFECT_API_URL." >&2
    exit 1
  fi
}

# work_pools: the work pool names the deployments in prefect.yaml use, one a line.
work_pools() {
  "$PREFECT_PYTHON" - "$MEDIA_ETL_ROOT/prefect.yaml" <<'EOF'
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as handle:
    config = yaml.safe_load(handle)
names = {(d.get("work_pool") or {}).get("name") for d in config.get("deployments") or []}
print("\n".join(sorted(n for n in names if n and "{{" not in n)))
EOF
}
