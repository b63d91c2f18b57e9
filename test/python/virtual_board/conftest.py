"""A virtual board on a pseudo-terminal for serial clients: the `virtual-board` CLI
(compiled: npm run build first) on a temporary pty path and flash folder, unthrottled,
stopped with SIGTERM after the test."""
import select
import signal
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CLI = ROOT / "packages/virtual-board/dist/src/cli.js"
START_TIMEOUT_S = 30


class PtyBoard:
    def __init__(self, process, port, flash):
        self.process = process
        self.port = port
        self.flash = flash


@pytest.fixture
def pty_board(tmp_path):
    if not CLI.exists():
        raise RuntimeError(f"{CLI} is missing: build first (npm run build).")
    port = tmp_path / "ttyV0"
    flash = tmp_path / "flash"
    process = subprocess.Popen(
        ["node", str(CLI), "--pty", str(port), "--flash", str(flash), "--link", "none"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        ready, _, _ = select.select([process.stdout], [], [], START_TIMEOUT_S)
        line = process.stdout.readline() if ready else ""
        assert line == f"ready {port}\n", f"virtual-board did not get ready: {line!r} {process.stderr.read() if process.poll() is not None else ''}"
        yield PtyBoard(process, port, flash)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
