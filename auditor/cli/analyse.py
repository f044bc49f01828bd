"""`auditor score`, `auditor gaps`, `auditor rules`: the analysis of an audit.

Thin: parse options, call ``auditor.analysis.assess`` once, render. networkx is imported by
the library only when a command runs.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from auditor.cli import app, console
from auditor.cli.demo_steps import demo_step
from auditor.errors import ExitCode

if TYPE_CHECKING:
    from auditor.analysis.assess import Analysis

AuditPath = Annotated[Path, typer.Argument(help="The audit file (YAML).", metavar="AUDIT")]
JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable JSON on stdout.")]
PlannedFlag = Annotated[bool, typer.Option(
    "--what-if", help="Count items marked 'planned' as if they existed (what-if).")]


class Severity(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


class View(str, Enum):
    cause = "cause"
    rule = "rule"


class Component(str, Enum):
    person = "person"
    journeys = "journeys"
    skills = "skills"
    governance = "governance"
    technologies = "technologies"


def _emit_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def _assess(audit: Path, with_planned: bool = False, dismissals: bool = False) -> Any:
    """The assessment without its plans (roadmap, blueprint): the findings, root causes and
    rule statuses these commands show are the same either way."""
    from auditor.analysis.assess import assess
    from auditor.store.audit_file import load_audit

    loaded = load_audit(audit)
    assessment = assess(loaded, include_planned=with_planned, plans=False)
    return (assessment, loaded.dismissals) if dismissals else assessment


@app.command()
def score(audit: AuditPath, json_output: JsonFlag = False, with_planned: PlannedFlag = False) -> None:
    """Maturity 0–4 per question, per component and overall: self-rated beside evidenced,
    with stages, what each next stage requires, targets, caps, ties and disagreements."""
    from auditor.cli.analysis_view import render_scores

    from auditor.analysis.assess import analyse
    from auditor.store.audit_file import load_audit

    loaded = load_audit(audit)
    analysis = analyse(loaded, include_planned=with_planned)
    assessment = analysis.assessment
    if json_output:
        _emit_json({"client": assessment.client,
                    "scores": assessment.scores.model_dump(mode="json")})
        return
    asked = {s.question for q in assessment.scores.questions for s in q.subquestions}
    render_scores(assessment, console.out, names={r.id: r.name for r in loaded.respondents},
                  questions={q: analysis.catalogue.question_name(q) for q in sorted(asked)})


@app.command()
def gaps(
    audit: AuditPath,
    json_output: JsonFlag = False,
    min_severity: Annotated[Optional[Severity], typer.Option(
        "--min-severity", help="Only findings at least this severe.")] = None,
    component: Annotated[Optional[list[Component]], typer.Option(
        "--component", help="Only this blueprint component (repeat for several).")] = None,
    fail_on: Annotated[Optional[Severity], typer.Option(
        "--fail-on", help="Exit with code 1 when a listed finding is at least this severe.")] = None,
    with_planned: PlannedFlag = False,
    by: Annotated[View, typer.Option(
        "--by", help="cause: root causes with their findings as evidence; rule: every finding, "
                     "grouped by component and rule.")] = View.cause,
    show_dismissed: Annotated[bool, typer.Option(
        "--show-dismissed", help="Also list the findings dismissed in the audit.")] = False,
) -> None:
    """Root causes, most severe first, each with its findings and one recommendation."""
    from auditor.analysis.gaps import gap_list
    from auditor.cli.analysis_view import render_gaps, render_root_causes
    from auditor.cli.dismiss import dismissal_view, dismissals_json, render_dismissals

    assessment, dismissals = _assess(audit, with_planned, dismissals=True)
    # Dismissed findings are hidden (and counted); --fail-on looks only at what is shown.
    view = dismissal_view(assessment.findings, dismissals)
    listed = gap_list(assessment.model_copy(update={"findings": view.shown}),
                      min_severity.value if min_severity else None,
                      [c.value for c in component or []])
    if json_output:
        _emit_json({**listed.to_json(), **dismissals_json(view)})
    else:
        if by is View.rule:
            render_gaps(listed, console.out)
        else:
            render_root_causes(listed, console.out)
        render_dismissals(view, console.out, show_dismissed)
    if fail_on is not None and listed.reaches(fail_on.value):
        raise typer.Exit(int(ExitCode.FINDINGS))


@app.command()
def rules(
    audit: Annotated[Optional[Path], typer.Argument(
        help="Also show which rules this audit can be assessed on.", metavar="[AUDIT]")] = None,
    json_output: JsonFlag = False,
) -> None:
    """The gap-rule catalogue: id, title, severity, component and the data each rule needs."""
    from auditor.catalogue import load_catalogue
    from auditor.cli.analysis_view import render_catalogue
    from auditor.rules.engine import checked_rules

    metas = checked_rules(load_catalogue())
    statuses = None
    if audit is not None:
        statuses = {s.rule: s for s in _assess(audit).rules}
    if json_output:
        rows = []
        for m in metas:
            row = m.model_dump(mode="json", include={"id", "title", "component", "severity",
                                                     "needs", "remedy"})
            if statuses is not None and m.id in statuses:
                s = statuses[m.id]
                row.update(assessed=s.assessed, reason=s.reason, findings=s.findings)
            rows.append(row)
        _emit_json({"rules": rows})
        return
    render_catalogue(metas, console.out, statuses)


@demo_step
def gaps_demo_step(analysis: Analysis, output_dir: Path) -> None:
    """Demo stage: scores and gap analysis, summarised, with gaps.json written."""
    from auditor.analysis.gaps import gap_list
    from auditor.store.yaml_file import atomic_write

    assessment = analysis.assessment
    listed = gap_list(assessment)
    target = output_dir / "gaps.json"
    text = json.dumps(listed.to_json(), indent=2, ensure_ascii=False) + "\n"
    atomic_write(target, text.encode("utf-8"))
    from rich.markup import escape

    counts = ", ".join(f"{n} {s}" for s, n in listed.counts().items()) or "none"
    overall = assessment.scores.overall
    evidenced = assessment.scores.evidenced.level
    console.out.print(f"[ok]✓[/ok] gap analysis: maturity "
                      f"{'–' if overall is None else f'{overall:.1f}'} of 4 self-rated, "
                      f"{'–' if evidenced is None else f'{evidenced:.1f}'} evidenced; "
                      f"{len(listed.findings)} findings ({counts}) from "
                      f"{len(listed.root_causes)} root causes")
    from rich.table import Table

    top = Table.grid(padding=(0, 1))
    top.add_column(width=1)
    top.add_column(no_wrap=True)
    top.add_column(overflow="fold")
    for cause in listed.root_causes[:5]:  # already most severe first
        top.add_row("", f"[{cause.severity}]{cause.severity}[/{cause.severity}]",
                    escape(cause.headline))
    console.out.print(top)
    console.out.print(f"  written: {escape(str(target))}")
