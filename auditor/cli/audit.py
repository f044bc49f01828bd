"""Commands on the audit file itself: new, validate, schema, show."""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from auditor.cli import app, console
from auditor.errors import ExitCode

AuditPath = Annotated[Path, typer.Argument(help="The audit file (YAML).", metavar="AUDIT")]


@app.command()
def new(
    client: Annotated[str, typer.Argument(help="The client's name, e.g. \"Acme Retail\".",
                                          metavar="CLIENT")],
    output: Annotated[Path, typer.Option(
        "-o", "--output", metavar="PATH",
        help="Where to write the audit (a missing folder is created).")],
    consultant: Annotated[Optional[str], typer.Option(
        metavar="NAME", help="Your name, for the report.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Start a new audit file for a client."""
    from auditor.store.new_audit import create_audit

    doc = create_audit(output, client, consultant=consultant, overwrite=force)
    console.out.print(f"[ok]Created[/ok] {doc.path} for {doc.audit.client.name!s}", markup=True,
                      highlight=False)
    console.out.print(f"Next: auditor interview {doc.path}  (or edit it; check with auditor validate)",
                      markup=False)


@app.command()
def validate(
    audit: AuditPath,
    json_output: Annotated[bool, typer.Option("--json", help="Problems as JSON.")] = False,
) -> None:
    """Check an audit file's structure and every reference in it."""
    from auditor.store.audit_file import validate_file

    report = validate_file(audit)
    if json_output:
        payload = {"file": str(audit), "valid": report.ok, "problems": [
            {"line": p.line, "column": p.column, "path": p.dotted_path, "message": p.message}
            for p in report.problems]}
        typer.echo(json.dumps(payload, indent=2))
    else:
        for problem in report.problems:
            typer.echo(str(problem))
        if report.ok:
            console.out.print(f"[ok]✓[/ok] {audit} is valid", markup=True)
        else:
            n = len(report.problems)
            console.err.print(f"[bad]✗[/bad] {n} problem{'s' if n != 1 else ''} in {audit}")
    if not report.ok:
        raise typer.Exit(int(ExitCode.INVALID))


class SchemaOf(str, Enum):
    audit = "audit"
    assessment = "assessment"


@app.command()
def schema(
    of: Annotated[SchemaOf, typer.Option(
        "--of", metavar="WHAT",
        help="audit (the audit file) or assessment (the report's assessment.json).")]
    = SchemaOf.audit,
) -> None:
    """Print the JSON Schema of the audit file, or of the assessment (for editors and tools)."""
    if of is SchemaOf.assessment:
        from auditor.render.report.json_export import assessment_json_schema

        typer.echo(json.dumps(assessment_json_schema(), indent=2))
        return
    from auditor.schema.json_schema import audit_json_schema

    typer.echo(json.dumps(audit_json_schema(), indent=2))


@app.command()
def show(audit: AuditPath) -> None:
    """Summarise an audit: inventory counts, answers per question and respondent."""
    from auditor.cli.summary import render_summary
    from auditor.store.audit_file import load_audit

    render_summary(load_audit(audit), console.out)
