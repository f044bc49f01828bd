"""``auditor status`` as text: a table per section and respondent, then gaps and disagreements."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.table import Table

from auditor.interview.status import AuditStatus
from auditor.schema.audit import Audit

#: Unanswered questions named per respondent before "and N more".
MISSING_SHOWN = 5


def render_status(audit: Audit, status: AuditStatus, out: Console) -> None:
    counts = ", ".join(f"{n} {name}" for name, n in status.inventory.items())
    out.print(f"[bold]Inventory[/bold] (shared by all respondents): {counts}.")
    out.print()
    if not status.respondents:
        out.print("No respondents yet. Start with: auditor interview AUDIT --respondent NAME")
        return
    names = {r.id: r.name for r in audit.respondents}
    short = _short_names(audit)
    table = Table(title=f"Answers for {escape(audit.client.name)}", title_justify="left",
                  show_edge=False, pad_edge=False, expand=False)
    table.add_column("section", no_wrap=True)
    table.add_column("", style="muted", no_wrap=True, max_width=32, overflow="ellipsis")
    for rid in status.respondents:
        table.add_column(escape(short[rid]), justify="right", max_width=14, no_wrap=True,
                         overflow="ellipsis")
    bank = None
    for section in status.sections:
        if section.shared:
            continue
        if bank is not None and section.bank != bank:
            table.add_section()
        bank = section.bank
        cells = []
        for rid in status.respondents:
            cell = section.cells[rid]
            done = cell.answered + cell.not_applicable
            style = "ok" if done == cell.total else ("warn" if done else "muted")
            cells.append(f"[{style}]{done}/{cell.total}[/{style}]")
        table.add_row(f"[bold]{escape(section.section)}[/bold]", escape(section.title), *cells)
    out.print(table)
    out.print()
    from auditor.catalogue import load_catalogue

    catalogue = load_catalogue()
    for rid in status.respondents:
        missing = [q for s in status.sections if s.bank == "nine-questions"
                   for q in s.cells[rid].missing]
        if missing:
            # Named by their short titles; the id (muted) is what --section and the answer
            # files use.
            shown = "; ".join(f"{escape(catalogue.question_name(q))} [muted]({escape(q)})[/muted]"
                              for q in missing[:MISSING_SHOWN])
            more = (f"; and {len(missing) - MISSING_SHOWN} more"
                    if len(missing) > MISSING_SHOWN else "")
            count = f"{len(missing)} question{'s' if len(missing) != 1 else ''}"
            out.print(f"[bold]{escape(names[rid])}[/bold] has not answered {count}: "
                      f"{shown}{more}")
        else:
            out.print(f"[bold]{escape(names[rid])}[/bold] [ok]answered all nine questions[/ok]")
    not_applicable = [a for a in audit.answers if a.not_applicable and a.respondent in names]
    if not_applicable:
        out.print()
        out.print("Marked not applicable (counted as answered):")
        for a in not_applicable:
            out.print(Padding(f"[id]{escape(a.question)}[/id] {escape(names[a.respondent])}: "
                              f"{escape(a.reason or '')}", (0, 0, 0, 2)))
    if status.disagreements:
        out.print()
        out.print("[warn]Respondents disagree by 2 or more levels:[/warn]")
        for d in status.disagreements:
            levels = ", ".join(f"{escape(names[r])} {lv}" for r, lv in sorted(d.levels.items()))
            out.print(f"  [id]{d.question}[/id] {escape(d.text)}")
            out.print(f"      {levels}")
    if status.audiences:
        out.print()
        out.print("[bold]Audiences still to hear from[/bold] (questions written for them that "
                  "none of them has answered):")
        by_section: dict[str, dict[str, list[str]]] = {}
        for gap in status.audiences:
            per = by_section.setdefault(gap.section, {})
            for audience in gap.missing:
                per.setdefault(audience, []).append(gap.question)
        for section_id, per in by_section.items():
            said = "; ".join(f"{AUDIENCE_NAMES.get(who, who)} ({', '.join(qs)})"
                             for who, qs in per.items())
            out.print(Padding(f"[bold]{escape(section_id.upper())}[/bold] {escape(said)}",
                              (0, 0, 0, 2)))
    if status.unknown_questions:
        out.print()
        out.print("[muted]Answers to questions no bank knows (kept, not scored): "
                  f"{escape(', '.join(status.unknown_questions))}[/muted]")


AUDIENCE_NAMES = {"executive": "executives", "practitioner": "practitioners", "it": "IT"}


def _short_names(audit: Audit) -> dict[str, str]:
    """Column headings: first names where they are unique, ids otherwise (80 columns)."""
    firsts = [r.name.split()[0] for r in audit.respondents]
    return {r.id: (first if firsts.count(first) == 1 else r.id)
            for r, first in zip(audit.respondents, firsts)}
