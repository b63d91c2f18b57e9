"""nbconvert (Debian's 6.5) executes examples/getting-started.ipynb on the `iot` kernel;
the notebook runs in a copy so %%writefile writes into a temporary folder."""
import json
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
NOTEBOOK = ROOT / "examples/getting-started.ipynb"


def text_of(cell):
    parts = []
    for output in cell["outputs"]:
        if output["output_type"] == "stream":
            parts.append(output["name"] + ":" + "".join(output["text"]))
        elif output["output_type"] in ("display_data", "execute_result"):
            parts.append("".join(output["data"].get("text/plain", "")))
        elif output["output_type"] == "error":
            parts.append(f"error:{output['ename']}")
    return "".join(parts)


def test_getting_started_notebook_runs(tmp_path):
    notebook = tmp_path / NOTEBOOK.name
    shutil.copy(NOTEBOOK, notebook)
    subprocess.run(
        ["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=60", "--output", "executed.ipynb", str(notebook)],
        check=True, capture_output=True, cwd=tmp_path, timeout=120,
    )
    executed = json.loads((tmp_path / "executed.ipynb").read_text())
    code_cells = {"".join(cell["source"]).split("\n")[0]: cell for cell in executed["cells"] if cell["cell_type"] == "code"}
    assert "%%writefile [-a] PATH" in text_of(code_cells["%lsmagic"])
    assert any(o.get("data", {}).get("text/markdown") for o in code_cells["%lsmagic"]["outputs"])
    assert text_of(code_cells["!echo Hello from the host: $(uname -s)"]) == "stdout:Hello from the host: Linux\n"
    bash = text_of(code_cells["%%bash"])
    assert "stdout:counting on the host\ntick 1\ntick 2\ntick 3\n" in bash
    assert "stderr:a warning goes to stderr\n" in bash
    assert text_of(code_cells["%%writefile hello.py"]) == "stdout:Writing hello.py\n"
    assert (tmp_path / "hello.py").read_text() == 'print("hello from a file")\n'
    assert text_of(code_cells["!cat hello.py"]) == 'stdout:print("hello from a file")\n'
    assert text_of(code_cells["!echo first"]) == "stdout:first\nsecond\n"
    assert executed["metadata"]["language_info"]["name"] == "python"
