"""The `iot` kernel under jupyter_client's KernelManager: signal interrupts, restart,
shutdown, the log file, and the kernelspec CLI as `jupyter kernelspec` sees it."""
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[3]
KERNEL_CLI = ROOT / "packages/iot-kernel/dist/src/cli.js"


@pytest.fixture
def kernel():
    km = KernelManager(kernel_name="iot")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=30)
    yield km, kc
    kc.stop_channels()
    if km.is_alive():
        km.shutdown_kernel(now=True)


def run(kc, code, timeout=20):
    return kc.execute_interactive(code, timeout=timeout, output_hook=lambda msg: None)["content"]


def test_interrupt_by_signal_stops_a_sleeping_bash_cell(kernel):
    km, kc = kernel
    started = time.monotonic()
    msg_id = kc.execute("%%bash\nsleep 30")
    time.sleep(1)
    km.interrupt_kernel()
    reply = kc.get_shell_msg(timeout=15)
    assert reply["parent_header"]["msg_id"] == msg_id
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "KeyboardInterrupt"
    assert time.monotonic() - started < 10
    assert run(kc, "!true")["status"] == "ok"


def test_restart_gives_a_new_process_that_answers(kernel):
    km, kc = kernel
    first_pid = km.provisioner.process.pid
    run(kc, "!true")
    km.restart_kernel(now=False)
    kc.wait_for_ready(timeout=30)
    assert km.provisioner.process.pid != first_pid
    reply = run(kc, "!echo again")
    assert reply["status"] == "ok"
    assert reply["execution_count"] == 1


def test_shutdown_exits_cleanly_and_logs_to_the_runtime_dir(kernel):
    km, kc = kernel
    process = km.provisioner.process
    connection_file = Path(km.connection_file)
    km.shutdown_kernel(now=False)
    assert process.wait(timeout=10) == 0
    log_file = Path(os.environ["JUPYTER_RUNTIME_DIR"]) / ("iot-kernel-" + connection_file.stem.removeprefix("kernel-") + ".log")
    assert "shutdown_request" in log_file.read_text()


def test_kernelspec_install_and_uninstall_as_jupyter_sees_them(tmp_path):
    env = {**os.environ, "JUPYTER_PATH": str(tmp_path / "share/jupyter")}
    subprocess.run(["node", str(KERNEL_CLI), "install", "--prefix", str(tmp_path), "--name", "iot-x", "--display-name", "IoT X"], check=True, env=env, capture_output=True)
    specs = json.loads(subprocess.run(["/usr/bin/jupyter", "kernelspec", "list", "--json"], env=env, check=True, capture_output=True, text=True).stdout)["kernelspecs"]
    spec = specs["iot-x"]["spec"]
    assert spec["display_name"] == "IoT X"
    assert spec["interrupt_mode"] == "signal"
    assert spec["argv"][-1] == "{connection_file}"
    assert {p.name for p in (tmp_path / "share/jupyter/kernels/iot-x").iterdir()} == {"kernel.json", "logo-32x32.png", "logo-64x64.png"}
    subprocess.run(["node", str(KERNEL_CLI), "uninstall", "--prefix", str(tmp_path), "--name", "iot-x"], check=True, capture_output=True)
    assert not (tmp_path / "share/jupyter/kernels/iot-x").exists()
