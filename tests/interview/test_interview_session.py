"""A whole interview through the real prompts: help, back, skip, n/a, notes, Ctrl-C, resume."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipe_keys import CTRL_C, DOWN, ENTER, run_with_keys
from rich.console import Console

from auditor.interview.prompts import Prompt, ask
from auditor.interview.runner import run_interview
from auditor.store.audit_file import load_audit


def _answers(path: Path) -> dict[str, Any]:
    """The answers on disk for Dana, as question -> (value, not_applicable, note, evidence)."""
    audit = load_audit(path)
    return {a.question: (a.value, a.not_applicable, a.note, a.evidence)
            for a in audit.answers if a.respondent == "dana-ortiz"}


class FileWatcher:
    """Asks through the real prompt function, and reads the audit file before every prompt,
    so a test can check what was on disk at each step of the session."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.steps: list[tuple[str, dict[str, Any]]] = []

    def __call__(self, prompt: Prompt) -> Any:
        self.steps.append((prompt.message, _answers(self.path)))
        return ask(prompt)

    def on_disk_at(self, message: str, occurrence: int = 0) -> dict[str, Any]:
        hits = [state for m, state in self.steps if m == message]
        return hits[occurrence]


def test_full_session_with_back_skip_na_note_interrupt_and_resume(
        audit_path: Path, screen: Console) -> None:
    watcher = FileWatcher(audit_path)
    keys = "".join([
        "?",                                   # q1.1: help, then asked again
        DOWN, DOWN, ENTER,                     # q1.1 = 2
        "evidence: match rules in the CRM" + ENTER,
        ">",                                   # q1.2 skipped
        "!", "We cannot count records" + ENTER,  # q1.3 not applicable (q1.3b then hidden)
        "<",                                   # from q1.4 back to q1.3
        "5000" + ENTER, "Estimate from the CRM admin" + ENTER,   # q1.3 = 5000 with a note
        "4000" + ENTER, ENTER,                 # q1.3b now applies
        CTRL_C,                                # stop at q1.4
    ])
    outcome = run_with_keys(keys, lambda: run_interview(
        audit_path, "head of service", out=screen, section="q1", asker=watcher))

    assert not outcome.finished
    assert outcome.saved == 4  # q1.1, q1.3 n/a, q1.3 value, q1.3b (notes ride along)
    # The file after each step, as the next prompt appeared:
    assert watcher.on_disk_at("q1.1") == {}
    assert watcher.on_disk_at("Note", 0) == {"q1.1": (2, False, None, None)}
    assert watcher.on_disk_at("q1.2")["q1.1"] == (2, False, None, "match rules in the CRM")
    assert "q1.2" not in watcher.on_disk_at("q1.3")
    assert watcher.on_disk_at("q1.4")["q1.3"] == (None, True, None, None)
    assert watcher.on_disk_at("q1.3", 1)["q1.3"] == (None, True, None, None)
    assert watcher.on_disk_at("Note", 1)["q1.3"] == (5000, False, None, None)
    assert watcher.on_disk_at("q1.3b")["q1.3"] == (5000, False, "Estimate from the CRM admin", None)
    final = _answers(audit_path)
    assert final["q1.3"] == (5000, False, "Estimate from the CRM admin", None)
    assert final["q1.3b"][0] == 4000
    assert "q1.2" not in final and "q1.4" not in final
    na = load_audit(audit_path).answer_for("q1.3", "dana-ortiz")
    assert na is not None and na.reason is None  # the later value replaced the n/a

    printed = screen.file.getvalue()  # type: ignore[attr-defined]
    assert "Why it matters:" in printed and "Evidence to ask for:" in printed
    assert "question 1 of 6" in printed  # q1.3b is hidden until q1.3 has a value
    assert "question 4 of 7" in printed
    assert "Skipped." in printed and "Marked not applicable." in printed

    # Resume: the first unanswered question is the skipped q1.2.
    resume_screen = Console(file=screen.file.__class__(), width=80, color_system=None)
    keys = (" " + ENTER + ENTER + " " + DOWN + " " + ENTER + ENTER  # q1.2 buyers; q1.4 email+phone
            + DOWN * 3 + ENTER + ENTER + ENTER + ENTER)  # q1.5 = 3 (one consent record); q1.6 = 0
    outcome = run_with_keys(keys, lambda: run_interview(
        audit_path, "Dana Ortiz", out=resume_screen, section="q1"))
    assert outcome.finished and outcome.answered == outcome.total == 7
    assert "Resuming at question 2 of 7" in resume_screen.file.getvalue()  # type: ignore[attr-defined]
    final = _answers(audit_path)
    assert final["q1.2"][0] == ["buyers"]
    assert final["q1.4"][0] == ["email", "phone"]
    assert (final["q1.5"][0], final["q1.6"][0]) == (3, 0)


def test_previous_answers_are_the_defaults(audit_path: Path, screen: Console) -> None:
    run_with_keys(DOWN * 3 + ENTER + "first note" + ENTER + CTRL_C,
                  lambda: run_interview(audit_path, "cio", out=screen, section="q7"))
    before = load_audit(audit_path).answer_for("q7.1", "sam-lee")
    assert before is not None and before.value == 3
    # All of q7 answered except q7.2..: going through again, Enter keeps the level and note.
    outcome = run_with_keys(ENTER * 2 + CTRL_C,
                            lambda: run_interview(audit_path, "cio", out=screen, section="q7"))
    assert not outcome.finished
    # Resumes at q7.2 (the first unanswered), so q7.1 keeps its answer untouched.
    after = load_audit(audit_path).answer_for("q7.1", "sam-lee")
    assert after is not None and (after.value, after.note) == (3, "first note")
    q72 = load_audit(audit_path).answer_for("q7.2", "sam-lee")
    assert q72 is not None and q72.value == 0


def test_back_on_first_question_stays_and_new_respondent_is_added(
        audit_path: Path, screen: Console) -> None:
    keys = ENTER + "Alex Kim" + ENTER + ENTER + "Marketing" + ENTER + "<" + CTRL_C
    outcome = run_with_keys(keys, lambda: run_interview(
        audit_path, "Head of Marketing", out=screen, section="q5"))
    assert not outcome.finished
    audit = load_audit(audit_path)
    added = next(r for r in audit.respondents if r.name == "Alex Kim")
    assert (added.id, added.role, added.department) == ("alex-kim", "Head of Marketing", "Marketing")
    assert "This is the first question." in screen.file.getvalue()  # type: ignore[attr-defined]
