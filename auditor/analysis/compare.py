"""Two audits of the same client, months apart: what moved.

Score deltas per question and component, findings (and root causes, when the assessment has
them) resolved, new and persisting, inventory changes, backtracking chains that closed, and
roadmap items done. Everything is matched by id or by a finding's stable key; a renamed id is
reported as removed plus added (with the shared name listed as a possible rename), never
merged silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from auditor.analysis.assess import Analysis
from auditor.analysis.scoring import one_decimal
from auditor.schema.assessment import Assessment, Finding
from auditor.schema.audit import Audit
from auditor.schema.progress import (
    ChainDelta,
    Comparison,
    FindingChange,
    InventoryChange,
    PossibleRename,
    RoadmapProgress,
    ScoreDelta,
    SystemChange,
)

_INVENTORY = ("systems", "channels", "touchpoints", "flows", "data", "journeys", "teams",
              "skills", "metrics", "policies", "capabilities")
_VISION = ("segments", "needs")


def compare(before: Analysis, after: Analysis) -> Comparison:
    a, b = before.assessment, after.assessment
    return Comparison(
        before=a.audit, after=b.audit, client_before=a.client, client_after=b.client,
        questions=_question_deltas(a, b), components=_component_deltas(a, b),
        overall=_delta("overall", "Overall", a.scores.overall, b.scores.overall),
        **_root_causes(a, b), **_findings(a.findings, b.findings),
        inventory=_inventory(before.audit, after.audit),
        systems_changed=_system_changes(before.audit, after.audit),
        possible_renames=_renames(before.audit, after.audit),
        **_chains(a, b, {**{n.id: n.name for n in before.audit.vision.needs},
                         **{n.id: n.name for n in after.audit.vision.needs}}),
        roadmap=_roadmap(a, b))


def _diff(x: float | None, y: float | None) -> float | None:
    return None if x is None or y is None else one_decimal(y - x)


def _delta(id_: str, name: str, before: float | None, after: float | None,
           self_before: float | None = None, self_after: float | None = None) -> ScoreDelta:
    return ScoreDelta(id=id_, name=name, before=before, after=after, delta=_diff(before, after),
                      self_before=self_before, self_after=self_after,
                      self_delta=_diff(self_before, self_after))


def _question_deltas(a: Assessment, b: Assessment) -> tuple[ScoreDelta, ...]:
    qa = {q.question: q for q in a.scores.questions}
    qb = {q.question: q for q in b.scores.questions}
    out = []
    for qid in sorted(set(qa) | set(qb), key=_question_order):
        x, y = qa.get(qid), qb.get(qid)
        title = (y or x).title if (y or x) else qid  # type: ignore[union-attr]
        out.append(_delta(qid, title, x.score if x else None, y.score if y else None,
                          x.self_rating if x else None, y.self_rating if y else None))
    return tuple(out)


def _question_order(qid: str) -> tuple[int, str]:
    digits = "".join(ch for ch in qid if ch.isdigit())
    return (int(digits) if digits else 0, qid)


def _component_deltas(a: Assessment, b: Assessment) -> tuple[ScoreDelta, ...]:
    ca = {c.component: c for c in a.scores.components}
    cb = {c.component: c for c in b.scores.components}
    order = [c.component for c in b.scores.components] + [
        c for c in ca if c not in cb]
    return tuple(_delta(cid, (cb.get(cid) or ca[cid]).name,
                        ca[cid].score if cid in ca else None,
                        cb[cid].score if cid in cb else None) for cid in order)


def _change(f: Finding, before: Finding | None = None) -> FindingChange:
    return FindingChange(key=f.key, rule=f.rule, title=f.title, component=f.component,
                         severity=f.severity,
                         severity_before=before.severity if before is not None else None,
                         message=f.message)


def _findings(fa: Sequence[Finding], fb: Sequence[Finding]) -> dict[str, Any]:
    ka = {f.key: f for f in fa}
    kb = {f.key: f for f in fb}
    return {
        "findings_resolved": tuple(_change(ka[k]) for k in sorted(set(ka) - set(kb))),
        "findings_new": tuple(_change(kb[k]) for k in sorted(set(kb) - set(ka))),
        "findings_persisting": tuple(_change(kb[k], ka[k]) for k in sorted(set(ka) & set(kb))),
    }


def _root_causes(a: Assessment, b: Assessment) -> dict[str, tuple[str, ...]]:
    """Root-cause keys resolved, new and persisting, when the assessments carry them.

    Root causes group findings into real issues (issue 10); until assessments have them these
    lists stay empty and the finding lists carry the comparison.
    """
    ra = {getattr(r, "key", "") for r in getattr(a, "root_causes", ())}
    rb = {getattr(r, "key", "") for r in getattr(b, "root_causes", ())}
    return {"root_causes_resolved": tuple(sorted(ra - rb)),
            "root_causes_new": tuple(sorted(rb - ra)),
            "root_causes_persisting": tuple(sorted(ra & rb))}


def _items(audit: Audit, kind: str) -> dict[str, Any]:
    section = audit.vision if kind in _VISION else audit.inventory
    return {item.id: item for item in getattr(section, kind)
            if getattr(item, "status", "current") != "planned"}


def _label(item: Any, systems: dict[str, str] | None = None) -> str:
    """A display name; a flow without one is named by its ends ('Dynamics 365 → Zendesk')."""
    name = getattr(item, "name", "") or ""
    if not name and hasattr(item, "source"):
        known = systems or {}
        return f"{known.get(item.source, item.source)} → {known.get(item.target, item.target)}"
    return str(name or item.id)


def _inventory(before: Audit, after: Audit) -> tuple[InventoryChange, ...]:
    out = []
    names_a = {s.id: s.name for s in before.inventory.systems}
    names_b = {**names_a, **{s.id: s.name for s in after.inventory.systems}}
    for kind in (*_INVENTORY, *_VISION):
        ia, ib = _items(before, kind), _items(after, kind)
        added = sorted(set(ib) - set(ia))
        removed = sorted(set(ia) - set(ib))
        if added or removed:
            out.append(InventoryChange(
                kind=kind, added=tuple(added), removed=tuple(removed),
                added_names=tuple(_label(ib[i], names_b) for i in added),
                removed_names=tuple(_label(ia[i], names_a) for i in removed)))
    return tuple(out)


def _system_changes(before: Audit, after: Audit) -> tuple[SystemChange, ...]:
    sa, sb = _items(before, "systems"), _items(after, "systems")
    out = []
    for sid in sorted(set(sa) & set(sb)):
        x, y = sa[sid], sb[sid]
        for field in ("roles", "lifecycle", "owners"):
            vx, vy = _as_tuple(getattr(x, field)), _as_tuple(getattr(y, field))
            if vx != vy:
                out.append(SystemChange(system=sid, name=y.name, field=field,
                                        before=vx, after=vy))
    return tuple(out)


def _as_tuple(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(sorted(value))


def _renames(before: Audit, after: Audit) -> tuple[PossibleRename, ...]:
    out = []
    for kind in (*_INVENTORY, *_VISION):
        ia, ib = _items(before, kind), _items(after, kind)
        gone = {_label(ia[i]).casefold(): i for i in sorted(set(ia) - set(ib))}
        for new in sorted(set(ib) - set(ia)):
            old = gone.get(_label(ib[new]).casefold())
            if old is not None:
                out.append(PossibleRename(kind=kind, removed=old, added=new, name=_label(ib[new])))
    return tuple(out)


def _chains(a: Assessment, b: Assessment,
            need_names: dict[str, str]) -> dict[str, tuple[ChainDelta, ...]]:
    ca = {c.key: c for c in (a.backtracking.chains if a.backtracking else ())}
    cb = {c.key: c for c in (b.backtracking.chains if b.backtracking else ())}
    closed: list[ChainDelta] = []
    opened: list[ChainDelta] = []
    still: list[ChainDelta] = []
    for key in sorted(set(ca) | set(cb)):
        x, y = ca.get(key), cb.get(key)
        delta = ChainDelta(segment=key[0], need=key[1], capability=key[2],
                           name=need_names.get(key[1], key[1]),
                           before=x.status if x else None, after=y.status if y else None)
        if y is not None and y.status == "ok" and (x is None or x.status != "ok"):
            if x is not None:
                closed.append(delta)
        elif y is not None and y.status != "ok":
            (still if x is not None and x.status != "ok" else opened).append(delta)
    return {"chains_closed": tuple(closed), "chains_opened": tuple(opened),
            "chains_still_open": tuple(still)}


def _roadmap(a: Assessment, b: Assessment) -> RoadmapProgress:
    ra = {i.remedy: i.title for i in (a.roadmap.items if a.roadmap else ())}
    rb = {i.remedy: i.title for i in (b.roadmap.items if b.roadmap else ())}
    marked = set(b.roadmap.done) if b.roadmap else set()
    done = sorted((set(ra) - set(rb)) | (set(ra) & marked))
    return RoadmapProgress(done=tuple(done), remaining=tuple(sorted(set(ra) & set(rb))),
                           new=tuple(sorted(set(rb) - set(ra))),
                           titles={k: v for k, v in sorted({**ra, **rb}.items())})
