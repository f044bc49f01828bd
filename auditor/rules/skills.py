"""Skills gap rules SKL-01…SKL-03 (DOMAIN.md §4).

What a system needs is data: the role-default skills map lives in the rules' ``thresholds``
(blueprints/), and a system can add more with ``requires_skills`` (``requires`` edges).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditor.graph.keys import skill_id, skill_key
from auditor.graph.names import capital
from auditor.graph.traverse import missing_skills
from auditor.rules.registry import Hit, NotAssessed, RuleContext, rule
from auditor.rules.wording import retiring_systems

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Holding:
    team: str
    level: int
    people: int | None  # None: the audit does not say how many
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
        for team, skill, a in ctx.index.edges("staffed_by"):
            if a.get("type") == "staffed_by":
                people = a.get("people")
                found.setdefault(skill_id(skill), []).append(Holding(
                    team, int(a.get("level", 0)), None if people is None else int(people),
                    is_external(g, team)))
        return {s: sorted(hs, key=lambda h: h.team) for s, hs in found.items()}
    return ctx.cached("skills:holdings", make)


def required_skills(
    ctx: RuleContext, system: str, role_skills: dict[str, list[str]]
) -> list[str]:
    """Role defaults for every role of ``system`` plus its explicit ``requires`` skills."""
    g = ctx.graph
    needed = {s for role in g.nodes[system].get("roles", ()) for s in role_skills.get(role, ())}
    needed.update(skill_id(n) for n in ctx.out_typed(system, "requires"))
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
    retiring = retiring_systems(ctx)
    for system in ctx.nodes_of("system"):
        if system in retiring:
            continue  # nobody should be trained on a system that is on its way out
        # Shared with backtracking (its missing-skill link), so both always agree; the index
        # answers a hub's owners and required skills without walking its thousands of flows.
        missing = missing_skills(g, system, role_skills, min_level, index=ctx.index)
        if not missing:
            continue
        owners = [t for t in ctx.in_typed(system, "owns") if g.nodes[t].get("kind") == "team"]
        critical = bool(high_roles.intersection(g.nodes[system].get("roles", ())))
        if len(owners) == 1:
            lacking = f"its owner, {ctx.name(owners[0])}, lacks {'it' if len(missing) == 1 else 'them'}"
        else:
            lacking = f"none of its owners ({ctx.names(owners)}) has {'it' if len(missing) == 1 else 'them'}"
        yield Hit(message=f"{ctx.name(system)} needs {ctx.names(missing)}, and {lacking}.",
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
    retiring = retiring_systems(ctx)
    for system in ctx.nodes_of("system"):
        if system in retiring:
            continue  # a skill only a retiring system needs is no lasting risk
        for skill in required_skills(ctx, system, role_skills):
            needed_by.setdefault(skill, []).append(system)
    counted = [h for hs in holdings.values() for h in hs if h.people is not None]
    if holdings and not counted:
        raise NotAssessed("no team says how many people hold its skills")
    for skill, systems in sorted(needed_by.items()):
        held = [h for h in holdings.get(skill, ()) if h.level >= min_level and h.people != 0]
        if not held or any(h.external for h in held):
            continue
        if any(h.people is None for h in held):
            continue  # an unknown head-count cannot show a single point of knowledge
        people = sum(h.people or 0 for h in held)
        if people > max_people:
            continue
        teams = tuple(h.team for h in held)
        if people == 1:
            who = f"one person in {ctx.name(teams[0])}"
        else:
            who = f"{people} people ({ctx.names(teams)})"
        yield Hit(message=(f"Only {who} can do {ctx.name(skill)}, which "
                           f"{ctx.names(systems)} {'needs' if len(systems) == 1 else 'need'}."),
                  subject=skill,
                  nodes=(skill, *teams, *systems) if skill_key(skill) in g else (*teams, *systems))


# --- SKL-03 -------------------------------------------------------------------------------
@rule("SKL-03")
def agency_only_system(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    for system in ctx.nodes_of("system"):
        owners = [t for t in ctx.in_typed(system, "owns") if g.nodes[t].get("kind") == "team"]
        if owners and all(is_external(g, t) for t in owners):
            yield Hit(message=f"Only {ctx.names(owners)}, outside the organisation, "
                              f"{'runs' if len(owners) == 1 else 'run'} {ctx.name(system)}.",
                      subject=system, nodes=(system, *owners))


# --- SKL-04 -------------------------------------------------------------------------------
@rule("SKL-04")
def preferred_channel_unstaffed(ctx: RuleContext) -> Iterator[Hit]:
    """A kind of channel respondents say customers prefer (q3.3) that nobody says is staffed
    (q3.3b): customers wait, or leave, where they most want to talk."""
    from auditor.answers import answer_ref

    g = ctx.graph
    preferred_q = ctx.threshold("preferred_question", "q3.3")
    staffed_q = ctx.threshold("staffed_question", "q3.3b")

    def chosen(question: str) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for a in sorted(ctx.audit.answers, key=lambda a: a.respondent):
            if a.question != question or a.not_applicable:
                continue
            values = a.value if isinstance(a.value, list) else [a.value] if a.value else []
            for v in values:
                found.setdefault(str(v), []).append(a.respondent)
        return found

    preferred, staffed = chosen(preferred_q), chosen(staffed_q)
    if not preferred or not staffed:
        raise NotAssessed(f"{ctx.question(preferred_q)} and {ctx.question(staffed_q)} are not "
                          "both answered")
    volumes = {c: int(g.nodes[c].get("volume") or 0) for c in ctx.nodes_of("channel")}
    total = sum(volumes.values())
    share = ctx.threshold("busy_share", 0.10)
    for kind in sorted(set(preferred) - set(staffed)):
        channels = [c for c in ctx.nodes_of("channel") if g.nodes[c].get("ckind") == kind]
        volume = sum(volumes[c] for c in channels)
        busy = bool(total) and volume / total >= share
        on = f" ({ctx.names(channels)}, {volume:,} interactions a year)" if volume else ""
        refs = [answer_ref(preferred_q, r) for r in preferred[kind]]
        refs += [answer_ref(staffed_q, r) for rs in staffed.values() for r in rs]
        yield Hit(message=f"{capital(ctx.term('customers'))} prefer {kind.replace('-', ' ')}"
                          f"{on}, but no respondent lists it among the channels that are "
                          "staffed and answered.",
                  subject=kind, nodes=tuple(channels), answers=tuple(dict.fromkeys(refs)),
                  severity="high" if busy else None)
