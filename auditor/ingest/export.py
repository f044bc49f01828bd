"""Audit -> workbook or CSV folder (and the empty templates), in the layout the import reads.

Every text cell that a spreadsheet program could take for a formula is neutralised (see
``cells``); files are written atomically, so an interrupted export leaves no half file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from auditor.ingest.cells import to_cell, to_text
from auditor.ingest.columns import SHEETS, Sheet
from auditor.ingest.workbook_template import add_sheet, new_workbook, readme_lines
from auditor.schema.audit import Audit
from auditor.store.yaml_file import atomic_write


def sheet_rows(sheet: Sheet, audit: Audit | None) -> Iterator[list[Any]]:
    """The cells of each row of ``sheet`` for ``audit`` (nothing for a template)."""
    if audit is None:
        return
    items = getattr(getattr(audit, sheet.section), sheet.key)
    if sheet.parent is None:
        for item in items:
            data = item.model_dump(mode="python", by_alias=True)
            yield [to_cell(c, data.get(c.header)) for c in sheet.columns]
        return
    assert sheet.child_field is not None
    for parent in items:
        for child in getattr(parent, sheet.child_field):
            data = child.model_dump(mode="python", by_alias=True)
            yield [to_cell(sheet.columns[0], parent.id),
                   *(to_cell(c, data.get(c.header)) for c in sheet.columns[1:])]


def workbook_bytes(audit: Audit | None, origin: str | None = None) -> bytes:
    book = new_workbook(audit.client.name if audit else None, origin)
    for sheet in SHEETS:
        add_sheet(book, sheet, sheet_rows(sheet, audit))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def write_workbook(path: Path, audit: Audit | None, origin: str | None = None) -> None:
    """An .xlsx with a README and one sheet per kind; empty rows when ``audit`` is None."""
    atomic_write(path, workbook_bytes(audit, origin), backup=False)


def csv_text(sheet: Sheet, audit: Audit | None) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(sheet.headers)
    for row in sheet_rows(sheet, audit):
        writer.writerow([to_text(v) for v in row])
    return buffer.getvalue()


def csv_file_names() -> list[str]:
    return [f"{sheet.name}.csv" for sheet in SHEETS]


def write_csv_folder(folder: Path, audit: Audit | None, origin: str | None = None) -> list[Path]:
    """One CSV per kind (UTF-8 with BOM, which Excel opens correctly) and a README.txt."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for sheet in SHEETS:
        path = folder / f"{sheet.name}.csv"
        atomic_write(path, csv_text(sheet, audit).encode("utf-8-sig"), backup=False)
        written.append(path)
    readme = folder / "README.txt"
    client = audit.client.name if audit else None
    text = "\n".join(readme_lines(client, origin)).replace("this sheet", "this README")
    atomic_write(readme, (text + "\n").encode("utf-8"), backup=False)
    return [*written, readme]
