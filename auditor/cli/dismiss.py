"""`auditor dismiss`: record the consultant's judgement on a finding in the audit; and how
`auditor gaps` shows what was dismissed, what came back and what is stale."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from auditor.cli import app, console
from auditor.errors import UserError

if TYPE_CHECKING:
    from auditor.analysis.dismissals import DismissalView, Dismissed
    from auditor.schema.audit import Dismissal

AuditPath = Annotated[Path, typer.Argument(help="The audit file (YAML).", metavar="AUDIT")]


def _who(explicit: str | None, consultant: str | None) -> str:
    if explicit and explicit.strip():
        return explicit.strip()
    if consultant:
        return consultant
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a container: say so rather than guess
        raise UserError("say who dismisses the finding", hint="Pass --by NAME, or set the "
                        "engagement's consultant in the audit.") from None


@app.command()
def dismiss(
    audit: AuditPath,
    finding: Annotated[str, typer.Argument(
        help="The finding's key, e.g. PER-06:store ('auditor gaps --json' lists them).",
        metavar="KEY")],
    reason: Annotated[str, typer.Option(
        "--reason", metavar="TEXT", help="Why: an accepted risk, a false positive, …")],
    until: Annotated[Optional[dt.datetime], typer.Option(
        "--until", metavar="DATE", formats=["%Y-%m-%d"],
        help="After this day (YYYY-MM-DD) the finding shows again.")] = None,
    by: Annotated[Optional[str], typer.Option(
        "--by", metavar="NAME", help="Who decided (default: the audit's consultant).")] = None,
) -> None:
    """Dismiss a finding (accepted risk or false positive): 'gaps' then hides and counts it."""
    from auditor.analysis.assess import assess
    from auditor.problems import did_you_mean
    from auditor.schema.audit import Dismissal
    from auditor.store.audit_file import open_audit, save_audit

    if not reason.strip():
        raise UserError("--reason is empty", hint="Say why the finding is dismissed.")
    doc = open_audit(audit)
    keys = {f.key: f for f in assess(doc.audit, include_planned=False).findings}
    if finding not in keys:
        raise UserError(f"no finding '{finding}' fires on {audit}{did_you_mean(finding, keys)}",
                        hint=f"'auditor gaps {audit} --json' lists each finding's key.")
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    if until is not None and until.date() < now.date():
        raise UserError(f"--until {until.date().isoformat()} is already past",
                        hint="Give the last day the dismissal should hold, today or later.")
    dismissal = Dismissal(finding=finding, reason=reason.strip(),
                          by=_who(by, doc.audit.engagement.consultant), at=now,
                          until=until.date() if until else None)
    others = [d for d in doc.audit.dismissals if d.finding != finding]
    replaced = len(others) != len(doc.audit.dismissals)
    doc.audit.dismissals = [*others, dismissal]
    save_audit(doc)
    shown = keys[finding]
    when = f" until {dismissal.until.isoformat()}" if dismissal.until else ""
    console.out.print(f"[ok]{'Updated' if replaced else 'Dismissed'}[/ok]{escape(when)}: "
                      f"{escape(shown.title)} ({escape(shown.message)})", highlight=False)


def dismissal_view(findings: Any, dismissals: list[Dismissal],
                   today: dt.date | None = None) -> DismissalView:
    from auditor.analysis.dismissals import apply_dismissals

    return apply_dismissals(findings, dismissals, today or dt.date.today())


def _line(item: Dismissed) -> str:
    d = item.dismissal
    until = f" until {d.until.isoformat()}" if d.until else ""
    return (f"{item.finding.severity} {item.finding.title}: {item.finding.message} "
            f"[by {d.by}, {d.at.date().isoformat()}{until}: {d.reason}]")


def render_dismissals(view: DismissalView, out: Console, show: bool) -> None:
    """What `gaps` adds after the findings: dismissed ones (counted, or listed with
    --show-dismissed), dismissals that ran out, and stale ones."""
    if view.dismissed:
        n = len(view.dismissed)
        out.print()
        if show:
            out.rule(f"[bold]Dismissed[/bold] ({n})", align="left")
            for item in view.dismissed:
                out.print(Padding(Text(f"• {_line(item)}"), (0, 0, 0, 2)))
        else:
            out.print(f"[muted]{n} dismissed finding{'s' if n != 1 else ''} not shown "
                      "(--show-dismissed lists them).[/muted]")
    for item in view.expired:
        out.print(f"[warn]Dismissal ran out[/warn] on {item.dismissal.until}: "
                  f"{escape(item.finding.title)} is shown again.", highlight=False)
    for stale in view.stale:
        out.print(f"[warn]Stale dismissal:[/warn] {escape(stale.finding)} no longer fires "
                  f"(dismissed by {escape(stale.by)} on {stale.at.date()}); remove it from "
                  "the audit's dismissals.", highlight=False)


def dismissals_json(view: DismissalView) -> dict[str, Any]:
    def row(item: Dismissed) -> dict[str, Any]:
        return {"finding": item.finding.model_dump(mode="json"),
                "dismissal": item.dismissal.model_dump(mode="json")}

    return {"dismissed": [row(i) for i in view.dismissed],
            "dismissal_expired": [row(i) for i in view.expired],
            "stale_dismissals": [d.model_dump(mode="json") for d in view.stale]}
