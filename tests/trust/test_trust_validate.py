"""`validate` checks answers against the question banks and reports every problem at once."""

from __future__ import annotations

import json
from pathlib import Path

from auditor.store.audit_file import validate_file

NEW = """\
schema_version: 1
client:
  name: Acme Retail
respondents:
  - id: dana
    name: Dana Ortiz
answers:
{answers}
inventory:
  systems:
    - id: crm
      name: CRM
      roles: [crm]
  flows:
    - source: crm
      target: espp
"""


def _write(tmp_path: Path, answers: str) -> Path:
    path = tmp_path / "acme.audit.yaml"
    path.write_text(NEW.format(answers=answers), encoding="utf-8")
    return path


def test_hand_edited_answers_are_checked_against_the_banks(tmp_path: Path) -> None:
    path = _write(tmp_path, """\
  - {question: q1.1, respondent: dana, value: 9}
  - {question: q8.9, respondent: dana, value: 2}
  - {question: q6.4, respondent: dana, value: [steering-groupp]}
  - {question: q1.3, respondent: dana, value: -5}
  - {question: q2.3, respondent: dana, value: 140}
  - {question: q1.2, respondent: dana, value: buyers}
  - {question: q2.1, respondent: dan, value: 2}
  - {question: q4.1, respondent: dana, value: '2'}""")
    report = validate_file(path)
    lines = [str(p) for p in report.problems]
    text = "\n".join(lines)
    assert f"{path}:8:47: answers[0].value: q1.1: 9 is not a level" in text
    assert "answers[1].question: unknown question 'q8.9'; did you mean" in text
    assert "answers[2].value: q6.4: 'steering-groupp' is not an option; did you mean " \
           "'steering-group'?" in text
    assert "answers[3].value: q1.3: must be at least 0" in text
    assert "answers[4].value: q2.3: must be at most 100" in text
    assert "answers[5].value: q1.2: write ['buyers']" in text  # a multi answer is a list
    assert "answers[6].respondent: unknown respondent 'dan'; did you mean 'dana'?" in text
    assert "answers[7].value: q4.1: write 2" in text
    # and, in the same run, the structure and the references:
    assert "inventory.systems[0].roles[0]: 'crm' is not a valid system role" in text
    assert "inventory.flows[0].target: unknown system 'espp'" in text
    assert len(lines) == 10


def test_the_cli_reports_everything_in_one_run(tmp_path: Path, run_cli) -> None:
    path = _write(tmp_path, "  - {question: q1.1, respondent: dana, value: 9}")
    run = run_cli("validate", str(path), "--json")
    assert run.code == 2
    problems = json.loads(run.out)["problems"]
    assert [p["path"] for p in problems] == [
        "answers[0].value", "inventory.systems[0].roles[0]", "inventory.flows[0].target"]
    # Every command that reads the audit refuses it: score cannot drop what status counts.
    for command in ("score", "status", "gaps"):
        refused = run_cli(command, str(path))
        assert refused.code == 2 and "9 is not a level" in refused.err, command


def test_broken_items_do_not_cause_dangling_reference_noise(tmp_path: Path) -> None:
    path = tmp_path / "a.audit.yaml"
    path.write_text("""\
client: {name: X}
inventory:
  systems:
    - {id: crm, name: CRM, roles: [crm]}
    - {id: esp, name: ESP, lifecycle: forever}
    - {id: web}
  flows:
    - {source: web, target: crm}
    - {source: crm, target: esp}
    - {source: esp, target: nowhere}
""", encoding="utf-8")
    lines = [f"{p.dotted_path}: {p.message}" for p in validate_file(path).problems]
    assert any(line.startswith("inventory.systems[0].roles[0]:") for line in lines)
    assert any(line.startswith("inventory.systems[1].lifecycle:") for line in lines)
    assert "inventory.systems[2].name: missing required field 'name'" in lines
    # 'web' is broken, not missing: only the truly unknown system is reported, at its place
    assert [line for line in lines if "unknown system" in line] == [
        "inventory.flows[2].target: unknown system 'nowhere'"]

