"""Export then import changes nothing; templates have the documented layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditor.ingest.columns import SHEETS
from auditor.ingest.export import write_csv_folder, write_workbook
from auditor.ingest.importer import import_file
from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _audits() -> list[Path]:
    """Our fixture and every bundled example audit (demo, E1–E3) as they stand."""
    here = Path(__file__).resolve().parent / "data" / "harbour.audit.yaml"
    examples = sorted(p for p in EXAMPLES.glob("*.audit.yaml") if p.name != "new.audit.yaml")
    return [here, *examples]


@pytest.mark.parametrize("source", _audits(), ids=lambda p: p.name)
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_is_the_identity(source: Path, fmt: str, tmp_path: Path) -> None:
    audit = load_audit(source)
    target = tmp_path / ("inventory.xlsx" if fmt == "xlsx" else "inventory")
    if fmt == "xlsx":
        write_workbook(target, audit)
    else:
        write_csv_folder(target, audit)

    same = import_file(target, audit)
    assert not same.changed
    assert same.audit == audit
    replaced = import_file(target, audit, replace=True)
    assert not replaced.changed and replaced.audit == audit

    # into an empty audit, every value of the inventory and vision comes across
    empty = Audit.model_validate({"client": {"name": "Elsewhere"}})
    fresh = import_file(target, empty).audit
    assert fresh.inventory.model_dump() == audit.inventory.model_dump()
    assert fresh.vision.model_dump() == audit.vision.model_dump()


def test_round_trip_through_the_cli_leaves_the_file_alone(harbour: Path, tmp_path: Path,
                                                          run_cli) -> None:
    before = harbour.read_bytes()
    exported = run_cli("export", str(harbour), "-o", str(tmp_path / "out.xlsx"))
    assert exported.code == 0, exported.err
    imported = run_cli("import", str(tmp_path / "out.xlsx"), "--into", str(harbour))
    assert imported.code == 0, imported.err
    assert "Unchanged: the audit file was not rewritten." in imported.out
    assert harbour.read_bytes() == before
    again = run_cli("export", str(harbour), "-o", str(tmp_path / "out.xlsx"))
    assert again.code == 2 and "already exists" in again.err
    assert run_cli("export", str(harbour), "-o", str(tmp_path / "out.xlsx"), "--force").code == 0


def test_template_workbook_layout(tmp_path: Path, run_cli) -> None:
    result = run_cli("template", str(tmp_path / "inventory.xlsx"))
    assert result.code == 0, result.err
    book = load_workbook(tmp_path / "inventory.xlsx")
    assert book.sheetnames[0] == "README"
    assert book.sheetnames[1:] == [s.name for s in SHEETS]
    for kind in ("systems", "channels", "touchpoints", "flows", "data", "teams", "skills",
                 "metrics", "policies", "segments", "needs", "journeys", "capabilities"):
        assert kind in book.sheetnames
    systems = book["systems"]
    headers = [c.value for c in systems[1]]
    assert headers[:3] == ["id", "name", "roles"]
    assert all(c.comment is not None and c.comment.text for c in systems[1])
    assert "system-of-record" in systems["C1"].comment.text
    lists = {str(dv.sqref): dv.formula1 for dv in systems.data_validations.dataValidation}
    assert any("system-of-record" in (f or "") for f in lists.values())
    flows = book["flows"]
    flow_lists = " ".join(dv.formula1 or "" for dv in flows.data_validations.dataValidation)
    assert "real-time" in flow_lists and "daily" in flow_lists
    touchpoint_lists = " ".join(dv.formula1 or "" for dv in
                                book["touchpoints"].data_validations.dataValidation)
    assert "participation" in touchpoint_lists
    readme = " ".join(str(c.value) for c in book["README"]["A"] if c.value)
    assert "separate them with ';'" in readme and "auditor import" in readme


def test_template_csv_and_importing_an_untouched_template(tmp_path: Path, empty_audit: Path,
                                                          run_cli) -> None:
    folder = tmp_path / "csv"
    result = run_cli("template", str(folder), "--format", "csv")
    assert result.code == 0, result.err
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"{s.name}.csv" for s in SHEETS] + ["README.txt"])
    flows = (folder / "flows.csv").read_text(encoding="utf-8-sig")
    assert flows.startswith("id,name,source,target")
    again = run_cli("template", str(folder), "--format", "csv")
    assert again.code == 2 and "already holds" in again.err
    imported = run_cli("import", str(folder), "--into", str(empty_audit), "--dry-run")
    assert imported.code == 0, imported.err
    assert "nothing to import" in imported.out
    # an untouched template removes nothing, even with --replace
    audit = load_audit(HARBOUR)
    assert import_file(folder, audit, replace=True).audit == audit


HARBOUR = Path(__file__).resolve().parent / "data" / "harbour.audit.yaml"
