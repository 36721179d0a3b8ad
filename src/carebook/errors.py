"""The one exception type a user sees: a single clear line, never a traceback."""

from __future__ import annotations


class InputError(Exception):
    """Bad input from a user's file, parameter or command line.

    The message names the file (and row or field where there is one) and says
    what was expected. The command line prints it as one line and exits 2.
    """

    def __init__(self, message: str, *, file: str | None = None, where: str | None = None):
        self.file = file
        self.where = where
        parts = [p for p in (file, where) if p]
        super().__init__(f"{': '.join(parts)}: {message}" if parts else message)
