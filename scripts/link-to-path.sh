#!/usr/bin/env bash
# Put one of the project's commands from .venv/bin (duckdb, media-etl) on PATH, so that
# `duckdb warehouse/media.db` and `media-etl` work from the repo root without activating the venv.
# A command already on PATH is kept when it is this file or prints the same --version; a link into
# another checkout's venv is replaced; anything else is left alone with a note. It links only into
# a folder on PATH that it can write.
set -euo pipefail
target=$(readlink -f "$1")
name=$(basename "$1")
want=$("$target" --version 2>/dev/null || true)
if have=$(command -v "$name" 2>/dev/null); then
  if [ "$(readlink -f "$have")" = "$target" ]; then
    exit 0
  fi
  if [ -n "$want" ] && [ "$("$have" --version 2>/dev/null || true)" = "$want" ]; then
    exit 0
  fi
  if ! [[ "$(readlink "$have" 2>/dev/null || true)" == */.venv/bin/"$name" ]]; then
    echo "note: $have is not this checkout's $name ${want:+($want)}; use $1 or put .venv/bin first on PATH" >&2
    exit 0
  fi
fi
for dir in "$HOME/.local/bin" /usr/local/bin; do
  case ":$PATH:" in *":$dir:"*) ;; *) continue ;; esac
  if mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then
    ln -sfn "$target" "$dir/$name"
    echo "linked $dir/$name -> $target${want:+ ($want)}"
    exit 0
  fi
done
echo "note: no writable folder on PATH for $name; run $1 or: source .venv/bin/activate" >&2
