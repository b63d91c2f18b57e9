"""Debian's nbconvert executes notebooks that use every board magic on virtual boards.
Each test runs in a temporary folder with its own XDG data (virtual boards' flash) and
Jupyter config (device registry, remembered boards), passed to the kernel through its env."""
import json
import re
import shutil
from pathlib import Path

from notebook_runner import code_cells, execute_notebook

NOTEBOOKS = Path(__file__).resolve().parent / "notebooks"


def execute(tmp_path, name, **env):
    """Runs notebooks/NAME.ipynb from tmp_path/work (the kernel's folder); returns its code cells."""
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    shutil.copy(NOTEBOOKS / f"{name}.ipynb", work)
    return code_cells(execute_notebook(work / f"{name}.ipynb", tmp_path, **env))


def stdout(cell):
    return "".join("".join(o["text"]) for o in cell["outputs"] if o["output_type"] == "stream" and o["name"] == "stdout")


def stderr(cell):
    return "".join("".join(o["text"]) for o in cell["outputs"] if o["output_type"] == "stream" and o["name"] == "stderr")


def error(cell):
    return next((o for o in cell["outputs"] if o["output_type"] == "error"), None)


def display(cell):
    data = next(o["data"] for o in cell["outputs"] if o["output_type"] == "display_data")
    return {mime: "".join(value) for mime, value in data.items()}


def test_every_board_magic(tmp_path):
    cells = execute(tmp_path, "board-magics", IOT_BOARD="virtual://fromenv")
    (connect, info, assign, loop, softreset, lost, hardreset, synctime, gettime, register, discover,
     on_two, unregister, ask, disconnect, no_board, connect_default, platform) = cells
    assert re.fullmatch(r"Connected to virtual://nbmain: MicroPython v1\.\d+\.\d+ on \S+, webassembly \(.*\), uid [0-9a-f]{16}\n", stdout(connect))
    plain = display(info)["text/plain"]
    assert re.search(r"firmware +v1\.\d+", plain) and re.search(r"memory +[\d.]+ KiB free", plain)
    assert "<table>" in display(info)["text/html"]
    assert stdout(assign) == "42\n"
    assert stdout(loop) == "line 0\nline 1\nline 2\n"
    assert stdout(softreset).endswith("Soft reset done.\n")
    assert error(lost)["ename"] == "NameError"
    assert re.search(r"MicroPython v1\.\d+[\s\S]*Hard reset done\.\nafter hard reset\n$", stdout(hardreset))
    assert re.fullmatch(r"Board clock set to \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\n", stdout(synctime))
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \((same as this computer|[012] s (ahead of|behind) this computer)\)\n", stdout(gettime))
    assert stdout(register) == "Registered other → virtual://nbother\n"
    assert re.search(r"other +virtual://nbother +registered", display(discover)["text/plain"])
    assert stdout(on_two) == "──── virtual://nbmain ────\nwebassembly\n──── other ────\nwebassembly\n"
    assert stdout(unregister) == "Unregistered other\n"
    assert error(ask)["ename"] == "StdinNotImplementedError"
    assert stdout(disconnect) == "Disconnected from virtual://nbmain\n"
    assert error(no_board)["ename"] == "NoBoardError" and "%connect" in error(no_board)["evalue"]
    assert stdout(connect_default).startswith("Connected to virtual://fromenv: ")  # $IOT_BOARD
    assert stdout(platform) == "webassembly\n"
    registry = json.loads((tmp_path / "jupyter-config/ide49/devices.json").read_text())
    assert registry["devices"] == []


def test_a_notebook_reopened_gets_its_last_board_back(tmp_path):
    first = execute(tmp_path, "remember-connect")
    assert stdout(first[0]).startswith("Connected to virtual://kept: ")
    remembered = json.loads((tmp_path / "jupyter-config/ide49/last-boards.json").read_text())
    entry = remembered[str(tmp_path / "work")]
    assert list(remembered) == [str(tmp_path / "work")]
    assert (entry["target"], entry["url"]) == ("virtual://kept", "virtual://kept")
    assert re.fullmatch(r"[0-9a-f]{16}", entry["uniqueId"])  # a different board at that URL later is not taken for it
    reopened = execute(tmp_path, "remember-reopen")
    assert stdout(reopened[0]) == "webassembly None\n"  # the board is back; a new kernel process started it afresh
    assert re.search(r"board +virtual://kept", display(reopened[1])["text/plain"])
