"""The blueprint: for each of the five components, the current state (facts from the graph
and the answers), maturity against a target, what holds it down, the target state for the
client's next stage (``blueprints/target-states.yaml`` filled from the audit) and the
recommendations (the roadmap items of the component, with their phase).

The target is the client's own when the audit sets one (see ``_audit_target``), else the
stage after the current one.
"""

from __future__ import annotations

import math
import string
from collections.abc import Sequence
from typing import TYPE_CHECKING

from auditor.analysis.current_state import (
    governance_state,
    journeys_state,
    person_state,
    skills_state,
    technologies_state,
)
from auditor.analysis.roadmap import Cause, causes_from_findings
from auditor.analysis.target_slots import SlotFiller, Slots
from auditor.graph.traverse import nodes_of
from auditor.schema.assessment import SEVERITY_RANK, Finding, Scores
from auditor.schema.audit import Audit
from auditor.schema.blueprint import (
    Blueprint,
    ComponentBlueprint,
    Fact,
    Maturity,
    Recommendation,
    TargetStatement,
)
from auditor.schema.roadmap import Roadmap

if TYPE_CHECKING:
    import networkx as nx

    from auditor.catalogue import Catalogue
    from auditor.catalogue.targets import TargetStates
    from auditor.graph.index import GraphIndex

BUSY_TOP = 3
BUSY_SHARE = 0.15


def busy_channels(g: nx.MultiDiGraph, top: int = BUSY_TOP, share: float = BUSY_SHARE) -> list[str]:
    """busy(c) of DOMAIN §0: top channels by volume, or those carrying a large share."""
    volumes = [(int(g.nodes[c].get("volume") or 0), c) for c in nodes_of(g, "channel")]
    volumes = [(v, c) for v, c in volumes if v > 0]
    total = sum(v for v, _ in volumes)
    ranked = sorted(volumes, key=lambda vc: (-vc[0], vc[1]))
    busy = {c for _, c in ranked[:top]} | {c for v, c in volumes if total and v / total >= share}
    return [c for _, c in ranked if c in busy]


def build_blueprint(audit: Audit, graph: nx.MultiDiGraph, catalogue: Catalogue,
                    findings: Sequence[Finding], scores: Scores, roadmap: Roadmap,
                    causes: Sequence[Cause] | None = None,
                    index: GraphIndex | None = None) -> Blueprint:
    """The five components' current and target states; ``index`` is the analysis' index
    of ``graph`` (``auditor.graph.index``), made here when not given."""
    from auditor.graph.index import GraphIndex

    e = index if index is not None else GraphIndex(graph)
    causes = list(causes) if causes is not None else causes_from_findings(findings)
    busy_rule = catalogue.rule("PER-06")
    thresholds = busy_rule.thresholds if busy_rule else {}
    busy = busy_channels(graph, int(thresholds.get("busy_top", BUSY_TOP)),
                         float(thresholds.get("busy_share", BUSY_SHARE)))
    settings = catalogue.backtracking
    person, person_facts = person_state(graph, e)
    journeys, journey_facts = journeys_state(graph, e)
    skills, skill_facts = skills_state(graph, dict(settings.role_skills),
                                       settings.min_skill_level, e)
    governance, governance_facts = governance_state(graph, scores, e)
    tech, tech_facts = technologies_state(graph, e)
    filler = SlotFiller(graph, person, journeys, skills, tech, busy, e)
    slots = filler.fill()
    facts: dict[str, list[Fact]] = {"person": person_facts, "journeys": journey_facts,
                                    "skills": skill_facts, "governance": governance_facts,
                                    "technologies": tech_facts}
    states = {"person": {"person": person}, "journeys": {"journeys": journeys},
              "skills": {"skills": skills}, "governance": {"governance": governance},
              "technologies": {"technologies": tech}}
    comp_scores = {c.component: c for c in scores.components}
    targets = catalogue.target_states
    out = []
    for comp in catalogue.components:
        score = comp_scores.get(comp.id)
        current = score.score if score else None
        level = 0 if current is None else min(4, math.floor(current))
        own = _audit_target(audit, comp.id)
        target = own if own is not None else min(level + 1, 4)
        reasons = sorted({c.reason.key: c.reason for c in causes
                          if c.reason.component == comp.id}.values(),
                         key=lambda r: (-SEVERITY_RANK[r.severity], r.key))
        # Self-rated and evidenced levels and the stage come from the scores where the
        # maturity work provides them (read by attribute until then).
        self_rated = getattr(score, "self_rating", current) if score else None
        evidenced = getattr(getattr(score, "evidenced", None), "level", None)
        stage = getattr(score, "stage", None) or (
            targets.stage_name(level) if current is not None else None)
        maturity = Maturity(
            current=current, self_rated=self_rated, evidenced=evidenced, stage=stage,
            target=target, target_stage=targets.stage_name(target),
            target_source="audit" if own is not None else "next-stage",
            holding_down=tuple(reasons))
        first = level + 1 if target > level else target
        statements = _statements(targets, comp.id, range(first, target + 1), slots, filler)
        recs = _recommendations(roadmap, comp.id, {r.key for r in reasons})
        out.append(ComponentBlueprint(component=comp.id, name=comp.name,
                                      facts=tuple(facts[comp.id]), maturity=maturity,
                                      target_state=statements, recommendations=recs,
                                      **states[comp.id]))  # type: ignore[arg-type]
    return Blueprint(components=tuple(out))


def _audit_target(audit: Audit, component: str) -> int | None:
    """The client's target level for the component, when the audit sets one.

    The audit's ``targets`` section (component id -> level 0–4) is being added alongside the
    maturity work; until it exists this reads nothing and the next stage is the target.
    """
    targets = getattr(audit, "targets", None)
    if not targets:
        return None
    value = targets.get(component) if isinstance(targets, dict) else getattr(targets, component, None)
    return int(value) if value is not None else None


def _statements(targets: TargetStates, component: str, levels: range, slots: Slots,
                filler: SlotFiller) -> tuple[TargetStatement, ...]:
    spec = targets.components.get(component)
    if spec is None:
        return ()
    out = []
    for level in levels:
        for st in spec.stages.get(level, ()):
            for text in (st.text, st.otherwise):
                filled = _fill(text, slots, filler) if text else None
                if filled is not None:
                    out.append(TargetStatement(level=level, stage=targets.stage_name(level),
                                               text=filled[0], items=filled[1]))
                    break
    return tuple(out)


def _fill(text: str, slots: Slots, filler: SlotFiller) -> tuple[str, tuple[str, ...]] | None:
    """The statement with its slots filled, and the ids it names; None if a slot is empty.

    ``{slot:feeds|feed}`` adds the word that agrees with the number of items in the slot, so
    "Zendesk feeds" and "Zendesk and Five9 feed" both read right.
    """
    parts = list(string.Formatter().parse(text))
    used = [n for _, n, _, _ in parts if n]
    if any(not slots.get(n) for n in used):
        return None
    pieces = []
    for literal, field, spec, _ in parts:
        pieces.append(literal)
        if not field:
            continue
        pieces.append(filler.words(slots[field]))
        if spec:
            one, _, many = spec.partition("|")
            pieces.append(" " + (one if len(slots[field]) == 1 else (many or one)))
    sentence = "".join(pieces)
    sentence = sentence[:1].upper() + sentence[1:]
    items = tuple(dict.fromkeys(i for n in used for i in slots[n]))
    return sentence, items


def _recommendations(roadmap: Roadmap, component: str,
                     reason_keys: set[str]) -> tuple[Recommendation, ...]:
    out = []
    for item in roadmap.items:
        if item.component != component and not any(r.key in reason_keys for r in item.why):
            continue
        owner = f"; owner: {item.owner_name}" if item.owner_name else ""
        retire = "".join(f"; {r.name} is not invested in"
                         + (f", its work moves to {r.successor_name}" if r.successor_name else "")
                         for r in item.retiring)
        out.append(Recommendation(remedy=item.remedy, title=item.title, phase=item.phase,
                                  text=f"{item.title}{owner}{retire}."))
    return tuple(out)
