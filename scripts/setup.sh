#!/usr/bin/env bash
# One-time machine set-up for DistillLab on Debian/Ubuntu. Safe to run again:
# every step checks first and does nothing when it is already done.
#   scripts/setup.sh          native runtime fix only (needed to train)
#   scripts/setup.sh --tests  also Chromium for the browser tests, PyTorch for the export test and PostgreSQL's
#                             server programs for the scale-out tests
set -euo pipefail

want_browser=0
[[ "${1:-}" == "--tests" ]] && want_browser=1

say() { printf '[setup] %s\n' "$*"; }

need_root() {
  if [[ $(id -u) -ne 0 ]]; then
    say "This step needs root: $1"
    say "Run 'sudo $0 ${*:2}' once, or do it by hand, then run this command again."
    exit 1
  fi
}

if ! command -v dotnet >/dev/null; then
  say "The .NET 10 SDK is not on PATH. Install it first: https://learn.microsoft.com/dotnet/core/install/linux"
  exit 1
fi

# TorchSharp 0.107's native bridge needs GLIBCXX_3.4.32 (libstdc++ of GCC 13).
# Debian 12 ships GCC 12's; take libstdc++6 alone from Debian 13 with a low pin.
if [[ "$(uname -s)" == "Linux" ]]; then
  # awk reads to the end: exiting early would SIGPIPE ldconfig and, under pipefail, end this script.
  libstdcxx="$(ldconfig -p | awk '/libstdc\+\+\.so\.6 / && !found {found = $NF} END {print found}')"
  if [[ -n "$libstdcxx" ]] && grep -q GLIBCXX_3.4.32 "$libstdcxx"; then
    say "libstdc++ already has GLIBCXX_3.4.32: nothing to do."
  elif [[ -f /etc/debian_version ]] && grep -q '^12' /etc/debian_version; then
    need_root "install libstdc++6 (and libc6) from Debian 13 'trixie' with a low apt pin"
    say "Installing libstdc++6 from Debian 13 (trixie, pinned low; upgrades libc6 too, ~28 packages)..."
    echo 'deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main' \
      > /etc/apt/sources.list.d/trixie.list
    printf 'Package: *\nPin: release n=trixie\nPin-Priority: 100\n' > /etc/apt/preferences.d/trixie-low
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -t trixie libstdc++6 >/dev/null
    say "libstdc++6 from trixie installed."
  else
    say "Your libstdc++ lacks GLIBCXX_3.4.32, which TorchSharp 0.107 needs. Install GCC 13+'s libstdc++ (Ubuntu: ppa:ubuntu-toolchain-r/test, package libstdc++6)."
    exit 1
  fi
fi

if [[ $want_browser -eq 1 && "$(uname -s)" == "Linux" ]]; then
  if [[ -x /usr/bin/chromium ]]; then
    say "Chromium already at /usr/bin/chromium: nothing to do."
  else
    need_root "install Debian's chromium package for the browser tests"
    say "Installing Debian's chromium package for the browser tests..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    say "Chromium installed at /usr/bin/chromium."
  fi
fi

# The export test runs docs/export.md's PyTorch definitions on exported models (DistillLab.Tests/Docs/ExportPyTorchTests.cs).
if [[ $want_browser -eq 1 && "$(uname -s)" == "Linux" ]]; then
  if /usr/bin/python3 -c "import torch" 2>/dev/null; then
    say "PyTorch already importable by /usr/bin/python3: nothing to do."
  else
    need_root "install Debian's python3-torch for the PyTorch export test"
    say "Installing Debian's python3-torch (~150 MB download) for the PyTorch export test..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-torch >/dev/null
    say "python3-torch installed."
  fi
fi

# The scale-out tests start a throwaway PostgreSQL cluster of their own (DistillLab.Tests/Support/PostgresServer.cs):
# they need the server programs (initdb, pg_ctl), not a running server. Debian's package also starts a cluster on
# port 5432; the tests never use it.
if [[ $want_browser -eq 1 && "$(uname -s)" == "Linux" ]]; then
  if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
    say "PostgreSQL's server programs already in $(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)"): nothing to do."
  else
    need_root "install Debian's postgresql package for the scale-out tests"
    say "Installing Debian's postgresql package (server programs for the scale-out tests' throwaway clusters)..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    say "PostgreSQL installed in $(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -1)")."
  fi
fi
