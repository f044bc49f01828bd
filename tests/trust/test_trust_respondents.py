"""Respondents without a terminal: `respondent add`, `--add-respondent`, full names in files."""

from __future__ import annotations

from pathlib import Path

from auditor.store.audit_file import load_audit


def _new(tmp_path: Path, run_cli) -> Path:
    path = tmp_path / "acme.audit.yaml"
    assert run_cli("new", "Acme Retail", "-o", str(path)).code == 0
    return path


def test_respondent_add_then_answer_by_role(tmp_path: Path, run_cli) -> None:
    path = _new(tmp_path, run_cli)
    added = run_cli("respondent", "add", str(path), "Dana Ortiz", "--role", "CIO",
                    "--department", "IT")
    assert added.code == 0 and "Added Dana Ortiz as respondent dana-ortiz." in added.out
    again = run_cli("respondent", "add", str(path), "dana ortiz")
    assert again.code == 2 and "already a respondent" in again.err
    run = run_cli("answer", str(path), "q8.1", "2", "-r", "CIO", "--note", "Weekly dedupe only")
    assert run.code == 0, run.err
    (r,) = load_audit(path).respondents
    assert (r.id, r.name, r.role, r.department) == ("dana-ortiz", "Dana Ortiz", "CIO", "IT")
    listed = run_cli("respondent", "list", str(path))
    assert "dana-ortiz  Dana Ortiz (CIO, IT)" in listed.out


def test_unknown_respondent_says_how_to_add_them(tmp_path: Path, run_cli) -> None:
    path = _new(tmp_path, run_cli)
    refused = run_cli("answer", str(path), "q8.1", "2", "-r", "CIO")
    assert refused.code == 2
    said = " ".join(refused.err.split())
    assert "'CIO' is not a respondent of this audit" in said
    assert f"pass --add-respondent, or first run: auditor respondent add {path} CIO" in said
    assert "terminal" not in said


def test_add_respondent_on_answer_and_answers_file(tmp_path: Path, run_cli) -> None:
    path = _new(tmp_path, run_cli)
    run = run_cli("answer", str(path), "q8.1", "3", "-r", "Sam Lee", "--add-respondent")
    assert run.code == 0, run.err
    answers = tmp_path / "answers.yaml"
    answers.write_text("respondent: Kim Park\nanswers:\n  q1.1: 2\n", encoding="utf-8")
    refused = run_cli("interview", str(path), "--answers", str(answers))
    assert refused.code == 2 and "--add-respondent" in refused.err
    run = run_cli("interview", str(path), "--answers", str(answers), "--add-respondent")
    assert run.code == 0, run.err
    full = tmp_path / "full.yaml"
    full.write_text("respondent: {name: Lee Chen, role: CMO, department: Marketing}\n"
                    "answers:\n  q1.1: 3\n", encoding="utf-8")
    run = run_cli("interview", str(path), "--answers", str(full))
    assert run.code == 0, run.err
    audit = load_audit(path)
    assert [(r.id, r.role) for r in audit.respondents] == [
        ("sam-lee", None), ("kim-park", None), ("lee-chen", "CMO")]
    assert audit.answer_for("q1.1", "lee-chen").value == 3  # type: ignore[union-attr]


def test_a_bad_answers_file_adds_nobody(tmp_path: Path, run_cli) -> None:
    path = _new(tmp_path, run_cli)
    bad = tmp_path / "bad.yaml"
    bad.write_text("respondent: {name: Lee Chen}\nanswers:\n  q1.1: 9\n", encoding="utf-8")
    before = path.read_bytes()
    run = run_cli("interview", str(path), "--answers", str(bad))
    assert run.code == 2 and "9 is not a level" in run.err
    assert path.read_bytes() == before


def test_a_missing_answers_file_is_not_told_to_run_new(tmp_path: Path, run_cli) -> None:
    path = _new(tmp_path, run_cli)
    run = run_cli("interview", str(path), "--answers", "nope.yaml")
    assert run.code == 2 and "nope.yaml does not exist" in run.err
    assert "auditor new" not in run.err and "answers in a YAML file" in run.err
