"""Commands for collecting answers: interview (terminal or answers file), answer, status."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor.cli import app, console
from auditor.errors import ExitCode, InputNeededError

AuditPath = Annotated[Path, typer.Argument(help="The audit file (YAML).", metavar="AUDIT")]
class Audience(str, Enum):
    executive = "executive"
    practitioner = "practitioner"
    it = "it"


RespondentOpt = Annotated[Optional[str], typer.Option(
    "--respondent", "-r", help="Who is answering: a respondent's id, name or role.")]


@app.command()
def interview(
    audit: AuditPath,
    respondent: RespondentOpt = None,
    section: Annotated[Optional[str], typer.Option(
        help="Run one section only, e.g. q3 or channels (see 'auditor status').")] = None,
    bank: Annotated[Optional[str], typer.Option(
        help="Question bank: nine-questions (default), inventory, vision, or all.")] = None,
    answers: Annotated[Optional[Path], typer.Option(
        "--answers", metavar="FILE", help="Take the answers from a YAML file instead of asking.")] = None,
    no_input: Annotated[bool, typer.Option(
        "--no-input", help="Never prompt; fail if an answer would have to be asked.")] = False,
    audience: Annotated[Optional[Audience], typer.Option(
        help="Ask only the questions written for this audience; 'executive' is a short path "
             "(about 20 minutes) for the C-suite.")] = None,
) -> None:
    """Interview a stakeholder: the nine audit questions and the inventory, saved as you go.

    Keys during the interview: ? help, < back, > skip, ! not applicable, Ctrl-C save and stop.
    Run the same command again to resume where it stopped.
    """
    if answers is not None:
        from auditor.interview.answers_file import apply_answers_file
        from auditor.store.audit_file import open_audit, save_audit

        doc = open_audit(audit)
        stored = apply_answers_file(answers, doc.audit, respondent)
        save_audit(doc)
        console.out.print(f"[ok]Stored {len(stored)} answer{'s' if len(stored) != 1 else ''}[/ok] "
                          f"from {answers} in {audit}.")
        return
    if no_input or not (sys.stdin.isatty() and sys.stdout.isatty()):
        why = "--no-input was given" if no_input else "this is not an interactive terminal"
        raise InputNeededError(
            f"the interview asks questions in a terminal, and {why}",
            hint=f"Give the answers in a file: auditor interview {audit} --answers answers.yaml, "
                 f"or one at a time: auditor answer {audit} q8.1 2 --respondent NAME.")
    from auditor.interview.runner import run_interview

    outcome = run_interview(audit, respondent, out=console.out, bank=bank, section=section,
                            audience=audience.value if audience is not None else None)
    if not outcome.finished:
        console.out.print()
        console.out.print(f"[warn]Stopped.[/warn] Saved {outcome.saved} answer"
                          f"{'s' if outcome.saved != 1 else ''} in this session; "
                          "run the same command to resume.")
        raise typer.Exit(int(ExitCode.INTERRUPTED))
    console.out.print()
    console.out.print(f"[ok]Done.[/ok] {outcome.answered} of {outcome.total} questions answered "
                      f"({outcome.saved} saved in this session). "
                      f"See what is missing with: auditor status {audit}")


@app.command()
def answer(
    audit: AuditPath,
    question: Annotated[str, typer.Argument(help="Question id, e.g. q8.1.", metavar="QUESTION")],
    value: Annotated[Optional[str], typer.Argument(
        help="The answer: a level 0–4, an option, several options separated by commas, "
             "a number or text.", metavar="VALUE")] = None,
    respondent: RespondentOpt = None,
    note: Annotated[Optional[str], typer.Option(help="A note kept with the answer.")] = None,
    evidence: Annotated[Optional[str], typer.Option(help="Evidence seen or promised.")] = None,
    not_applicable: Annotated[Optional[str], typer.Option(
        "--not-applicable", "--na", metavar="REASON",
        help="Mark the question not applicable, with the reason.")] = None,
) -> None:
    """Record one answer without prompting (scripts, or fixing a single answer)."""
    from auditor.catalogue import load_catalogue
    from auditor.errors import UserError
    from auditor.interview.record import store_answer, store_target
    from auditor.interview.respondents import require_respondent
    from auditor.interview.values import AnswerValueError, coerce, display
    from auditor.problems import did_you_mean
    from auditor.store.audit_file import open_audit, save_audit

    index = load_catalogue().questions
    q = index.get(question.strip().lower())
    if q is None:
        raise UserError(f"there is no question '{question}'{did_you_mean(question, index)}",
                        hint="Question ids look like q1.1 … q9.4; 'auditor status' lists sections.")
    doc = open_audit(audit)
    who = require_respondent(doc.audit, respondent, action="record an answer")
    if not_applicable is not None:
        if not not_applicable.strip():
            raise UserError("--not-applicable needs a reason")
        stored = None
    else:
        if value is None:
            raise InputNeededError(f"no answer given for {q.id}",
                                   hint=f"Example: auditor answer {audit} {q.id} VALUE "
                                        f"--respondent {who.id}, or --not-applicable REASON.")
        try:
            stored = coerce(q, value)
        except AnswerValueError as exc:
            raise UserError(f"{q.id}: {exc}", hint=q.text) from None
    if q.type == "target" and q.component is not None and isinstance(stored, int):
        store_target(doc.audit, q.component, stored)  # the client's target, not an answer
    else:
        store_answer(doc.audit, q.id, who.id, stored, note=note, evidence=evidence,
                     not_applicable_reason=not_applicable.strip() if not_applicable else None)
    save_audit(doc)
    shown = "not applicable" if not_applicable else display(q, stored)
    console.out.print(f"[ok]Saved[/ok] {q.id} = {shown} for {who.name}", markup=True,
                      highlight=False)


@app.command()
def status(
    audit: AuditPath,
    json_output: Annotated[bool, typer.Option("--json", help="The status as JSON.")] = False,
) -> None:
    """Show what is answered and missing per section and respondent, and where they disagree."""
    from auditor.cli.interview_status import render_status
    from auditor.interview.status import audit_status
    from auditor.store.audit_file import load_audit

    loaded = load_audit(audit)
    result = audit_status(loaded)
    if json_output:
        from dataclasses import asdict

        typer.echo(json.dumps(asdict(result), indent=2))
        return
    render_status(loaded, result, console.out)
