"""The HTML build's processes (carebook.sphinx_parallel): a writer for every job, readers and
writers behind the main process for the processor; and numbered references resolved from the
pages' outlines (carebook.sphinx_numbering) without loading the pages again."""

from __future__ import annotations

import multiprocessing
import os
from types import SimpleNamespace


def test_the_pages_are_written_with_a_writer_for_every_job():
    from carebook.sphinx_parallel import with_every_writer

    calls = []

    def sphinx_write_parallel(builder, docnames, nproc):
        calls.append((builder, list(docnames), nproc))

    write = with_every_writer(sphinx_write_parallel)
    builder = SimpleNamespace(app=SimpleNamespace(parallel=2))
    write(builder, ["a", "b"], 1)  # Sphinx asks for jobs - 1 writers
    assert calls == [(builder, ["a", "b"], 2)]
    write(builder, ["a"], 3)
    assert calls[-1][2] == 3  # never fewer than Sphinx asked for


def _niceness_after(queue: multiprocessing.Queue) -> None:
    from carebook.sphinx_parallel import behind_main

    before = os.nice(0)
    behind_main()
    queue.put((before, os.nice(0)))


def test_a_forked_reader_or_writer_runs_behind_the_main_process():
    from carebook.sphinx_parallel import HELPER_NICENESS

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_niceness_after, args=(queue,))
    child.start()
    before, after = queue.get(timeout=30)
    child.join(timeout=30)
    assert after == min(before + HELPER_NICENESS, 19)
    assert os.nice(0) == before  # the main process keeps its priority


def test_a_numbered_reference_finds_a_table_or_figure_in_the_outline_and_anything_else_in_the_page():
    from docutils import nodes

    from carebook.sphinx_numbering import OUTLINES, from_outlines

    section = nodes.section(ids=["overview"])
    loaded = []

    class Env:
        toc_fignumbers = {"page": {"figure": {"fig-a": (3, 1)}}}

        def get_doctree(self, docname):
            loaded.append(docname)
            return SimpleNamespace(ids={"overview": section})

    env = Env()
    setattr(env, OUTLINES, {"page": [("section", "#overview", [("figure", "figure", "fig-a"),
                                                                ("figure", "table", "tab-b")])]})

    def sphinx_resolve(domain, env, docname, labelid):  # what Sphinx's method asks of the environment
        return env.get_doctree(docname).ids.get(labelid), env.toc_fignumbers

    resolve = from_outlines(sphinx_resolve)
    figure, numbers = resolve(None, env, "page", "fig-a")
    assert isinstance(figure, nodes.figure) and figure["ids"] == ["fig-a"] and numbers == Env.toc_fignumbers
    table, _ = resolve(None, env, "page", "tab-b")
    assert isinstance(table, nodes.table) and loaded == []  # neither loaded the page
    assert resolve(None, env, "page", "overview")[0] is section and loaded == ["page"]
