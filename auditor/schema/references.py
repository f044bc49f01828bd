"""Cross-references inside an audit: every id used must exist, every id must be unique.

Kept out of the pydantic models so that all dangling references are reported together,
each with the path of the field that holds it (the store turns paths into lines).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from auditor.problems import PathPart, Problem, did_you_mean, format_path
from auditor.schema.audit import Audit


class _Checker:
    """Collects problems. A reference is checked before its path is built: a large estate has
    hundreds of thousands of references and, as a rule, not one of them is wrong."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: tuple[PathPart, ...], message: str) -> None:
        self.problems.append(Problem(path=path, message=message))

    def ref(self, base: tuple[PathPart, ...], field: str, value: str | None, pool: set[str],
            what: str) -> None:
        if value is not None and value not in pool:
            self.add((*base, field), f"unknown {what} '{value}'{did_you_mean(value, pool)}")

    def refs(self, base: tuple[PathPart, ...], field: str, values: Iterable[str],
             pool: set[str], what: str) -> None:
        if pool.issuperset(values):
            return
        for i, value in enumerate(values):
            if value not in pool:
                self.add((*base, field, i), f"unknown {what} '{value}'{did_you_mean(value, pool)}")


def node_ids(audit: Audit) -> dict[str, list[tuple[PathPart, ...]]]:
    """Every id that names a graph node, with where it is declared (ids share one namespace)."""
    inv, vis = audit.inventory, audit.vision
    seen: dict[str, list[tuple[PathPart, ...]]] = {}

    def note(item_id: str, path: tuple[PathPart, ...]) -> None:
        seen.setdefault(item_id, []).append(path)

    # Skills are their own namespace: a skill may share its id with a capability or a channel
    # ('identity-resolution', 'paid-media'), since it is only ever referenced as a skill.
    for kind in ("systems", "channels", "touchpoints", "data", "journeys", "teams",
                 "metrics", "policies", "capabilities"):
        for i, item in enumerate(getattr(inv, kind)):
            note(item.id, ("inventory", kind, i, "id"))
    for i, entity in enumerate(inv.data):
        for j, attribute in enumerate(entity.attributes):
            note(attribute.id, ("inventory", "data", i, "attributes", j, "id"))
    for i, journey in enumerate(inv.journeys):
        for j, stage in enumerate(journey.stages):
            note(stage.id, ("inventory", "journeys", i, "stages", j, "id"))
    for kind in ("segments", "needs"):
        for i, item in enumerate(getattr(vis, kind)):
            note(item.id, ("vision", kind, i, "id"))
    return seen


def check_references(audit: Audit, known: dict[str, set[str]] | None = None) -> list[Problem]:
    """All reference and uniqueness problems of ``audit``, in file order.

    ``known`` adds ids by list name ('systems', 'respondents' …) that exist in the file but
    were set aside because they are broken, so references to them are not reported twice.
    """
    known = known or {}
    c = _Checker()
    inv, vis = audit.inventory, audit.vision

    for item_id, places in node_ids(audit).items():
        for path in places[1:]:
            c.add(path, f"duplicate id '{item_id}' (first used at {_short(places[0])})")
    flow_ids = Counter(flow.id for flow in inv.flows)
    for i, flow in enumerate(inv.flows):
        if flow_ids[flow.id] > 1:
            c.add(("inventory", "flows", i, "id"), f"duplicate flow id '{flow.id}'")
    skill_ids = Counter(s.id for s in inv.skills)
    for i, skill in enumerate(inv.skills):
        if skill_ids[skill.id] > 1:
            c.add(("inventory", "skills", i, "id"), f"duplicate skill id '{skill.id}'")
    respondent_ids = Counter(r.id for r in audit.respondents)
    for i, respondent in enumerate(audit.respondents):
        if respondent_ids[respondent.id] > 1:
            c.add(("respondents", i, "id"), f"duplicate respondent id '{respondent.id}'")

    def pool(name: str, ids: Iterable[str]) -> set[str]:
        return set(ids) | known.get(name, set())

    systems = pool("systems", (s.id for s in inv.systems))
    channels = pool("channels", (ch.id for ch in inv.channels))
    touchpoints = pool("touchpoints", (t.id for t in inv.touchpoints))
    teams = pool("teams", (t.id for t in inv.teams))
    skills = pool("skills", (s.id for s in inv.skills))
    capabilities = pool("capabilities", (cap.id for cap in inv.capabilities))
    journeys = pool("journeys", (j.id for j in inv.journeys))
    stages = pool("stages", (s.id for j in inv.journeys for s in j.stages))
    data = (pool("data", (d.id for d in inv.data))
            | pool("attributes", (a.id for d in inv.data for a in d.attributes)))
    segments = pool("segments", (s.id for s in vis.segments))
    respondents = pool("respondents", respondent_ids)

    for i, s in enumerate(inv.systems):
        base = ("inventory", "systems", i)
        c.refs(base, "owners", s.owners, teams, "team")
        c.ref(base, "successor", s.successor, systems, "system")
        c.refs(base, "capabilities", s.capabilities, capabilities, "capability")
        c.refs(base, "masters", s.masters, data, "data item")
        c.refs(base, "requires_skills", s.requires_skills, skills, "skill")
    for i, t in enumerate(inv.touchpoints):
        base = ("inventory", "touchpoints", i)
        c.ref(base, "channel", t.channel, channels, "channel")
        c.refs(base, "systems", t.systems, systems, "system")
        c.ref(base, "stage", t.stage, stages, "journey stage")
    for i, f in enumerate(inv.flows):
        base = ("inventory", "flows", i)
        c.ref(base, "source", f.source, systems, "system")
        c.ref(base, "target", f.target, systems, "system")
        c.ref(base, "via", f.via, systems, "system")
        c.refs(base, "data", f.data, data, "data item")
        if f.source == f.target:
            c.add((*base, "target"), f"a flow cannot go from '{f.source}' to itself")
    for i, d in enumerate(inv.data):
        c.ref(("inventory", "data", i), "steward", d.steward, teams, "team")
    for i, j in enumerate(inv.journeys):
        c.ref(("inventory", "journeys", i), "owner", j.owner, teams, "team")
        for k, stage in enumerate(j.stages):
            c.ref(("inventory", "journeys", i, "stages", k), "owner", stage.owner, teams, "team")
    for i, team in enumerate(inv.teams):
        for k, holding in enumerate(team.skills):
            c.ref(("inventory", "teams", i, "skills", k), "skill", holding.skill, skills, "skill")
    measurable = touchpoints | stages | channels | journeys
    for i, m in enumerate(inv.metrics):
        c.ref(("inventory", "metrics", i), "owner", m.owner, teams, "team")
        c.refs(("inventory", "metrics", i), "measures", m.measures, measurable,
               "touchpoint, stage, channel or journey")
    for i, p in enumerate(inv.policies):
        c.refs(("inventory", "policies", i), "trigger", p.trigger, data, "data item")
        c.refs(("inventory", "policies", i), "executors", p.executors, systems, "system")
    for i, cap in enumerate(inv.capabilities):
        c.refs(("inventory", "capabilities", i), "requires", cap.requires, data, "data item")
    for i, need in enumerate(vis.needs):
        base = ("vision", "needs", i)
        c.ref(base, "segment", need.segment, segments, "segment")
        c.ref(base, "channel", need.channel, channels, "channel")
        c.refs(base, "capabilities", need.capabilities, capabilities, "capability")

    dismissed: dict[str, int] = {}
    for i, dismissal in enumerate(audit.dismissals):
        if dismissal.finding in dismissed:
            c.add(("dismissals", i, "finding"),
                  f"'{dismissal.finding}' is dismissed twice; keep one of the two")
        else:
            dismissed[dismissal.finding] = i

    answered: dict[tuple[str, str], int] = {}
    for i, answer in enumerate(audit.answers):
        c.ref(("answers", i), "respondent", answer.respondent, respondents, "respondent")
        key = (answer.question, answer.respondent)
        if key in answered:
            c.add(("answers", i), f"second answer to {answer.question} by '{answer.respondent}' "
                  f"(first is answers[{answered[key]}])")
        else:
            answered[key] = i
    return c.problems


def _short(path: tuple[PathPart, ...]) -> str:
    return format_path(path[:-1] if path and path[-1] == "id" else path)
