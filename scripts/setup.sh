#!/usr/bin/env bash
# Installs whatever is missing for ide49, then builds it. Idempotent: a second run
# only checks. Run as root it also installs the Debian packages the tests need.
#   scripts/setup.sh          # npm dependencies + build (+ Debian packages when root)
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages: Jupyter reference clients and servers, the ipykernel baseline, pyserial for
# the pty tests, Chromium and the classic Notebook for the browser test, a Docker Engine and
# busybox for the %%service tests, a C compiler for the virtual board's pty helper.
DEBIAN_PACKAGES=(
  python3-jupyter-client jupyter-client python3-jupyter-kernel-test python3-nbclient
  jupyter-nbconvert python3-ipykernel python3-jupyter-server python3-serial python3-pytest
  jupyter-notebook chromium
  docker.io busybox-static docker-compose
  gcc libc6-dev
)

missing_debian_packages() {
  local p
  for p in "${DEBIAN_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  mapfile -t missing < <(missing_debian_packages)
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "setup: installing Debian packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
elif [ -n "$(missing_debian_packages)" ]; then
  echo "setup: not root, so these Debian packages are not installed (the tests that need them will fail):" >&2
  missing_debian_packages | sed 's/^/  /' >&2
fi

# npm dependencies: install when node_modules is missing or older than the lock file.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: npm install"
  npm install --no-audit --no-fund --loglevel=error
fi

echo "setup: build"
npm run --silent build
# The virtual board's pseudo-terminal helper (openpty + raw mode), compiled with cc.
npm run --silent build:native -w packages/virtual-board
# Link the command lines (iot-kernel, iot-device, virtual-board) into node_modules/.bin
# now that their files exist: `npx iot-device …` works from the repository.
npm rebuild --ignore-scripts --silent @ide49/device @ide49/virtual-board @ide49/iot-kernel >/dev/null
