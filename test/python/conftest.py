"""Shared setup of the Python suites: the `iot` kernelspec is installed once per test
session into a temporary prefix (with the compiled kernel: npm run build first) and
made visible to jupyter_client through JUPYTER_PATH. Kernel logs (level info) and
connection files go to a temporary Jupyter runtime folder."""
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KERNEL_CLI = ROOT / "packages/iot-kernel/dist/src/cli.js"
KERNEL_NAME = "iot"

_prefix = None


def pytest_configure(config):
    """Runs before any test (also before unittest's setUpClass, which starts kernels)."""
    global _prefix
    if not KERNEL_CLI.exists():
        raise RuntimeError(f"{KERNEL_CLI} is missing: build first (npm run build).")
    _prefix = tempfile.mkdtemp(prefix="ide49-kernelspec-")
    subprocess.run(["node", str(KERNEL_CLI), "install", "--prefix", _prefix], check=True, capture_output=True)
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [f"{_prefix}/share/jupyter", os.environ.get("JUPYTER_PATH")]))
    os.environ["JUPYTER_RUNTIME_DIR"] = f"{_prefix}/runtime"
    os.environ["IOT_KERNEL_LOG"] = "info"


def pytest_unconfigure(config):
    if _prefix:
        shutil.rmtree(_prefix, ignore_errors=True)
