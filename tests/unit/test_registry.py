"""The analyses registry: every notebook is registered, and a fifth analysis needs its notebook,
its package and one registry entry, nothing else, to run, show in the book and read its
section of a council file."""

from __future__ import annotations

import dataclasses
import inspect
import json
import os

import nbformat
import pytest

from carebook import book, params, registry, runner
from carebook.errors import InputError
from carebook.paths import NOTEBOOKS, REFERENCE

BOOK_ORDER = ["sufficiency", "flow_model", "volume_sizing", "cost_benefit"]


@pytest.fixture(autouse=True)
def repository_registry(monkeypatch):
    """The repository's registry alone, whatever the environment says."""
    monkeypatch.delenv(registry.EXTRA_REGISTRIES, raising=False)


def test_every_notebook_is_registered_and_every_analysis_has_its_notebook():
    on_disk = sorted(path.name for path in NOTEBOOKS.glob("*.ipynb"))
    registered = sorted(str(analysis.notebook) for analysis in registry.analyses())
    assert on_disk == registered == ["cost_benefit.ipynb", "flow_model.ipynb", "sufficiency.ipynb", "volume_sizing.ipynb"]
    assert [analysis.name for analysis in registry.analyses()] == BOOK_ORDER


def test_every_assumptions_file_is_registered_once_and_exists():
    registered = [part.file for part in registry.assumption_files()]
    assert sorted(registered) == sorted((REFERENCE / "assumptions").glob("*.yml"))
    assert len(set(registered)) == len(registered) == 6
    assert [part.title for part in registry.assumption_files()][:2] == [
        "Placement sufficiency", "Placement sufficiency from child-level data"]


def test_the_council_file_sections_are_the_registered_ones_in_book_order():
    schema = params.council_file_model()
    assert list(schema.model_fields) == ["name", "members", "description", "contact", *BOOK_ORDER, "ssda903", "prices"]
    rotherham = params.load_council("rotherham")
    assert rotherham.cost_benefit.children_a_year == 12
    assert rotherham.ssda903.seed == 1
    assert params.load_council("Leeds").cost_benefit is None  # optional: no programme of its own


def test_titles_and_book_order_come_from_the_registry_and_unregistered_notebooks_keep_their_name():
    assert registry.title("flow_model") == "Flows from referral into care"
    assert registry.title("alpha") == "alpha"
    assert registry.book_order(["beta", "cost_benefit", "alpha", "sufficiency"]) == ["sufficiency", "cost_benefit", "alpha", "beta"]
    assert registry.notebooks_in(["volume_sizing.ipynb", "zeta.ipynb", "flow_model.ipynb"]) == ["flow_model", "volume_sizing", "zeta"]


@pytest.mark.parametrize("name", BOOK_ORDER)
def test_every_registered_analysis_follows_the_analysis_contract(name):
    """Each analysis's package has analysis.analyse, analysis.Result, analysis.Inputs,
    analysis.load_inputs and page.show."""
    entry = next(a for a in registry.analyses() if a.name == name)
    assert entry.package == {"sufficiency": "carebook.sufficiency", "flow_model": "carebook.flow",
                             "volume_sizing": "carebook.volume", "cost_benefit": "carebook.cost_benefit"}[name]
    analysis, page = registry.analysis_module(name), registry.page_module(name)
    assert callable(analysis.analyse) and callable(analysis.load_inputs) and callable(page.show)
    assert dataclasses.is_dataclass(analysis.Result) and analysis.Result.__dataclass_params__.frozen
    assert dataclasses.is_dataclass(analysis.Inputs) and analysis.Inputs.__dataclass_params__.frozen
    assert list(inspect.signature(analysis.analyse).parameters) == ["council", "inputs"]
    assert list(inspect.signature(page.show).parameters) == ["page", "result"]


def test_an_analysis_without_a_package_is_a_clear_error(tmp_path, monkeypatch):
    extra = tmp_path / "analyses.yml"
    extra.write_text("analyses:\n  - {name: toy, title: Toy, notebook: toy.ipynb}\n")
    monkeypatch.setenv(registry.EXTRA_REGISTRIES, str(extra))
    with pytest.raises(InputError, match=r"analyses.yml: toy: the analysis 'toy' has no package in the registry"):
        registry.page_module("toy")


def test_a_registry_entry_given_twice_is_an_error_naming_both(tmp_path, monkeypatch):
    extra = tmp_path / "analyses.yml"
    extra.write_text("analyses:\n  - {name: flows, title: Flows again, notebook: flow_model.ipynb}\n")
    monkeypatch.setenv(registry.EXTRA_REGISTRIES, str(extra))
    with pytest.raises(InputError, match=r"notebook 'flow_model.ipynb' of 'flows' is also that of 'flow_model' \(in data/reference/analyses.yml\)"):
        registry.entries()


def test_a_registry_entry_with_a_misspelt_key_or_a_missing_model_is_a_clear_error(tmp_path, monkeypatch):
    extra = tmp_path / "analyses.yml"
    monkeypatch.setenv(registry.EXTRA_REGISTRIES, str(extra))
    extra.write_text("analyses:\n  - {name: toy, title: Toy, notebok: toy.ipynb}\n")
    with pytest.raises(InputError, match=r"analyses.0.notebok: unknown key 'notebok'; did you mean 'notebook'\?"):
        registry.entries()
    extra.write_text("analyses:\n  - {name: toy, title: Toy, notebook: toy.ipynb, parameters: nowhere.ToyParams}\n")
    with pytest.raises(InputError, match=r"toy: the parameters of 'toy' \(nowhere.ToyParams\) cannot be imported"):
        params.council_file_model()


# A fifth analysis, "toy": its package (one module), its notebook and one registry entry.

TOY_PARAMS = '''
from pydantic import BaseModel, ConfigDict, Field


class ToyParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    multiplier: int = Field(2, description="What the toy analysis multiplies 21 by")
'''

TOY_ANALYSIS = '''
from dataclasses import dataclass


@dataclass(frozen=True)
class Inputs:
    base: int


@dataclass(frozen=True)
class Result:
    figure: int


def load_inputs(council):
    return Inputs(base=21)


def analyse(council, inputs=None):
    inputs = inputs or load_inputs(council)
    return Result(figure=inputs.base * council.toy.multiplier)
'''

TOY_PAGE = '''
def show(page, result):
    page.glue("toy-figure", result.figure, headline="Twenty one times the multiplier")
'''

TOY_ENTRY = """analyses:
  - name: toy
    title: Toy analysis
    notebook: toy.ipynb
    package: toy
    parameters: toy.params.ToyParams
    assumptions:
      - {file: toy_assumptions.yml, title: Toy analysis}
"""

TOY_ASSUMPTIONS = """- id: toy-twenty-one
  assumption: Every figure of the toy analysis is 21 times its multiplier.
  source: The test
  quality: green
  impact: low
"""

ROTHERHAM = "name: Rotherham\nmembers: [E08000018]\ntoy:\n  multiplier: 3\n"


def toy_notebook(path):
    """A notebook made like the book's: parameters, a Page, one headline figure from its section."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    parameters = nbformat.v4.new_code_cell('council = "nottingham"\nresults_dir = "results"')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [
        parameters,
        nbformat.v4.new_code_cell('from carebook.notebook import Page\npage = Page(council, results_dir, notebook="toy")'),
        nbformat.v4.new_code_cell("from toy import analysis, page as page_view\n\n"
                                  "result = analysis.analyse(page.council)\npage_view.show(page, result)"),
    ]
    nbformat.write(nb, path)


@pytest.fixture
def toy(tmp_path, monkeypatch, councils_dir):
    """The toy analysis registered through ``CAREBOOK_ANALYSES``, its notebook alone in a
    notebooks folder, and a council file for Rotherham that sets its multiplier to 3."""
    package = tmp_path / "toy_package"
    (package / "toy").mkdir(parents=True)
    (package / "toy" / "__init__.py").write_text("")
    (package / "toy" / "params.py").write_text(TOY_PARAMS)
    (package / "toy" / "analysis.py").write_text(TOY_ANALYSIS)
    (package / "toy" / "page.py").write_text(TOY_PAGE)
    monkeypatch.syspath_prepend(str(package))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [str(package), os.environ.get("PYTHONPATH")])))
    entry = tmp_path / "registry" / "analyses.yml"
    entry.parent.mkdir()
    entry.write_text(TOY_ENTRY)
    (entry.parent / "toy_assumptions.yml").write_text(TOY_ASSUMPTIONS)
    monkeypatch.setenv(registry.EXTRA_REGISTRIES, str(entry))
    notebooks = tmp_path / "toy_notebooks"
    notebooks.mkdir()
    toy_notebook(notebooks / "toy.ipynb")
    (councils_dir / "rotherham.yml").write_text(ROTHERHAM)
    return notebooks


def test_a_registered_analysis_reads_its_section_of_a_council_file(toy, councils_dir):
    assert registry.analyses()[-1].name == "toy"
    result = registry.analysis_module("toy").analyse(params.load_council("rotherham"))
    assert result.figure == 63 and hasattr(registry.page_module("toy"), "show")  # the contract, one registry entry
    assert params.load_council("rotherham").toy.multiplier == 3
    assert params.load_council("Leeds").toy.multiplier == 2  # no file: the section's defaults
    (councils_dir / "rotherham.yml").write_text(ROTHERHAM.replace("toy:", "tyo:"))
    with pytest.raises(InputError, match=r"rotherham.yml: tyo: unknown key 'tyo'; did you mean 'toy'\?"):
        params.load_council("rotherham")


def test_an_unregistered_section_is_an_error_naming_it(toy, monkeypatch):
    monkeypatch.delenv(registry.EXTRA_REGISTRIES)
    with pytest.raises(InputError) as caught:
        params.load_council("rotherham")
    assert str(caught.value).endswith(
        "rotherham.yml: toy: unknown key 'toy'; expected one of: name, members, description, contact, sufficiency, flow_model, "
        "volume_sizing, cost_benefit, ssda903, prices (the analyses' sections are those registered in data/reference/analyses.yml)")


def test_a_registered_analysis_is_run_and_shown_in_the_book(toy, stub_site, monkeypatch):
    monkeypatch.setenv("CAREBOOK_NOTEBOOKS_DIR", str(toy))
    assert runner.available_notebooks() == ["toy"]
    outcomes = runner.run([params.load_council("rotherham")], runner.available_notebooks())
    assert [(o.council, o.notebook, o.status, o.error) for o in outcomes] == [("rotherham", "toy", "ok", "")]
    recorded = json.loads((stub_site / "rotherham" / "results" / "headlines_toy.json").read_text())
    assert [(e["value"], e["text"]) for e in recorded] == [(63, "63")]  # 21 x the council file's 3

    runs = book.current_runs()
    assert [(r.slug, r.ok) for r in runs] == [("rotherham", ("toy",))]
    overview = book.councils_page(runs)
    assert "## Toy analysis\n" in overview
    assert "| [Rotherham](../councils/rotherham/index.md) | 63 |" in overview
    assert "- Twenty one times the multiplier: **63**" in book.landing_page(runs[0])
    assert "- Read the analysis: {doc}`Toy analysis <toy>`" in book.landing_page(runs[0])
    log = book.assumptions_page()
    assert log.index("## SSDA903 data and synthetic extracts") < log.index("## Toy analysis")
    assert "| Every figure of the toy analysis is 21 times its multiplier\\. | The test | Green | Low |" in log


def test_a_registered_assumptions_file_that_is_missing_is_an_error_naming_it(toy, tmp_path):
    (tmp_path / "registry" / "toy_assumptions.yml").unlink()
    with pytest.raises(InputError, match=r"registry/toy_assumptions.yml: an assumptions file named in the analyses registry does not exist"):
        book.assumptions_page()
