"""The audit file on disk: open it with every problem located, save it without losing anything."""

from __future__ import annotations

import copy
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from auditor.errors import AuditChangedError, AuditFileError
from auditor.problems import Problem
from auditor.schema.audit import Audit
from auditor.schema.references import check_references
from auditor.store.comments import anchor_comments
from auditor.store.locations import problems_from_validation
from auditor.store.yaml_file import (
    atomic_write,
    digest,
    dump_text,
    located,
    merge_into,
    parse_yaml,
    read_text,
    to_plain,
)


@dataclass
class AuditDocument:
    """An audit together with the round-trip YAML it came from, so saving keeps comments."""

    path: Path
    audit: Audit
    raw: Any = None
    loaded_digest: str | None = field(default=None, repr=False)
    #: The audit as last saved or loaded (a plain dump), kept once ``remember_state`` asked for
    #: it: what a session changed since then can be re-applied to a file changed meanwhile.
    saved_state: dict[str, Any] | None = field(default=None, repr=False)

    def save(self) -> None:
        save_audit(self)

    def remember_state(self) -> None:
        self.saved_state = self.audit.model_dump(mode="python", by_alias=True)


@dataclass
class ValidationReport:
    path: Path
    problems: list[Problem]
    audit: Audit | None = None
    raw: Any = None
    raw_digest: str | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def validate_file(path: Path | str) -> ValidationReport:
    """Read and check ``path``: structure first, then references. Unreadable files raise."""
    path = Path(path)
    text, data = read_text(path)
    return validate_text(text, path, digest(data))


def validate_text(text: str, path: Path, raw_digest: str | None = None) -> ValidationReport:
    name = str(path)
    raw = parse_yaml(text, name)
    if raw is None:
        raise AuditFileError(f"{name} is empty", hint="Create an audit with 'auditor new'.")
    if not isinstance(raw, dict):
        raise AuditFileError(f"{name}:1:1: an audit file must be a mapping with 'client', "
                             f"'inventory' and so on, not a {type(to_plain(raw, name=name)).__name__}")
    plain = to_plain(raw, name=name)
    anchor_comments(raw)
    try:
        audit = Audit.model_validate(plain)
    except ValidationError as exc:
        problems = problems_from_validation(exc, Audit)
        # Check references and answers too, on what is left once the broken parts are set
        # aside, so one run shows every problem of the file (the README promises it).
        rest = _without_broken(plain, exc)
        if rest is not None:
            audit, known, positions = rest
            problems += [positions.original(p) for p in _deeper_problems(audit, known)]
        return ValidationReport(path, located(_unique(problems), raw, name))
    except RecursionError:
        raise AuditFileError(f"{name}: the YAML is nested too deeply to be an audit") from None
    problems = located(_deeper_problems(audit), raw, name)
    return ValidationReport(path, problems, audit, raw, raw_digest)


def _deeper_problems(audit: Audit, known: dict[str, set[str]] | None = None) -> list[Problem]:
    """Reference problems and answers that do not fit the question banks."""
    from auditor.interview.answer_checks import check_answers
    from auditor.interview.bank import question_index

    return check_references(audit, known) + check_answers(audit, question_index())


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


#: Lists whose items' ids other items refer to, by the pool name ``check_references`` uses.
_POOLS = {("respondents",): "respondents", ("vision", "segments"): "segments",
          ("vision", "needs"): "needs"}


class _Positions:
    """Maps list indexes of the pruned data back to the positions in the file."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.kept: dict[int, list[int]] = {}  # id(list) -> original index of each item left

    def pop(self, container: list[Any], index: int) -> Any:
        kept = self.kept.setdefault(id(container), list(range(len(container))))
        kept.pop(index)
        return container.pop(index)

    def original(self, problem: Problem) -> Problem:
        node, path = self.data, []
        for part in problem.path:
            if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                kept = self.kept.get(id(node))
                path.append(kept[part] if kept else part)
                node = node[part]
            else:
                path.append(part)
                node = node.get(part) if isinstance(node, dict) and isinstance(part, str) else None
        return Problem(path=tuple(path), message=problem.message)


def _without_broken(plain: Any, exc: ValidationError, rounds: int = 6
                    ) -> tuple[Audit, dict[str, set[str]], _Positions] | None:
    """The audit with every part that failed validation removed, and the ids removed with them.

    A bad value is dropped (its field falls back to the default); an item missing a required
    field is set aside whole, and its id is remembered so references to it are not reported
    as dangling on top of the real problem. None when the damage is too central (no client).
    """
    data = copy.deepcopy(plain)
    known: dict[str, set[str]] = {}
    positions = _Positions(data)
    for _ in range(rounds):
        cuts: list[tuple[Any, Any, tuple[str, ...]]] = []
        for err in exc.errors(include_url=False):
            cut = _cut_for(data, tuple(err["loc"]))
            if cut is None:
                return None
            cuts.append(cut)
        _apply(cuts, known, positions)
        try:
            return Audit.model_validate(data), known, positions
        except ValidationError as again:
            exc = again
        except RecursionError:
            return None
    return None


def _cut_for(data: Any, loc: tuple[Any, ...]) -> tuple[Any, Any, tuple[str, ...]] | None:
    """(container, key, keys above) to remove for the error at ``loc``; None if impossible."""
    trail: list[tuple[Any, Any]] = []  # (container, key) from the top down
    node = data
    complete = True
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            trail.append((node, part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            trail.append((node, part))
            node = node[part]
        elif isinstance(part, str) and not isinstance(node, (dict, list)):
            continue  # a union member's name in the location: the value itself is wrong
        else:
            complete = False
            break
    if complete and trail and trail[-1][1] != "client":
        container, key = trail[-1]
        return container, key, _keys(trail[:-1])
    # A required field is missing: set the whole item holding it aside.
    for depth in range(len(trail) - 1, -1, -1):
        container, key = trail[depth]
        if isinstance(container, list):
            return container, key, _keys(trail[:depth])
    return None


def _keys(trail: list[tuple[Any, Any]]) -> tuple[str, ...]:
    return tuple(k for _, k in trail if isinstance(k, str))


def _apply(cuts: list[tuple[Any, Any, tuple[str, ...]]], known: dict[str, set[str]],
           positions: _Positions) -> None:
    """Remove the cuts, list items from the back so the other indexes stay right."""
    by_list: dict[int, tuple[list[Any], set[int], tuple[str, ...]]] = {}
    for container, key, above in cuts:
        if isinstance(container, list):
            by_list.setdefault(id(container), (container, set(), above))[1].add(key)
        else:
            container.pop(key, None)
    for container, indexes, above in by_list.values():
        pool = _POOLS.get(above, above[-1] if above else "")
        for index in sorted(indexes, reverse=True):
            item = positions.pop(container, index)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                known.setdefault(pool, set()).add(item["id"])


def open_audit(path: Path | str) -> AuditDocument:
    """Load a valid audit for reading and saving; every problem at once otherwise."""
    report = validate_file(path)
    if not report.ok or report.audit is None:
        count = len(report.problems)
        raise AuditFileError(
            f"{report.path} has {count} problem{'s' if count != 1 else ''}",
            hint="Fix them (see 'auditor validate') and run the command again; nothing was written.",
            problems=report.problems,
        )
    return AuditDocument(report.path, report.audit, report.raw, report.raw_digest)


def load_audit(path: Path | str) -> Audit:
    """The validated audit in ``path`` (read only)."""
    return open_audit(path).audit


def item_identity(item: Any) -> Any:
    """How list items are matched between the file and the model when saving."""
    if isinstance(item, dict):
        if "question" in item and "respondent" in item:
            return ("answer", item["question"], item["respondent"])
        if isinstance(item.get("id"), str):
            return ("id", item["id"])
        if isinstance(item.get("skill"), str):
            return ("skill", item["skill"])
    return None


def render_audit(doc: AuditDocument, full: dict[str, Any] | None = None) -> str:
    """The YAML text ``doc`` would be saved as (comments and order of the original kept);
    ``full`` is the model's complete dump when the caller already has it."""
    if full is None:
        full = doc.audit.model_dump(mode="python", by_alias=True)
    minimal = doc.audit.model_dump(mode="python", by_alias=True, exclude_defaults=True)
    minimal.setdefault("schema_version", full["schema_version"])
    doc.raw = merge_into(doc.raw, full, minimal, item_identity)
    return dump_text(doc.raw)


def refuse_read_only(path: Path) -> None:
    """A file without write permission is not replaced, even by root or by a rename.

    Saving renames a new file over the old one, which the folder's permissions allow even when
    the file itself is read-only; someone who made an audit read-only meant to keep it as is.
    """
    try:
        mode = path.stat().st_mode
    except OSError:
        return  # a new file
    if not mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise AuditFileError(f"{path} is read-only", hint=f"Nothing was written. If it should "
                             f"change, make it writable first (chmod u+w {path}).")


def save_audit(doc: AuditDocument) -> None:
    """Write ``doc`` atomically, keeping the previous version as ``.bak``.

    Refuses when the file changed on disk since it was loaded (a hand edit in another window),
    and re-validates what it is about to write, so an invalid audit is never saved.
    """
    refuse_read_only(doc.path)
    if doc.loaded_digest is not None and doc.path.exists():
        current = digest(doc.path.read_bytes())
        if current != doc.loaded_digest:
            raise AuditChangedError(
                f"{doc.path} was changed by someone else since it was opened",
                hint="Nothing was written. Run the command again to work on the new version.",
            )
    # Validate the data about to be written (code may have appended items without validation);
    # re-parsing the rendered YAML would cost seconds on a large audit for no extra safety.
    full = doc.audit.model_dump(mode="python", by_alias=True)
    try:
        problems = _deeper_problems(Audit.model_validate(full))
    except ValidationError as exc:
        problems = problems_from_validation(exc, Audit)
    if problems:
        raise AuditFileError(f"refusing to save {doc.path}: the result would not be valid",
                             hint="Nothing was written.", problems=problems)
    data = render_audit(doc, full).encode("utf-8")
    atomic_write(doc.path, data)
    doc.loaded_digest = digest(data)
    if doc.saved_state is not None:
        doc.saved_state = full
