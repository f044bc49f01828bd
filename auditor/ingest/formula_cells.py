"""Formula cells saved without their computed value.

openpyxl reads the value a spreadsheet program stored for a formula when it last calculated
the workbook. A workbook written by a script (or saved by a program that does not calculate)
has formulas with no stored value, which read as empty cells: an import would silently drop
them. When a workbook has formulas at all, it is read a second time for the formula text, and
such cells come back as ``UncachedFormula`` so the importer can report them where they are.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: What every importer says about such a cell (after its location).
ADVICE = ("open the workbook in a spreadsheet program and save it again so the result is "
          "stored, or type the value instead of the formula")


@dataclass(frozen=True)
class UncachedFormula:
    formula: str

    @property
    def message(self) -> str:
        shown = self.formula if len(self.formula) <= 40 else self.formula[:37] + "…"
        return f"the formula {shown} has no stored result; {ADVICE}"


def has_formulas(path: Path) -> bool:
    """Whether any worksheet of the .xlsx at ``path`` holds a formula (a quick byte scan)."""
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    with archive.open(info) as handle:
                        data = handle.read()
                    if b"<f>" in data or b"<f " in data or b":f>" in data or b":f " in data:
                        return True
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return False
    return False


def formula_book(path: Path) -> Any | None:
    """The workbook opened for its formula text, or None when it has no formulas."""
    if not has_formulas(path):
        return None
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception:  # the values pass reports an unreadable workbook itself
        return None


def mark_uncached(values: Sequence[Any], formulas: Sequence[Any] | None) -> Sequence[Any]:
    """``values`` with each empty cell whose formula twin holds a formula marked as such."""
    if not formulas:
        return values
    out = list(values)
    for i, value in enumerate(out):
        if value is None and i < len(formulas):
            text = formulas[i]
            if isinstance(text, str) and text.startswith("="):
                out[i] = UncachedFormula(text)
    return out


def paired_rows(values_sheet: Any, formulas_sheet: Any | None, **bounds: Any
                ) -> Iterator[Sequence[Any]]:
    """The rows of ``values_sheet``, with uncached formulas marked from ``formulas_sheet``."""
    rows = values_sheet.iter_rows(values_only=True, **bounds)
    if formulas_sheet is None:
        yield from rows
        return
    twins = formulas_sheet.iter_rows(values_only=True, **bounds)
    for row in rows:
        yield mark_uncached(row, next(twins, None))
