"""The runner: failures are isolated and recorded; executed notebooks are made ready for the book."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from carebook import runner
from carebook.errors import InputError
from carebook.params import load_council


def notebook(cells, path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def code(source, *tags):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["tags"] = list(tags)
    return cell


@pytest.fixture
def notebooks(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    notebook([
        code('council = "nottingham"\nresults_dir = "results"', "parameters", "remove-cell"),
        nbformat.v4.new_markdown_cell("# Probe\n\nSee {numref}`fig-probe` and {ref}`the table <tbl-probe>`.\n\n:::{figure} x.png\n:name: fig-probe\n:::"),
        code('import pathlib\nif council == "rotherham":\n    raise ValueError("no data for this council")\n'
             'pathlib.Path(results_dir, "probe.csv").write_text("council\\n" + council)'),
    ], folder / "probe.ipynb")
    monkeypatch.setattr(runner, "NOTEBOOKS", folder)
    return folder


def test_a_failing_council_never_stops_the_others(notebooks, tmp_path):
    root = tmp_path / "site" / "book" / "councils"
    seen = []
    outcomes = runner.run([load_council("rotherham"), load_council("nottingham")], ["probe"], jobs=2, root=root, progress=seen.append)
    by_council = {o.council: o for o in outcomes}
    assert by_council["nottingham"].status == "ok" and by_council["nottingham"].error == ""
    assert by_council["rotherham"].status == "failed"
    assert by_council["rotherham"].error == "ValueError: no data for this council"
    assert len(seen) == 2
    assert (root / "nottingham" / "results" / "probe.csv").read_text() == "council\nnottingham"
    kept = nbformat.read(root / "rotherham" / "probe.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in kept.cells if c.cell_type == "code" for o in c.get("outputs", []))
    manifest = runner.read_manifest(root)
    assert list(manifest.columns) == ["council", "council_name", "notebook", "status", "seconds", "error", "fingerprint"]
    assert manifest["fingerprint"].str.fullmatch("[0-9a-f]{16}").all()
    assert list(manifest["council"]) == ["rotherham", "nottingham"]
    assert (manifest["seconds"] > 0).all()


def test_executed_notebook_is_titled_hidden_and_labelled(notebooks, tmp_path):
    root = tmp_path / "councils"
    runner.run([load_council("nottingham")], ["probe"], root=root)
    executed = nbformat.read(root / "nottingham" / "probe.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and "remove-cell" in injected[0].metadata.tags
    title = next(c for c in executed.cells if c.cell_type == "markdown")
    assert title.source.startswith("# Probe: Nottingham\n")
    assert "{numref}`nottingham-fig-probe`" in title.source
    assert "{ref}`the table <nottingham-tbl-probe>`" in title.source
    assert ":name: nottingham-fig-probe" in title.source


def test_keep_previous_merges_manifests(notebooks, tmp_path):
    root = tmp_path / "councils"
    runner.run([load_council("nottingham")], ["probe"], root=root)
    runner.run([load_council("E08000035")], ["probe"], root=root, keep_previous=True)
    assert list(runner.read_manifest(root)["council"]) == ["nottingham", "leeds"]
    runner.run([load_council("E08000035")], ["probe"], root=root)
    assert list(runner.read_manifest(root)["council"]) == ["leeds"]


def test_parameters_are_checked_before_running(tmp_path, monkeypatch):
    notebook([code('council = "x"', "parameters")], tmp_path / "thin.ipynb")
    monkeypatch.setattr(runner, "NOTEBOOKS", tmp_path)
    with pytest.raises(InputError, match="notebooks/thin.ipynb: the parameters cell must assign council, results_dir; missing results_dir"):
        runner.run([load_council("nottingham")], ["thin"], root=tmp_path / "out")


def executed_in_one_kernel(tmp_path: Path, sources: dict[str, str], councils: list[str]) -> Path:
    """Notebooks (name -> the code after their parameters cell) executed one after another in
    one kernel, each for its council; the folder of their outputs."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    parameters = code('council = "nottingham"\nresults_dir = "results"', "parameters")
    for name, source in sources.items():
        notebook([parameters, code(source)], folder / f"{name}.ipynb")
    root = tmp_path / "councils"
    kernel = runner.Kernel()
    try:
        outcomes = [runner.execute(runner.Job(slug, slug, slug.title(), name), root, folder, kernel)
                    for slug, name in zip(councils, sources)]
    finally:
        kernel.stop()
    assert [o.status for o in outcomes] == ["ok"] * len(sources), [o.error for o in outcomes]
    return root


def test_one_kernel_runs_notebooks_in_a_clean_namespace_and_still_collects_their_garbage(tmp_path):
    """Two notebooks in one kernel: the second sees none of the first's names, runs in its own
    council's folder, and the first's garbage (a cycle, reachable only from its namespace) has
    been collected although what outlived the reset was set aside from the collector."""
    root = executed_in_one_kernel(tmp_path, {
        "first": "import builtins, os, weakref\n"
                 "class Node: pass\n"
                 "leaked = Node(); leaked.itself = leaked\n"
                 "builtins._carebook_probe = (weakref.ref(leaked), os.getpid())",
        "second": "import builtins, os, pathlib\n"
                  "probe, pid = builtins._carebook_probe\n"
                  "pathlib.Path(results_dir, 'seen.txt').write_text(\n"
                  "    f\"{'leaked' in globals()} {probe() is None} {pid == os.getpid()} {pathlib.Path.cwd().name}\")",
    }, ["rotherham", "nottingham"])
    assert (root / "nottingham" / "results" / "seen.txt").read_text() == "False True True nottingham"


def test_a_workers_kernel_keeps_no_history_and_printed_text_keeps_its_place(tmp_path):
    """The kernel flushes standard output before a display only when something was printed
    (worker_kernel.flush_only_written_streams): printed text keeps its place among the outputs.
    It is started without a history of the cells it ran (runner.KERNEL_OPTIONS)."""
    root = executed_in_one_kernel(tmp_path, {"ordered": (
        "from IPython.display import display\n"
        "display({'text/plain': 'first'}, raw=True)\n"
        "print('second')\n"
        "display({'text/plain': 'third'}, raw=True)\n"
        "display({'text/plain': 'fourth'}, raw=True)\n"
        "print('history', get_ipython().history_manager.enabled)")}, ["nottingham"])
    cell = nbformat.read(root / "nottingham" / "ordered.ipynb", as_version=4).cells[-1]
    texts = [output.get("text") or output["data"]["text/plain"] for output in cell.outputs]
    assert [text.strip() for text in texts] == ["first", "second", "third", "fourth", "history False"]
