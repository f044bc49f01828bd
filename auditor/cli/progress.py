"""`auditor compare` and `auditor benchmark`: progress between two audits of one client, and
a consultant's portfolio side by side.

Thin: load the audits, analyse each once, hand the analyses to the library, render.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from auditor.cli import app, console


def _emit(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))


@app.command()
def compare(
    before: Annotated[Path, typer.Argument(help="The earlier audit.", metavar="BEFORE")],
    after: Annotated[Path, typer.Argument(help="The later audit.", metavar="AFTER")],
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
) -> None:
    """What moved between two audits: scores, findings, inventory, chains, roadmap."""
    from auditor.analysis.assess import analyse
    from auditor.analysis.compare import compare as compare_analyses
    from auditor.catalogue import load_catalogue
    from auditor.cli.progress_view import render_comparison
    from auditor.store.audit_file import load_audit

    catalogue = load_catalogue()
    result = compare_analyses(analyse(load_audit(before), catalogue),
                              analyse(load_audit(after), catalogue))
    if json_output:
        _emit(result.model_dump(mode="json"))
        return
    render_comparison(result, console.out)


@app.command()
def benchmark(
    audits: Annotated[list[Path], typer.Argument(
        help="Audit files of several clients (e.g. audits/*.audit.yaml).", metavar="AUDIT...")],
    names: Annotated[bool, typer.Option(
        "--names", help="Show client names instead of 'Client A', 'Client B'…")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="Machine-readable JSON.")] = False,
) -> None:
    """Each client's question and component scores against the rest of the portfolio."""
    from auditor.analysis.assess import assess
    from auditor.analysis.benchmark import Entry
    from auditor.analysis.benchmark import benchmark as benchmark_entries
    from auditor.catalogue import load_catalogue
    from auditor.cli.progress_view import render_benchmark
    from auditor.errors import UserError
    from auditor.store.audit_file import load_audit

    if len(audits) < 2:
        raise UserError("a benchmark needs at least two audits",
                        hint="Pass several files, e.g. auditor benchmark audits/*.audit.yaml")
    catalogue = load_catalogue()
    entries = []
    for path in audits:
        audit = load_audit(path)
        entries.append(Entry(source=path, industry=audit.client.industry,
                             assessment=assess(audit, catalogue)))
    result = benchmark_entries(entries, named=names)
    if json_output:
        _emit(result.model_dump(mode="json"))
        return
    render_benchmark(result, console.out)
