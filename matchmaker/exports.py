"""CSV exports that a spreadsheet opens as text, never as formulas (CSV / formula injection).

A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read by Excel,
LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``, ``=cmd|...``). Every CSV the
app serves goes through :func:`safe_cell`, which puts a ``'`` in front of such a cell; a plain
number such as ``-3`` or ``+1.5`` is left as it is, since a spreadsheet reads it as a number.
"""
from __future__ import annotations

import csv
import io
import re

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def safe_cell(value):
    """``value`` as a spreadsheet shows it literally."""
    if not isinstance(value, str):
        return value
    if value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose rows are escaped cell by cell."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow([safe_cell(v) for v in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def safe_csv_text(text: str) -> str:
    """Escape a CSV document produced elsewhere (e.g. by an engine that never imports the app)."""
    out = io.StringIO()
    SafeWriter(out, lineterminator="\n").writerows(csv.reader(io.StringIO(text)))
    return out.getvalue()
