"""One interview on the installed `auditor` command in a real pseudo-terminal, read as a person
reads it: the words on screen, the keys a person presses, the exit code and the file after."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pexpect

from auditor.store.audit_file import load_audit

AUDITOR = Path(sys.executable).with_name("auditor")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def _spawn(*args: str, cwd: Path) -> pexpect.spawn:
    # A real terminal answers prompt_toolkit's cursor-position request; pexpect does not, so
    # say so instead of letting every prompt wait for the answer.
    env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    for name in ("NO_COLOR", "COLUMNS", "LINES"):
        env.pop(name, None)
    child = pexpect.spawn(str(AUDITOR), list(args), cwd=str(cwd), env=env, encoding="utf-8",
                          dimensions=(40, 80), timeout=20)
    child.logfile_read = io.StringIO()
    return child


def _seen(child: pexpect.spawn) -> str:
    """Everything the terminal showed so far, without colours and cursor movements."""
    return ANSI.sub("", child.logfile_read.getvalue())


def test_interview_in_a_real_terminal(tmp_path: Path) -> None:
    assert AUDITOR.exists(), f"the installed auditor command is missing: {AUDITOR}"
    subprocess.run([str(AUDITOR), "new", "Acme Retail", "-o", "acme.audit.yaml"], cwd=tmp_path,
                   check=True, capture_output=True)
    child = _spawn("interview", "acme.audit.yaml", "--respondent", "Head of Service",
                   "--section", "q7", cwd=tmp_path)
    child.expect("is not a respondent yet. Add them?")
    child.send("y")
    child.expect("Name")
    child.send("Dana Ortiz\r")
    child.expect("Role")
    child.send("\r")  # the role was typed on the command line; it is the default
    child.expect("Department")
    child.send("Service\r")
    child.expect("Added respondent")
    child.expect("question 1 of 5")
    child.expect("C-level with budget")
    child.expect("Nobody|Cross-functional steering")  # the whole list is drawn
    child.send("\x1b[B\x1b[B\x1b[B\r")
    child.expect("Note")
    child.send("Sponsor is the COO\r")
    child.expect("question 2 of 5")
    screen = _seen(child)
    assert "Interviewing Dana Ortiz, Head of Service for Acme Retail" in screen
    assert "Who sponsors customer engagement at executive level?" in screen
    assert "? help  < back  > skip  ! not applicable" in screen
    child.send("\x03")
    child.expect(pexpect.EOF)
    said = " ".join(_seen(child).split())
    assert "Saved 1 answer in this session; run the same command to resume." in said
    child.close()
    assert child.exitstatus == 130

    answer = load_audit(tmp_path / "acme.audit.yaml").answer_for("q7.1", "dana-ortiz")
    assert answer is not None and (answer.value, answer.note) == (3, "Sponsor is the COO")

    child = _spawn("interview", "acme.audit.yaml", "-r", "dana", "--section", "q7", cwd=tmp_path)
    child.expect("Resuming at question 2 of 5")
    child.expect("Do executives review customer metrics?")
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
