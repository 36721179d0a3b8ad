"""What a runner's worker does in its kernel before each notebook (:class:`carebook.runner.Kernel`)."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable

from IPython import get_ipython


def prepare(cwd: str) -> None:
    """Get the kernel ready for the next notebook: clear the namespace (a full garbage
    collection), set aside from later collections what is left (modules and their caches,
    which would otherwise be walked again in every collection a notebook triggers), go to
    the notebook's folder ``cwd``, and :func:`flush_only_written_streams`."""
    shell = get_ipython()
    shell.run_line_magic("reset", "-f")
    gc.freeze()
    os.chdir(cwd)
    flush_only_written_streams()


def flush_only_written_streams() -> None:
    """The kernel flushes standard output and error after every cell and before every
    displayed output (so that printed text keeps its place), and each flush waits for the
    kernel's output thread even when nothing was printed. A page displays a value for every
    figure it glues (a hundred on the sufficiency page), and those waits were a tenth of its
    time. Flush only a stream with text written since its last flush (a stream that cannot
    say is always flushed)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "_flush_pending") and not getattr(stream.flush, "only_when_written", False):
            stream.flush = _when_written(stream)


def _when_written(stream: object) -> Callable[[], None]:
    flush = stream.flush

    def flush_written() -> None:
        if stream._flush_pending or getattr(stream, "_subprocess_flush_pending", True):
            flush()

    flush_written.only_when_written = True
    return flush_written
