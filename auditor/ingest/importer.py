"""Import any supported file into an audit: find out what it is, read it, merge it, report.

Supported: an .xlsx workbook in the template's layout; one CSV file per kind (named after
the kind, or with ``kind=``); a folder of such CSV files; an ArchiMate Model Exchange File
(.xml, 3.x or 2.1); Archi's own model file (.archimate, plain or zipped); a coArchi model
folder; Archi's CSV export (elements.csv, relations.csv, properties.csv).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import ImportFileError
from auditor.ingest.columns import SHEETS, Sheet, sheet_for
from auditor.ingest.merge import Change, merge
from auditor.ingest.records import Batch, Guess, MapOptions, SourceProblem
from auditor.problems import Problem, did_you_mean
from auditor.schema.audit import Audit
from auditor.schema.references import node_ids

_SHEET_ORDER = {s.name: i for i, s in enumerate(SHEETS)}
_WORKBOOK = (".xlsx", ".xlsm")
_CSV = (".csv", ".tsv", ".txt")


@dataclass
class ImportResult:
    source: str
    audit: Audit
    changes: dict[str, Change]
    notes: list[str] = field(default_factory=list)
    unmapped: dict[str, int] = field(default_factory=dict)
    guesses: list[Guess] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    respondents: Change = field(default_factory=Change)

    @property
    def changed(self) -> bool:
        return self.respondents.added > 0 or any(
            c.added or c.updated or c.removed for c in self.changes.values())

    def summary_lines(self, show_guesses: bool = False) -> list[str]:
        """What the import did, short enough for a screen; every guess with ``show_guesses``."""
        lines = [f"{'kind':<14}{'added':>8}{'updated':>9}{'unchanged':>11}{'removed':>9}"]
        for name, change in sorted(self.changes.items(), key=lambda kv: _SHEET_ORDER[kv[0]]):
            removed = str(change.removed) if change.removed else ""
            lines.append(f"{name:<14}{change.added:>8}{change.updated:>9}{change.unchanged:>11}"
                         f"{removed:>9}")
        if self.respondents.touched:
            r = self.respondents
            lines.append(f"{'respondents':<14}{r.added:>8}{r.updated:>9}{r.unchanged:>11}")
        if len(lines) == 1:
            lines.append("(nothing to import)")
        if self.duplicates:
            lines.append(f"Same type and name: {len(self.duplicates)}")
            lines += [f"  {d}" for d in self.duplicates[:_LISTED]]
            if len(self.duplicates) > _LISTED:
                lines.append(f"  … and {len(self.duplicates) - _LISTED} more")
        if self.unmapped:
            lines.append("Not imported (no counterpart in the audit):")
            lines += unmapped_lines(self.unmapped)
        if self.guesses:
            lines.append(f"Guessed, to confirm (listed in each item's to_confirm): "
                         f"{len(self.guesses)}")
            lines += guess_lines(self.guesses, show_guesses)
        lines += [f"Note: {n}" for n in self.notes]
        return lines


_LISTED = 10
_KIND = re.compile(r"^(.*) \((element|relationship)\)$")
_PROPERTY = re.compile(r"^property '(.*)' on (\w+)$")
_VALUE = re.compile(r"^property '(.*)' value '(.*)' \(no lifecycle match\)$")


def unmapped_lines(unmapped: dict[str, int]) -> list[str]:
    """What was not imported, as a few wrapped lines per group rather than one line each."""
    groups: dict[str, list[str]] = {"elements": [], "relationships": [], "properties": [],
                                    "lifecycle values not understood": []}
    other: list[str] = []
    for what, count in unmapped.items():
        kind = _KIND.match(what)
        prop = _PROPERTY.match(what)
        value = _VALUE.match(what)
        if kind:
            groups[kind.group(2) + "s"].append(f"{count} {kind.group(1)}")
        elif prop:
            groups["properties"].append(f"{count} '{prop.group(1)}' ({prop.group(2)})")
        elif value:
            groups["lifecycle values not understood"].append(
                f"{count} '{value.group(2)}' ({value.group(1)})")
        else:
            other.append(f"  {count:>4} × {what}")
    for label in ("properties", "lifecycle values not understood"):
        listed = sorted(groups[label], key=lambda p: -int(p.split()[0]))
        if len(listed) > _LISTED:
            rest = sum(int(p.split()[0]) for p in listed[_LISTED:])
            listed = [*listed[:_LISTED], f"{rest} more in {len(listed) - _LISTED} others"]
        groups[label] = listed
    lines = []
    for label, items in groups.items():
        if items:
            # keep "12 BusinessProcess" together when wrapping
            text = f"{label}: " + ", ".join(i.replace(" ", "\u00a0") for i in items)
            wrapped = textwrap.wrap(text, width=78, initial_indent="  ",
                                    subsequent_indent="    ", break_on_hyphens=False)
            lines += [line.replace("\u00a0", " ") for line in wrapped]
    return lines + other


def guess_lines(guesses: list[Guess], full: bool = False) -> list[str]:
    """Guesses grouped by what was guessed, the rarest first; each one with ``full``."""
    groups: dict[tuple[str, str, str], list[Guess]] = {}
    for guess in guesses:
        groups.setdefault((guess.sheet, guess.field, guess.value), []).append(guess)
    ordered = sorted(groups.items(), key=lambda kv: (len(kv[1]), kv[0]))
    lines = []
    for (sheet, what, value), members in ordered:
        label = sheet if len(members) != 1 else sheet.rstrip("s") if sheet != "data" else sheet
        head = f"  {len(members):>4} {label}: {what} {value}"
        if full:
            lines.append(head)
            lines += [f"         {g.item} ({g.name})" for g in members]
        elif len(members) <= 3:
            lines.append(head + " (" + ", ".join(g.name for g in members) + ")")
        else:
            lines.append(head)
    if not full:
        lines.append("  (every one: --show-guesses)")
    return lines


def audit_ids(audit: Audit) -> dict[str, str]:
    """Every node id of ``audit`` -> the sheet it lives in."""
    taken: dict[str, str] = {}
    for item_id, places in node_ids(audit).items():
        path = places[0]
        if len(path) == 4:
            taken[item_id] = str(path[1])
        else:  # attributes, stages: nested ids share the namespace
            taken[item_id] = str(path[3])
    return taken


def read_source(path: Path, audit: Audit, kind: str | None = None,
                options: MapOptions | None = None) -> Batch:
    """Read ``path`` into a batch of rows, whatever supported format it is in."""
    from auditor.ingest import archi_csv, archi_native, archimate
    from auditor.ingest.spreadsheet import (
        check_size,
        read_csv_files,
        read_workbook,
        sheet_for_file,
    )

    sheet = _kind(kind) if kind else None
    batch = Batch(source=str(path))
    taken = audit_ids(audit)
    if path.is_dir():
        found = archi_csv.find_export(path)
        if found is not None:
            return archi_csv.read_batch(found, audit, str(path), options)
        if (path / "model.archimate").is_file():  # a coArchi 2 repository
            return archimate.read_batch(path / "model.archimate", audit, options)
        model_folder = archi_native.coarchi_root(path)
        if model_folder is not None:
            from auditor.ingest.archi_map import model_batch

            return model_batch(archi_native.read_coarchi(model_folder, str(path)), audit,
                               str(path), options)
        if sheet is not None:
            raise ImportFileError("--kind is for a single CSV file, not a folder",
                                  hint="In a folder, name each file after its kind: systems.csv …")
        files = []
        for csv_path in sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv"):
            match = sheet_for_file(csv_path)
            if match is None:
                batch.notes.append(f"{csv_path.name} ignored: its name is not a kind "
                                   f"(systems.csv, channels.csv …)")
            else:
                files.append((csv_path, match))
        if not files:
            raise ImportFileError(
                f"{path} holds no inventory CSV files and no model",
                hint="Import a folder of CSV files named after their kind (systems.csv, "
                     "flows.csv …), Archi's CSV export, or a coArchi repository (the folder "
                     "holding model/folder.xml, or model.archimate for coArchi 2).")
        read_csv_files(sorted(files, key=lambda f: _SHEET_ORDER[f[1].name]), batch, taken)
        return batch
    suffix = path.suffix.lower()
    if suffix == ".archimate":
        return archimate.read_batch(path, audit, options)
    if suffix in (".xls", ".ods", ".numbers"):
        raise ImportFileError(f"{path}: {suffix} files cannot be imported",
                              hint="Save it as Excel Workbook (.xlsx) or as CSV.")
    if suffix not in (*_WORKBOOK, *_CSV, ".xml"):
        check_size(path)
        suffix = _sniff(path)
    if suffix in _WORKBOOK:
        read_workbook(path, batch, taken)
        if sheet is not None:
            batch.records = [r for r in batch.records if r.sheet.name == sheet.name]
            batch.sheets = [s for s in batch.sheets if s == sheet.name]
        if not batch.sheets and not any(sheet_for(t) for t in _sheet_titles(path)):
            raise ImportFileError(f"{path} has no inventory sheets",
                                  hint="Start from 'auditor template'; sheets are named "
                                       "systems, channels, flows …")
        return batch
    if suffix == ".xml":
        return archimate.read_batch(path, audit, options)
    found = archi_csv.find_export(path)
    if found is not None:
        return archi_csv.read_batch(found, audit, str(path), options)
    sheet = sheet or sheet_for_file(path)
    if sheet is None:
        names = ", ".join(s.name for s in SHEETS)
        raise ImportFileError(f"cannot tell which kind of item {path.name} holds",
                              hint=f"Pass --kind (one of: {names}), or name the file "
                                   "after its kind, e.g. systems.csv.")
    read_csv_files([(path, sheet)], batch, taken)
    return batch


def _sheet_titles(path: Path) -> list[str]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _kind(kind: str) -> Sheet:
    sheet = sheet_for(kind)
    if sheet is None:
        names = [s.name for s in SHEETS]
        raise ImportFileError(f"unknown kind '{kind}'{did_you_mean(kind, names)}",
                              hint="One of: " + ", ".join(s.name for s in SHEETS))
    return sheet


def _sniff(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(512)
    if head.startswith(b"PK"):
        return ".xlsx"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return ".xml"
    return ".csv"


def import_file(path: Path, audit: Audit, *, kind: str | None = None, replace: bool = False,
                locate: Callable[[list[Problem]], list[Problem]] | None = None,
                keep_duplicates: bool = False) -> ImportResult:
    """``audit`` with ``path`` merged in (a new object; ``audit`` is left as it was).

    Raises ImportFileError listing every problem, each with its sheet, row and column.
    ``locate`` places problems that point into the audit file itself (not the import).
    """
    batch = read_source(path, audit, kind, MapOptions(keep_duplicates=keep_duplicates))
    result = merge(audit, batch, replace=replace)
    if result.problems or result.audit is None:
        in_file = [p for p in result.problems if isinstance(p, SourceProblem)]
        in_audit = [p for p in result.problems if not isinstance(p, SourceProblem)]
        if locate is not None:
            in_audit = locate(in_audit)
        problems = sorted(in_file, key=_problem_order) + in_audit
        count = len(problems)
        raise ImportFileError(
            f"{path} has {count} problem{'s' if count != 1 else ''}; nothing was imported",
            hint="Fix them and run the import again; the audit file is unchanged.",
            problems=problems)
    merged, respondents = _add_respondents(result.audit, batch.respondents)
    return ImportResult(str(path), merged, result.changes, batch.notes, dict(batch.unmapped),
                        batch.guesses, batch.duplicates, respondents)


def _add_respondents(audit: Audit, people: list[dict[str, object]]) -> tuple[Audit, Change]:
    """People a model names, added as respondents-to-be unless a respondent has their name."""
    from auditor.ingest.guesses import fold
    from auditor.schema.ids import slugify

    change = Change()
    if not people:
        return audit, change
    known = {fold(r.name) for r in audit.respondents}
    taken = {r.id for r in audit.respondents}
    added = []
    for values in people:
        name = str(values["name"])
        if fold(name) in known:
            change.unchanged += 1
            continue
        known.add(fold(name))
        base = slugify(name) or "respondent"
        item_id, n = base, 1
        while item_id in taken:
            n += 1
            item_id = f"{base}-{n}"
        taken.add(item_id)
        added.append({"id": item_id, **values})
        change.added += 1
    if not added:
        return audit, change
    plain = audit.model_dump(mode="python", by_alias=True)
    plain["respondents"] = [*plain["respondents"], *added]
    return Audit.model_validate(plain), change


def _problem_order(problem: SourceProblem) -> tuple[object, ...]:
    return (problem.workbook or problem.file, _SHEET_ORDER.get(problem.sheet, -1),
            problem.line, problem.column, problem.message)
