"""`auditor confirm`: walking an import's guesses with the real prompts (pipe input) and once in
a real terminal; every decision is saved as it is made."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pexpect
from pipe_keys import CTRL_C, DOWN, ENTER, run_with_keys
from rich.console import Console

from auditor.interview.confirm import pending_guesses, run_confirm
from auditor.interview.prompts import Prompt, ask
from auditor.store.audit_file import load_audit, open_audit

DATA = Path(__file__).parent / "data" / "guessed.audit.yaml"
AUDITOR = Path(sys.executable).with_name("auditor")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\r")


def _copy(tmp_path: Path) -> Path:
    path = tmp_path / "harbour.audit.yaml"
    shutil.copy(DATA, path)
    return path


def _to_confirm(path: Path) -> dict[str, list[str]]:
    audit = load_audit(path)
    inv = audit.inventory
    return {i.id: list(i.to_confirm)
            for i in [*inv.systems, *inv.channels, *inv.data, *inv.teams]}


class DiskWatcher:
    """Real prompts; records what is on disk each time a question appears."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: list[tuple[str, dict[str, list[str]]]] = []

    def __call__(self, prompt: Prompt) -> object:
        self.seen.append((prompt.message, _to_confirm(self.path)))
        return ask(prompt)


def test_accept_change_skip_and_stop_saving_each_decision(tmp_path: Path,
                                                           screen: Console) -> None:
    path = _copy(tmp_path)
    watcher = DiskWatcher(path)
    keys = "".join([
        ENTER,                 # CRM System roles: accept
        DOWN, DOWN, ENTER,     # Web portal roles: skip
        DOWN, ENTER,           # E-mail kind: change ...
        DOWN, ENTER,           # ... from email to the next kind, sms
        ENTER,                 # Claim class: accept
        CTRL_C,                # stop at the team's kind
    ])
    outcome = run_with_keys(keys, lambda: run_confirm(open_audit(path), out=screen,
                                                      asker=watcher))

    assert (outcome.accepted, outcome.changed, outcome.skipped) == (2, 1, 1)
    assert not outcome.finished and outcome.remaining == 3
    after = _to_confirm(path)
    assert after == {"crm-system": [], "web-portal": ["roles"], "e-mail": [], "claim": [],
                     "director": ["kind", "executive"]}
    audit = load_audit(path)
    assert audit.inventory.channels[0].kind == "sms"
    assert audit.inventory.systems[0].roles == ["system-of-record"]
    # Saved as it went: when the web portal was asked about, the CRM was already confirmed.
    question, on_disk = next(s for s in watcher.seen if "Web portal" in s[0])
    assert on_disk["crm-system"] == [] and on_disk["web-portal"] == ["roles"]
    text = screen.file.getvalue()
    assert "6 guessed values to confirm" in text  # the team has two
    assert "System CRM System crm-system" in " ".join(text.split())


def test_nothing_to_confirm_says_so(tmp_path: Path, screen: Console) -> None:
    path = _copy(tmp_path)
    text = path.read_text().replace("to_confirm: [kind, executive]", "to_confirm: []")
    text = re.sub(r"to_confirm: \[(roles|kind|class)\]", "to_confirm: []", text)
    path.write_text(text)
    assert pending_guesses(load_audit(path)) == []
    outcome = run_confirm(open_audit(path), out=screen, asker=ask)
    assert outcome.finished and "Nothing to confirm" in screen.file.getvalue()


def test_list_and_no_terminal(tmp_path: Path, run_cli) -> None:
    path = _copy(tmp_path)
    listed = run_cli("confirm", str(path), "--list")
    assert listed.code == 0
    assert "system CRM System crm-system: roles = system-of-record" in listed.out
    assert "6 values to confirm" in listed.out
    refused = run_cli("confirm", str(path))
    assert refused.code == 2 and "--list" in refused.err


def test_confirm_in_a_real_terminal(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    env = {**os.environ, "TERM": "xterm-256color", "PROMPT_TOOLKIT_NO_CPR": "1"}
    for name in ("NO_COLOR", "COLUMNS", "LINES"):
        env.pop(name, None)
    child = pexpect.spawn(str(AUDITOR), ["confirm", path.name], cwd=str(tmp_path), env=env,
                          encoding="utf-8", dimensions=(40, 80), timeout=20)
    child.logfile_read = io.StringIO()
    child.expect("Is 'system-of-record' right for the roles of CRM System")
    child.send("\r")
    child.expect("Confirmed")
    child.expect("right for the roles of Web portal")
    child.send("\x03")
    child.expect(pexpect.EOF)
    child.close()
    said = " ".join(ANSI.sub("", child.logfile_read.getvalue()).split())
    assert "1 accepted, 0 changed, 0 skipped; 5 still to confirm" in said
    assert child.exitstatus == 130
    assert _to_confirm(path)["crm-system"] == []
    assert subprocess.run([str(AUDITOR), "validate", str(path)], capture_output=True).returncode == 0
