#!/usr/bin/env bash
# `make install-cli` / `make clean`: link this checkout's duckdb and media-etl (from .venv/bin) into
# the first writable folder on PATH of ~/.local/bin and /usr/local/bin, or remove those links again.
#   install-cli.sh install .venv/bin/duckdb .venv/bin/media-etl
#   install-cli.sh uninstall .venv/bin/duckdb .venv/bin/media-etl
# It never replaces a command it did not link for this checkout: a link into another checkout, or
# any other program of the same name, is left alone with a note (FORCE=1 replaces such a link).
# Nothing else of the project writes outside the checkout; the README's own commands use .venv/bin.
set -euo pipefail
mode=$1
shift
dirs=("$HOME/.local/bin" /usr/local/bin)

install_one() {
  local source=$1 target name dir
  target=$(readlink -f "$source")
  name=$(basename "$source")
  for dir in "${dirs[@]}"; do
    case ":$PATH:" in *":$dir:"*) ;; *) continue ;; esac
    if [ -L "$dir/$name" ] && [ "$(readlink -f "$dir/$name")" = "$target" ]; then
      echo "$dir/$name already links to $target"
      return 0
    fi
    if [ -e "$dir/$name" ] || [ -L "$dir/$name" ]; then
      if [ -L "$dir/$name" ] && [ "${FORCE:-}" = 1 ]; then
        ln -sfn "$target" "$dir/$name"
        echo "relinked $dir/$name -> $target (was $(readlink "$dir/$name"))"
        return 0
      fi
      echo "note: $dir/$name exists and is not this checkout's $name; left alone (FORCE=1 replaces a link)," \
        "or use $source" >&2
      return 0
    fi
    if mkdir -p "$dir" 2>/dev/null && [ -w "$dir" ]; then
      ln -s "$target" "$dir/$name"
      echo "linked $dir/$name -> $target"
      return 0
    fi
  done
  echo "note: no writable folder on PATH for $name; use $source, or: source .venv/bin/activate" >&2
}

uninstall_one() {
  local source=$1 target name dir
  target=$(readlink -f "$source" 2>/dev/null || echo "$source")
  name=$(basename "$source")
  for dir in "${dirs[@]}"; do
    if [ -L "$dir/$name" ] && [ "$(readlink -f "$dir/$name" 2>/dev/null || true)" = "$target" ]; then
      rm -f "$dir/$name"
      echo "removed $dir/$name"
    fi
  done
}

for source in "$@"; do
  "${mode}_one" "$source"
done
