"""An interview whose file a colleague saves meanwhile reloads it and keeps both sides' work."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipe_keys import CTRL_C, DOWN, ENTER, run_with_keys
from rich.console import Console

from auditor.interview.prompts import Prompt, ask
from auditor.interview.record import store_answer
from auditor.interview.runner import run_interview
from auditor.store.audit_file import load_audit, open_audit, save_audit


class Colleague:
    """Asks through the real prompts; just before the prompt named ``at`` appears, saves a
    change of its own to the audit, as a colleague working on the same file would."""

    def __init__(self, path: Path, at: str, change: Any) -> None:
        self.path, self.at, self.change, self.done = path, at, change, False

    def __call__(self, prompt: Prompt) -> Any:
        if prompt.message == self.at and not self.done:
            self.done = True
            doc = open_audit(self.path)
            self.change(doc.audit)
            save_audit(doc)
        return ask(prompt)


def test_interview_reloads_and_reapplies_after_a_concurrent_save(
        audit_path: Path, screen: Console) -> None:
    def sam_answers(audit: Any) -> None:
        store_answer(audit, "q1.1", "sam-lee", 3, note="Said in the corridor")

    # The colleague saves while Dana is being asked q1.1; Dana's answer comes after.
    asker = Colleague(audit_path, "q1.1", sam_answers)
    keys = DOWN + DOWN + ENTER + "first note" + ENTER + CTRL_C
    outcome = run_with_keys(keys, lambda: run_interview(
        audit_path, "dana", out=screen, section="q1", asker=asker))

    assert outcome.saved == 1  # the session went on instead of quitting
    audit = load_audit(audit_path)
    by = {(a.question, a.respondent): a for a in audit.answers}
    assert by[("q1.1", "dana-ortiz")].value == 2
    assert by[("q1.1", "dana-ortiz")].note == "first note"
    assert by[("q1.1", "sam-lee")].value == 3  # the colleague's answer is kept
    # The notice names the file, so where it wraps depends on the path: compare words only.
    assert "saved by someone else" in " ".join(screen.file.getvalue().split())


def test_a_conflicting_change_keeps_the_file_version_and_says_so(
        audit_path: Path, screen: Console) -> None:
    doc = open_audit(audit_path)
    store_answer(doc.audit, "q1.1", "dana-ortiz", 1)
    save_audit(doc)

    def overwrite(audit: Any) -> None:
        store_answer(audit, "q1.1", "dana-ortiz", 4, note="Corrected by the lead")

    # The session resumes at q1.2; Dana goes back to q1.1 and picks 2 while the colleague
    # sets it to 4: both changed the same answer.
    asker = Colleague(audit_path, "q1.1", overwrite)
    run_with_keys("<" + DOWN + ENTER + ENTER + CTRL_C, lambda: run_interview(
        audit_path, "dana", out=screen, section="q1", asker=asker))
    answer = load_audit(audit_path).answer_for("q1.1", "dana-ortiz")
    assert answer is not None and answer.value == 4 and answer.note == "Corrected by the lead"
    assert "their version kept" in " ".join(screen.file.getvalue().split())
