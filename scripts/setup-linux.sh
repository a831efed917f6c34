#!/usr/bin/env bash
# `npm run setup:linux`: installs the Debian/Ubuntu packages the tests need, using sudo when not
# root. The one list of them (CI runs this too, from .ci/run):
#   chromium            the browser tests (Ubuntu ships it as chromium-browser)
#   xvfb xauth          the headed screenshots, on a private X display
#   xdotool x11-utils   the real-keys push-to-talk test: xdotool presses keys, x11-utils's xev
#   libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us   the local engine's speech recogniser
# Speech fixtures need no package: the tests make them with the Flite and Speex WASM modules
# that `npm install` brings.
set -euo pipefail

packages="chromium xvfb xauth xdotool x11-utils libpocketsphinx3 libsphinxbase3 pocketsphinx-en-us"

if ! command -v apt-get >/dev/null; then
  echo "setup:linux installs Debian/Ubuntu packages with apt-get, which this system does not have." >&2
  echo "Install the equivalents of: $packages" >&2
  exit 1
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null; then
    echo "setup:linux needs root to install packages: run it as root, or install sudo." >&2
    exit 1
  fi
  sudo="sudo"
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=""
for package in $packages; do
  if [ "$package" = chromium ] && installed chromium-browser; then continue; fi
  installed "$package" || missing="$missing $package"
done

if [ -z "$missing" ]; then
  echo "setup:linux: all packages already installed ($packages)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# Ubuntu has no `chromium` package; its chromium-browser installs the snap.
if [[ " $missing " == *" chromium "* ]] && ! apt-cache show chromium >/dev/null 2>&1; then
  missing="${missing/ chromium/ chromium-browser}"
fi
echo "setup:linux: installing$missing"
# shellcheck disable=SC2086 # one word per package
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
