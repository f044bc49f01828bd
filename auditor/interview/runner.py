"""Entry points for the ``interview`` command and for anyone driving an interview from code."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from auditor.errors import InputNeededError
from auditor.interview.prompts import Nav, Prompt, ask, catching_interrupts
from auditor.interview.respondents import add_respondent, find_respondent
from auditor.interview.session import Asker, Interview, Outcome, path_minutes, plan
from auditor.schema.audit import Respondent
from auditor.store.audit_file import AuditDocument, open_audit, save_audit


def run_interview(path: Path, respondent: str | None, *, out: Console, bank: str | None = None,
                  section: str | None = None, audience: str | None = None,
                  asker: Asker = ask) -> Outcome:
    """Interview one respondent in the terminal, saving after every answer.

    Ctrl-C or a closed terminal ends the session cleanly: the returned outcome says how many
    answers were saved and ``finished`` is False.
    """
    steps = plan(bank, section, audience)
    doc = open_audit(path)
    outcome = Outcome()
    with catching_interrupts():
        return _run(doc, respondent, steps, out, audience, asker, outcome)


def _run(doc: AuditDocument, respondent: str | None, steps: list[Any], out: Console,
         audience: str | None, asker: Asker, outcome: Outcome) -> Outcome:
    try:
        who = choose_respondent(doc, respondent, out=out, asker=asker)
        if audience is not None and who.audience is None:
            # Remember who they are, so 'status' can tell which audiences are still missing.
            who.audience = audience  # type: ignore[assignment]
            save_audit(doc)
        interview = Interview(doc, who.id, steps, out=out, ask=asker)
        out.print(f"Interviewing [bold]{escape(who.name)}[/bold]"
                  f"{escape(', ' + who.role) if who.role else ''} for "
                  f"{escape(doc.audit.client.name)}. Every answer is saved as you go.")
        if audience is not None:
            out.print(f"The {escape(audience)} path: {len(steps)} questions, about "
                      f"{round(path_minutes(steps))} minutes.")
        outcome = interview.outcome
        return interview.run()
    except (KeyboardInterrupt, EOFError):
        outcome.finished = False
        return outcome


def choose_respondent(doc: AuditDocument, text: str | None, *, out: Console,
                      asker: Asker) -> Respondent:
    """The respondent named by ``text``; asks to pick or add one when it is unknown."""
    audit = doc.audit
    if text:
        found = find_respondent(audit, text)
        if found is not None:
            return found
        add = asker(Prompt("confirm", f"'{text}' is not a respondent yet. Add them?", default=True))
        if not add:
            raise InputNeededError(f"no respondent '{text}' in {doc.path}",
                                   hint="Pick one of the known respondents with --respondent.")
        return _add(doc, out, asker, text)
    if len(audit.respondents) == 1:
        return audit.respondents[0]
    if audit.respondents:
        choices: list[tuple[str, Any]] = [(_label(r), r.id) for r in audit.respondents]
        choices.append(("Someone new", None))
        picked = asker(Prompt("select", "Who is answering?", choices=choices))
        if picked is not None and not isinstance(picked, Nav):
            return next(r for r in audit.respondents if r.id == picked)
    return _add(doc, out, asker, "")


def _label(r: Respondent) -> str:
    return f"{r.name} ({r.role})" if r.role else r.name


def _add(doc: AuditDocument, out: Console, asker: Asker, text: str) -> Respondent:
    def required(value: str) -> str | None:
        return None if value.strip() else "a name is needed"

    looks_like_role = bool(text) and text.lower().startswith(("head", "chief", "vp", "director",
                                                              "manager", "cio", "cmo", "ceo",
                                                              "cto", "coo", "cfo", "cdo"))
    name = asker(Prompt("text", "Name", default="" if looks_like_role else text, check=required))
    role = asker(Prompt("text", "Role", default=text if looks_like_role else "",
                        instruction="(optional, e.g. Head of Service)"))
    department = asker(Prompt("text", "Department", instruction="(optional)"))
    respondent = add_respondent(doc.audit, name, role.strip() or None, department.strip() or None)
    save_audit(doc)
    out.print(f"[ok]Added respondent[/ok] [id]{escape(respondent.id)}[/id]")
    return respondent

