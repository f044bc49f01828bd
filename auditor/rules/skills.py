"""Skills gap rules SKL-01…SKL-03 (DOMAIN.md §4).

What a system needs is data: the role-default skills map lives in the rules' ``thresholds``
(blueprints/), and a system can add more with ``requires_skills`` (``requires`` edges).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditor.graph.keys import skill_id, skill_key
from auditor.graph.traverse import in_typed, missing_skills, nodes_of, out_typed
from auditor.rules.queries import quoted
from auditor.rules.registry import Hit, RuleContext, rule

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Holding:
    team: str
    level: int
    people: int
    external: bool


def is_external(g: nx.MultiDiGraph, team: str) -> bool:
    """An agency is external by nature, whether or not the flag was set."""
    attrs = g.nodes[team]
    return bool(attrs.get("external")) or attrs.get("tkind") == "agency"


def holdings_by_skill(ctx: RuleContext) -> dict[str, list[Holding]]:
    """skill -> every team's holding of it, from the staffed_by edges (one pass, memoised)."""
    def make() -> dict[str, list[Holding]]:
        g = ctx.graph
        found: dict[str, list[Holding]] = {}
        for team, skill, a in g.edges(data=True):
            if a.get("type") == "staffed_by":
                found.setdefault(skill_id(skill), []).append(Holding(
                    team, int(a.get("level", 0)), int(a.get("people", 0)), is_external(g, team)))
        return {s: sorted(hs, key=lambda h: h.team) for s, hs in found.items()}
    return ctx.cached("skills:holdings", make)


def required_skills(
    g: nx.MultiDiGraph, system: str, role_skills: dict[str, list[str]]
) -> list[str]:
    """Role defaults for every role of ``system`` plus its explicit ``requires`` skills."""
    needed = {s for role in g.nodes[system].get("roles", ()) for s in role_skills.get(role, ())}
    needed.update(skill_id(n) for n in out_typed(g, system, "requires"))
    return sorted(needed)


def _role_skills(ctx: RuleContext) -> dict[str, list[str]]:
    mapping: Any = ctx.threshold("role_skills", {})
    return {str(role): [str(s) for s in skills] for role, skills in mapping.items()}



# --- SKL-01 -------------------------------------------------------------------------------
@rule("SKL-01")
def owners_lack_skills(ctx: RuleContext) -> Iterator[Hit]:
    """A skill the system needs that none of its owning teams has at the minimum level.
    Unowned systems are left to GOV-04: with no owner there is nobody to lack the skill."""
    g = ctx.graph
    role_skills = _role_skills(ctx)
    min_level = ctx.threshold("min_level", 1)
    high_roles = set(ctx.threshold("high_roles", ["system-of-record", "cdp", "orchestration"]))
    for system in nodes_of(g, "system"):
        # Shared with backtracking (its missing-skill link), so both always agree.
        missing = missing_skills(g, system, role_skills, min_level)
        if not missing:
            continue
        owners = [t for t in in_typed(g, system, "owns") if g.nodes[t].get("kind") == "team"]
        critical = bool(high_roles.intersection(g.nodes[system].get("roles", ())))
        yield Hit(message=(f"'{system}' needs {quoted(missing)}, which none of its owners "
                           f"({quoted(owners)}) has."),
                  subject=system,
                  nodes=(system, *owners, *(m for m in missing if skill_key(m) in g)),
                  severity="high" if critical else None)


# --- SKL-02 -------------------------------------------------------------------------------
@rule("SKL-02")
def key_person_dependency(ctx: RuleContext) -> Iterator[Hit]:
    """A needed skill that exactly one member of staff has. Skills an agency also holds are
    not a key-person risk (the contract is, and SKL-03 covers agency-owned systems); skills
    nobody has are SKL-01's concern."""
    g = ctx.graph
    role_skills = _role_skills(ctx)
    min_level = ctx.threshold("min_level", 1)
    max_people = ctx.threshold("max_people", 1)
    holdings = holdings_by_skill(ctx)
    needed_by: dict[str, list[str]] = {}
    for system in nodes_of(g, "system"):
        for skill in required_skills(g, system, role_skills):
            needed_by.setdefault(skill, []).append(system)
    for skill, systems in sorted(needed_by.items()):
        held = [h for h in holdings.get(skill, ()) if h.level >= min_level and h.people > 0]
        if not held or any(h.external for h in held):
            continue
        people = sum(h.people for h in held)
        if people > max_people:
            continue
        teams = tuple(h.team for h in held)
        who = "one person" if people == 1 else f"{people} people"
        yield Hit(message=(f"Only {who} ({quoted(teams)}) can do '{skill}', needed by "
                           f"{quoted(systems)}."),
                  subject=skill,
                  nodes=(skill, *teams, *systems) if skill_key(skill) in g else (*teams, *systems))


# --- SKL-03 -------------------------------------------------------------------------------
@rule("SKL-03")
def agency_only_system(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    for system in nodes_of(g, "system"):
        owners = [t for t in in_typed(g, system, "owns") if g.nodes[t].get("kind") == "team"]
        if owners and all(is_external(g, t) for t in owners):
            yield Hit(message=f"'{system}' is owned only by external teams ({quoted(owners)}).",
                      subject=system, nodes=(system, *owners))
