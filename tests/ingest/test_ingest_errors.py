"""Bad spreadsheets: every problem reported at once, located, exit 2, audit untouched."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from auditor.errors import ImportFileError
from auditor.ingest.importer import import_file
from auditor.store.audit_file import load_audit


def test_workbook_with_every_kind_of_error(make_workbook, harbour: Path, run_cli) -> None:
    path = make_workbook({
        "systems": [
            ["id", "name", "roles", "vendr", "owners"],
            ["crm", "CRM  ", "crm", None, "marketing"],  # unknown enum value, with a synonym
            [None, None, None, None, None],  # empty rows are fine
            ["crm", "CRM again", None, None, None],  # duplicate id
            ["Bad Id", "Bad", "commerce; cdp", None, "ghost-team"],  # bad id, dangling owner
            ["erp", "ERP", "erp", None, "ghost-team"],  # reference to an id that exists nowhere
        ],
        "channels": [
            ["id", "name", "kind", "interactions_per_year"],
            ["phone", "Phone", "phone", "lots"],  # wrong type
        ],
        "touchpoints": [
            ["id", "name", "style"],
            ["newsletter", "Newsletter", None],  # required cell empty
        ],
        "metrics": [
            ["id", "name"],  # 'type' column missing: needed for new metrics
            ["nps", "NPS"],
        ],
        "flows": [
            ["source", "target", "data"],
            ["shop", "nowhere", "order, individual"],  # unknown system; ',' lists accepted
        ],
    })
    before = harbour.read_bytes()
    with pytest.raises(ImportFileError) as caught:
        import_file(path, load_audit(harbour))
    lines = [str(p) for p in caught.value.problems]
    name = str(path)
    expected = [
        f"{name}:systems!D1: vendr: unknown column 'vendr'; did you mean 'vendor'?",
        f"{name}:systems!C2: roles: 'crm' is not a valid system role; "
        "did you mean 'system-of-record'?",
        f"{name}:systems!A4: id: duplicate id 'crm' (also on row 2)",
        f"{name}:systems!A5: id: 'Bad Id' is not a valid id",
        f"{name}:systems!E6: owners: unknown team 'ghost-team'",
        f"{name}:channels!D2: interactions_per_year: Input should be a valid integer",
        f"{name}:touchpoints!C2: style: required, but the cell is empty",
        f"{name}:metrics, row 1: missing required column 'type': needed to add new metrics (row 2)",
        f"{name}:flows!B2: target: unknown system 'nowhere'",
    ]
    for text in expected:
        assert any(line.startswith(text) for line in lines), (text, lines)
    assert len(lines) == len(expected), lines
    # the structured form carries sheet, row and column too
    role = next(p for p in caught.value.problems if "system role" in p.message)
    assert (role.file, role.line, role.column) == (f"{name}[systems]", 2, 3)

    result = run_cli("import", str(path), "--into", str(harbour))
    assert result.code == 2
    assert "Traceback" not in result.err
    assert f"{name}:systems!C2: roles: 'crm' is not a valid system role" in result.err
    assert harbour.read_bytes() == before
    assert not harbour.with_name(harbour.name + ".bak").exists()


def test_csv_errors_are_located_by_line_and_column(tmp_path: Path, harbour: Path) -> None:
    path = tmp_path / "channels.csv"
    path.write_text("id;name;kind;interactions_per_year\nsms;SMS;zzz;12\n", encoding="utf-8")
    with pytest.raises(ImportFileError) as caught:
        import_file(path, load_audit(harbour))
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:2:3: kind: 'zzz' is not a valid kind (one of: web, email, sms, messaging, "
        "phone, in-person, social, community, …)"]


def _zip_without_workbook(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")


@pytest.mark.parametrize("name, make, message", [
    ("inventory.xlsx", lambda p: p.write_text("id,name\ncrm,CRM\n"), "not an Excel workbook"),
    ("inventory.xlsx", _zip_without_workbook, "holds no workbook"),
    ("inventory.xlsx", lambda p: p.write_bytes(b""), "is empty"),
    ("inventory.xlsx", lambda p: p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
     "Excel 97-2003"),
    ("systems.csv", lambda p: p.write_bytes(b"\x00\x01\x02binary"), "binary data"),
    ("inventory.xlsx", lambda p: p.open("wb").truncate(60 * 1024 * 1024), "the import limit"),
    ("mystery.csv", lambda p: p.write_text("a,b\n1,2\n"), "cannot tell which kind"),
    ("inventory.ods", lambda p: p.write_text("x"), "cannot be imported"),
])
def test_files_that_are_not_spreadsheets_get_one_line(tmp_path: Path, harbour: Path, cli,
                                                       name: str, make, message: str) -> None:
    path = tmp_path / name
    make(path)
    before = harbour.read_bytes()
    result = cli("import", str(path), "--into", str(harbour))
    assert result.code == 2, result.out
    assert message in result.err
    assert "Traceback" not in result.err and "Internal error" not in result.err
    assert result.err.count("Error:") == 1
    assert harbour.read_bytes() == before


def test_unknown_sheets_are_named_in_the_summary(make_workbook, harbour: Path) -> None:
    path = make_workbook({"sytems": [["id", "name"], ["x", "X"]],
                          "skills": [["id", "name", "#notes"], ["sql", "SQL", "ignored"]]})
    result = import_file(path, load_audit(harbour))
    assert result.changes["skills"].added == 1
    assert any("sheet 'sytems' ignored" in n and "did you mean 'systems'" in n
               for n in result.notes)


def test_stray_values_without_header_and_unknown_kind(make_workbook, harbour: Path) -> None:
    path = make_workbook({"skills": [["id", "name", None], ["sql", "SQL", "oops"]]})
    with pytest.raises(ImportFileError) as caught:
        import_file(path, load_audit(harbour))
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:skills!C2: ?: a value in a column without a header"]
    with pytest.raises(ImportFileError, match="unknown kind 'sytems'; did you mean 'systems'"):
        import_file(path, load_audit(harbour), kind="sytems")
