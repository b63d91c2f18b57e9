#!/usr/bin/env bash
# The whole test suite from a fresh clone: installs what is missing, builds, runs
# every runner and prints "N passed, N failed". Extra arguments go to jest (and then
# the Python suites are skipped), e.g. scripts/test-all.sh packages/device
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec node scripts/run-tests.js "$@"
