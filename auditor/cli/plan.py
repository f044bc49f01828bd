"""`auditor roadmap` and `auditor blueprint`: what to do next, in what order, and the five
components it builds towards.

Thin: parse options, call ``auditor.analysis.assess.analyse`` once, render what the assessment
holds (the roadmap and the blueprint are part of it).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from auditor.cli import app, console
from auditor.cli.analyse import AuditPath, Component, JsonFlag, PlannedFlag
from auditor.cli.demo_steps import demo_step

if TYPE_CHECKING:
    from auditor.analysis.assess import Analysis
    from auditor.schema.assessment import Assessment


def _emit(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))


def _assessment(audit: Path, what_if: bool) -> Assessment:
    from auditor.analysis.assess import assess
    from auditor.store.audit_file import load_audit

    return assess(load_audit(audit), include_planned=what_if)


@app.command()
def roadmap(audit: AuditPath, json_output: JsonFlag = False, what_if: PlannedFlag = False) -> None:
    """Remedies in phases by their dependencies: why, systems, owner, effort, reach."""
    from auditor.cli.plan_view import render_roadmap

    assessment = _assessment(audit, what_if)
    assert assessment.roadmap is not None  # analyse always plans one
    if json_output:
        _emit({"client": assessment.client, "audit": assessment.audit.model_dump(mode="json"),
               "roadmap": assessment.roadmap.model_dump(mode="json")})
        return
    render_roadmap(assessment.client, assessment.roadmap, console.out,
                   {f.key: f.message for f in assessment.findings})


@app.command()
def blueprint(
    audit: AuditPath,
    component: Annotated[Optional[list[Component]], typer.Option(
        "--component", help="Only this component (repeat for several).")] = None,
    json_output: JsonFlag = False,
    what_if: PlannedFlag = False,
) -> None:
    """The five components: current state, maturity vs target, target state, recommendations."""
    from auditor.cli.plan_view import render_blueprint
    from auditor.schema.blueprint import Blueprint

    assessment = _assessment(audit, what_if)
    assert assessment.blueprint is not None
    wanted = {c.value for c in component or []}
    shown = Blueprint(components=tuple(c for c in assessment.blueprint.components
                                       if not wanted or c.component in wanted))
    if json_output:
        _emit({"client": assessment.client, "audit": assessment.audit.model_dump(mode="json"),
               "blueprint": shown.model_dump(mode="json")})
        return
    render_blueprint(assessment.client, shown, console.out)


@demo_step
def roadmap_demo_step(analysis: Analysis, output_dir: Path) -> None:
    """Demo stage: the roadmap's phases, with roadmap.json written."""
    from rich.markup import escape

    from auditor.cli.plan_view import remedy_titles, render_phase_table
    from auditor.store.yaml_file import atomic_write

    plan = analysis.assessment.roadmap
    if plan is None:
        return
    target = output_dir / "roadmap.json"
    text = json.dumps(plan.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"
    atomic_write(target, text.encode("utf-8"))
    titles = remedy_titles(plan)
    first = "; ".join(titles.get(r, r) for r in plan.next_90_days) or "nothing"
    console.out.print(f"[ok]✓[/ok] roadmap: {len(plan.items)} items in {len(plan.phases)} "
                      f"phases; next 90 days: {escape(first)}")
    render_phase_table(plan, console.out)
    console.out.print(f"  written: {escape(str(target))}")
