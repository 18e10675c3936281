#!/usr/bin/env bash
# Register prefect.yaml's deployments with the Prefect server at PREFECT_API_URL
# (default http://127.0.0.1:4200/api; start one with `make server`).
#
#   scripts/prefect-deploy.sh                 every deployment (make deploy)
#   scripts/prefect-deploy.sh --name NAME     one deployment; any other `prefect deploy` options work too
#
# Prefect ends its output with commands to start a worker and a run (`prefect worker start --pool ...`,
# `prefect deployment run ...`) that work only in a shell with this project's PREFECT_HOME and
# PREFECT_API_URL; they are printed as `make worker` and `make trigger DEPLOYMENT=...` instead, which
# set both and work as printed from the repo root.
# It first creates (or resets with --overwrite) each process work pool the deployments name, since
# `prefect deploy` refuses a pool that does not exist. MEDIA_ETL_ROOT (default: this checkout) is
# written into each deployment's pull step when it is deployed: flow runs start in that folder, so a
# moved checkout needs `make deploy` again.
set -euo pipefail
# shellcheck source=scripts/prefect-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/prefect-env.sh"
cd "$MEDIA_ETL_ROOT"
require_server

# project_commands: Prefect's output with its worker and run commands replaced by the make targets.
project_commands() {
  sed -E \
    -e "s/prefect deployment run '([^']+)'/make trigger DEPLOYMENT='\\1'/" \
    -e "s/prefect worker start --pool '?[A-Za-z0-9_.-]+'?/make worker/"
}
# Wide lines: Prefect's console must not wrap a command it prints across two lines.
export COLUMNS=${COLUMNS:-120}

pools=$(work_pools)
for pool in ${pools:-media-etl-process}; do
  "$PREFECT" work-pool create "$pool" --type process --overwrite | project_commands
done
if [ $# -eq 0 ]; then
  set -- --all
fi
"$PREFECT" --no-prompt deploy "$@" | project_commands
echo "Deployed to $PREFECT_API_URL with MEDIA_ETL_ROOT=$MEDIA_ETL_ROOT; runs start once a worker polls: make worker"
