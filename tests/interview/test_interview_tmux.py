"""The executive path in a real terminal: tmux, 80 columns, keys as a person presses them.

tmux is a real terminal emulator (it answers prompt_toolkit's cursor queries and wraps lines
at its width), so what ``capture-pane`` returns is what the executive sees on screen.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.store.audit_file import load_audit

AUDITOR = Path(sys.executable).with_name("auditor")
WIDTH = 80


class Tmux:
    """One private tmux server (its own socket) running one command in an 80-column window."""

    def __init__(self, command: str, cwd: Path) -> None:
        self.socket = f"auditor-test-{uuid.uuid4().hex[:8]}"
        self._tmux("new-session", "-d", "-s", "t", "-x", str(WIDTH), "-y", "50", "-c", str(cwd),
                   f"{command}; echo EXIT:$?; sleep 600")

    def _tmux(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True,
                              check=True)
        return done.stdout

    def screen(self) -> str:
        return self._tmux("capture-pane", "-p", "-J", "-S", "-200", "-t", "t")

    def lines(self) -> list[str]:
        return self._tmux("capture-pane", "-p", "-S", "-200", "-t", "t").splitlines()

    def wait_for(self, text: str, after: int = 0) -> None:
        """Wait until ``text`` shows after the first ``after`` characters of the screen. The
        deadline only stops a hung test; nothing here measures speed."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if text in self.screen()[after:]:
                return
            time.sleep(0.1)
        pytest.fail(f"'{text}' never appeared; the screen was:\n{self.screen()}")

    def keys(self, *keys: str) -> None:
        self._tmux("send-keys", "-t", "t", *keys)

    def close(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[list[Tmux]]:
    assert shutil.which("tmux"), "tmux is missing: run 'make setup' (system-deps installs it)"
    subprocess.run([str(AUDITOR), "new", "Acme Retail", "-o", "acme.audit.yaml"], cwd=tmp_path,
                   check=True, capture_output=True)
    opened: list[Tmux] = []
    yield opened
    for t in opened:
        t.close()


def _run(terminal: list[Tmux], cwd: Path, *args: str) -> Tmux:
    t = Tmux(shlex.join([str(AUDITOR), *args]), cwd)
    terminal.append(t)
    return t


def test_executive_path_at_80_columns(terminal: list[Tmux], tmp_path: Path) -> None:
    t = _run(terminal, tmp_path, "interview", "acme.audit.yaml", "--audience", "executive",
             "-r", "Chief Executive")
    t.wait_for("is not a respondent yet. Add them?")
    t.keys("y")
    t.wait_for("Name")
    t.keys("Ada Lovelace", "Enter")
    t.wait_for("Role")
    t.keys("Enter")  # the role typed on the command line is the default
    t.wait_for("Department")
    t.keys("Enter")
    t.wait_for("The executive path: 22 questions, about 20 minutes.")
    t.wait_for("One person everywhere")  # q1.1's whole list is drawn
    # Nothing is cut off at the edge: the levels wrap inside 80 columns with their words whole.
    assert all(len(line) <= WIDTH for line in t.lines())
    words = " ".join(t.screen().split())
    assert "Records from several systems are matched automatically into one person." in words
    t.keys("Down", "Down", "Enter")  # q1.1 = 2
    t.wait_for("Note")
    t.keys("Enter")
    t.wait_for("question 2 of 22")
    t.wait_for("Do a person's holdings change what you send them?")
    t.keys("Enter")  # q2.4 = 0
    t.wait_for("Note", after=t.screen().index("question 2 of 22"))
    t.keys("Enter")
    t.wait_for("question 3 of 22")
    t.keys("C-c")
    t.wait_for("EXIT:130")

    screen = t.screen()
    assert "Saved 2 answers in this session; run the same command to resume." in " ".join(screen.split())
    # Practitioner and IT questions are not on the executive path.
    assert "q1.2" not in screen and "q1.3" not in screen and "q2.1" not in screen
    assert "q1.1 2  A written rule in one system" in screen  # the answer, in its words

    audit = load_audit(tmp_path / "acme.audit.yaml")
    ada = next(r for r in audit.respondents if r.name == "Ada Lovelace")
    assert ada.audience == "executive"
    assert {a.question: a.value for a in audit.answers} == {"q1.1": 2, "q2.4": 0}


def test_targets_are_asked_with_stage_names(terminal: list[Tmux], tmp_path: Path) -> None:
    t = _run(terminal, tmp_path, "interview", "acme.audit.yaml", "-r", "Ada", "--section",
             "targets")
    t.wait_for("Add them?")
    t.keys("y")
    t.wait_for("Name")
    t.keys("Enter")
    t.wait_for("Role")
    t.keys("Chief Executive", "Enter")
    t.wait_for("Department")
    t.keys("Enter")
    t.wait_for("Community and participation")  # the stages are the choices
    t.keys("Down", "Down", "Down", "Enter")  # Person: 3 Conversation
    t.wait_for("target.journeys")
    t.keys("Down", "Down", "Enter")  # Journeys: 2 Self-service
    t.wait_for("target.skills")
    t.keys("C-c")
    t.wait_for("EXIT:130")
    assert "target.person 3  Conversation" in t.screen()
    assert load_audit(tmp_path / "acme.audit.yaml").targets == {"person": 3, "journeys": 2}
