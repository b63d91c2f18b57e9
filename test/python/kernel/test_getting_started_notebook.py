"""nbconvert (Debian's 6.5) executes examples/getting-started.ipynb on the `iot` kernel;
the notebook runs in a copy so %%writefile writes into a temporary folder, and its board
(`%connect` without a name: virtual://demo here) keeps its flash and the remembered board in
temporary folders too."""
import re
import shutil
from pathlib import Path

from notebook_runner import code_cells, execute_notebook, text_of

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "examples/getting-started.ipynb"


def test_getting_started_notebook_runs(tmp_path):
    notebook = tmp_path / NOTEBOOK.name
    shutil.copy(NOTEBOOK, notebook)
    executed = execute_notebook(notebook, tmp_path)
    cells = {"".join(cell["source"]).split("\n")[0]: cell for cell in code_cells(executed)}
    assert re.match(r"stdout:Connected to virtual://demo: MicroPython v1\.\d+\.\d+", text_of(cells["%connect"]))
    assert text_of(cells["import sys, time"]) == "stdout:Hello from webassembly\n" + "".join(f"count {i}\n" for i in range(5))
    assert re.fullmatch(r"stdout:unique id: [0-9a-f]{16}\n", text_of(cells["import machine, binascii"]))
    result = next(o for o in cells["squares = [n * n for n in range(6)]"]["outputs"] if o["output_type"] == "execute_result")
    assert "".join(result["data"]["text/plain"]) == "(55, [0, 1, 4, 9, 16, 25])"
    info = text_of(cells["%info"])
    assert "firmware" in info and "memory" in info and "flash" in info
    error = next(o for o in cells["def divide(a, b):"]["outputs"] if o["output_type"] == "error")
    assert error["ename"] == "ZeroDivisionError"
    assert re.search(r"Cell In\[\d+\], line 4\n\s+divide\(1, 0\)\n\s+Cell In\[\d+\], line 2, in divide", "\n".join(error["traceback"]))
    assert "%%writefile [-a] PATH" in text_of(cells["%lsmagic"])
    assert any(o.get("data", {}).get("text/markdown") for o in cells["%lsmagic"]["outputs"])
    assert text_of(cells["!echo Hello from the host: $(uname -s)"]) == "stdout:Hello from the host: Linux\n"
    bash = text_of(cells["%%bash"])
    assert "stdout:counting on the host\ntick 1\ntick 2\ntick 3\n" in bash
    assert "stderr:a warning goes to stderr\n" in bash
    assert text_of(cells["%%writefile hello.py"]) == "stdout:Writing hello.py\n"
    assert (tmp_path / "hello.py").read_text() == 'print("hello from a file")\n'
    assert text_of(cells["!cat hello.py"]) == 'stdout:print("hello from a file")\n'
    assert text_of(cells["!echo first"]) == "stdout:first\nsecond\n"
    assert executed["metadata"]["language_info"]["name"] == "python"
