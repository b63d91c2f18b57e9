"""%%service and %services through the iot kernel, driven by jupyter_client, against a
real Docker Engine and a throw-away stack (see conftest.py)."""
import os

import pytest


def test_streams_arrive_separately_and_in_order(kernel):
    cell = kernel.run("%%service web\necho out1; sleep 0.2; echo err1 >&2; sleep 0.2; echo out2; sleep 0.2; echo err2 >&2")
    assert cell.reply["status"] == "ok"
    assert cell.streams == [["stdout", "out1\n"], ["stderr", "err1\n"], ["stdout", "out2\n"], ["stderr", "err2\n"]]


@pytest.mark.parametrize("code", [0, 1, 42])
def test_exit_code(kernel, code):
    cell = kernel.run(f"%%service web\necho ran\nexit {code}")
    assert cell.text("stdout") == "ran\n"
    if code == 0:
        assert cell.reply["status"] == "ok" and cell.errors == []
    else:
        assert cell.reply["status"] == "error"
        assert (cell.reply["ename"], cell.reply["evalue"]) == ("ServiceExitError", f"exit code {code}")
        assert cell.errors[0]["evalue"] == f"exit code {code}"


def test_body_reaches_the_shell_untouched(kernel):
    body = "\n".join([
        """echo 'single $HOME "x"'""",
        """echo "double $HOME 'y'\"""",
        r"""printf '%s\n' 'back\slash\\n'""",
        "cat <<'EOF'",
        r"quoted heredoc $HOME `date` \t",
        "EOF",
        "cat <<EOF",
        "heredoc $HOME",
        "EOF",
        r"printf 'bad \377 bytes\n'",
    ])
    cell = kernel.run("%%service web -e HOME=/home/cell\n" + body)
    assert cell.reply["status"] == "ok"
    assert cell.text("stdout") == "\n".join([
        'single $HOME "x"',
        "double /home/cell 'y'",
        r"back\slash\\n",
        r"quoted heredoc $HOME `date` \t",
        "heredoc /home/cell",
        "bad \ufffd bytes",
        "",
    ])


def test_one_megabyte_of_output(kernel):
    cell = kernel.run("%%service web\nhead -c 1048576 /dev/zero | tr '\\0' x; echo; echo done")
    assert cell.reply["status"] == "ok"
    assert cell.text("stdout") == "x" * 1048576 + "\ndone\n"


def live_sleeps(kernel, seconds):
    """Live (not zombie) `sleep SECONDS` processes in web."""
    listing = (
        "%%service web\n"
        'for p in /proc/[0-9]*; do s=$(cat $p/stat 2>/dev/null) || continue; case "$s" in *") Z "*) continue;; esac; '
        "tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done"
    )
    return [line for line in kernel.run(listing).text("stdout").splitlines() if line.strip() == f"sleep {seconds}"]


def test_stop_button_ends_the_command_and_its_processes(kernel):
    started = lambda messages: any(t == "stream" and "started" in c["text"] for t, c in messages)
    cell = kernel.run("%%service web\necho started; sleep 1011 & sleep 1011", interrupt_when=started)
    assert cell.reply["status"] == "error"
    assert cell.reply["ename"] == "KeyboardInterrupt"
    assert cell.seconds_after_interrupt < 2
    assert live_sleeps(kernel, 1011) == []


def test_timeout(kernel):
    cell = kernel.run("%%service web --timeout 1\nsleep 1012")
    assert cell.reply["ename"] == "ServiceTimeoutError"
    assert "timed out after 1 s" in cell.reply["evalue"]
    assert 1 <= cell.seconds < 5
    assert live_sleeps(kernel, 1012) == []


def test_unknown_service_lists_the_known_ones(kernel):
    cell = kernel.run("%%service nosuchservice\ntrue")
    assert cell.reply["ename"] == "UnknownServiceError"
    assert cell.reply["evalue"] == 'no service named "nosuchservice"; known services: host, hostshell, web, worker'


def test_services_table(kernel, docker_stack):
    cell = kernel.run("%services")
    assert cell.reply["status"] == "ok"
    [bundle] = cell.displays
    rows = [line.split()[:4] for line in bundle["text/plain"].splitlines()[1:]]
    project = docker_stack["project"]
    assert rows == [
        ["host", f"{project}-hostshell", "ide49-test/busybox:1", "running"],
        ["web", f"{project}-web", "ide49-test/busybox:1", "running"],
        ["worker", f"{project}-worker", "ide49-test/busybox:1", "running"],
    ]
    assert f"<td>{project}-web</td>" in bundle["text/html"]


def test_unreachable_daemon_names_the_socket(start_kernel):
    kernel = start_kernel(DOCKER_HOST="unix:///nonexistent/ide49-docker.sock")
    cell = kernel.run("%%service web\ntrue")
    assert cell.reply["ename"] == "DockerUnreachableError"
    assert cell.reply["evalue"].startswith("cannot reach the Docker Engine at unix:///nonexistent/ide49-docker.sock (")
    assert cell.reply["evalue"].endswith("mount its socket into the Jupyter container, or point DOCKER_HOST at it")


def test_host_shell_sees_the_hosts_processes(kernel):
    """The helper shares the host's PID namespace: this pytest process is in `ps`. On
    machines where the host's init refuses nsenter, the cell says once that it fell back."""
    cell = kernel.run("%%service host\nps -o pid,args")
    assert cell.reply["status"] == "ok"
    pids = {line.split()[0] for line in cell.text("stdout").splitlines()[1:]}
    assert str(os.getpid()) in pids
    assert cell.text("stderr").count("note: cannot enter the host's namespaces") <= 1


def test_host_shell_enters_the_namespaces_of_the_configured_pid(start_kernel, docker_stack, kernel):
    kernel.run("%%service web\necho web-marker > /marker")
    host_kernel = start_kernel(IDE49_HOST_PID=str(docker_stack["webInitPid"]))
    cell = host_kernel.run("%%service host\nhostname; cat /marker")
    assert cell.reply["status"] == "ok"
    assert cell.streams == [["stdout", "web\nweb-marker\n"]]
