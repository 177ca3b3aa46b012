#!/bin/sh
# The Debian packages the test suite needs beyond Python: a PostgreSQL server (the mirror's server option; the
# tests start their own cluster on a loopback port) and Chromium (the report page is rendered headless).
# Idempotent: installs only what is missing, and does nothing when both are there.
set -eu
missing=""
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing="$missing postgresql"
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || missing="$missing chromium"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
    echo "scripts/test-deps.sh: missing Debian packages:$missing; run it as root (or: sudo apt-get install$missing)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
