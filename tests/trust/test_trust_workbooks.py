"""Answer and inventory workbooks: one location format, and formulas without a stored result
are located errors instead of silently empty cells."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook


def _audit(tmp_path: Path, run_cli) -> Path:
    path = tmp_path / "acme.audit.yaml"
    assert run_cli("new", "Acme Retail", "-o", str(path)).code == 0
    assert run_cli("respondent", "add", str(path), "Dana Ortiz", "--role", "CIO").code == 0
    return path


def _row(sheet, first: str) -> int:  # type: ignore[no-untyped-def]
    return next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == first)


def test_inventory_formula_without_a_result_is_located(tmp_path: Path, run_cli) -> None:
    audit = _audit(tmp_path, run_cli)
    book_path = tmp_path / "inventory.xlsx"
    assert run_cli("template", str(book_path)).code == 0
    book = load_workbook(book_path)
    sheet = book["systems"]
    # openpyxl stores formulas without a computed result, like a script-made workbook.
    sheet["A2"], sheet["B2"], sheet["C2"] = "crm", '=UPPER("crm")', "system-of-record"
    sheet["A3"], sheet["B3"], sheet["C3"] = "esp", "ESP", "crm"
    book.save(book_path)
    before = audit.read_bytes()
    run = run_cli("import", str(book_path), "--into", str(audit))
    assert run.code == 2
    lines = [line.strip() for line in run.err.splitlines()]
    assert f'{book_path}:systems!B2: name: the formula =UPPER("crm") has no stored result; ' \
           "open the workbook in a spreadsheet program and save it again so the result is " \
           "stored, or type the value instead of the formula" in lines
    assert any(line.startswith(f"{book_path}:systems!C3: roles: 'crm'") for line in lines)
    assert audit.read_bytes() == before


def test_answers_workbook_uses_the_same_locations(tmp_path: Path, run_cli) -> None:
    audit = _audit(tmp_path, run_cli)
    book_path = tmp_path / "answers.xlsx"
    assert run_cli("template", str(book_path), "--answers", "--audit", str(audit)).code == 0
    book = load_workbook(book_path)
    sheet = book["dana-ortiz"]
    r11, r13 = _row(sheet, "q1.1"), _row(sheet, "q1.3")
    sheet.cell(r11, 6, "9")
    sheet.cell(r13, 6, "=2*21")
    book.save(book_path)
    run = run_cli("import", str(book_path), "--into", str(audit))
    assert run.code == 2
    said = run.err
    assert f"{book_path} has 2 problems; nothing was imported" in said
    assert f"{book_path}:dana-ortiz!F{r11}: q1.1: '9' is not a level" in said
    assert f"{book_path}:dana-ortiz!F{r13}: q1.3: the formula =2*21 has no stored result" in said
