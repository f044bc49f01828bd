"""`auditor show`: what is in an audit, at a glance."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from auditor.schema.audit import Audit


def render_summary(audit: Audit, out: Console) -> None:
    from rich.markup import escape

    title = escape(audit.client.name)
    if audit.engagement.title:
        title += f" — {escape(audit.engagement.title)}"
    out.print(f"[bold]{title}[/bold]")
    inv, vis = audit.inventory, audit.vision
    counts = Table(title="Inventory", title_justify="left", show_header=True, box=None)
    counts.add_column("kind")
    counts.add_column("items", justify="right")
    counts.add_column("planned", justify="right")
    for kind in ("systems", "channels", "touchpoints", "flows", "data", "journeys", "teams",
                 "skills", "metrics", "policies", "capabilities"):
        items = getattr(inv, kind)
        planned = sum(1 for i in items if i.status == "planned")
        counts.add_row(kind, str(len(items)), str(planned) if planned else "")
    for kind in ("segments", "needs"):
        items = getattr(vis, kind)
        counts.add_row(f"{kind} (vision)", str(len(items)), "")
    out.print(counts)

    if not audit.respondents:
        out.print("No respondents yet.")
        return
    per_question: dict[str, Counter[str]] = {}
    for answer in audit.answers:
        per_question.setdefault(_section(answer.question), Counter())[answer.respondent] += 1
    table = Table(title="Answers per question and respondent", title_justify="left", box=None)
    table.add_column("question")
    respondents = [r.id for r in audit.respondents]
    for r in audit.respondents:
        table.add_column(escape(r.name if len(r.name) <= 14 else r.id[:14]), justify="right")
    for question in sorted(per_question, key=_sort_key):
        table.add_row(question, *(str(per_question[question][r] or "–") for r in respondents))
    if not per_question:
        out.print("Respondents: " + ", ".join(escape(r.name) for r in audit.respondents))
        out.print("No answers yet.")
        return
    out.print(table)


def _section(question: str) -> str:
    """'q8.1' -> 'q8'."""
    return question.split(".")[0]


def _sort_key(question: str) -> tuple[int, str]:
    digits = "".join(ch for ch in question if ch.isdigit())
    return (int(digits) if digits else 999, question)
