"""Merge imported rows into a copy of an audit, by id, and say what changed.

- A row whose id is new adds an item; a row whose id exists updates that item field by field:
  a filled cell sets the field, an empty cell leaves it alone. Nothing is removed.
- ``replace=True`` makes the file the truth for the sheets it has: items it lacks are removed
  and an empty cell clears the field.
- Every row is validated with its item model; every problem, and every reference to an id
  that exists nowhere, is reported against the row and column it came from. The audit passed
  in is never modified.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ValidationError

from auditor.ingest.columns import SHEETS, Sheet
from auditor.ingest.records import Batch, Origin, Record
from auditor.problems import Problem, did_you_mean
from auditor.schema.audit import Audit
from auditor.schema.ids import slugify
from auditor.schema.references import check_references
from auditor.store.locations import problems_from_validation

_UNKNOWN = re.compile(r"unknown [^']* '([^']*)'")
_TOP_BY_LIST = {(s.section, s.key): s for s in SHEETS if s.parent is None}
_CHILD_BY_FIELD = {(s.key, s.child_field): s for s in SHEETS if s.parent is not None}


@dataclass
class Change:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0

    @property
    def touched(self) -> bool:
        return bool(self.added or self.updated or self.unchanged or self.removed)


@dataclass
class MergeResult:
    audit: Audit | None  # None when there are problems
    changes: dict[str, Change] = field(default_factory=dict)  # sheet name -> counts
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(c.added or c.updated or c.removed for c in self.changes.values())


def merge(audit: Audit, batch: Batch, *, replace: bool = False) -> MergeResult:
    """``audit`` with ``batch`` merged in (a new object), or the problems that prevent it.

    Problems located in the imported file are :class:`SourceProblem`; problems in items the
    file did not touch (a reference to an item ``replace`` removed) are plain problems whose
    path points into ``audit`` as it was, for the caller to locate in the YAML.
    """
    return _Merger(audit, batch, replace).run()


class _Merger:
    def __init__(self, audit: Audit, batch: Batch, replace: bool) -> None:
        self.batch = batch
        self.replace = replace
        self.plain: dict[str, Any] = audit.model_dump(mode="python", by_alias=True)
        self.original: dict[tuple[str, str], dict[str, int]] = {
            (s.section, s.key): {item["id"]: i
                                 for i, item in enumerate(self.plain[s.section][s.key])}
            for s in SHEETS if s.parent is None}
        self.origins: dict[tuple[str, str | None, str], Origin] = {}
        self.failed: set[tuple[str, str]] = set()
        self.failed_keys: set[str] = set()
        self.problems: list[Problem] = list(batch.problems)
        self.changes: dict[str, Change] = {}
        self.by_sheet: dict[str, list[Record]] = defaultdict(list)
        for record in batch.records:
            self.by_sheet[record.sheet.name].append(record)

    def run(self) -> MergeResult:
        for sheet in SHEETS:
            if sheet.parent is None:
                self._merge_top(sheet)
        for sheet in SHEETS:
            if sheet.parent is not None:
                self._merge_children(sheet)
        try:
            audit = Audit.model_validate(self.plain)
        except ValidationError as exc:  # row validation should have caught it; report anyway
            if self.problems:
                return MergeResult(None, self.changes, self.problems)
            return MergeResult(None, self.changes, problems_from_validation(exc, Audit))
        # Rows that failed are left out above; references to them are not news.
        for problem in check_references(audit):
            match = _UNKNOWN.match(problem.message)
            if not (match and match.group(1) in self.failed_keys):
                self.problems.append(self._locate(problem))
        return MergeResult(None if self.problems else audit, self.changes, self.problems)

    # --- top-level lists ------------------------------------------------------------------
    def _merge_top(self, sheet: Sheet) -> None:
        records = self.by_sheet.get(sheet.name, [])
        replacing = self.replace and sheet.name in self.batch.sheets
        if not records and not replacing:
            return
        items: list[dict[str, Any]] = self.plain[sheet.section][sheet.key]
        index = {item["id"]: i for i, item in enumerate(items)}
        result = [] if replacing else list(items)
        change = self.changes.setdefault(sheet.name, Change())
        blocked: list[Record] = []
        seen: set[str] = set()
        for record in records:
            existing = items[index[record.key]] if record.key in index else None
            if existing is None and self.batch.missing_columns.get(sheet.name):
                blocked.append(record)
                self.failed.add((sheet.name, record.key))
                self.failed_keys.add(record.key)
                continue
            out = self._validate(sheet.model, _combine(existing, record, replacing), record)
            if out is None:
                self.failed.add((sheet.name, record.key))
                self.failed_keys.add(record.key)
                continue
            seen.add(record.key)
            self.origins[(sheet.name, None, record.key)] = record.origin
            _place(change, result, index, record.key, existing, out, replacing)
        if replacing:
            change.removed = sum(1 for item in items if item["id"] not in seen)
        self.plain[sheet.section][sheet.key] = result
        self._report_blocked(sheet, blocked)

    # --- nested lists (stages, attributes, team skills) ------------------------------------
    def _merge_children(self, sheet: Sheet) -> None:
        records = self.by_sheet.get(sheet.name, [])
        replacing = self.replace and sheet.name in self.batch.sheets
        if not records and not replacing:
            return
        assert sheet.parent is not None and sheet.child_field and sheet.parent_column
        parents: list[dict[str, Any]] = self.plain[sheet.section][sheet.key]
        by_id = {p["id"]: p for p in parents}
        parent_sheet = _TOP_BY_LIST[(sheet.section, sheet.key)]
        change = self.changes.setdefault(sheet.name, Change())
        grouped: dict[str, list[Record]] = defaultdict(list)
        for record in records:
            grouped[record.parent or ""].append(record)
        blocked: list[Record] = []
        for parent_id, group in grouped.items():
            parent = by_id.get(parent_id)
            if parent is None:
                self.failed_keys.update(r.key for r in group)
                if (parent_sheet.name, parent_id) not in self.failed:
                    for record in group:
                        self.problems.append(record.origin.problem(
                            sheet.parent_column, f"unknown {parent_sheet.label} '{parent_id}'"
                            f"{did_you_mean(parent_id, by_id)}"))
                continue
            children: list[dict[str, Any]] = parent[sheet.child_field]
            index = {c[sheet.key_field]: i for i, c in enumerate(children)}
            result = [] if replacing else list(children)
            seen: set[str] = set()
            for record in group:
                existing = children[index[record.key]] if record.key in index else None
                if existing is None and self.batch.missing_columns.get(sheet.name):
                    blocked.append(record)
                    self.failed_keys.add(record.key)
                    continue
                out = self._validate(sheet.model, _combine(existing, record, replacing), record)
                if out is None:
                    self.failed_keys.add(record.key)
                    continue
                seen.add(record.key)
                self.origins[(sheet.name, parent_id, record.key)] = record.origin
                _place(change, result, index, record.key, existing, out, replacing)
            if replacing:
                change.removed += sum(1 for c in children if c[sheet.key_field] not in seen)
            parent[sheet.child_field] = result
        if replacing:
            for parent in parents:
                if parent["id"] not in grouped and parent[sheet.child_field]:
                    change.removed += len(parent[sheet.child_field])
                    parent[sheet.child_field] = []
        self._report_blocked(sheet, blocked)

    # --- helpers --------------------------------------------------------------------------
    def _validate(self, model: type[BaseModel], data: dict[str, Any], record: Record
                  ) -> dict[str, Any] | None:
        try:
            return model.model_validate(data).model_dump(mode="python", by_alias=True)
        except ValidationError as exc:
            errors = exc.errors(include_url=False)
            for error, problem in zip(errors, problems_from_validation(exc, model), strict=True):
                header = next((p for p in problem.path if isinstance(p, str)), None)
                self.problems.append(record.origin.problem(header, _cell_message(error, problem)))
            return None

    def _report_blocked(self, sheet: Sheet, blocked: list[Record]) -> None:
        if not blocked:
            return
        missing = self.batch.missing_columns[sheet.name]
        rows = sorted({r.origin.row for r in blocked if r.origin.row})
        listed = ", ".join(str(r) for r in rows[:8]) + (" …" if len(rows) > 8 else "")
        names = ", ".join(f"'{m}'" for m in missing)
        origin = self.batch.header_origins.get(sheet.name) or blocked[0].origin
        plural = "s" if len(missing) > 1 else ""
        where = f" (row{'s' if len(rows) > 1 else ''} {listed})" if rows else ""
        self.problems.append(origin.problem(
            None, f"missing required column{plural} {names}: needed to add new "
            f"{sheet.name}{where}"))

    def _locate(self, problem: Problem) -> Problem:
        """A reference problem of the merged audit -> the cell it came from, if imported."""
        path = problem.path
        if len(path) >= 4 and path[0] in ("inventory", "vision") and isinstance(path[2], int):
            section, key, i = str(path[0]), str(path[1]), path[2]
            item = self.plain[section][key][i]
            rest = path[3:]
            child = _CHILD_BY_FIELD.get((key, str(rest[0])))
            origin: Origin | None
            if child is not None and len(rest) >= 2 and isinstance(rest[1], int):
                element = item[str(rest[0])][rest[1]]
                origin = self.origins.get((child.name, item["id"], element[child.key_field]))
                header = next((p for p in rest[2:] if isinstance(p, str)), None)
            else:
                origin = self.origins.get((_TOP_BY_LIST[(section, key)].name, None, item["id"]))
                header = str(rest[0])
            if origin is not None:
                return origin.problem(header, problem.message)
            original = self.original[(section, key)].get(item["id"])
            if original is not None:
                path = (section, key, original, *rest)
        return Problem(path=path, message=problem.message)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def _combine(existing: dict[str, Any] | None, record: Record, replacing: bool) -> dict[str, Any]:
    """The item's fields after applying one row (see the module docstring for the rules)."""
    data = dict(existing) if existing else {}
    applied_guesses: set[str] = set()
    headers = [h for h in (*record.present, *record.values) if h != record.sheet.parent_column]
    for header in dict.fromkeys(sorted(headers, key=lambda h: h == "to_confirm")):
        if header in record.values:
            value = record.values[header]
            if existing is not None and header in record.weak:
                if header == "to_confirm":
                    old = existing.get("to_confirm") or []
                    value = old + [f for f in value if f in applied_guesses and f not in old]
                elif not _empty(existing.get(header)):
                    continue
                else:
                    applied_guesses.add(header)
            old_list = existing.get(header) if existing is not None else None
            if header in record.union and isinstance(old_list, list):
                value = old_list + [v for v in value if v not in old_list]
            data[header] = value
        elif replacing and existing is not None:
            data.pop(header, None)
    return data


def _cell_message(error: Any, problem: Problem) -> str:
    """pydantic's message, phrased for a spreadsheet cell."""
    if error["type"] == "missing":
        return "required, but the cell is empty"
    if error["type"] == "string_pattern_mismatch" and isinstance(error.get("input"), str):
        suggestion = slugify(error["input"])
        if suggestion and suggestion != error["input"]:
            return f"{problem.message}; did you mean '{suggestion}'?"
    return problem.message


def _place(change: Change, result: list[dict[str, Any]], index: dict[str, int], key: str,
           existing: dict[str, Any] | None, out: dict[str, Any], replacing: bool) -> None:
    """Put one validated row into the merged list and count what it did (added/updated/...)."""
    if existing is None:
        change.added += 1
        result.append(out)
        return
    if out == existing:
        change.unchanged += 1
    else:
        change.updated += 1
    if replacing:
        result.append(out)  # replacing rebuilds the list in the sheet's order
    else:
        result[index[key]] = out
