"""Runs a notebook on the `iot` kernel with Debian's nbconvert, the way the notebook suites
share: the kernel works in the notebook's folder, and its virtual boards' flash (XDG data)
and Jupyter config (device registry, remembered boards) live in temporary folders.
Importable from every suite because pytest puts this folder (test/python/conftest.py's) on sys.path."""
import json
import os
import subprocess


def execute_notebook(notebook, home, **env):
    """Executes NOTEBOOK in its own folder, with its data and config under HOME and ENV on top
    of os.environ; returns the executed notebook (as JSON)."""
    executed = notebook.with_name(f"{notebook.stem}.executed.ipynb")
    isolated_env = {
        **os.environ,
        "XDG_DATA_HOME": str(home / "data"),
        "JUPYTER_CONFIG_DIR": str(home / "jupyter-config"),
        "IOT_BOARD": "",
        **env,
    }
    run = subprocess.run(
        ["/usr/bin/jupyter", "nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=60", "--output", executed.name, notebook.name],
        capture_output=True, text=True, cwd=notebook.parent, timeout=120, env=isolated_env,
    )
    assert run.returncode == 0, f"{notebook.name} failed:\n{run.stderr[-3000:]}"
    return json.loads(executed.read_text())


def code_cells(executed):
    return [cell for cell in executed["cells"] if cell["cell_type"] == "code"]


def text_of(cell):
    """A cell's outputs as one string: streams prefixed by their name, text/plain of results
    and displays, and errors as `error:NAME:VALUE`."""
    parts = []
    for output in cell["outputs"]:
        if output["output_type"] == "stream":
            parts.append(output["name"] + ":" + "".join(output["text"]))
        elif output["output_type"] in ("display_data", "execute_result"):
            parts.append("".join(output["data"].get("text/plain", "")))
        elif output["output_type"] == "error":
            parts.append(f"error:{output['ename']}:{output['evalue']}")
    return "".join(parts)
