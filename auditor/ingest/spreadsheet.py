"""Reading XLSX workbooks and CSV files into rows, with every problem located by sheet and cell.

Reads are bounded: a file that is too big, not a spreadsheet, or a zip bomb gets one clear
error. Header cells are matched to the YAML field names leniently ('Interactions per year'
finds ``interactions_per_year``); empty rows and surrounding whitespace are ignored; columns
whose header starts with ``#`` are notes and are skipped.
"""

from __future__ import annotations

import csv
import io
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from auditor.errors import ImportFileError
from auditor.ingest.cells import BLANK, from_cell
from auditor.ingest.columns import SHEETS, Column, Sheet, match_header, normalise_name, sheet_for
from auditor.ingest.formula_cells import UncachedFormula, formula_book, paired_rows
from auditor.ingest.records import Batch, Origin, Record
from auditor.problems import did_you_mean
from auditor.schema.ids import slugify

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 400 * 1024 * 1024
MAX_ROWS = 200_000
IGNORED_SHEETS = {"readme", "read-me", "lists", "help", "instructions"}

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Table:
    """The rows of one sheet or CSV file: (row number, cell values)."""

    file: str
    sheet: str  # the workbook tab; "" for a CSV file
    rows: Iterable[tuple[int, Sequence[Any]]]


# --- files --------------------------------------------------------------------------------
def check_size(path: Path) -> int:
    name = str(path)
    try:
        if path.is_dir():
            raise ImportFileError(f"{name} is a folder, not a file")
        size = path.stat().st_size
    except FileNotFoundError:
        raise ImportFileError(f"{name} does not exist", hint="Check the path.") from None
    except OSError as exc:
        raise ImportFileError(f"{name} cannot be read: {exc.strerror or exc}") from None
    if size == 0:
        raise ImportFileError(f"{name} is empty", hint="Nothing to import.")
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            f"{name} is {size / 1e6:.0f} MB; the import limit is {MAX_FILE_BYTES // 1_000_000} MB",
            hint="Split the file, or remove what is not inventory (images, pivot caches).")
    return size


def check_workbook(path: Path) -> None:
    """Refuse, in one line, anything that is not a reasonably sized .xlsx workbook."""
    check_size(path)
    name = str(path)
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(_OLE):
        raise ImportFileError(f"{name} is an old-style Excel 97-2003 file, not an .xlsx workbook",
                              hint="Open it and save it as Excel Workbook (.xlsx), or as CSV.")
    if not zipfile.is_zipfile(path):
        what = "text" if _looks_like_text(path) else "neither a workbook nor text"
        raise ImportFileError(f"{name} is not an Excel workbook (.xlsx): the file is {what}",
                              hint="If it is CSV, give it a .csv name; otherwise save it as .xlsx.")
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
        raise ImportFileError(f"{name} is a damaged zip archive: {exc}") from None
    if "xl/workbook.xml" not in names:
        kind = ("an OpenDocument file (save it as .xlsx or CSV)" if "content.xml" in names
                else "a Word document" if "word/document.xml" in names
                else "a zip archive that holds no workbook")
        raise ImportFileError(f"{name} is not an Excel workbook: it is {kind}")
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(f"{name} unpacks to {unpacked / 1e6:.0f} MB; the limit is "
                              f"{MAX_UNPACKED_BYTES // 1_000_000} MB",
                              hint="Is this the right workbook? An inventory is far smaller.")


def _looks_like_text(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(4096)
    return b"\x00" not in head


def read_csv_text(path: Path) -> str:
    """A CSV file's text: UTF-8 (with or without BOM), else Windows-1252 as Excel writes it."""
    check_size(path)
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise ImportFileError(f"{path} is not a CSV file: it contains binary data",
                              hint="Spreadsheets must be .xlsx or CSV text.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def csv_rows(path: Path) -> list[tuple[int, list[str]]]:
    text = read_csv_text(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count) if first else ","
    rows: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, row in enumerate(reader, start=1):
            if number > MAX_ROWS:
                raise ImportFileError(f"{path} has more than {MAX_ROWS:,} rows",
                                      hint="Split it into smaller files.")
            rows.append((number, row))
    except csv.Error as exc:
        raise ImportFileError(f"{path}:{reader.line_num}: not valid CSV: {exc}") from None
    return rows


def workbook_tables(path: Path) -> Iterator[Table]:
    """Each worksheet of a checked workbook, rows read lazily."""
    check_workbook(path)
    import openpyxl

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken package
        raise ImportFileError(f"{path} cannot be read as a workbook: "
                              f"{str(exc).splitlines()[0] if str(exc) else type(exc).__name__}",
                              hint="Open it in a spreadsheet program and save it again "
                                   "as .xlsx.") from None
    formulas = formula_book(path)
    try:
        for worksheet in book.worksheets:
            twin = formulas[worksheet.title] if formulas is not None else None
            yield Table(str(path), worksheet.title, _sheet_rows(path, worksheet, twin))
    finally:
        book.close()
        if formulas is not None:
            formulas.close()


def _sheet_rows(path: Path, worksheet: Any, formulas: Any | None
                ) -> Iterator[tuple[int, Sequence[Any]]]:
    worksheet.reset_dimensions()  # some writers store a wrong size; read what is there
    if formulas is not None:
        formulas.reset_dimensions()
    for number, row in enumerate(paired_rows(worksheet, formulas), start=1):
        if number > MAX_ROWS:
            raise ImportFileError(
                f"{path}: sheet '{worksheet.title}' has more than {MAX_ROWS:,} rows")
        yield number, row


# --- rows -> records ----------------------------------------------------------------------
def is_ignored_sheet(title: str) -> bool:
    return title.startswith(("_", "#")) or normalise_name(title) in IGNORED_SHEETS


def sheet_for_file(path: Path) -> Sheet | None:
    """The kind a CSV file holds, from its name: systems.csv, acme-team-skills.csv …"""
    stem = normalise_name(path.stem)
    exact = sheet_for(stem)
    if exact:
        return exact
    matches = [s for s in SHEETS if stem.endswith("-" + s.name)]
    return max(matches, key=lambda s: len(s.name)) if matches else None


def _blank(value: Any) -> bool:
    return value is None or isinstance(value, str) and not value.strip()


class RowReader:
    """Turns tables into records for one batch; knows the ids already taken in the audit."""

    def __init__(self, batch: Batch, taken: dict[str, str]) -> None:
        self.batch = batch
        self.taken = taken  # id -> sheet name, for every node id in the audit

    def read(self, table: Table, sheet: Sheet) -> None:
        batch = self.batch
        rows = iter(table.rows)
        header: Sequence[Any] = ()
        header_row = 0
        for number, values in rows:
            if any(not _blank(v) for v in values):
                header, header_row = values, number
                break
        if not header_row:
            batch.notes.append(f"{_where(table)}: empty, nothing to import")
            return
        columns, positions, unlabelled = self._header(table, sheet, header, header_row)
        origin = Origin(table.file, table.sheet, header_row, positions)
        batch.header_origins[sheet.name] = origin
        missing = [h for h in sheet.required if h not in positions]
        if missing:
            batch.missing_columns[sheet.name] = missing
        keys: dict[tuple[str | None, str], int] = {}
        stray_reported: set[int] = set()
        present = frozenset(positions)
        for number, values in rows:
            cells: dict[str, Any] = {}
            formulas = [(column, values[index - 1]) for index, column in columns.items()
                        if index - 1 < len(values) and isinstance(values[index - 1], UncachedFormula)]
            for column, formula in formulas:
                # The row cannot be read without the value: report the cell, skip the row.
                batch.problems.append(Origin(table.file, table.sheet, number, positions)
                                      .problem(column.header, formula.message))
            if formulas:
                continue
            for index, column in columns.items():
                raw = values[index - 1] if index - 1 < len(values) else None
                value = from_cell(column, raw)
                if value is not BLANK:
                    cells[column.header] = value
            beyond = range(len(header) + 1, len(values) + 1)
            for index in (*unlabelled, *beyond):
                if index - 1 < len(values) and not _blank(values[index - 1]) \
                        and index not in stray_reported:
                    stray_reported.add(index)
                    batch.problems.append(Origin(table.file, table.sheet, number, {"?": index})
                                          .problem("?", "a value in a column without a header"))
            if not cells:
                continue
            row_origin = Origin(table.file, table.sheet, number, positions)
            record = self._record(sheet, cells, row_origin, keys, present)
            if record is not None:
                batch.records.append(record)
            if sheet.name not in batch.sheets:  # only sheets with rows: an empty one removes
                batch.sheets.append(sheet.name)  # nothing, even with --replace

    def _header(self, table: Table, sheet: Sheet, header: Sequence[Any], row: int
                ) -> tuple[dict[int, Column], dict[str, int], list[int]]:
        columns: dict[int, Column] = {}
        positions: dict[str, int] = {}
        unlabelled: list[int] = []
        for index, cell in enumerate(header, start=1):
            text = "" if cell is None else str(cell).strip()
            if not text:
                unlabelled.append(index)
                continue
            if text.startswith("#"):
                continue
            column = match_header(sheet, text)
            where = Origin(table.file, table.sheet, row, {text: index})
            if column is None:
                hint = did_you_mean(text, sheet.headers)
                self.batch.problems.append(where.problem(
                    text, f"unknown column '{text}'{hint} (start a header with '#' to keep notes)"))
            elif column.header in positions:
                self.batch.problems.append(
                    where.problem(text, f"column '{column.header}' appears twice"))
            else:
                columns[index] = column
                positions[column.header] = index
        return columns, positions, unlabelled

    def _record(self, sheet: Sheet, cells: dict[str, Any], origin: Origin,
                keys: dict[tuple[str | None, str], int], present: frozenset[str]) -> Record | None:
        parent: str | None = None
        if sheet.parent_column:
            value = cells.pop(sheet.parent_column, None)
            if not isinstance(value, str):
                self.batch.problems.append(origin.problem(
                    sheet.parent_column, f"required: the id of the {sheet.parent_column} "
                    f"this row belongs to"))
                return None
            parent = value
        key_field = sheet.key_field
        key = cells.get(key_field)
        if key is None and key_field == "id":
            key = self._derive_id(sheet, cells, parent, keys)
            if key is None:
                what = "source and target" if sheet.name == "flows" else "a name"
                self.batch.problems.append(
                    origin.problem(None, f"this row has no id and no {what}"))
                return None
            cells["id"] = key
        elif key is None:
            self.batch.problems.append(origin.problem(key_field, "required, but the cell is empty"))
            return None
        elif not isinstance(key, str):
            key = str(key)
        if (parent, key) in keys:
            self.batch.problems.append(origin.problem(
                key_field, f"duplicate {key_field} '{key}' (also on row {keys[(parent, key)]})"))
            return None
        keys[(parent, key)] = origin.row
        if sheet.parent is None and sheet.name != "flows":
            self.taken.setdefault(key, sheet.name)
        return Record(sheet, key, cells, origin, parent=parent, present=present)

    def _derive_id(self, sheet: Sheet, cells: dict[str, Any], parent: str | None,
                   keys: dict[tuple[str | None, str], int]) -> str | None:
        if sheet.name == "flows" and isinstance(cells.get("source"), str) \
                and isinstance(cells.get("target"), str):
            base = slugify(f"{cells['source']} to {cells['target']}")
        elif isinstance(cells.get("name"), str):
            base = slugify(cells["name"])
        else:
            return None
        if not base:
            return None
        candidate, n = base, 1
        while (parent, candidate) in keys or (
                sheet.parent is None and sheet.name != "flows"
                and self.taken.get(candidate, sheet.name) != sheet.name):
            n += 1
            candidate = f"{base}-{n}"
        return candidate


def _where(table: Table) -> str:
    return f"{table.file}:{table.sheet}" if table.sheet else table.file


def read_workbook(path: Path, batch: Batch, taken: dict[str, str]) -> None:
    reader = RowReader(batch, taken)
    for table in workbook_tables(path):
        sheet = sheet_for(table.sheet)
        if sheet is None:
            if not is_ignored_sheet(table.sheet):
                names = [s.name for s in SHEETS]
                batch.notes.append(f"sheet '{table.sheet}' ignored: not an inventory sheet"
                                   f"{did_you_mean(normalise_name(table.sheet), names)}")
            continue
        reader.read(table, sheet)


def read_csv_files(files: list[tuple[Path, Sheet]], batch: Batch, taken: dict[str, str]) -> None:
    reader = RowReader(batch, taken)
    for path, sheet in files:
        reader.read(Table(str(path), "", csv_rows(path)), sheet)
