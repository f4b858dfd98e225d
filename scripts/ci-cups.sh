#!/bin/sh
# CUPS for the print tests and bench (core/print/cups.test.ts, bench/print.bench.ts): installs the Debian
# packages if any is missing and starts cupsd if it is not running. Idempotent; needs root (apt, cupsd).
set -eu
PKGS="cups cups-client cups-bsd printer-driver-cups-pdf poppler-utils"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "ci-cups: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
if ! LC_ALL=C lpstat -r 2>/dev/null | grep -q "scheduler is running"; then
  echo "ci-cups: starting cupsd"
  cupsd
  i=0
  until LC_ALL=C lpstat -r 2>/dev/null | grep -q "scheduler is running"; do
    i=$((i + 1))
    [ "$i" -gt 50 ] && { echo "ci-cups: cupsd did not start" >&2; exit 1; }
    sleep 0.2
  done
fi
echo "ci-cups: $(LC_ALL=C lpstat -r)"
