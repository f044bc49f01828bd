"""Inventory in and out: template, import, export."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from auditor.cli import app, console
from auditor.errors import UserError


def _done(message: str) -> None:
    """'Wrote …' lines: client file names may hold '[', so no markup beyond the label."""
    from rich.markup import escape

    console.out.print(f"[ok]{escape(message.split(' ', 1)[0])}[/ok] "
                      f"{escape(message.split(' ', 1)[1])}", highlight=False)

_FORMATS = ("xlsx", "csv")


def _format(value: str | None, path: Path) -> str:
    if value is None:
        return "xlsx" if path.suffix.lower() in (".xlsx", ".xlsm") else "csv"
    folded = value.lower()
    if folded not in _FORMATS:
        raise UserError(f"unknown format '{value}'", hint="Use --format xlsx or --format csv.")
    return folded


def _refuse_overwrite(path: Path, fmt: str, force: bool) -> None:
    """Never clobber a workbook a client filled in, unless asked to."""
    if fmt == "csv" and path.suffix.lower() in (".xlsx", ".xlsm", ".csv"):
        raise UserError(f"{path}: CSV templates and exports go into a folder, one file per kind",
                        hint="Give a folder name, e.g. inventory-csv/, or drop --format csv.")
    if fmt == "csv" and path.exists() and not path.is_dir():
        raise UserError(f"{path} is a file; CSV templates and exports go into a folder",
                        hint="Give a folder name, e.g. inventory-csv/.")
    if force:
        return
    if fmt == "xlsx" and path.exists():
        raise UserError(f"{path} already exists", hint="Choose another name, or pass --force.")
    if fmt == "csv" and path.is_dir():
        from auditor.ingest.export import csv_file_names

        clash = [n for n in csv_file_names() if (path / n).exists()]
        if clash:
            raise UserError(f"{path} already holds {', '.join(clash[:3])}"
                            f"{' …' if len(clash) > 3 else ''}",
                            hint="Choose another folder, or pass --force.")


@app.command()
def template(
    path: Annotated[Path, typer.Argument(help="The workbook to write (.xlsx), or a folder for CSV.",
                                         metavar="PATH")],
    fmt: Annotated[str | None, typer.Option(
        "--format", metavar="FORMAT",
        help="xlsx (default for .xlsx names) or csv (one file per kind).")] = None,
    answers: Annotated[bool, typer.Option(
        "--answers", help="Write a questionnaire answers workbook instead.")] = False,
    audit: Annotated[Path | None, typer.Option(
        "--audit", help="With --answers: the audit whose respondents to list.",
        metavar="AUDIT")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Write an empty inventory workbook (or CSV files) for a client to fill in."""
    if answers:
        _answers_template(path, audit, force)
        return
    chosen = _format(fmt, path)
    _refuse_overwrite(path, chosen, force)
    if chosen == "xlsx":
        from auditor.ingest.export import write_workbook

        write_workbook(path, None)
        _done(f"Wrote {path}: a README and one sheet per kind")
    else:
        from auditor.ingest.export import write_csv_folder

        written = write_csv_folder(path, None)
        _done(f"Wrote {len(written)} files in {path}")
    console.out.print(f"When it comes back: auditor import {path} --into AUDIT --dry-run",
                      markup=False)


def _answers_template(path: Path, audit_path: Path | None, force: bool) -> None:
    if path.exists() and not force:
        raise UserError(f"{path} already exists", hint="Choose another name, or pass --force.")
    try:
        from auditor.interview.answer_sheets import write_answers_template
    except ModuleNotFoundError as exc:
        if exc.name not in ("auditor.interview", "auditor.interview.answer_sheets"):
            raise
        raise UserError("answers workbooks are not available in this version") from None
    audit = None
    if audit_path is not None:
        from auditor.store.audit_file import load_audit

        audit = load_audit(audit_path)
    write_answers_template(path, audit)
    _done(f"Wrote {path}")


@app.command("import")
def import_cmd(
    path: Annotated[Path, typer.Argument(
        help="An .xlsx workbook, a CSV file or folder, an ArchiMate exchange file (.xml), an "
             "Archi model (.archimate), a coArchi model folder or Archi's CSV export.",
        metavar="FILE")],
    into: Annotated[Path, typer.Option("--into", help="The audit file to update.",
                                       metavar="AUDIT")],
    kind: Annotated[str | None, typer.Option(
        "--kind", metavar="KIND",
        help="What a CSV file holds (systems, channels …), if its name does not say.")
    ] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Remove items the file lacks (for the kinds it has); empty cells "
                          "clear values.")] = False,
    dry_run: Annotated[bool, typer.Option(
        "--dry-run", help="Show what would change; write nothing.")] = False,
    keep_duplicates: Annotated[bool, typer.Option(
        "--keep-duplicates", help="Models: keep elements of the same type and name as separate "
                                  "items (by default they become one).")] = False,
    show_guesses: Annotated[bool, typer.Option(
        "--show-guesses", help="Models: list every guessed value, not just how many of each.")
    ] = False,
) -> None:
    """Merge an inventory (spreadsheet, CSV or ArchiMate model) into an audit, by id."""
    from auditor.store.audit_file import open_audit, save_audit
    from auditor.store.yaml_file import located

    doc = open_audit(into)
    if _is_answers(path):
        _import_answers(path, doc, dry_run)
        return
    from auditor.ingest.importer import import_file

    result = import_file(path, doc.audit, kind=kind, replace=replace,
                         locate=lambda problems: located(problems, doc.raw, str(into)),
                         keep_duplicates=keep_duplicates)
    saved = False
    if not dry_run and result.changed:
        doc.audit = result.audit
        save_audit(doc)  # before printing: a closed pipe must not lose the import
        saved = True
    mode = " (dry run: nothing written)" if dry_run else ""
    console.out.print(f"Import of {path} into {into}{mode}", markup=False, highlight=False)
    for line in result.summary_lines(show_guesses):
        console.out.print(line, markup=False, highlight=False, soft_wrap=True)
    if saved:
        _done(f"Saved {into} (previous version kept as {into.name}.bak)")
    elif not dry_run:
        console.out.print("Unchanged: the audit file was not rewritten.", markup=False)


def _is_answers(path: Path) -> bool:
    """An answers workbook (issue #4's format) rather than an inventory one?"""
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not path.is_file():
        return False
    from auditor.ingest.spreadsheet import check_workbook

    check_workbook(path)  # a broken file gets our one-line error first
    try:
        from auditor.interview.answer_sheets import is_answers_workbook
    except ModuleNotFoundError as exc:
        if exc.name not in ("auditor.interview", "auditor.interview.answer_sheets"):
            raise
        return False
    return bool(is_answers_workbook(path))


def _import_answers(path: Path, doc: object, dry_run: bool) -> None:
    from auditor.interview.answer_sheets import import_answers
    from auditor.store.audit_file import AuditDocument, save_audit

    assert isinstance(doc, AuditDocument)
    lines = import_answers(path, doc.audit, dry_run)
    for line in lines:
        console.out.print(line, markup=False, highlight=False, soft_wrap=True)
    if dry_run:
        console.out.print("Dry run: nothing written.", markup=False)
        return
    save_audit(doc)
    _done(f"Saved {doc.path}")


@app.command()
def export(
    audit: Annotated[Path, typer.Argument(help="The audit file (YAML).", metavar="AUDIT")],
    output: Annotated[Path, typer.Option(
        "-o", "--output", metavar="PATH",
        help="The workbook to write (.xlsx), or a folder for CSV (created if missing).")],
    fmt: Annotated[str | None, typer.Option(
        "--format", metavar="FORMAT",
        help="xlsx (default for .xlsx names) or csv (one file per kind).")] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Write an audit's inventory and vision to a workbook (or CSV files) in the import layout."""
    from auditor.store.audit_file import load_audit

    data = load_audit(audit)
    chosen = _format(fmt, output)
    _refuse_overwrite(output, chosen, force)
    if chosen == "xlsx":
        from auditor.ingest.export import write_workbook

        write_workbook(output, data, origin=audit.name)
        _done(f"Wrote {output}")
    else:
        from auditor.ingest.export import write_csv_folder

        written = write_csv_folder(output, data, origin=audit.name)
        _done(f"Wrote {len(written)} files in {output}")

