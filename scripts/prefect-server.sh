#!/usr/bin/env bash
# Run the Prefect server and UI for media-etl on http://127.0.0.1:4200.
#
#   scripts/prefect-server.sh [foreground]   run in this terminal until Ctrl-C (make server FOREGROUND=1)
#   scripts/prefect-server.sh background     start detached, wait until /api/health answers, write
#                                            $PREFECT_HOME/server.pid and log to $PREFECT_HOME/server.log
#                                            (make server)
# Both modes record the API URL in $PREFECT_HOME/server.url (`stop` removes it): `media-etl run`,
# `make run` and scripts/prefect-{deploy,trigger,worker}.sh find the server there when
# PREFECT_API_URL is not set, so their runs show in this server's UI.
#   scripts/prefect-server.sh stop           stop the background server (make server-stop)
#   scripts/prefect-server.sh status         say whether a server answers at PREFECT_API_URL
#
# State lives in the project: SQLite at $PREFECT_HOME/prefect.db, PREFECT_HOME defaulting to .prefect/.
# For production, point the server at PostgreSQL instead (the asyncpg driver ships with prefect):
#   PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://USER:PASSWORD@HOST:5432/prefect
# To serve other machines, set PREFECT_SERVER_API_HOST=0.0.0.0 and PREFECT_UI_API_URL to the API's
# public address (the UI in their browsers calls that URL).
# Host, port and the UI's API URL go in as settings, not flags: the UI asks the server for its API
# URL, and Prefect derives that from the settings, so `--port` alone leaves the UI calling port 4200.
set -euo pipefail
# shellcheck source=scripts/prefect-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/prefect-env.sh"

mode=${1:-foreground}
host=$PREFECT_SERVER_API_HOST
port=$PREFECT_SERVER_API_PORT
local_url=http://$host:$port/api
export PREFECT_UI_API_URL=${PREFECT_UI_API_URL:-$local_url}
pid_file=$PREFECT_HOME/server.pid # the file `prefect server stop` also reads
url_file=$SERVER_URL_FILE          # from prefect-env.sh
log_file=$PREFECT_HOME/server.log
start_timeout=${PREFECT_SERVER_START_TIMEOUT:-180} # the first start migrates a new database

database_note() {
  echo "Prefect server: UI http://$host:$port, API $local_url, PREFECT_HOME=$PREFECT_HOME"
  if [ -n "${PREFECT_API_DATABASE_CONNECTION_URL:-}" ]; then
    echo "Database: PREFECT_API_DATABASE_CONNECTION_URL (from the environment)"
  else
    echo "Database: SQLite $PREFECT_HOME/prefect.db; in production set" \
      "PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://USER:PASSWORD@HOST:5432/prefect"
  fi
}

# alive PID: the process exists and is not a zombie (an orphan's parent may be slow to reap it).
alive() {
  local stat
  kill -0 "$1" 2>/dev/null || return 1
  [ -d /proc/self ] || return 0 # no procfs (macOS): trust kill -0
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

running_pid() {
  local pid
  [ -f "$pid_file" ] || return 1
  pid=$(cat "$pid_file" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && echo "$pid"
}

case "$mode" in
  foreground)
    mkdir -p "$PREFECT_HOME"
    database_note
    echo "$local_url" >"$url_file" # left behind when this ends: a URL that no longer answers is ignored
    exec "$PREFECT" server start --host "$host" --port "$port"
    ;;
  background)
    mkdir -p "$PREFECT_HOME"
    if pid=$(running_pid); then
      echo "A Prefect server started from $PREFECT_HOME is running already (pid $pid, $local_url)."
      exit 0
    fi
    rm -f "$pid_file"
    if server_healthy "$local_url"; then
      echo "Something else answers at $local_url already; not starting a second server." >&2
      exit 1
    fi
    database_note
    # setsid: the server gets its own process group, so `stop` ends it and all its children.
    setsid "$PREFECT" server start --host "$host" --port "$port" >"$log_file" 2>&1 </dev/null &
    pid=$!
    echo "$pid" >"$pid_file"
    deadline=$((SECONDS + start_timeout))
    until server_healthy "$local_url"; do
      if ! alive "$pid"; then
        rm -f "$pid_file"
        echo "The Prefect server exited during start-up; the end of $log_file:" >&2
        tail -n 30 "$log_file" >&2
        exit 1
      fi
      if ((SECONDS >= deadline)); then
        kill -TERM -- "-$pid" 2>/dev/null || true
        rm -f "$pid_file"
        echo "No answer from $local_url/health after ${start_timeout}s; the end of $log_file:" >&2
        tail -n 30 "$log_file" >&2
        exit 1
      fi
      sleep 0.5
    done
    echo "$local_url" >"$url_file"
    echo "The Prefect server runs in the background (pid $pid, log $log_file)."
    echo "media-etl run and make run report to it while it is up: their runs show in its UI."
    echo "Stop it with: make server-stop (or scripts/prefect-server.sh stop)"
    ;;
  stop)
    if ! pid=$(running_pid); then
      rm -f "$pid_file" "$url_file"
      echo "No background Prefect server from $PREFECT_HOME is running."
      exit 0
    fi
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 60); do
      alive "$pid" || break
      sleep 0.5
    done
    if alive "$pid"; then
      kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$pid_file" "$url_file"
    echo "Stopped the Prefect server (pid $pid)."
    ;;
  status)
    if server_healthy "$PREFECT_API_URL"; then
      echo "A Prefect server answers at $PREFECT_API_URL."
    else
      echo "No Prefect server answers at $PREFECT_API_URL." >&2
      exit 1
    fi
    ;;
  *)
    echo "usage: $0 [foreground|background|stop|status]" >&2
    exit 2
    ;;
esac
