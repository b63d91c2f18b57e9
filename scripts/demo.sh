#!/usr/bin/env bash
# The main job from a fresh clone: set up, install the IoT kernel for this user, and
# execute the example notebook headless with Jupyter's nbconvert, printing its cells
# and outputs. Cells run on the first free MicroPython board on USB, else on the
# virtual board virtual://demo; IOT_BOARD names another (e.g. IOT_BOARD=/dev/ttyACM0).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
node packages/iot-kernel/dist/src/cli.js install --user
notebook=${1:-examples/getting-started.ipynb}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "demo: executing $notebook on kernel 'iot'"
# Run a copy in a scratch folder: the notebook writes host files next to itself.
cp "$notebook" "$out/notebook.ipynb"
IOT_KERNEL_LOG=${IOT_KERNEL_LOG:-warn} jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=iot \
  --ExecutePreprocessor.timeout=120 --output-dir "$out" --output executed "$out/notebook.ipynb" >/dev/null
node scripts/print-notebook.js "$out/executed.ipynb"
