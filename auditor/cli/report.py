"""`auditor report`: the client deliverable (PDF, HTML, Markdown, JSON) from one assessment.

Thin: load the audit and the theme, compute the assessment once, hand both to
``auditor.render.report.render_report``, list what was written. WeasyPrint, networkx and
Graphviz load only when the command runs.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from auditor.cli import app, console
from auditor.cli.demo_steps import demo_step
from auditor.errors import UserError


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise UserError(f"'{text}' is not a date", hint="write it as YYYY-MM-DD") from None


@app.command("report")
def report_command(
    audit: Annotated[Path, typer.Argument(help="The audit file (YAML).", metavar="AUDIT")],
    output: Annotated[Path, typer.Option(
        "-o", "--output", metavar="DIR", help="Folder for the report files.")] = Path("report"),
    formats: Annotated[str, typer.Option(
        "--format", "-f", metavar="FORMATS",
        help="Comma-separated: pdf, html, md, json.")] = "pdf,html,md,json",
    theme: Annotated[Optional[Path], typer.Option(
        metavar="FILE",
        help="Theme file: logo, colours, fonts, consultancy name, footer text.")] = None,
    date: Annotated[Optional[str], typer.Option(
        metavar="DATE", help="Date on the cover, YYYY-MM-DD (default: today).")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="The files written, as JSON.")]
    = False,
) -> None:
    """Write the report: cover, summary, maturity, alignment, ecosystem, components, appendices."""
    from auditor.render.report import parse_formats

    chosen = parse_formats(formats)
    cover_date = _date(date)
    from auditor.analysis.assess import analyse
    from auditor.render.report import render_report
    from auditor.render.report.theme import load_theme
    from auditor.store.audit_file import load_audit

    loaded_theme = load_theme(theme) if theme else None
    data = load_audit(audit)
    with console.err.status("Analysing the audit…") as status:
        analysis = analyse(data)
        result = render_report(analysis, output, chosen, loaded_theme, cover_date,
                               progress=lambda what: status.update(f"Writing {what}…"))
    if json_output:
        typer.echo(json.dumps({
            "files": [{"format": f.format, "path": str(f.path), "seconds": round(f.seconds, 3)}
                      for f in result.files],
            "pdf_fetched": result.fetched, "pdf_refused": result.refused}, indent=2))
    else:
        _print_result(result)


def _print_result(result: Any) -> None:
    from rich.markup import escape

    for f in result.files:
        console.out.print(f"[ok]Wrote[/ok] {escape(str(f.path))} [muted]({f.seconds:.1f} s)"
                          "[/muted]")


@demo_step
def report_demo_step(analysis: Any, output_dir: Path) -> None:
    """The demo's report in every format, from the demo's one analysis; says how long the PDF
    took."""
    from auditor.render.report import render_report

    with console.err.status("Writing the report…") as status:
        result = render_report(analysis, output_dir,
                               progress=lambda what: status.update(f"Writing the report: {what}…"))
    names = ", ".join(f.path.name for f in result.files)
    pdf = result.seconds("pdf")
    timing = f" (PDF in {pdf:.1f} s)" if pdf is not None else ""
    console.out.print(f"[ok]✓[/ok] report: {names}{timing}")
