#!/usr/bin/env bash
# Run a process worker that executes media-etl's deployed flow runs (make worker).
#
#   scripts/prefect-worker.sh                 poll the pool until Ctrl-C
#   scripts/prefect-worker.sh --run-once      take the runs that are due now, wait for them, exit
#
# Any `prefect worker start` option passes through. The pool defaults to media-etl-process
# (override with MEDIA_ETL_POOL). Flow runs are subprocesses of the worker with its environment
# (PREFECT_HOME, PREFECT_API_URL, MEDIA_ETL_ROOT) and start in MEDIA_ETL_ROOT (prefect.yaml's pull step).
set -euo pipefail
# shellcheck source=scripts/prefect-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/prefect-env.sh"
cd "$MEDIA_ETL_ROOT"
require_server
exec "$PREFECT" worker start --pool "${MEDIA_ETL_POOL:-media-etl-process}" "$@"
