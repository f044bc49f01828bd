"""Answers collected offline in a workbook: template, round trip, and located cell errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from auditor.errors import ImportFileError
from auditor.interview.answer_sheets import (
    import_answers,
    is_answers_workbook,
    write_answers_template,
)
from auditor.interview.record import store_answer
from auditor.store.audit_file import load_audit


def _row_of(ws, qid: str) -> int:  # type: ignore[no-untyped-def]
    for row in range(4, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == qid:
            return row
    raise AssertionError(f"{qid} not in sheet")


def test_template_has_a_sheet_per_respondent_with_answers_and_dropdowns(
        audit_path: Path, tmp_path: Path) -> None:
    audit = load_audit(audit_path)
    store_answer(audit, "q8.1", "sam-lee", 2, note="=SUM(A1:A9) is how they count")
    xlsx = tmp_path / "answers.xlsx"
    write_answers_template(xlsx, audit)
    assert is_answers_workbook(xlsx) and not is_answers_workbook(audit_path)
    wb = load_workbook(xlsx)
    assert wb.sheetnames == ["README", "Lists", "dana-ortiz", "sam-lee"]
    assert wb["Lists"].sheet_state == "hidden"
    ws = wb["sam-lee"]
    assert (ws["B1"].value, ws["D1"].value) == ("Sam Lee", "CIO")
    row = _row_of(ws, "q8.1")
    assert ws.cell(row=row, column=6).value == "2 Periodic dedupe"
    # Formula-like client text is stored as text, never as a formula.
    note = ws.cell(row=row, column=7)
    assert note.value == "'=SUM(A1:A9) is how they count" and note.data_type == "s"
    assert any(f"F{row}" in str(dv.sqref) for dv in ws.data_validations.dataValidation)
    questions = [ws.cell(row=r, column=1).value for r in range(4, ws.max_row + 1)]
    assert "q9.1" not in questions and "q6.4" in questions  # inventory is captured elsewhere


@pytest.mark.parametrize("text", ["\n=cmd|' /C calc'!A0", "\r=1+1", "@SUM(1)", "'=x"])
def test_answer_sheets_guard_formulas_like_the_inventory_workbook(
        audit_path: Path, tmp_path: Path, text: str) -> None:
    """One guard for every workbook: a note starting with a line break and a formula is
    neutralised too (the answer sheets once missed it), and comes back exactly."""
    audit = load_audit(audit_path)
    store_answer(audit, "q8.1", "sam-lee", 2, note=text)
    xlsx = tmp_path / "answers.xlsx"
    write_answers_template(xlsx, audit)
    ws = load_workbook(xlsx)["sam-lee"]
    note = ws.cell(row=_row_of(ws, "q8.1"), column=7).value
    assert note.startswith("'"), repr(note)
    import_answers(xlsx, audit, dry_run=False)
    (back,) = [a for a in audit.answers if (a.question, a.respondent) == ("q8.1", "sam-lee")]
    assert back.note == text.replace("\r", "\n").strip()  # notes are trimmed on import


def test_filled_workbook_imports_after_a_dry_run(audit_path: Path, tmp_path: Path) -> None:
    audit = load_audit(audit_path)
    xlsx = tmp_path / "answers.xlsx"
    write_answers_template(xlsx, audit)
    wb = load_workbook(xlsx)
    ws = wb["dana-ortiz"]
    ws.cell(row=_row_of(ws, "q8.1"), column=6, value="3 Rules, stewards, monitoring")
    ws.cell(row=_row_of(ws, "q6.4"), column=6, value="coe, playbooks")
    ws.cell(row=_row_of(ws, "q7.4"), column=6, value="'=budget line 4")
    ws.cell(row=_row_of(ws, "q2.3"), column=9, value="We sell one product")
    ws.cell(row=_row_of(ws, "q8.1"), column=8, value="Steward job description")
    wb.save(xlsx)

    summary = import_answers(xlsx, audit, dry_run=True)
    assert summary[0] == "Dana Ortiz (sheet dana-ortiz): would import 3 answers, 1 not applicable"
    assert audit.answers == []
    import_answers(xlsx, audit, dry_run=False)
    got = {a.question: (a.value, a.evidence, a.reason) for a in audit.answers}
    assert got == {
        "q8.1": (3, "Steward job description", None),
        "q6.4": (["coe", "playbooks"], None, None),
        "q7.4": ("=budget line 4", None, None),
        "q2.3": (None, None, "We sell one product"),
    }


def test_every_bad_cell_is_reported_and_nothing_changes(audit_path: Path, tmp_path: Path) -> None:
    audit = load_audit(audit_path)
    xlsx = tmp_path / "answers.xlsx"
    write_answers_template(xlsx, audit)
    wb = load_workbook(xlsx)
    ws = wb["sam-lee"]
    ws.cell(row=_row_of(ws, "q8.1"), column=6, value="9")
    ws.cell(row=_row_of(ws, "q6.4"), column=6, value="none, coe")
    ws.cell(row=_row_of(ws, "q1.3"), column=6, value=10)
    ws.cell(row=_row_of(ws, "q1.3"), column=9, value="cannot count")
    ws.cell(row=200, column=1, value="q8.7")
    ws.cell(row=200, column=6, value="2")
    wb.save(xlsx)
    with pytest.raises(ImportFileError) as err:
        import_answers(xlsx, audit, dry_run=False)
    lines = [str(p) for p in err.value.problems]
    row81 = _row_of(ws, "q8.1")
    # The inventory importer's location format: file:sheet!cell: question: message
    assert f"{xlsx}:sam-lee!F{row81}: q8.1: '9' is not a level" in "\n".join(lines)
    assert any("cannot be combined" in line for line in lines)
    assert any("both an answer and a reason" in line for line in lines)
    assert any(line.startswith(f"{xlsx}:sam-lee!A200: unknown question 'q8.7'")
               for line in lines)
    assert audit.answers == []


def test_blank_template_names_a_new_respondent(audit_path: Path, tmp_path: Path) -> None:
    xlsx = tmp_path / "blank.xlsx"
    write_answers_template(xlsx, None)
    wb = load_workbook(xlsx)
    ws = wb["Respondent"]
    ws["B1"], ws["D1"] = "Priya Shah", "CMO"
    ws.cell(row=_row_of(ws, "q7.1"), column=6, value=4)
    wb.save(xlsx)
    audit = load_audit(audit_path)
    assert import_answers(xlsx, audit, dry_run=False) == [
        "Priya Shah (sheet Respondent, new respondent): imported 1 answer"]
    priya = next(r for r in audit.respondents if r.name == "Priya Shah")
    assert priya.role == "CMO"
    answer = audit.answer_for("q7.1", priya.id)
    assert answer is not None and answer.value == 4


def test_not_a_workbook(tmp_path: Path) -> None:
    fake = tmp_path / "answers.xlsx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    assert not is_answers_workbook(fake)
    with pytest.raises(ImportFileError, match="not a readable .xlsx workbook"):
        import_answers(fake, load_audit_or_blank(tmp_path), dry_run=True)


def load_audit_or_blank(tmp_path: Path):  # type: ignore[no-untyped-def]
    from auditor.store.new_audit import create_audit

    return create_audit(tmp_path / "blank.audit.yaml", "Blank").audit
