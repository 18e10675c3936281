#!/usr/bin/env bash
# Put the project's `media-etl` command (from .venv/bin) on PATH, so it works without activating
# the venv. It links only into a PATH folder it can write, and replaces only a missing command
# or a link into another checkout's venv; anything else is left alone with a note.
set -euo pipefail
target=$(readlink -f "$1")
name=$(basename "$1")
if have=$(command -v "$name" 2>/dev/null) && [ "$(readlink -f "$have")" = "$target" ]; then
  exit 0
fi
if [ -n "${have:-}" ] && ! [[ "$(readlink "$have" 2>/dev/null || true)" == */.venv/bin/"$name" ]]; then
  echo "note: $have is not this checkout's $name; use $1 or put .venv/bin first on PATH" >&2
  exit 0
fi
for dir in "$HOME/.local/bin" /usr/local/bin; do
  case ":$PATH:" in *":$dir:"*) ;; *) continue ;; esac
  if mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then
    ln -sfn "$target" "$dir/$name"
    echo "linked $dir/$name -> $target"
    exit 0
  fi
done
echo "note: no writable folder on PATH for $name; run $1 or: source .venv/bin/activate" >&2
