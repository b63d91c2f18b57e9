"""Fixtures for the %%service tests: a real Docker Engine (the shared fixture of
packages/service-magic starts dockerd when none answers and stops only the daemon it
started), a throw-away stack of busybox containers, and iot kernels whose environment
points at that stack. The kernelspec `iot` comes from test/python/conftest.py."""
import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from jupyter_client.manager import KernelManager

ROOT = Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "packages/service-magic/dist/test"


def node(script, *args):
    """Runs one of the compiled test helpers of packages/service-magic (npm run build first)."""
    result = subprocess.run(["node", str(FIXTURES / script), *args], capture_output=True, text=True, timeout=180)
    if result.returncode != 0:
        raise RuntimeError(f"{script} {' '.join(args)} failed: {result.stderr}")
    return result.stdout.strip()


@pytest.fixture(scope="session")
def docker_stack():
    lease = node("docker-fixture.js", "acquire", str(os.getpid()))
    try:
        stack = json.loads(node("test-stack.js", "up"))
        try:
            yield stack
        finally:
            node("test-stack.js", "down", stack["project"])
    finally:
        node("docker-fixture.js", "release", str(os.getpid()), lease)


class Cell:
    """What one execute request produced: reply, streams in order, displays, error, duration."""

    def __init__(self, reply, messages, seconds):
        self.reply = reply["content"]
        self.messages = messages
        self.seconds = seconds
        self.streams = []
        for msg_type, content in messages:
            if msg_type == "stream":
                if self.streams and self.streams[-1][0] == content["name"]:
                    self.streams[-1][1] += content["text"]
                else:
                    self.streams.append([content["name"], content["text"]])
        self.displays = [content["data"] for msg_type, content in messages if msg_type == "display_data"]
        self.errors = [content for msg_type, content in messages if msg_type == "error"]

    def text(self, name):
        return "".join(text for stream, text in self.streams if stream == name)


class Kernel:
    def __init__(self, env):
        self.manager = KernelManager(kernel_name="iot")
        inherited = {k: v for k, v in os.environ.items() if k not in ("DOCKER_HOST", "IDE49_HOST_PID", "IDE49_COMPOSE_PROJECT")}
        self.manager.start_kernel(env={**inherited, **env})
        self.client = self.manager.client()
        self.client.start_channels()
        self.client.wait_for_ready(timeout=60)

    def run(self, code, interrupt_when=None, timeout=60):
        """Executes code; interrupts the kernel (the stop button) once interrupt_when(messages) is true."""
        started = time.monotonic()
        msg_id = self.client.execute(code)
        messages = []
        interrupted_at = None
        while True:
            msg = self.client.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            messages.append((msg["msg_type"], msg["content"]))
            if interrupted_at is None and interrupt_when and interrupt_when(messages):
                interrupted_at = time.monotonic()
                self.manager.interrupt_kernel()
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                break
        reply = self.client.get_shell_msg(timeout=timeout)
        ended = time.monotonic()
        cell = Cell(reply, messages, ended - started)
        cell.seconds_after_interrupt = None if interrupted_at is None else ended - interrupted_at
        return cell

    def close(self):
        self.client.stop_channels()
        self.manager.shutdown_kernel(now=False)


@pytest.fixture
def start_kernel(docker_stack):
    """start_kernel(**env) -> a kernel in the stack's project with extra environment variables."""
    kernels = []

    def start(**env):
        kernel = Kernel({"IDE49_COMPOSE_PROJECT": docker_stack["project"], **env})
        kernels.append(kernel)
        return kernel

    yield start
    for kernel in kernels:
        kernel.close()


@pytest.fixture(scope="module")
def kernel(docker_stack):
    """One kernel for the module, in the stack's project."""
    kernel = Kernel({"IDE49_COMPOSE_PROJECT": docker_stack["project"]})
    yield kernel
    kernel.close()
