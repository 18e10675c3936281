#!/usr/bin/env bash
# Start a run of one of media-etl's deployments now, on the project's Prefect server (make trigger).
#
#   scripts/prefect-trigger.sh FLOW/DEPLOYMENT [OPTION...]   e.g. media-etl-report/report-daily; any
#                                                          `prefect deployment run` option passes through
#                                                          (--params '{"since": "2025-01-01"}', --watch, ...)
#   make trigger DEPLOYMENT=FLOW/DEPLOYMENT                the same from the repo root
#
# It talks to PREFECT_API_URL, else to the server `make server` started (its URL is recorded in
# $PREFECT_HOME/server.url), so it works from a shell that set neither PREFECT_HOME nor
# PREFECT_API_URL. A worker (make worker) runs the flow run it creates.
set -euo pipefail
# shellcheck source=scripts/prefect-env.sh
source "$(dirname "${BASH_SOURCE[0]}")/prefect-env.sh"
cd "$MEDIA_ETL_ROOT"
deployment=${1:-}
if [ -z "$deployment" ]; then
  echo "usage: make trigger DEPLOYMENT=FLOW/DEPLOYMENT (or $0 FLOW/DEPLOYMENT [prefect deployment run options])" >&2
  echo "The deployments (make deploy registers them):" >&2
  "$PREFECT_PYTHON" - "$MEDIA_ETL_ROOT/prefect.yaml" >&2 <<'PY'
import ast
import sys

import yaml

with open(sys.argv[1], encoding="utf-8") as handle:
    config = yaml.safe_load(handle)
for deployment in config.get("deployments") or []:
    path, _, function = deployment["entrypoint"].partition(":")
    with open(path, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    flow_name = function.replace("_", "-")
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == function:
            for decorator in node.decorator_list:
                if isinstance(decorator, ast.Call):
                    for keyword in decorator.keywords:
                        if keyword.arg == "name" and isinstance(keyword.value, ast.Constant):
                            flow_name = keyword.value.value
    print(f"  {flow_name}/{deployment['name']}")
PY
  exit 2
fi
shift
require_server
exec "$PREFECT" deployment run "$deployment" "$@"
