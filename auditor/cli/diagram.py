"""`auditor graph`: draw the ecosystem diagram (SVG, PNG or DOT) with Graphviz.

Thin: parse options, call ``auditor.render.diagram.draw_audit`` once, list the files written.
networkx and the rule engine load only when the command runs.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from auditor.cli import app, console
from auditor.cli.demo_steps import demo_step

if TYPE_CHECKING:
    from auditor.analysis.assess import Analysis
    from auditor.render.diagram import DiagramResult


class Extra(str, Enum):
    touchpoints = "touchpoints"


class LayoutChoice(str, Enum):
    auto = "auto"
    dot = "dot"
    sfdp = "sfdp"


@app.command("graph")
def graph_command(
    audit: Annotated[Path, typer.Argument(help="The audit file (YAML).", metavar="AUDIT")],
    output: Annotated[Path, typer.Option(
        "-o", "--output", help="Diagram file: .svg, .png or .dot.")] = Path("ecosystem.svg"),
    with_: Annotated[Optional[list[Extra]], typer.Option(
        "--with", metavar="touchpoints", help="Also draw touchpoints and their channels.")]
    = None,
    what_if: Annotated[bool, typer.Option(
        "--what-if", help="Include items marked 'status: planned', drawn in blue.")] = False,
    layout: Annotated[LayoutChoice, typer.Option(
        help="Graphviz layout: dot (layered), sfdp (large graphs) or auto by size.")]
    = LayoutChoice.auto,
    aggregate: Annotated[Optional[bool], typer.Option(
        "--aggregate/--no-aggregate",
        help="Overview by role plus one detail file per role. Default: when the ecosystem "
             "has more systems than --aggregate-above.")] = None,
    clusters: Annotated[Optional[bool], typer.Option(
        "--clusters/--no-clusters",
        help="Group systems in boxes by role. Default: up to 40 systems; above, roles show "
             "as colours, which keeps flows short and readable.")] = None,
    aggregate_above: Annotated[Optional[int], typer.Option(
        min=1, help="System count above which the diagram is aggregated (default 150).")] = None,
    findings: Annotated[bool, typer.Option(
        "--findings/--no-findings", help="Highlight systems and flows named by findings.")]
    = True,
    json_output: Annotated[bool, typer.Option("--json", help="The files written, as JSON.")]
    = False,
    target: Annotated[bool, typer.Option(
        "--target", help="Also draw the target ecosystem beside it (NAME-target.svg): today's "
                         "plus the systems and flows the roadmap adds, as planned items.")]
    = False,
) -> None:
    """Draw the ecosystem: systems grouped by role, flows styled by mode, findings in colour."""
    from dataclasses import replace

    from auditor.render.diagram import (
        DiagramOptions,
        DiagramResult,
        draw_analysis,
        draw_graph,
        with_limits,
    )
    from auditor.store.audit_file import load_audit

    options = DiagramOptions(touchpoints=Extra.touchpoints in (with_ or []), layout=layout.value,
                             aggregate=aggregate, clusters=clusters, what_if=what_if)
    if aggregate_above is not None:
        options = with_limits(options, aggregate_above=aggregate_above)
    model = load_audit(audit)
    analysis = None
    if findings or target:
        from auditor.analysis.assess import analyse

        analysis = analyse(model, include_planned=what_if)
    if findings and analysis is not None:
        result = draw_analysis(analysis, output, options)
    else:
        result = draw_graph(model, output, options)
    if target and analysis is not None:
        from auditor.analysis.target_ecosystem import target_audit

        plan = analysis.assessment.roadmap
        additions = plan.additions if plan is not None else ()
        later = draw_graph(target_audit(model, additions),
                           output.with_name(f"{output.stem}-target{output.suffix}"),
                           replace(options, what_if=True,
                                   title=f"{model.client.name}: target after the roadmap"))
        result = DiagramResult(files=result.files + later.files,
                               aggregated=result.aggregated or later.aggregated)
    if json_output:
        typer.echo(json.dumps(_as_json(result), indent=2))
    else:
        _print_result(result)


def _as_json(result: DiagramResult) -> dict[str, Any]:
    return {"aggregated": result.aggregated, "files": [
        {"path": str(f.path), "view": f.view, "group": f.group, "engine": f.engine,
         "nodes": f.nodes, "seconds": round(f.seconds, 3), "shared": f.shared, "note": f.note}
        for f in result.files]}


def _print_result(result: DiagramResult) -> None:
    from rich.markup import escape

    if result.aggregated:
        details = len(result.files) - 1
        console.out.print(f"Aggregated: an overview by role and {details} detail "
                          f"view{'s' if details != 1 else ''}.")
    if not any(f.nodes for f in result.files):
        console.err.print("[warn]The audit lists no systems yet[/warn]: the diagram holds only "
                          "its legend. Add systems and flows to the inventory first.")
    for f in result.files:
        note = f"; {f.note}" if f.note else ""
        # A view laid out with others has only a share of their run: the whole is said below.
        took = "" if f.shared else f", {f.seconds:.1f} s"
        console.out.print(f"[ok]Wrote[/ok] {escape(str(f.path))} [muted]({f.engine}, "
                          f"{f.nodes} node{'s' if f.nodes != 1 else ''}{took}"
                          f"{escape(note)})[/muted]")
    shared = [f for f in result.files if f.shared]
    if shared:
        console.out.print(f"[muted]Graphviz laid out {len(shared)} of these views together "
                          f"({sum(f.seconds for f in shared):.1f} s).[/muted]")


@demo_step
def diagram_demo_step(analysis: Analysis, output_dir: Path) -> None:
    """The demo's ecosystem diagram; a missing Graphviz skips it without stopping the demo."""
    from auditor.errors import RenderError
    from auditor.render.diagram import draw_analysis

    target = output_dir / "ecosystem.svg"
    try:
        result = draw_analysis(analysis, target)
    except RenderError as exc:
        console.err.print(f"[warn]Diagram skipped:[/warn] {exc.message}"
                          + (f" ({exc.hint})" if exc.hint else ""), markup=True)
        return
    console.out.print(f"[ok]✓[/ok] ecosystem diagram: {', '.join(str(p) for p in result.paths)}")
