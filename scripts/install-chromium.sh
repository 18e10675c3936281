#!/usr/bin/env bash
# Install Debian's Chromium for tests/test_prefect_ui.py (which skips without /usr/bin/chromium).
#
#   scripts/install-chromium.sh                   chromium (all the UI test needs: it speaks DevTools)
#   scripts/install-chromium.sh chromium-driver   also ChromeDriver, for Selenium
#
# Idempotent: it runs apt-get (update, then install) only for packages that are missing, as root or
# through sudo. Browsers come from the distribution only; nothing downloads a browser of its own.
set -euo pipefail

packages=(chromium "$@")
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}\n' "$package" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "Installed already: ${packages[*]} ($(/usr/bin/chromium --version 2>/dev/null || echo 'version unknown'))"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "No apt-get here: install ${missing[*]} another way; the UI test skips without /usr/bin/chromium." >&2
  exit 1
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "Installing ${missing[*]} needs root (or sudo)." >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "Installing ${missing[*]} from the Debian archive"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
/usr/bin/chromium --version 2>/dev/null
