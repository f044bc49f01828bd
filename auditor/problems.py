"""A problem found in a file: where it is and what is wrong, as one line a person can act on."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

PathPart = str | int


@dataclass(frozen=True, order=True)
class Problem:
    """``file:line:col: path: message``. Lines and columns are 1-based; 0 means unknown."""

    line: int = 0
    column: int = 0
    path: tuple[PathPart, ...] = field(default=())
    message: str = ""
    file: str = ""

    def located(self, file: str, line: int, column: int) -> Problem:
        return Problem(line=line, column=column, path=self.path, message=self.message, file=file)

    @property
    def dotted_path(self) -> str:
        return format_path(self.path)

    def __str__(self) -> str:
        where = self.file or "<input>"
        if self.line:
            where += f":{self.line}:{self.column or 1}"
        path = self.dotted_path
        return f"{where}: {path}: {self.message}" if path else f"{where}: {self.message}"


def format_path(path: Sequence[PathPart]) -> str:
    """('inventory', 'flows', 3, 'source') -> 'inventory.flows[3].source'."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def did_you_mean(value: object, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or '' when nothing is close."""
    if not isinstance(value, str):
        return ""
    pool = sorted(set(candidates))
    match = difflib.get_close_matches(value, pool, n=1, cutoff=0.6)
    if not match:
        lowered = {c.lower(): c for c in pool}
        match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.5)
        match = [lowered[m] for m in match]
    return f"; did you mean '{match[0]}'?" if match else ""
