#!/usr/bin/env bash
# Make `duckdb` on PATH the CLI installed in the project's venv (the duckdb-cli package),
# so that `duckdb warehouse/media.db` works from the repo root without activating .venv.
# It links only into a PATH folder it can write, and replaces only a missing command or a
# link to another checkout's venv; any other duckdb is left alone with a warning.
set -euo pipefail
cli=$(readlink -f "$1")
want=$("$cli" --version)
if have=$(command -v duckdb 2>/dev/null) && [ "$(duckdb --version 2>/dev/null)" = "$want" ]; then
  exit 0
fi
if [ -n "${have:-}" ] && ! [[ "$(readlink "$have" 2>/dev/null || true)" == */.venv/bin/duckdb ]]; then
  echo "note: $have is $(duckdb --version 2>/dev/null || echo 'unknown'), not $want; use $1 or put .venv/bin first on PATH" >&2
  exit 0
fi
for dir in "$HOME/.local/bin" /usr/local/bin; do
  case ":$PATH:" in *":$dir:"*) ;; *) continue ;; esac
  if mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then
    ln -sfn "$cli" "$dir/duckdb"
    echo "linked $dir/duckdb -> $cli ($want)"
    exit 0
  fi
done
echo "note: no writable folder on PATH for the DuckDB CLI; run $1 or: source .venv/bin/activate" >&2
