"""`auditor demo`: run the whole pipeline on the bundled example audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from auditor.cli import app, console

DEMO_AUDIT = "examples/demo.audit.yaml"


@app.command()
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the demo's outputs.")]
    = Path("demo-output"),
) -> None:
    """Run every stage on the bundled example audit and write the results."""
    from auditor.cli.summary import render_summary
    from auditor.content import content_path
    from auditor.store.audit_file import load_audit

    source = content_path(DEMO_AUDIT)
    audit = load_audit(source)
    console.out.print(f"[ok]✓[/ok] example audit is valid: {source.name}")
    render_summary(audit, console.out)
    output.mkdir(parents=True, exist_ok=True)
    steps = _pipeline_steps()
    for step in steps:
        step(audit, output)
    if not steps:
        console.out.print("Analysis and reports are not built yet: the demo stops after validation.")


def _pipeline_steps() -> list:
    """Stages that later modules register (graph, gaps, backtracking, report)."""
    from auditor.cli import demo_steps

    return list(demo_steps.STEPS)
