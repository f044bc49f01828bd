"""What backtracking reads from blueprints/: BKT-* thresholds and SKL-01's role-default skills."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from auditor.schema.catalogue import RuleMeta

#: Build kinds and the backtracking rule whose metadata gives their default remedy.
KIND_RULES: dict[str, str] = {
    "new-capability": "BKT-MISSING-CAPABILITY",
    "new-master": "BKT-MISSING-DATA",
    "new-flow": "BKT-MISSING-FLOW",
    "extend-flow": "BKT-MISSING-FLOW",
    "faster-flow": "BKT-TOO-SLOW",
    "new-touchpoint": "BKT-MISSING-TOUCHPOINT",
    "new-skill": "BKT-MISSING-SKILL",
}
SOR = "system-of-record"


@dataclass(frozen=True)
class BacktrackSettings:
    """What backtracking reads from blueprints/ (rule thresholds), so consultants can tune it."""

    role_skills: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    min_skill_level: int = 1
    capability_remedies: Mapping[str, str] = field(default_factory=dict)
    kind_remedies: Mapping[str, str] = field(default_factory=dict)
    #: A master whose roles all fall in this set (a side spreadsheet, say) is not a good feed
    #: source: the to-build list proposes moving the datum into a hub instead.
    unmanaged_roles: frozenset[str] = frozenset({"other"})


def settings_from_rules(rules: Iterable[RuleMeta]) -> BacktrackSettings:
    """Settings from the rule catalogue: BKT-* thresholds and SKL-01's role-default skills."""
    metas = {m.id: m for m in rules}

    def thresholds(rule_id: str) -> dict[str, Any]:
        meta = metas.get(rule_id)
        return dict(meta.thresholds) if meta else {}

    skl = thresholds("SKL-01")
    role_skills = {str(r): tuple(str(s) for s in skills)
                   for r, skills in (skl.get("role_skills") or {}).items()}
    cap_remedies = {str(c): str(r) for c, r in
                    (thresholds("BKT-MISSING-CAPABILITY").get("capability_remedies") or {}).items()}
    kind_remedies: dict[str, str] = {}
    for kind, rid in KIND_RULES.items():
        remedy = metas[rid].remedy if rid in metas else None
        if remedy:
            kind_remedies[kind] = remedy
    unmanaged = thresholds("BKT-MISSING-FLOW").get("unmanaged_roles", ["other"])
    return BacktrackSettings(
        role_skills=role_skills, min_skill_level=int(skl.get("min_level", 1)),
        capability_remedies=cap_remedies, kind_remedies=kind_remedies,
        unmanaged_roles=frozenset(str(r) for r in unmanaged),
    )
