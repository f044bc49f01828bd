"""Comments stay with the section or item they were written above, through every command
that writes an audit, on a file made by `auditor new` and then commented by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path

from openpyxl import load_workbook
from pipe_keys import CTRL_C, DOWN, ENTER, run_with_keys
from rich.console import Console

from auditor.interview.confirm import run_confirm
from auditor.interview.prompts import ask
from auditor.interview.runner import run_interview
from auditor.store.audit_file import open_audit

TRUST = Path(__file__).parents[1] / "trust" / "data"

HAND_WRITTEN = {
    "respondents: []": "respondents:\n"
                       "  # The sponsor: interviewed first.\n"
                       "  - name: Dana Ortiz\n"
                       "    role: CIO\n",
    "  systems: []": "  systems:\n"
                     "    # Kept until the migration ends.\n"
                     "    - id: legacy-crm\n"
                     "      name: Legacy CRM\n"
                     "      roles: [system-of-record]\n"
                     "\n"
                     "    # The new platform, live since March.\n"
                     "    - id: salesforce\n"
                     "      name: Salesforce\n"
                     "  # (systems end here)\n",
    "  capabilities: []": "  # Capabilities come from the vendor workshop.\n"
                          "  capabilities: []",
}


def _anchor(line: str) -> str:
    text = line.strip()
    if text.startswith("- "):
        return text
    return text.split(":", 1)[0]


def comment_anchors(text: str) -> list[tuple[str, str]]:
    """Each full-line comment with the first line of YAML written under it."""
    lines = text.splitlines()
    out = []
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("#"):
            continue
        j = i + 1
        while j < len(lines) and (not lines[j].strip() or lines[j].lstrip().startswith("#")):
            j += 1
        out.append((line.strip(), _anchor(lines[j]) if j < len(lines) else "<end of file>"))
    return out


def _check(path: Path, expected: list[tuple[str, str]], step: str) -> None:
    assert comment_anchors(path.read_text(encoding="utf-8")) == expected, step


def test_comments_stay_in_place_through_every_writing_command(
        tmp_path: Path, run_cli, screen: Console) -> None:
    path = tmp_path / "acme.audit.yaml"
    assert run_cli("new", "Acme Retail", "-o", str(path)).code == 0
    text = path.read_text(encoding="utf-8")
    for old, new in HAND_WRITTEN.items():
        assert old in text
        text = re.sub(re.escape(old) + r"[^\n]*", lambda _: new.rstrip("\n"), text, count=1)
    path.write_text(text, encoding="utf-8")
    assert run_cli("validate", str(path)).code == 0
    expected = comment_anchors(text)
    assert ("# (systems end here)", "channels") in expected  # a comment closing a list
    assert ("# The new platform, live since March.", "- id: salesforce") in expected

    def cli(*args: str) -> None:
        run = run_cli(*args)
        assert run.code == 0, f"{args}: {run.err}"
        _check(path, expected, " ".join(args))

    cli("respondent", "add", str(path), "Sam Lee", "--role", "CMO")
    cli("answer", str(path), "q8.1", "2", "-r", "CIO", "--note", "Weekly dedupe only")
    cli("answer", str(path), "q8.1", "1", "-r", "Kim Park", "--add-respondent")
    cli("interview", str(path), "--answers", str(TRUST / "answers.yaml"))
    (tmp_path / "systems.csv").write_text("id,name,roles\nsalesforce,Salesforce,"
                                          "system-of-record\nesp,Email platform,"
                                          "marketing-automation\n", encoding="utf-8")
    cli("import", str(tmp_path / "systems.csv"), "--into", str(path))
    cli("import", str(TRUST / "model.xml"), "--into", str(path))
    answers = tmp_path / "answers.xlsx"
    cli("template", str(answers), "--answers", "--audit", str(path))
    book = load_workbook(answers)
    sheet = book["sam-lee"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "q1.1")
    sheet.cell(row, 6, "3")
    book.save(answers)
    cli("import", str(answers), "--into", str(path))

    # The terminal interview and the confirm walk, through the real prompts.
    run_with_keys(DOWN + DOWN + ENTER + ENTER + CTRL_C, lambda: run_interview(
        path, "sam", out=screen, section="q2", asker=ask))
    _check(path, expected, "interview")
    run_with_keys(ENTER + ENTER + CTRL_C, lambda: run_confirm(
        open_audit(path), out=screen, asker=ask))
    _check(path, expected, "confirm")

    gaps = run_cli("gaps", str(path), "--json")
    key = json.loads(gaps.out)["findings"][0]["key"]
    cli("dismiss", str(path), key, "--reason", "Accepted for now", "--by", "Dana Ortiz")

    # Removing an item removes the comment written above it, and moves no other comment.
    kept = tmp_path / "kept" / "systems.csv"
    kept.parent.mkdir()
    kept.write_text("id,name\nsalesforce,Salesforce\nesp,Email platform\ncrm-system,CRM System\n"
                    "web-shop,Web shop\ndata-warehouse,Data warehouse\n", encoding="utf-8")
    cli_run = run_cli("import", str(kept), "--into", str(path), "--replace")
    assert cli_run.code == 0, cli_run.err
    after = comment_anchors(path.read_text(encoding="utf-8"))
    assert after == [pair for pair in expected
                     if pair != ("# Kept until the migration ends.", "- id: legacy-crm")]
