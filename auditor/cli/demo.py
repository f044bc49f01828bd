"""`auditor demo`: run the whole pipeline on the bundled example audit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from auditor.cli import app, console, demo_steps
from auditor.errors import UserError

DEMO_AUDIT = "examples/demo.audit.yaml"


@app.command()
def demo(
    output: Annotated[Path, typer.Option("-o", "--output", help="Folder for the demo's outputs.")]
    = Path("demo-output"),
) -> None:
    """Run every stage on the bundled example audit and write the results."""
    from auditor.analysis.assess import analyse
    from auditor.cli.summary import render_summary
    from auditor.content import content_path
    from auditor.store.audit_file import load_audit

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the output folder {output}: {exc.strerror or exc}") from None
    source = content_path(DEMO_AUDIT)
    audit = load_audit(source)
    console.out.print(f"[ok]✓[/ok] example audit is valid: {source.name}")
    render_summary(audit, console.out)
    analysis = analyse(audit)
    for step in demo_steps.STEPS:
        step(analysis, output)
    written = sorted(p.name for p in output.iterdir() if p.is_file())
    console.out.print(f"Outputs in {output}/: {', '.join(written) or 'none'}")
