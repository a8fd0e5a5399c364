#!/usr/bin/env bash
# Make sure a Chromium the browser test can drive is installed: Debian's `chromium` package (the
# browser download of npm's `puppeteer` is not reachable here, so the test uses `puppeteer-core`).
# Idempotent and quiet: exits 0 at once when a binary is there (CHROMIUM_PATH, /usr/bin/chromium,
# /usr/bin/chromium-browser); otherwise installs it with apt-get (needs root, as on the dev
# machines and in CI) and prints apt's output only if that fails.
set -euo pipefail

has_chromium() {
  for candidate in "${CHROMIUM_PATH:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then return 0; fi
  done
  return 1
}

if has_chromium; then
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: no chromium found and not root; install Debian's chromium package (apt-get install chromium)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or old on a fresh machine: update first. apt's chatter is kept
# and shown only when a step fails.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "ensure-chromium: installing chromium with apt-get failed" >&2
  exit 1
fi

if has_chromium; then
  exit 0
fi
echo "ensure-chromium: apt-get installed chromium but no binary was found in /usr/bin" >&2
exit 1
