"""Cell values both ways: audit value -> cell (neutralised), cell -> value for the model.

Text that a spreadsheet would run as a formula is guarded by ``auditor.store.formula_guard``
on the way out and restored exactly on the way in.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from auditor.ingest.columns import Column, normalise_name
from auditor.store.formula_guard import neutralise, restore

LIST_SEPARATOR = "; "
_SPLIT = re.compile(r"[;,\n]")
_THOUSANDS = re.compile(r"^\d{1,3}([,. _\u00a0\u202f']\d{3})+$")
_TRUE = {"true", "yes", "y", "1", "x", "wahr", "vrai", "ja", "oui"}
_FALSE = {"false", "no", "n", "0", "falsch", "faux", "nein", "non"}


class _Blank:
    """An empty cell: leaves the audit's value as it is."""

    def __repr__(self) -> str:
        return "BLANK"


BLANK: Any = _Blank()


# --- export -------------------------------------------------------------------------------
def to_cell(column: Column, value: Any) -> Any:
    """The value to write in a cell: None for nothing, numbers and booleans as such, text safe."""
    if value is None or value == [] or value == "":
        return None
    if column.is_list and isinstance(value, list):
        return neutralise(_printable(LIST_SEPARATOR.join(str(v) for v in value)))
    if isinstance(value, bool) or isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return neutralise(_printable(str(value)))


def to_text(value: Any) -> str:
    """A cell value as CSV text (booleans as TRUE/FALSE, as spreadsheets write them)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return str(value)


def _printable(text: str) -> str:
    """XLSX cannot hold most control characters; drop them rather than fail the export."""
    # Imported here: reading a model or a CSV file goes through this module, and importing
    # openpyxl costs about 80 ms that only workbooks need.
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


# --- import -------------------------------------------------------------------------------
def from_cell(column: Column, raw: Any) -> Any:
    """The value to give the model for one cell, or BLANK. Never raises: pydantic judges."""
    if raw is None:
        return BLANK
    if isinstance(raw, str):
        text, guarded = restore(raw)
        text = text.rstrip() if guarded else text.strip()
        if not text:
            return BLANK
        raw = text
    if column.is_list:
        parts = _SPLIT.split(raw) if isinstance(raw, str) else [_scalar_text(raw)]
        values = [p.strip() for p in parts if p.strip()]
        if column.shape == "enum-list":
            values = [_enum(column, v) for v in values]
        return values if values else BLANK
    if column.shape == "enum":
        return _enum(column, raw if isinstance(raw, str) else _scalar_text(raw))
    if column.shape == "int":
        return _int(raw)
    if column.shape == "bool":
        return _bool(raw)
    if column.shape == "date":
        if isinstance(raw, dt.datetime):
            return raw.date()
        return raw
    return raw if isinstance(raw, str) else _scalar_text(raw)


def _scalar_text(raw: Any) -> str:
    if isinstance(raw, bool):
        return "TRUE" if raw else "FALSE"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw)


def _enum(column: Column, text: str) -> str:
    """'System of record' -> 'system-of-record'; unknown values pass through for the error."""
    if text in column.choices:
        return text
    folded = normalise_name(text)
    return folded if folded in column.choices else text


def _int(raw: Any) -> Any:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _THOUSANDS.match(raw):
        return int(re.sub(r"\D", "", raw))
    return raw


def _bool(raw: Any) -> Any:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw in (0, 1):
        return bool(raw)
    if isinstance(raw, str):
        folded = raw.strip().lower()
        if folded in _TRUE:
            return True
        if folded in _FALSE:
            return False
    return raw
