"""The audit file on disk: open it with every problem located, save it without losing anything."""

from __future__ import annotations

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
from auditor.store.allocation import collector_paused
from auditor.store.locations import problems_from_validation
from auditor.store.partial import without_broken
from auditor.store.yaml_data import load_data
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
    """Read and check ``path``: structure, references and answers, every problem at once.
    Unreadable files raise."""
    path = Path(path)
    text, data = read_text(path)
    return validate_text(text, path, digest(data))


def validate_text(text: str, path: Path, raw_digest: str | None = None) -> ValidationReport:
    # ruamel's types, imported by the round-trip path only (reading a valid audit never is).
    from auditor.store.comments import anchor_comments

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
        rest = without_broken(plain, exc)
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
    from auditor.catalogue import load_catalogue
    from auditor.schema.answer_checks import check_answers

    return check_references(audit, known) + check_answers(audit, load_catalogue().questions)


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


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
    """The validated audit in ``path`` (read only).

    Reading only, the comments and positions the round-trip reader keeps are not needed while
    the file is valid: the data is read fast and checked; the first problem of any kind sends
    the file through ``open_audit``, which locates every problem.
    """
    path = Path(path)
    text, _ = read_text(path)
    with collector_paused():
        data = load_data(text)
        if isinstance(data, dict):
            try:
                audit = Audit.model_validate(data)
            except (ValidationError, RecursionError):
                pass
            else:
                if not _deeper_problems(audit):
                    return audit
    # NOT_PLAIN, not a mapping, or a problem: the round-trip path reports it with locations.
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
        if isinstance(item.get("finding"), str):
            return ("dismissal", item["finding"])
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
