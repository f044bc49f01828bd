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
    "--respondent", "-r", metavar="NAME", help="Who is answering: a respondent's id, name or role.")]
AddRespondentOpt = Annotated[bool, typer.Option(
    "--add-respondent", help="Add the --respondent as a new stakeholder if the audit lacks them.")]

respondent_app = typer.Typer(help="The stakeholders interviewed in an audit.",
                             no_args_is_help=True)
app.add_typer(respondent_app, name="respondent")


@app.command()
def interview(
    audit: AuditPath,
    respondent: RespondentOpt = None,
    section: Annotated[Optional[str], typer.Option(
        metavar="SECTION", help="Run one section only, e.g. q3 or channels (see 'auditor status').")] = None,
    bank: Annotated[Optional[str], typer.Option(
        metavar="BANK", help="Question bank: nine-questions (default), inventory, vision, or all.")] = None,
    answers: Annotated[Optional[Path], typer.Option(
        "--answers", metavar="FILE",
        help="Take the answers from a YAML file instead of asking: 'respondent: NAME' and "
             "'answers:' with one 'q1.1: 2' line per question.")] = None,
    no_input: Annotated[bool, typer.Option(
        "--no-input", help="Never prompt; fail if an answer would have to be asked.")] = False,
    add_respondent: AddRespondentOpt = False,
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
        stored = apply_answers_file(answers, doc.audit, respondent, add_respondent=add_respondent,
                                    audit_path=str(audit))
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
    note: Annotated[Optional[str], typer.Option(
        metavar="TEXT", help="A note kept with the answer.")] = None,
    evidence: Annotated[Optional[str], typer.Option(
        metavar="TEXT", help="Evidence seen or promised.")] = None,
    not_applicable: Annotated[Optional[str], typer.Option(
        "--not-applicable", "--na", metavar="REASON",
        help="Mark the question not applicable, with the reason.")] = None,
    add_respondent: AddRespondentOpt = False,
) -> None:
    """Record one answer without prompting (scripts, or fixing a single answer)."""
    from auditor.catalogue import load_catalogue
    from auditor.errors import UserError
    from auditor.interview.record import store_answer, store_target
    from auditor.interview.respondents import require_respondent
    from auditor.problems import did_you_mean
    from auditor.schema.answer_values import AnswerValueError, coerce, display
    from auditor.store.audit_file import open_audit, save_audit

    index = load_catalogue().questions
    q = index.get(question.strip().lower())
    if q is None:
        raise UserError(f"there is no question '{question}'{did_you_mean(question, index)}",
                        hint="Question ids look like q1.1 … q9.4; 'auditor status' lists sections.")
    doc = open_audit(audit)
    if q.type == "target" and q.component is not None:
        # A target is the client's, whoever states it: no respondent is needed.
        if value is None:
            raise InputNeededError(f"no level given for {q.id}",
                                   hint=f"Example: auditor answer {audit} {q.id} 3")
        try:
            level = coerce(q, value)
        except AnswerValueError as exc:
            raise UserError(f"{q.id}: {exc}", hint=q.text) from None
        store_target(doc.audit, q.component, int(level))  # type: ignore[arg-type]
        save_audit(doc)
        catalogue = load_catalogue()
        part = catalogue.component(q.component)
        console.out.print(f"[ok]Saved[/ok] target for {part.name if part else q.component}: "
                          f"{level} ({catalogue.stage(int(level))})",  # type: ignore[arg-type]
                          highlight=False)
        return
    who = require_respondent(doc.audit, respondent, action="record an answer", add=add_respondent,
                             audit_path=str(audit))
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


@respondent_app.command("add")
def respondent_add(
    audit: AuditPath,
    name: Annotated[str, typer.Argument(help="The person's name, e.g. \"Dana Ortiz\".",
                                        metavar="NAME")],
    role: Annotated[Optional[str], typer.Option(
        metavar="TEXT", help="Job title, e.g. \"Head of Service\".")] = None,
    department: Annotated[Optional[str], typer.Option(metavar="TEXT", help="Department.")] = None,
) -> None:
    """Add a stakeholder to interview (no terminal needed)."""
    from auditor.interview.respondents import add_respondent as add
    from auditor.store.audit_file import open_audit, save_audit

    doc = open_audit(audit)
    who = add(doc.audit, name, role, department)
    save_audit(doc)
    console.out.print(f"[ok]Added[/ok] {who.name} as respondent [id]{who.id}[/id].",
                      highlight=False)


@respondent_app.command("list")
def respondent_list(audit: AuditPath) -> None:
    """List the stakeholders of an audit with their ids."""
    from rich.markup import escape

    from auditor.store.audit_file import load_audit

    loaded = load_audit(audit)
    if not loaded.respondents:
        console.out.print(f"No respondents yet. Add one with: auditor respondent add {audit} NAME")
    for r in loaded.respondents:
        extra = ", ".join(x for x in (r.role, r.department) if x)
        console.out.print(f"[id]{escape(r.id)}[/id]  {escape(r.name)}"
                          f"{escape(' (' + extra + ')') if extra else ''}", highlight=False)


@app.command()
def confirm(
    audit: AuditPath,
    list_only: Annotated[bool, typer.Option(
        "--list", help="List the guessed values still to confirm; ask nothing.")] = False,
) -> None:
    """Go through the values an import guessed: accept, change or skip each one.

    Every decision is saved at once; Ctrl-C stops, and running it again resumes.
    """
    from rich.markup import escape

    from auditor.interview.confirm import pending_guesses, shown_value
    from auditor.schema.collections import items
    from auditor.store.audit_file import open_audit

    doc = open_audit(audit)
    if list_only:
        pending = pending_guesses(doc.audit)
        for g in pending:
            item = next(i for i in items(doc.audit, g.collection) if i.id == g.item_id)
            value = getattr(item, g.field, None)
            if value is None and g.field == "class":
                value = getattr(item, "data_class", None)
            console.out.print(f"{escape(g.noun)} [bold]{escape(g.item_name)}[/bold] "
                              f"[id]{escape(g.item_id)}[/id]: {escape(g.field)} = "
                              f"{escape(shown_value(value))}", highlight=False)
        n = len(pending)
        console.out.print(f"{n} value{'s' if n != 1 else ''} to confirm"
                          + (f"; walk them with: auditor confirm {audit}" if n else "."))
        return
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise InputNeededError(
            "confirming guesses asks questions in a terminal, and this is not one",
            hint=f"List them with: auditor confirm {audit} --list, then edit the file and "
                 "remove each field you checked from the item's to_confirm.")
    from auditor.interview.confirm import run_confirm
    from auditor.interview.prompts import ask

    outcome = run_confirm(doc, out=console.out, asker=ask)
    console.out.print()
    summary = (f"{outcome.accepted} accepted, {outcome.changed} changed, "
               f"{outcome.skipped} skipped; {outcome.remaining} still to confirm.")
    if not outcome.finished:
        console.out.print(f"[warn]Stopped.[/warn] {summary} Run the same command to resume.")
        raise typer.Exit(int(ExitCode.INTERRUPTED))
    console.out.print(f"[ok]Done.[/ok] {summary}")
