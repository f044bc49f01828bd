"""The interview: walks a respondent through bank questions, saving after every answer.

The session never holds answers in memory only: each answer (and each inventory item) is
written to the audit file through the store's atomic save before the next prompt appears, so
Ctrl-C or a closed terminal loses at most what was being typed. Running it again resumes at
the first question this respondent has not answered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.rule import Rule

from auditor.catalogue import load_catalogue
from auditor.errors import ContentError
from auditor.interview.capture import Capture
from auditor.interview.prompts import NAV_LEGEND, Nav, Prompt
from auditor.interview.record import applies, question_answered, store_answer, store_target
from auditor.problems import did_you_mean
from auditor.schema.answer_values import AnswerValueError, coerce, display
from auditor.schema.questionnaire import Question, QuestionBank, Section
from auditor.store.audit_file import AuditDocument
from auditor.store.reload import Reloaded, save_carrying_over

Asker = Callable[[Prompt], Any]

#: Returned by a step that should be asked again (after help, or a cancelled reason).
_AGAIN = object()


@dataclass(frozen=True)
class Step:
    bank: QuestionBank
    section: Section
    question: Question


def plan(bank: str | None = None, section: str | None = None,
         audience: str | None = None) -> list[Step]:
    """The questions to ask, in order: one section, one bank, or (default) the nine questions;
    with ``audience``, only the questions written for it (e.g. the executives' short path)."""
    steps = _plan(bank, section)
    if audience is None:
        return steps
    return [s for s in steps if s.question.for_audience(audience)]


def path_minutes(steps: list[Step]) -> float:
    """How long a plan usually takes, from the banks' per-question estimates."""
    return sum(s.question.minutes or 0.0 for s in steps)


def _plan(bank: str | None, section: str | None) -> list[Step]:
    banks = load_catalogue().banks
    if section is not None:
        for b in banks:
            for s in b.sections:
                if s.id == section:
                    return [Step(b, s, q) for q in s.questions]
        known = [s.id for b in banks for s in b.sections]
        raise ContentError(f"there is no section '{section}'{did_you_mean(section, known)}",
                           hint="Sections: " + ", ".join(known))
    if bank == "all":
        chosen = list(banks)
    else:
        wanted = bank or "nine-questions"
        chosen = [b for b in banks if b.id == wanted]
        if not chosen:
            known = [b.id for b in banks]
            raise ContentError(f"there is no question bank '{wanted}'{did_you_mean(wanted, known)}",
                               hint="Banks: " + ", ".join(known) + ", or 'all'.")
    return [Step(b, s, q) for b in chosen for s in b.sections for q in s.questions]


@dataclass
class Outcome:
    saved: int = 0  # answers written in this session
    answered: int = 0  # questions of the plan answered by the respondent at the end
    total: int = 0
    finished: bool = False


class Interview:
    """One respondent, one plan, one audit document."""

    def __init__(self, doc: AuditDocument, respondent: str, steps: list[Step], *,
                 out: Console, ask: Asker) -> None:
        self.doc = doc
        self.respondent = respondent
        self.steps = steps
        self.out = out
        self.ask = ask
        self.outcome = Outcome()
        self.capture = Capture(doc.audit, out, ask, self._save,
                               lambda: load_catalogue().products)
        if doc.saved_state is None:
            doc.remember_state()

    @property
    def audit(self) -> Any:
        return self.doc.audit

    def _save(self) -> None:
        """Save now; if a colleague saved the file meanwhile, take their version and carry
        this session's changes over to it instead of stopping."""
        self.doc = save_carrying_over(self.doc, self._reloaded)
        self.capture.audit = self.doc.audit

    def _reloaded(self, reloaded: Reloaded) -> None:
        report_reload(self.out, reloaded)

    def _active(self) -> list[int]:
        """Indexes of steps whose conditions hold for this respondent right now."""
        return [i for i, s in enumerate(self.steps)
                if applies(s.question, self.audit, self.respondent)]

    def _answered(self, step: Step) -> bool:
        return question_answered(step.question, self.audit, self.respondent)

    def run(self) -> Outcome:
        """Ask until the end of the plan. KeyboardInterrupt/EOFError propagate after saving."""
        active = self._active()
        if not active:
            self.outcome.finished = True
            return self.outcome
        pending = [i for i in active if not self._answered(self.steps[i])]
        # With questions still open, moving on goes to the next open one (answered ones stay
        # reachable with '<'); when everything is answered, the walk visits each in turn.
        review = not pending
        current: int | None
        if review:
            self.out.print(f"All {len(active)} questions are answered. Going through them again "
                           "with the answers as defaults; press > to keep one and move on.")
            current = active[0]
        else:
            current = pending[0]
            if current != active[0]:
                done = len(active) - len(pending)
                self.out.print(f"[ok]Resuming at question {active.index(current) + 1} of "
                               f"{len(active)}[/ok] ({done} answered so far).")
        shown_section: str | None = None
        repeat = False  # after help, ask again without repeating the header
        while current is not None:
            step = self.steps[current]
            active = self._active()
            if current not in active:
                current = _after(active, current)
                continue
            if step.section.id != shown_section:
                self._section_header(step)
                shown_section = step.section.id
            if not repeat:
                self._question_header(step, active.index(current) + 1, len(active))
            result = self._ask_step(step)
            repeat = result is _AGAIN
            if result is _AGAIN:
                continue
            if result is Nav.BACK:
                # Back is the previous question in the bank's order, answered or not, so
                # it also reaches questions passed over on the way (answered ones, on resume).
                earlier = [i for i in self._active() if i < current]
                if earlier:
                    current = earlier[-1]
                else:
                    self.out.print("  [muted]This is the first question.[/muted]")
                continue
            current = _after(self._active(), current,
                             None if review else lambda i: not self._answered(self.steps[i]))
        self._finish()
        return self.outcome

    # --- one question ---------------------------------------------------------------------
    def _ask_step(self, step: Step) -> Any:
        q = step.question
        previous = self.audit.answer_for(q.id, self.respondent)
        if previous is not None and previous.not_applicable:
            self.out.print(f"  [muted]Marked not applicable before: {escape(previous.reason or '')}"
                           "[/muted]")
        if q.type == "inventory":
            reply: Any = self.capture.run(q, lambda: self._help(q))
            if isinstance(reply, list):
                self._store(q, reply)
                self._note(q)
                return None
        else:
            reply = self.ask(self._prompt(q, previous.value if previous else None))
        if reply is Nav.HELP:
            self._help(q)
            return _AGAIN
        if reply is Nav.BACK:
            return Nav.BACK
        if reply is Nav.SKIP:
            self.out.print("  [muted]Skipped.[/muted]")
            return Nav.SKIP
        if reply is Nav.NOT_APPLICABLE:
            return self._not_applicable(q, previous.reason if previous else None)
        try:
            value = coerce(q, reply)
        except AnswerValueError as exc:  # the prompt validates; a bank change can still clash
            self.out.print(f"  [bad]{escape(str(exc))}[/bad]")
            return _AGAIN
        self._store(q, value)
        if q.type != "target":  # a target is the client's, not an answer with notes
            self._note(q)
        return None

    def _prompt(self, q: Question, previous: Any) -> Prompt:
        if q.type == "target":
            stages = load_catalogue().scoring.stages
            current = self.audit.targets.get(q.component or "")
            return Prompt("select", q.id, choices=[(f"{st.level}  {st.name}", st.level)
                                                   for st in stages],
                          nav=True, default=current)
        if q.type == "rubric":
            choices = [(f"{lv.level}  {lv.label}: {lv.description}", lv.level) for lv in q.levels]
            return Prompt("select", q.id, choices=choices, nav=True,
                          default=previous if isinstance(previous, int) else None)
        if q.type == "choice":
            return Prompt("select", q.id, choices=[(o.label, o.value) for o in q.options],
                          default=previous if q.option(str(previous)) else None, nav=True)
        if q.type == "multi":
            def ticks(values: list[str]) -> str | None:
                if not values:
                    return "tick at least one option with Space, or press > to skip"
                try:
                    coerce(q, values)
                except AnswerValueError as exc:
                    return str(exc)
                return None

            return Prompt("checkbox", q.id, choices=[(o.label, o.value) for o in q.options],
                          default=previous if isinstance(previous, list) else [], nav=True,
                          check=ticks)

        def check(text: str) -> str | None:
            if not text.strip():
                return "type an answer, or press > to skip it"
            try:
                coerce(q, text)
            except AnswerValueError as exc:
                return str(exc)
            return None

        unit = f"({q.unit})" if q.unit else ("(0–100 %)" if q.type == "percent" else None)
        default = display(q, previous).removesuffix(f" {q.unit}") if previous is not None else None
        return Prompt("text", q.id, default=default, check=check, nav=True, instruction=unit)

    def _store(self, q: Question, value: Any, reason: str | None = None) -> None:
        if q.type == "target" and q.component is not None:
            if reason is None:  # a target that does not apply is simply left unset
                store_target(self.audit, q.component, int(value))
                self._save()
                self.outcome.saved += 1
            return
        store_answer(self.audit, q.id, self.respondent, value, not_applicable_reason=reason)
        self._save()
        self.outcome.saved += 1

    def _not_applicable(self, q: Question, old_reason: str | None) -> Any:
        reason = self.ask(Prompt("text", "Why does it not apply?", default=old_reason or "",
                                 instruction="(required; empty to go back)"))
        if not reason.strip():
            return _AGAIN
        self._store(q, None, reason=reason.strip())
        self.out.print("  [muted]Marked not applicable.[/muted]")
        return None

    def _note(self, q: Question) -> None:
        answer = self.audit.answer_for(q.id, self.respondent)
        reply = self.ask(Prompt("text", "Note", default=answer.note if answer else "",
                                instruction="(optional)"))
        text = (reply or "").strip()
        if not text:
            return
        is_evidence = text.lower().startswith("evidence:")
        note, evidence = (None, text.split(":", 1)[1].strip()) if is_evidence else (text, None)
        if answer is None or (note or evidence) == (answer.note if note else answer.evidence):
            return
        # The one not given (None) keeps its earlier text (store_answer's keep_notes).
        store_answer(self.audit, q.id, self.respondent, answer.value, note=note,
                     evidence=evidence,
                     not_applicable_reason=answer.reason if answer.not_applicable else None)
        self._save()

    # --- output -------------------------------------------------------------------------------
    def _section_header(self, step: Step) -> None:
        self.out.print()
        label = f"{step.section.question}  " if step.section.question else ""
        self.out.print(Rule(f"[bold]{escape(label + step.section.title)}[/bold]", align="left",
                            style="cyan"))
        if step.section.intro:
            self.out.print(f"[muted]{escape(step.section.intro)}[/muted]")

    def _question_header(self, step: Step, number: int, total: int) -> None:
        q = step.question
        self.out.print()
        self.out.print(f"[id]{escape(q.id)}[/id]  [muted]question {number} of {total}[/muted]")
        self.out.print(f"[bold]{escape(q.text)}[/bold]")
        self.out.print(f"[muted]{NAV_LEGEND}[/muted]")

    def _help(self, q: Question) -> None:
        lines = []
        if q.help:
            lines.append(f"[bold]Why it matters:[/bold] {escape(q.help)}")
        if q.evidence:
            lines.append(f"[bold]Evidence to ask for:[/bold] {escape(q.evidence)}")
        if q.feeds:
            lines.append(f"[bold]Used for:[/bold] {escape(', '.join(_feed_words(f) for f in q.feeds))}")
        if q.type == "multi":
            lines.append("Space ticks an option, Enter confirms.")
        lines.append("After the answer, a note that starts with 'evidence:' is filed as "
                     "evidence.")
        if q.type == "inventory":
            lines.append("Name an item already captured to change it; Tab completes names.")
        for line in lines or ["No help is written for this question."]:
            self.out.print(Padding(line, (0, 0, 0, 2)))

    def _finish(self) -> None:
        active = self._active()
        answered = sum(1 for i in active if self._answered(self.steps[i]))
        self.outcome.answered, self.outcome.total = answered, len(active)
        self.outcome.finished = True


def report_reload(out: Console, reloaded: Reloaded) -> None:
    out.print(f"  [warn]{escape(str(reloaded.doc.path))} was saved by someone else meanwhile; "
              "reloaded it and kept your answer.[/warn]")
    for where in reloaded.conflicts:
        out.print(f"  [warn]Changed on both sides, their version kept:[/warn] {escape(where)}")


def _after(active: list[int], current: int,
           wanted: Callable[[int], bool] | None = None) -> int | None:
    """The next active step after ``current`` (that ``wanted`` accepts, if given)."""
    return next((i for i in active if i > current and (wanted is None or wanted(i))), None)


def _feed_words(feed: str) -> str:
    """'rule:PER-01' -> 'gap rule PER-01': the help is read out to clients, not developers."""
    kind, _, target = feed.partition(":")
    if kind == "score":
        return "the maturity score"
    if kind == "report":
        return "the report"
    if kind == "rule":
        return f"gap rule {target}"
    where, _, attr = target.partition(".")
    words = where.replace("_", " ")
    return f"the {kind} ({words}{': ' + attr.replace('_', ' ') if attr else ''})"
