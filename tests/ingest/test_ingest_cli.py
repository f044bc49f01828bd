"""The commands as a user runs them: help, answers workbooks, ArchiMate dry run."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from auditor.store.audit_file import load_audit


def test_commands_have_help(cli) -> None:
    for command in ("template", "import", "export"):
        result = cli(command, "--help")
        assert result.code == 0 and "Usage" in result.out


def test_archimate_dry_run_changes_nothing(archisurance: Path, empty_audit: Path, cli) -> None:
    before = empty_audit.read_bytes()
    result = cli("import", str(archisurance), "--into", str(empty_audit), "--dry-run")
    assert result.code == 0, result.err
    assert "dry run" in result.out
    assert "systems             10" in result.out
    assert empty_audit.read_bytes() == before


def test_answers_workbooks_go_to_the_answers_importer(empty_audit: Path, tmp_path: Path,
                                                      run_cli) -> None:
    answers = tmp_path / "answers.xlsx"
    made = run_cli("template", "--answers", str(answers), "--audit", str(empty_audit))
    assert made.code == 0, made.err
    before = empty_audit.read_bytes()
    blank = run_cli("import", str(answers), "--into", str(empty_audit), "--dry-run")
    assert blank.code == 2 and "respondent" in blank.err  # the answers importer's own check
    assert "unknown column" not in blank.err  # not read as an inventory workbook
    book = load_workbook(answers)
    book.worksheets[-1]["B1"] = "Dana Ortiz"  # the respondent sheet comes last
    book.save(answers)
    result = run_cli("import", str(answers), "--into", str(empty_audit), "--dry-run")
    assert result.code == 0, result.err
    assert "kind             added" not in result.out  # not read as an inventory workbook
    assert empty_audit.read_bytes() == before
    assert load_audit(empty_audit).answers == []
