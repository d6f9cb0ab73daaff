"""Text that a spreadsheet would run as a formula: every CSV or Excel file we
write (exports, rejects.csv) passes its text cells through `neutralise`."""

from __future__ import annotations

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """A text cell that a spreadsheet would run as a formula is prefixed with '."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
