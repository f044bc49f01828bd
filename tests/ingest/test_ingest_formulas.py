"""Formula injection: dangerous cells go out neutralised and come back exactly as they were."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditor.ingest.export import write_csv_folder, write_workbook
from auditor.ingest.importer import import_file
from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit
from auditor.store.formula_guard import neutralise, restore

DANGEROUS = ["=SUM(A1:A2)", "+1-2", "-5% churn", "@SUM(1)", "\tTab", "\rReturn",
             "'=already quoted", "''@two quotes"]


@pytest.mark.parametrize("text", [*DANGEROUS, "plain", "it's fine", "'", "", "e=mc2"])
def test_neutralise_is_undone_exactly(text: str) -> None:
    out = neutralise(text)
    assert out[:1] not in ("=", "+", "-", "@", "\t", "\r")
    assert restore(out)[0] == text


def _audit_with(names: list[str]) -> Audit:
    return Audit.model_validate({"client": {"name": "X"}, "inventory": {"skills": [
        {"id": f"s{i}", "name": name, "description": name} for i, name in enumerate(names)]}})


def test_workbook_cells_are_text_not_formulas(tmp_path: Path) -> None:
    audit = _audit_with(DANGEROUS)
    path = tmp_path / "out.xlsx"
    write_workbook(path, audit)
    sheet = load_workbook(path)["skills"]
    for row, text in enumerate(DANGEROUS, start=2):
        cell = sheet.cell(row=row, column=2)
        assert cell.data_type == "s"
        assert cell.value == "'" + text.replace("\r", "\n")
    assert "<f>" not in _sheet_xml(path, "skills")
    back = import_file(path, Audit.model_validate({"client": {"name": "Y"}})).audit
    # XML turns a carriage return into a line feed; everything else comes back as it was
    assert [s.name for s in back.inventory.skills] == [t.replace("\r", "\n") for t in DANGEROUS]


def test_csv_cells_are_neutralised(tmp_path: Path) -> None:
    write_csv_folder(tmp_path / "csv", _audit_with(DANGEROUS))
    with (tmp_path / "csv" / "skills.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    names = [row[1] for row in rows[1:]]
    assert all(n.startswith("'") for n in names)
    back = import_file(tmp_path / "csv", Audit.model_validate({"client": {"name": "Y"}})).audit
    assert [s.name for s in back.inventory.skills] == DANGEROUS


def test_formula_text_from_a_client_is_kept_as_text(make_workbook, harbour: Path, tmp_path: Path,
                                                    run_cli) -> None:
    path = make_workbook({"skills": [
        ["id", "name", "description"],
        ["injected", '=HYPERLINK("http://evil.example","x")', "@cmd|' /C calc'!A0"],
    ]})
    _as_text(path, "skills")
    result = import_file(path, load_audit(harbour))
    skill = next(s for s in result.audit.inventory.skills if s.id == "injected")
    # the text is stored as text (an audit is data); what matters is how it goes out again
    assert skill.name.startswith("=HYPERLINK")
    out = tmp_path / "again.xlsx"
    write_workbook(out, result.audit)
    row = next(r for r in load_workbook(out)["skills"].iter_rows() if r[0].value == "injected")
    assert row[1].value.startswith("'=") and row[1].data_type == "s"
    description = next(c for c in row if c.value and "calc" in str(c.value))
    assert description.value.startswith("'@") and description.data_type == "s"


def _as_text(path: Path, title: str) -> None:
    """Store every cell as text, as an attacker's tool would (openpyxl made formulas)."""
    book = load_workbook(path)
    for row in book[title].iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    book.save(path)


def _sheet_xml(path: Path, title: str) -> str:
    import zipfile

    book = load_workbook(path)
    index = book.sheetnames.index(title) + 1
    with zipfile.ZipFile(path) as archive:
        return archive.read(f"xl/worksheets/sheet{index}.xml").decode()
