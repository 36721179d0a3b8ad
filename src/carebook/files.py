"""Checks every reader of users' text files shares: a file must be text, not a workbook."""

from __future__ import annotations

from carebook.errors import InputError

BINARY_SIGNATURES: dict[bytes, str] = {
    b"PK\x03\x04": "an Excel workbook (xlsx, or another zipped spreadsheet such as ods)",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (xls)",
    b"%PDF": "a PDF document",
}


def reject_binary(head: bytes, label: str) -> None:
    """InputError naming ``label`` when the first bytes of a file (``head``, up to 64 KiB)
    show a workbook, a PDF or other binary content saved under a ``.csv`` name."""
    for signature, kind in BINARY_SIGNATURES.items():
        if head.startswith(signature):
            raise InputError(f"expected a CSV text file; this looks like {kind}: save it as CSV (comma-separated)",
                             file=label)
    if b"\x00" in head[:65536]:
        raise InputError("expected a CSV text file; this is a binary file (it holds NUL bytes)", file=label)
