"""nbconvert (Debian's 6.5) executes a notebook of file magics on the `iot` kernel: host
files in the notebook's (temporary) folder, the in-process virtual board with its flash in a
temporary XDG_DATA_HOME, and the outputs checked cell by cell, HTML tables included."""
import re

import nbformat
from notebook_runner import code_cells, execute_notebook, text_of

BOARD = "nbfiles"

CELLS = [
    f"%connect virtual://{BOARD}",
    '%%writefile -r :/main.py\nprint("hello from main")',
    "%cat :/main.py",
    "%rsync project :/app",
    "%rsync project :/app",
    "%%writefile project/app.py\nNAME = 'app v2'",
    "%rdiff project :/app",
    "%rsync project :/app --delete",
    "%rlist -r :/",
    "%cp -r :/app from_board",
    "%mkdirs :/data/logs",
    "%rm -r :/data",
    "import sys\nsys.path.insert(0, '/app')\nimport app\nprint(app.NAME)",
    "%cat :/missing.txt",
]


def html_of(cell):
    return "".join("".join(o["data"].get("text/html", "")) for o in cell["outputs"] if o["output_type"] == "display_data")


def test_file_magics_notebook(tmp_path):
    project = tmp_path / "project"
    (project / "lib").mkdir(parents=True)
    (project / "app.py").write_text("NAME = 'app v1'\n")
    (project / "lib" / "data.bin").write_bytes(bytes(range(256)) * 8)
    (project / ".ide49ignore").write_text("*.tmp\n")
    (project / "scratch.tmp").write_text("not for the board\n")

    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "iot", "display_name": "IoT", "language": "python"}
    for source in CELLS:
        cell = nbformat.v4.new_code_cell(source)
        if source.startswith("%cat :/missing"):
            cell.metadata["tags"] = ["raises-exception"]
        notebook.cells.append(cell)
    nbformat.write(notebook, tmp_path / "files.ipynb")

    cells = code_cells(execute_notebook(tmp_path / "files.ipynb", tmp_path))
    out = [text_of(cell) for cell in cells]
    flash = tmp_path / "data" / "ide49" / "virtual-boards" / BOARD

    assert out[1] == "stdout:Wrote :/main.py on the board\n"
    assert (flash / "main.py").read_text() == 'print("hello from main")\n'
    assert out[2] == 'stdout:print("hello from main")\n'

    assert re.fullmatch(
        r"added     app\.py\nadded     lib/\nadded     lib/data\.bin\n3 added, 0 updated, 0 deleted, 0 unchanged; 2\.0 KiB sent in [\d.]+ s \([\d.]+ (B|KiB|MiB)/s\)", out[3]
    ), out[3]
    assert "<td>added</td><td><code>lib/data.bin</code></td>" in html_of(cells[3])
    assert (flash / "app" / "lib" / "data.bin").read_bytes() == bytes(range(256)) * 8
    assert not (flash / "app" / "scratch.tmp").exists()
    assert out[4].startswith("0 added, 0 updated, 0 deleted, 3 unchanged; 0 B sent")

    assert out[5] == "stdout:Overwriting project/app.py\n"
    assert out[6] == "updated   app.py\n0 would be added, 1 would be updated, 0 would be deleted, 2 unchanged"
    assert out[7].startswith("updated   app.py\n0 added, 1 updated, 0 deleted, 2 unchanged")

    assert out[8].splitlines() == [
        "stdout::/",
        "├── app/",
        "│   ├── app.py           16 B",
        "│   └── lib/",
        "│       └── data.bin  2.0 KiB",
        "└── main.py              25 B",
        "3 files, 2.0 KiB",
    ]
    assert out[9].startswith("stdout:copied 2 files, 2.0 KiB in")
    assert (tmp_path / "from_board" / "lib" / "data.bin").read_bytes() == bytes(range(256)) * 8
    assert (tmp_path / "from_board" / "app.py").read_text() == "NAME = 'app v2'\n"

    assert out[10] == "" and out[11] == ""
    assert not (flash / "data").exists()
    assert out[12] == "stdout:app v2\n"
    assert out[13].startswith("error:FileNotFoundError:No file :/missing.txt on the board.")
