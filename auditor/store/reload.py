"""Carrying unsaved work over to an audit that someone else saved in the meantime.

An interview saves after every answer. When a colleague saves the same file between two
answers, the save is refused (``AuditChangedError``); the interview then reloads the file and
re-applies what it changed since its last save — a three-way merge of the last saved state,
the session's state and the file's new state. Where both sides changed the same value the
file's version is kept and the conflict is reported, so nobody's work is silently overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from auditor.errors import AuditChangedError, AuditFileError
from auditor.schema.audit import Audit
from auditor.store.audit_file import AuditDocument, item_identity, open_audit, save_audit


@dataclass
class Reloaded:
    doc: AuditDocument
    conflicts: list[str] = field(default_factory=list)  # where the file's value was kept


def save_carrying_over(doc: AuditDocument, on_reload: Callable[[Reloaded], None]) -> AuditDocument:
    """Save ``doc``; when the file changed meanwhile, save its new version with ``doc``'s
    changes re-applied instead, and return that document (``on_reload`` hears about it)."""
    if doc.saved_state is None:
        doc.remember_state()  # too late to tell this session's changes apart: save as is
    for _ in range(3):  # a colleague saving again in the same instant is rare; then give up
        try:
            save_audit(doc)
            return doc
        except AuditChangedError:
            reloaded = reload_with_changes(doc)
            doc = reloaded.doc
            on_reload(reloaded)
    save_audit(doc)
    return doc


def reload_with_changes(doc: AuditDocument) -> Reloaded:
    """``doc``'s file as it is now, with ``doc``'s changes since its last save re-applied."""
    if doc.saved_state is None:
        raise AuditFileError(f"{doc.path} was changed by someone else and this session "
                             "cannot tell its own changes apart", hint="Run the command again.")
    fresh = open_audit(doc.path)
    theirs = fresh.audit.model_dump(mode="python", by_alias=True)
    mine = doc.audit.model_dump(mode="python", by_alias=True)
    conflicts: list[str] = []
    merged = _merge(doc.saved_state, mine, theirs, (), conflicts)
    # The file's state is the base from now on: what is not saved yet is this session's change.
    fresh.saved_state = theirs
    try:
        fresh.audit = Audit.model_validate(merged)
    except ValidationError:
        # The two versions do not fit together (rare: e.g. an item both added under one id);
        # keep the file's version untouched rather than write a mixture.
        return Reloaded(fresh, ["the whole file (the changes do not fit together)"])
    return Reloaded(fresh, conflicts)


def _merge(base: Any, mine: Any, theirs: Any, path: tuple[str, ...], conflicts: list[str]) -> Any:
    if mine == base:
        return theirs
    if theirs == base or mine == theirs:
        return mine
    if isinstance(base, dict) and isinstance(mine, dict) and isinstance(theirs, dict):
        out = {}
        for key in [*theirs, *(k for k in mine if k not in theirs)]:
            if key in base and (key not in mine or key not in theirs):
                kept = theirs if key in theirs else mine
                if kept[key] != base[key]:  # changed on one side, removed on the other
                    conflicts.append(_where((*path, str(key))))
                    if key in theirs:
                        out[key] = theirs[key]
                continue  # removed on one side and unchanged on the other: removed
            out[key] = _merge(base.get(key), mine.get(key), theirs.get(key), (*path, str(key)),
                              conflicts)
        return out
    if isinstance(base, list) and isinstance(mine, list) and isinstance(theirs, list):
        keyed = _by_key(base), _by_key(mine), _by_key(theirs)
        if all(k is not None for k in keyed):
            return _merge_items(*keyed, path, conflicts)  # type: ignore[arg-type]
    conflicts.append(_where(path))
    return theirs


def _by_key(items: list[Any]) -> dict[Any, Any] | None:
    out = {}
    for item in items:
        key = item_identity(item)
        if key is None or key in out:
            return None
        out[key] = item
    return out


def _merge_items(base: dict[Any, Any], mine: dict[Any, Any], theirs: dict[Any, Any],
                 path: tuple[str, ...], conflicts: list[str]) -> list[Any]:
    out = []
    for key, item in theirs.items():
        where = (*path, _label(key))
        if key in base and key not in mine:  # removed in this session
            if item != base[key]:
                conflicts.append(_where(where))
                out.append(item)
            continue
        if key in mine:
            out.append(_merge(base.get(key), mine[key], item, where, conflicts)
                       if key in base else (item if item == mine[key] else _clash(item, where, conflicts)))
        else:
            out.append(item)
    for key, item in mine.items():
        if key in theirs:
            continue
        if key in base:  # removed in the file
            if item != base[key]:
                conflicts.append(_where((*path, _label(key))))
            continue
        out.append(item)  # added in this session
    return out


def _clash(item: Any, where: tuple[str, ...], conflicts: list[str]) -> Any:
    conflicts.append(_where(where))
    return item


def _label(key: Any) -> str:
    return " ".join(str(part) for part in key[1:])


def _where(path: tuple[str, ...]) -> str:
    return " › ".join(path) or "the whole file"
