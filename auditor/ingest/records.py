"""Rows read from a file, each remembering where it came from, ready to merge into an audit."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from auditor.ingest.columns import Sheet
from auditor.problems import PathPart, Problem


@dataclass(frozen=True, order=False)
class SourceProblem(Problem):
    """A problem in an imported file: ``inventory.xlsx:systems!C7: roles: …``.

    ``file`` is ``inventory.xlsx[systems]`` for a workbook sheet (``line`` = row, ``column`` =
    column number), the file name for a CSV, and ``label`` names a model element when the
    source has no rows (``archisurance.xml: ApplicationComponent 'CRM' (id-1): …``).
    """

    workbook: str = ""
    sheet: str = ""
    label: str = ""

    def __str__(self) -> str:
        if self.sheet:
            where = f"{self.workbook}:{self.sheet}"
            if self.line and self.column:
                # Imported here: importing openpyxl costs about 80 ms, which a model import
                # (no workbook anywhere) should not pay.
                from openpyxl.utils import get_column_letter

                where += f"!{get_column_letter(self.column)}{self.line}"
            elif self.line:
                where += f", row {self.line}"
        else:
            where = self.file or "<input>"
            if self.line:
                where += f":{self.line}:{self.column or 1}"
        if self.label:
            where += f": {self.label}"
        path = self.dotted_path
        return f"{where}: {path}: {self.message}" if path else f"{where}: {self.message}"


@dataclass(frozen=True)
class Origin:
    """Where a row came from: a file, maybe a sheet, a row, and which column holds each field."""

    file: str
    sheet: str = ""
    row: int = 0
    columns: dict[str, int] = field(default_factory=dict, hash=False)
    label: str = ""

    def problem(self, header: str | None, message: str, *, row: int | None = None) -> Problem:
        col = self.columns.get(header, 0) if header else 0
        line = self.row if row is None else row
        path: tuple[PathPart, ...] = (header,) if header else ()
        if self.sheet:
            return SourceProblem(line=line, column=col, path=path, message=message,
                                 file=f"{self.file}[{self.sheet}]", workbook=self.file,
                                 sheet=self.sheet, label=self.label)
        return SourceProblem(line=line, column=col, path=path, message=message, file=self.file,
                             label=self.label)


@dataclass
class Record:
    """One row for one sheet: the non-empty cells, converted, keyed by header."""

    sheet: Sheet
    key: str  # the row's id (or, for team skills, the skill id)
    values: dict[str, Any]
    origin: Origin
    parent: str | None = None  # child sheets: the parent's id
    present: frozenset[str] = frozenset()  # headers the file has (empty cells clear with --replace)
    weak: frozenset[str] = frozenset()  # only filled where the audit has no value yet (guesses)
    union: frozenset[str] = frozenset()  # list fields added to, never replaced (model imports)


@dataclass(frozen=True)
class MapOptions:
    """How a model import maps what it reads (the CLI's ``--keep-duplicates``)."""

    keep_duplicates: bool = False


@dataclass
class Batch:
    """Everything read from one file: rows, problems found while reading, and notes."""

    source: str
    records: list[Record] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)  # sheets the file has, even empty ones
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: sheet -> required columns the file lacks (a problem only for rows adding new items)
    missing_columns: dict[str, list[str]] = field(default_factory=dict)
    #: sheet -> an origin for sheet-level problems (the header row)
    header_origins: dict[str, Origin] = field(default_factory=dict)
    #: counted things the import did not use, e.g. ArchiMate element types
    unmapped: Counter[str] = field(default_factory=Counter)
    guesses: list[Guess] = field(default_factory=list)
    #: model imports: people found among business actors, for the audit's respondents
    respondents: list[dict[str, Any]] = field(default_factory=list)
    #: model imports: same-type, same-name elements, and what became of them
    duplicates: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Guess:
    """One guessed value of one new item, for the import summary."""

    sheet: str
    item: str  # the item's id
    name: str  # the item's name, for people
    field: str
    value: str  # as shown, e.g. "system-of-record" or "(none found)"

    def __str__(self) -> str:
        return f"{self.sheet} {self.item}: {self.field} {self.value}"
