"""``jupyter-book build`` with Sphinx's parallel jobs (``python -m carebook.sphinx_parallel
JOBS ARGS...``, ARGS as for ``jupyter-book build``).

Jupyter Book's command line has no option for Sphinx's ``-j``; this runs the same command
with ``jobs`` passed to Sphinx. Sphinx reads and writes pages in parallel only when every
extension declares itself safe for it, and two that Jupyter Book loads declare nothing, so
Sphinx warns ("does not declare if it is safe for parallel reading") and builds serially
(``-W`` makes the warning an error):

- ``sphinx_jupyterbook_latex`` (for ``latex.use_jupyterbook_latex``): its transforms change
  only the document being read and its set-up runs only for the LaTeX builder, so an HTML
  build can read in parallel;
- ``sphinx_multitoc_numbering`` (for ``html.use_multitoc_numbering``): it numbers the table
  of contents in the main process once the pages are read.

This module, added to the extensions of the parallel build, declares both safe for the HTML
builder.

It also keeps the garbage collector off what lasts the whole build. A build allocates millions
of small objects that live until it ends (the environment, with every page's outline and
references). Collecting every :data:`COLLECT_AFTER` new objects instead of Python's 700 took a
40-council build from 60 s to 46 s; setting aside what exists once the pages are read
(:func:`set_aside`, before the writers are forked: a collection in a forked writer would
otherwise touch, and so copy, the whole environment) took the national build's writing from
136 s to 108 s.

And it writes the pages with as many writers as jobs. While the pages are written the main
process resolves each page's references and hands batches of pages to writers it forks. Sphinx
forks one writer fewer than its jobs, leaving a core to the main process: with two jobs, one
writer, which wrote the national book's last batches alone on one core while the other stood
idle (44 s). Here there are as many writers as jobs, and the readers and writers run at a lower
priority than the main process (:data:`HELPER_NICENESS`): while it resolves pages it keeps a
core to itself and the writers share the other; once it has handed out the last pages they
have both.

When the build is done its process ends at once (:func:`leave`), without Python freeing the
environment's millions of objects one by one: 15 s of the national build.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

EXTENSION = "carebook.sphinx_parallel"
COLLECT_AFTER = 100_000
"""New objects between two collections of the youngest generation (Python's default is 700)."""
SAFE_FOR_HTML = ("sphinx_multitoc_numbering", "sphinx_jupyterbook_latex")
"""Extensions that declare nothing but are safe for a parallel HTML build."""
HELPER_NICENESS = 10
"""How much lower the priority of the forked readers and writers is than the main process's."""


def declare_safe(app: Any) -> None:
    """At ``builder-inited``: for the HTML builder, mark :data:`SAFE_FOR_HTML` parallel-safe."""
    if app.builder.format != "html":
        return
    for name in SAFE_FOR_HTML:
        if name in app.extensions:
            app.extensions[name].parallel_read_safe = app.extensions[name].parallel_write_safe = True


def set_aside(*_: Any) -> None:
    """Move every object that exists now out of the garbage collector's reach for the rest of
    the build (:func:`gc.freeze`): at ``builder-inited`` (the environment as loaded) and at
    ``env-updated`` (once every page is read)."""
    gc.freeze()


def behind_main() -> None:
    """In a reader or writer just forked: lower its priority below the main process's."""
    os.nice(HELPER_NICENESS)


def with_every_writer(write_parallel: Callable[[Any, Sequence[str], int], None]) -> Callable[..., None]:
    """Sphinx's parallel writing (``Builder._write_parallel``, which Sphinx calls with one
    process fewer than the build's jobs) with a writer for every job."""
    @functools.wraps(write_parallel)
    def write(builder: Any, docnames: Sequence[str], nproc: int) -> None:
        write_parallel(builder, docnames, max(nproc, builder.app.parallel))

    return write


def setup(app: Any) -> dict[str, bool]:
    """The Sphinx extension (it changes no page)."""
    app.connect("builder-inited", declare_safe)
    app.connect("builder-inited", set_aside)
    app.connect("env-updated", set_aside)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _with_extension(get_final_config: Any, *args: Any, **kwargs: Any) -> tuple[dict, dict]:
    config, meta = get_final_config(*args, **kwargs)
    extensions = list(config.get("extensions", []))
    if EXTENSION not in extensions:
        config["extensions"] = [*extensions, EXTENSION]
    return config, meta


def main(argv: Sequence[str]) -> None:
    """Run ``jupyter-book build ARGS`` with ``argv[0]`` parallel Sphinx jobs."""
    import jupyter_book.sphinx as book_sphinx
    from jupyter_book.cli.main import main as jupyter_book
    from sphinx.builders import Builder

    jobs, *args = argv
    gc.set_threshold(COLLECT_AFTER, *gc.get_threshold()[1:])
    os.register_at_fork(after_in_child=behind_main)
    Builder._write_parallel = with_every_writer(Builder._write_parallel)
    book_sphinx.get_final_config = functools.partial(_with_extension, book_sphinx.get_final_config)
    book_sphinx.build_sphinx = functools.partial(book_sphinx.build_sphinx, jobs=max(1, int(jobs)))
    try:
        jupyter_book(["build", *args], prog_name="jupyter-book")
    except SystemExit as finished:
        leave(finished.code)
    leave(0)


def leave(code: int | str | None) -> NoReturn:
    """End the process with the build's exit status (as :class:`SystemExit` gives it) once its
    output is flushed, leaving the freeing of its memory to the operating system."""
    if isinstance(code, str):
        print(code, file=sys.stderr)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code if isinstance(code, int) else (0 if code is None else 1))


if __name__ == "__main__":
    main(sys.argv[1:])
