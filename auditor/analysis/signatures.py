"""Stage signatures: what the inventory shows about the stage an ecosystem has reached.

Each check reads the ecosystem graph and says whether its signature holds, naming the items
in the way when it does not (the systems, touchpoints, journeys or policies the client would
have to change). Its level, the questions it speaks for and its wording live in
``blueprints/scoring.yaml``; a check registered here but not listed there is simply unused,
and a listed signature with no check is a content error.

Every check is one pass over the graph (or a few multi-source traversals), so evidence costs
no more than a gap rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.graph.traverse import (
    ENGAGEMENT_CLASSES,
    PERSON_CLASSES,
    class_predicate,
    flow_projection,
    hubs,
    in_typed,
    masters_of,
    nodes_of,
    out_typed,
    reachable_from,
    reaching,
    systems_with_role,
)
from auditor.rules.queries import (
    BUSY_SHARE,
    capability_providers,
    masters_by_class,
    sources_reaching,
)

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Signal:
    """Whether a signature holds; ``blocking`` are the ids of what stands in the way."""

    held: bool
    blocking: tuple[str, ...] = ()


Check = Callable[["nx.MultiDiGraph"], Signal]
SIGNATURES: dict[str, Check] = {}


def signature(signature_id: str) -> Callable[[Check], Check]:
    def register(func: Check) -> Check:
        SIGNATURES[signature_id] = func
        return func
    return register


def _all_pass(items: Iterable[str], ok: Callable[[str], bool]) -> Signal:
    """Held when there is at least one item and every item passes; the failures block."""
    listed = sorted(items)
    failing = tuple(i for i in listed if not ok(i))
    return Signal(bool(listed) and not failing, failing)


def _metric_types(g: nx.MultiDiGraph) -> set[str]:
    return {str(g.nodes[m].get("mtype")) for m in nodes_of(g, "metric")}


def _touchpoints(g: nx.MultiDiGraph, style: str) -> list[str]:
    return [t for t in nodes_of(g, "touchpoint") if g.nodes[t].get("style") == style]


def _reaches_hub(g: nx.MultiDiGraph, classes: Iterable[str] | None = None,
                 max_latency: int = 4) -> set[str]:
    """Systems that are a hub or whose flows (of ``classes``, at most that slow) reach one."""
    carries = class_predicate(g, classes) if classes is not None else None
    return reaching(flow_projection(g, carries, max_latency), hubs(g))


def _served_into_hub(g: nx.MultiDiGraph, touchpoints: list[str],
                     classes: Iterable[str] | None) -> Signal:
    reached = _reaches_hub(g, classes)
    return _all_pass(touchpoints, lambda t: any(s in reached for s in in_typed(g, t, "serves")))


# --- level 1 ------------------------------------------------------------------------------
@signature("person-recorded")
def person_recorded(g: nx.MultiDiGraph) -> Signal:
    return Signal(bool(masters_by_class(g, {"identity"})))


@signature("broadcast-reach")
def broadcast_reach(g: nx.MultiDiGraph) -> Signal:
    broadcasts = _touchpoints(g, "broadcast")
    unserved = tuple(t for t in broadcasts if not in_typed(g, t, "serves"))
    return Signal(len(unserved) < len(broadcasts), unserved)


@signature("activity-measured")
def activity_measured(g: nx.MultiDiGraph) -> Signal:
    return Signal(bool(nodes_of(g, "metric")))


@signature("skills-listed")
def skills_listed(g: nx.MultiDiGraph) -> Signal:
    return Signal(any(out_typed(g, t, "staffed_by") for t in nodes_of(g, "team")))


@signature("automated-flow")
def automated_flow(g: nx.MultiDiGraph) -> Signal:
    flows = [(a.get("flow", ""), a.get("mode")) for _, _, a in g.edges(data=True)
             if a.get("type") == "flows_to"]
    manual = tuple(sorted(f for f, mode in flows if mode == "manual"))
    return Signal(any(mode != "manual" for _, mode in flows), manual)


# --- level 2 ------------------------------------------------------------------------------
@signature("sor-feeds-soe")
def sor_feeds_soe(g: nx.MultiDiGraph) -> Signal:
    records = systems_with_role(g, "system-of-record")
    engagers = [s for s in systems_with_role(g, "system-of-engagement") if s not in records]
    if not records:
        return Signal(False)
    reached = reachable_from(flow_projection(g), records)
    return _all_pass(engagers, lambda s: s in reached)


@signature("forms-reach-record")
def forms_reach_record(g: nx.MultiDiGraph) -> Signal:
    return _served_into_hub(g, _touchpoints(g, "one-way-in"), PERSON_CLASSES)


@signature("holdings-on-record")
def holdings_on_record(g: nx.MultiDiGraph) -> Signal:
    reached = _reaches_hub(g, {"transaction"})
    transactions = [d for d in nodes_of(g, "data") if g.nodes[d].get("data_class") == "transaction"]
    return _all_pass(transactions, lambda d: any(m in reached for m in masters_of(g, d)))


@signature("outcome-measured")
def outcome_measured(g: nx.MultiDiGraph) -> Signal:
    return Signal(bool(_metric_types(g) & {"outcome", "value", "satisfaction"}))


@signature("systems-owned")
def systems_owned(g: nx.MultiDiGraph) -> Signal:
    return _all_pass(nodes_of(g, "system"), lambda s: bool(in_typed(g, s, "owns")))


@signature("executive-owner")
def executive_owner(g: nx.MultiDiGraph) -> Signal:
    return Signal(any(g.nodes[t].get("executive") and out_typed(g, t, "owns")
                      for t in nodes_of(g, "team")))


@signature("data-quality-care")
def data_quality_care(g: nx.MultiDiGraph) -> Signal:
    tools = systems_with_role(g, "data-quality") or capability_providers(g, {"data-quality"})
    person = [d for d in nodes_of(g, "data") if g.nodes[d].get("data_class") in PERSON_CLASSES]
    stewards = any(in_typed(g, d, "owns") for d in person)
    return Signal(bool(tools) or stewards)


@signature("journey-mapped")
def journey_mapped(g: nx.MultiDiGraph) -> Signal:
    def placed(journey: str) -> bool:
        return any(out_typed(g, stage, "contains") for stage in out_typed(g, journey, "contains"))
    journeys = nodes_of(g, "journey")
    empty = tuple(j for j in journeys if not placed(j))
    return Signal(len(empty) < len(journeys), empty)


# --- level 3 ------------------------------------------------------------------------------
@signature("identity-resolved")
def identity_resolved(g: nx.MultiDiGraph) -> Signal:
    creators = sorted(masters_by_class(g, {"identity"}))
    if len(creators) == 1:
        return Signal(True)  # one system creates every person: nothing to reconcile
    resolvers = sorted(set(systems_with_role(g, "cdp"))
                       | set(capability_providers(g, {"identity-resolution"})))
    if not creators:
        return Signal(False)
    # One pass gives, for every system, the set (bit mask) of creators whose identity flows
    # reach it; the best resolver is the one reached by the most.
    masks = sources_reaching(flow_projection(g, class_predicate(g, {"identity"})), creators)
    best: tuple[str, ...] = tuple(creators)
    for r in resolvers:
        mask = masks.get(r, 0)
        missing = tuple(c for i, c in enumerate(creators) if not mask >> i & 1)
        if len(missing) < len(best):
            best = missing
    return Signal(not best, best)


@signature("two-way-on-record")
def two_way_on_record(g: nx.MultiDiGraph) -> Signal:
    return _served_into_hub(g, _touchpoints(g, "two-way"), ENGAGEMENT_CLASSES)


@signature("rules-fed-in-time")
def rules_fed_in_time(g: nx.MultiDiGraph) -> Signal:
    # One pass indexes the flows by the data they carry; each trigger then walks only its own
    # flows, so many policies cost no more than the flows that concern them.
    carrying: dict[str, list[tuple[str, str, int]]] = {}
    for u, v, a in g.edges(data=True):
        if a.get("type") == "flows_to":
            for datum in a.get("data", ()):
                carrying.setdefault(datum, []).append((u, v, a["latency"]))

    def reached(datum: str, limit: int) -> set[str]:
        entity = g.nodes[datum].get("entity") if datum in g else None
        edges = carrying.get(datum, []) + (carrying.get(entity, []) if entity and entity != datum else [])
        nxt: dict[str, list[str]] = {}
        for u, v, latency in edges:
            if latency <= limit:
                nxt.setdefault(u, []).append(v)
        seen = set(masters_of(g, datum))
        todo = list(seen)
        while todo:
            for v in nxt.get(todo.pop(), ()):
                if v not in seen:
                    seen.add(v)
                    todo.append(v)
        return seen

    def fed(policy: str) -> bool:
        executors = in_typed(g, policy, "enforces")
        triggers = out_typed(g, policy, "requires")
        limit = g.nodes[policy].get("max_latency")
        return bool(executors and triggers) and all(
            all(e in reached(d, 4 if limit is None else limit) for e in executors) for d in triggers)
    return _all_pass(nodes_of(g, "policy"), fed)


@signature("responsiveness-measured")
def responsiveness_measured(g: nx.MultiDiGraph) -> Signal:
    """A response-time metric exists, and covers every busy channel where customers talk back.

    One measured channel does not make a measured organisation: a phone queue with a speed of
    answer says nothing about a WhatsApp line carrying more conversations than the phone. A
    metric counts for a channel when it measures the channel or a two-way touchpoint on it
    (as GOV-03 reads it); busy is a share of all interactions (``BUSY_SHARE``)."""
    metrics = [m for m in nodes_of(g, "metric") if g.nodes[m].get("mtype") == "responsiveness"]
    if not metrics:
        return Signal(False)
    measured = {t for m in metrics for t in out_typed(g, m, "measures")}
    talking: dict[str, set[str]] = {}
    for tp in _touchpoints(g, "two-way"):
        channel = g.nodes[tp].get("channel")
        if channel in g and g.nodes[channel].get("ckind") != "in-person":
            talking.setdefault(channel, set()).add(tp)
    volumes = {c: g.nodes[c].get("volume") or 0 for c in nodes_of(g, "channel")}
    total = sum(volumes.values())
    busy = [c for c in sorted(talking) if total and volumes[c] / total >= BUSY_SHARE]
    return _all_pass(busy, lambda c: bool(({c} | talking[c]) & measured)) if busy \
        else Signal(True)


@signature("orchestration")
def orchestration(g: nx.MultiDiGraph) -> Signal:
    return Signal(bool(systems_with_role(g, "orchestration")
                       or capability_providers(g, {"journey-orchestration", "next-best-action"})))


@signature("journeys-owned")
def journeys_owned(g: nx.MultiDiGraph) -> Signal:
    return _all_pass(nodes_of(g, "journey"), lambda j: bool(in_typed(g, j, "owns")))


@signature("owners-skilled")
def owners_skilled(g: nx.MultiDiGraph) -> Signal:
    def skilled(system: str) -> bool:
        return any((a.get("level") or 0) >= 2
                   for team in in_typed(g, system, "owns")
                   for _, _, a in g.out_edges(team, data=True) if a.get("type") == "staffed_by")
    owned = [s for s in nodes_of(g, "system") if in_typed(g, s, "owns")]
    return _all_pass(owned, skilled)


# --- level 4 ------------------------------------------------------------------------------
@signature("participation-on-record")
def participation_on_record(g: nx.MultiDiGraph) -> Signal:
    return _served_into_hub(g, _touchpoints(g, "participation"), None)


@signature("participation-measured")
def participation_measured(g: nx.MultiDiGraph) -> Signal:
    return Signal("participation" in _metric_types(g))


@signature("community-skills")
def community_skills(g: nx.MultiDiGraph) -> Signal:
    # Listed at level 0 or with nobody holding it, the skill is named as missing, not held.
    return Signal(any("community" in str(skill) and a.get("type") == "staffed_by"
                      and int(a.get("level", 0)) >= 1 and a.get("people") != 0
                      for team in nodes_of(g, "team")
                      for _, skill, a in g.out_edges(team, data=True)))


@signature("profile-in-real-time")
def profile_in_real_time(g: nx.MultiDiGraph) -> Signal:
    classes = PERSON_CLASSES | ENGAGEMENT_CLASSES
    creators = masters_by_class(g, classes)
    reached = _reaches_hub(g, classes, max_latency=1)
    return _all_pass(creators, lambda s: s in reached)


__all__ = ["SIGNATURES", "Signal", "signature"]
