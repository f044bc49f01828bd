"""Archi's CSV export (File > Export > Model to CSV): elements.csv, relations.csv, properties.csv.

The three files may carry a common prefix ("Acme-elements.csv"), any of Archi's delimiters
(comma, semicolon, tab) and encodings (UTF-8 with or without BOM, ANSI). Relationship types
end in "Relationship"; an Access relationship's kind is the ``Access_Type`` property. Archi's
"Excel compatible" option wraps some cells as ``="0123"``; that wrapping is removed.
"""

from __future__ import annotations

import re
from pathlib import Path

from auditor.errors import ImportFileError
from auditor.ingest.archimate import ArchiModel, clean_name, normalise_type
from auditor.ingest.records import Batch, MapOptions
from auditor.schema.audit import Audit

_EXCEL_WRAP = re.compile(r'^="(.*)"$', re.S)
_FILES = ("elements.csv", "relations.csv", "properties.csv")


def find_export(path: Path) -> tuple[Path, Path | None, Path | None] | None:
    """(elements, relations, properties) of an Archi CSV export at ``path``, or None."""
    if path.is_dir():
        listing = {p.name.lower(): p for p in path.iterdir() if p.is_file()}
        for name, file in sorted(listing.items()):
            if name.endswith("elements.csv"):
                prefix = name[: -len("elements.csv")]
                relations = listing.get(prefix + "relations.csv")
                if relations is not None:
                    return file, relations, listing.get(prefix + "properties.csv")
        return None
    name = path.name.lower()
    suffix = next((s for s in _FILES if name.endswith(s)), None)
    if suffix is None or not path.is_file():
        return None
    prefix = name[: -len(suffix)]
    listing = {p.name.lower(): p for p in path.parent.iterdir() if p.is_file()}
    elements = listing.get(prefix + "elements.csv")
    if elements is None or not _is_archi_header(elements, ("id", "type", "name")):
        return None
    return elements, listing.get(prefix + "relations.csv"), listing.get(prefix + "properties.csv")


def _is_archi_header(path: Path, expected: tuple[str, ...]) -> bool:
    from auditor.ingest.spreadsheet import csv_rows

    try:
        rows = csv_rows(path)
    except ImportFileError:
        return False
    header = [c.strip().lower() for c in rows[0][1]] if rows else []
    return tuple(header[: len(expected)]) == expected


def _cell(value: str) -> str:
    match = _EXCEL_WRAP.match(value)
    return (match.group(1) if match else value).strip()


def _table(path: Path, expected: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    from auditor.ingest.spreadsheet import csv_rows

    rows = csv_rows(path)
    if not rows:
        raise ImportFileError(f"{path} is empty")
    header = [c.strip().lower() for c in rows[0][1]]
    missing = [e for e in expected if e.lower() not in header]
    if missing:
        raise ImportFileError(f"{path}:1: not an Archi CSV export: no column "
                              + ", ".join(f"'{m}'" for m in missing),
                              hint='Archi writes "ID","Type","Name","Documentation" … headers.')
    out = []
    for number, row in rows[1:]:
        if not any(c.strip() for c in row):
            continue
        cells = {h: _cell(row[i]) if i < len(row) else "" for i, h in enumerate(header)}
        out.append((number, cells))
    return out


def read_model(elements: Path, relations: Path | None, properties: Path | None) -> ArchiModel:
    model = ArchiModel(file=str(elements))
    for _, row in _table(elements, ("ID", "Type", "Name")):
        kind = normalise_type(row["type"])
        if kind == "ArchimateModel":
            model.name = row["name"]
            continue
        if row["id"] and kind:
            model.add_element(row["id"], row["type"], row["name"], row.get("documentation", ""))
    access: dict[str, str] = {}
    if properties is not None:
        for _, row in _table(properties, ("ID", "Key", "Value")):
            if row["key"] == "Access_Type":
                access[row["id"]] = row["value"]
            elif row["id"] in model.elements and clean_name(row["key"]):
                model.elements[row["id"]].properties.append(
                    (clean_name(row["key"]), clean_name(row["value"])))
    if relations is not None:
        for _, row in _table(relations, ("ID", "Type", "Source", "Target")):
            model.add_relation(row["id"], row["type"], row["source"], row["target"],
                               row.get("name", ""), access.get(row["id"]))
    return model


def read_batch(found: tuple[Path, Path | None, Path | None], audit: Audit, source: str,
               options: MapOptions | None = None) -> Batch:
    from auditor.ingest.archi_map import model_batch

    model = read_model(*found)
    batch = model_batch(model, audit, source, options)
    if found[1] is None:
        batch.notes.append("no relations.csv beside elements.csv: no flows or masters imported")
    return batch
