"""Stage signatures: what the inventory shows about the stage an ecosystem has reached.

Each check reads the ecosystem graph and says whether its signature holds, naming the items
in the way when it does not (the systems, touchpoints, journeys or policies the client would
have to change). Its level, the questions it speaks for and its wording live in
``blueprints/scoring.yaml``; a check registered here but not listed there is simply unused,
and a listed signature with no check is a content error.

Every check reads a ``GraphIndex``: the graph with its kinds, typed edges and flows indexed once
per run, so each check is a lookup or a few multi-source traversals over plain adjacency and
all of them together cost about one pass over the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.graph.index import GraphIndex, walk
from auditor.graph.traverse import ENGAGEMENT_CLASSES, HUB_ROLES, PERSON_CLASSES
from auditor.rules.queries import BUSY_SHARE, capability_providers, sources_reaching

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Signal:
    """Whether a signature holds; ``blocking`` are the ids of what stands in the way."""

    held: bool
    blocking: tuple[str, ...] = ()


Check = Callable[[GraphIndex], Signal]
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


def _metric_types(e: GraphIndex) -> set[str]:
    return {str(e.graph.nodes[m].get("mtype")) for m in e.nodes_of("metric")}


def _touchpoints(e: GraphIndex, style: str) -> list[str]:
    return [t for t in e.nodes_of("touchpoint") if e.graph.nodes[t].get("style") == style]


def _reaches_hub(e: GraphIndex, classes: Iterable[str] | None = None,
                 max_latency: int = 4) -> set[str]:
    """Systems that are a hub or whose flows (of ``classes``, at most that slow) reach one."""
    return e.reaching(e.projection(classes, max_latency), e.with_role(*HUB_ROLES))


def _served_into_hub(e: GraphIndex, touchpoints: list[str],
                     classes: Iterable[str] | None) -> Signal:
    reached = _reaches_hub(e, classes)
    return _all_pass(touchpoints, lambda t: any(s in reached for s in e.in_typed(t, "serves")))


# --- level 1 ------------------------------------------------------------------------------
@signature("person-recorded")
def person_recorded(e: GraphIndex) -> Signal:
    return Signal(bool(e.masters_by_class({"identity"})))


@signature("broadcast-reach")
def broadcast_reach(e: GraphIndex) -> Signal:
    broadcasts = _touchpoints(e, "broadcast")
    unserved = tuple(t for t in broadcasts if not e.in_typed(t, "serves"))
    return Signal(len(unserved) < len(broadcasts), unserved)


@signature("activity-measured")
def activity_measured(e: GraphIndex) -> Signal:
    return Signal(bool(e.nodes_of("metric")))


@signature("skills-listed")
def skills_listed(e: GraphIndex) -> Signal:
    return Signal(any(e.out_typed(t, "staffed_by") for t in e.nodes_of("team")))


@signature("automated-flow")
def automated_flow(e: GraphIndex) -> Signal:
    manual = tuple(sorted(f.flow for f in e.flows if f.mode == "manual"))
    return Signal(any(f.mode != "manual" for f in e.flows), manual)


# --- level 2 ------------------------------------------------------------------------------
@signature("sor-feeds-soe")
def sor_feeds_soe(e: GraphIndex) -> Signal:
    records = e.with_role("system-of-record")
    engagers = [s for s in e.with_role("system-of-engagement") if s not in records]
    if not records:
        return Signal(False)
    reached = e.reachable_from(e.projection(), records)
    return _all_pass(engagers, lambda s: s in reached)


@signature("forms-reach-record")
def forms_reach_record(e: GraphIndex) -> Signal:
    return _served_into_hub(e, _touchpoints(e, "one-way-in"), PERSON_CLASSES)


@signature("holdings-on-record")
def holdings_on_record(e: GraphIndex) -> Signal:
    reached = _reaches_hub(e, {"transaction"})
    transactions = [d for d in e.nodes_of("data")
                    if e.graph.nodes[d].get("data_class") == "transaction"]
    return _all_pass(transactions, lambda d: any(m in reached for m in e.masters_of(d)))


@signature("outcome-measured")
def outcome_measured(e: GraphIndex) -> Signal:
    return Signal(bool(_metric_types(e) & {"outcome", "value", "satisfaction"}))


@signature("systems-owned")
def systems_owned(e: GraphIndex) -> Signal:
    return _all_pass(e.nodes_of("system"), lambda s: bool(e.in_typed(s, "owns")))


@signature("executive-owner")
def executive_owner(e: GraphIndex) -> Signal:
    return Signal(any(e.graph.nodes[t].get("executive") and e.out_typed(t, "owns")
                      for t in e.nodes_of("team")))


@signature("data-quality-care")
def data_quality_care(e: GraphIndex) -> Signal:
    g = e.graph
    tools = e.with_role("data-quality") or capability_providers(g, {"data-quality"})
    person = [d for d in e.nodes_of("data") if g.nodes[d].get("data_class") in PERSON_CLASSES]
    stewards = any(e.in_typed(d, "owns") for d in person)
    return Signal(bool(tools) or stewards)


@signature("journey-mapped")
def journey_mapped(e: GraphIndex) -> Signal:
    def placed(journey: str) -> bool:
        return any(e.out_typed(stage, "contains") for stage in e.out_typed(journey, "contains"))
    journeys = e.nodes_of("journey")
    empty = tuple(j for j in journeys if not placed(j))
    return Signal(len(empty) < len(journeys), empty)


# --- level 3 ------------------------------------------------------------------------------
@signature("identity-resolved")
def identity_resolved(e: GraphIndex) -> Signal:
    import networkx as nx

    creators = sorted(e.masters_by_class({"identity"}))
    if len(creators) == 1:
        return Signal(True)  # one system creates every person: nothing to reconcile
    resolvers = sorted(set(e.with_role("cdp"))
                       | set(capability_providers(e.graph, {"identity-resolution"})))
    if not creators:
        return Signal(False)
    # One pass gives, for every system, the set (bit mask) of creators whose identity flows
    # reach it; the best resolver is the one reached by the most. The masks depend only on
    # which systems the identity flows join (flow_projection's nodes and edges).
    identity: nx.DiGraph = nx.DiGraph()
    identity.add_nodes_from(e.nodes_of("system"))
    identity.add_edges_from(e.projection({"identity"}))
    masks = sources_reaching(identity, creators)
    best: tuple[str, ...] = tuple(creators)
    for r in resolvers:
        mask = masks.get(r, 0)
        missing = tuple(c for i, c in enumerate(creators) if not mask >> i & 1)
        if len(missing) < len(best):
            best = missing
    return Signal(not best, best)


@signature("two-way-on-record")
def two_way_on_record(e: GraphIndex) -> Signal:
    return _served_into_hub(e, _touchpoints(e, "two-way"), ENGAGEMENT_CLASSES)


@signature("rules-fed-in-time")
def rules_fed_in_time(e: GraphIndex) -> Signal:
    # The flows indexed by the data they carry; each trigger then walks only its own flows,
    # so many policies cost no more than the flows that concern them.
    g = e.graph
    carrying: dict[str, list[tuple[str, str, int]]] = {}
    for f in e.flows:
        for datum in f.data:
            carrying.setdefault(datum, []).append((f.source, f.target, f.latency))

    def reached(datum: str, limit: int) -> set[str]:
        entity = g.nodes[datum].get("entity") if datum in g else None
        edges = carrying.get(datum, []) + (carrying.get(entity, []) if entity and entity != datum else [])
        nxt: dict[str, list[str]] = {}
        for u, v, latency in edges:
            if latency <= limit:
                nxt.setdefault(u, []).append(v)
        return walk(nxt, e.masters_of(datum))

    def fed(policy: str) -> bool:
        executors = e.in_typed(policy, "enforces")
        triggers = e.out_typed(policy, "requires")
        limit = g.nodes[policy].get("max_latency")
        return bool(executors and triggers) and all(
            all(x in reached(d, 4 if limit is None else limit) for x in executors)
            for d in triggers)
    return _all_pass(e.nodes_of("policy"), fed)


@signature("responsiveness-measured")
def responsiveness_measured(e: GraphIndex) -> Signal:
    """A response-time metric exists, and covers every busy channel where customers talk back.

    One measured channel does not make a measured organisation: a phone queue with a speed of
    answer says nothing about a WhatsApp line carrying more conversations than the phone. A
    metric counts for a channel when it measures the channel or a two-way touchpoint on it
    (as GOV-03 reads it); busy is a share of all interactions (``BUSY_SHARE``)."""
    g = e.graph
    metrics = [m for m in e.nodes_of("metric") if g.nodes[m].get("mtype") == "responsiveness"]
    if not metrics:
        return Signal(False)
    measured = {t for m in metrics for t in e.out_typed(m, "measures")}
    talking: dict[str, set[str]] = {}
    for tp in _touchpoints(e, "two-way"):
        channel = g.nodes[tp].get("channel")
        if channel in g and g.nodes[channel].get("ckind") != "in-person":
            talking.setdefault(channel, set()).add(tp)
    volumes = {c: g.nodes[c].get("volume") or 0 for c in e.nodes_of("channel")}
    total = sum(volumes.values())
    busy = [c for c in sorted(talking) if total and volumes[c] / total >= BUSY_SHARE]
    return _all_pass(busy, lambda c: bool(({c} | talking[c]) & measured)) if busy \
        else Signal(True)


@signature("orchestration")
def orchestration(e: GraphIndex) -> Signal:
    return Signal(bool(e.with_role("orchestration")
                       or capability_providers(e.graph,
                                               {"journey-orchestration", "next-best-action"})))


@signature("journeys-owned")
def journeys_owned(e: GraphIndex) -> Signal:
    return _all_pass(e.nodes_of("journey"), lambda j: bool(e.in_typed(j, "owns")))


@signature("owners-skilled")
def owners_skilled(e: GraphIndex) -> Signal:
    g = e.graph

    def skilled(system: str) -> bool:
        return any((a.get("level") or 0) >= 2
                   for team in e.in_typed(system, "owns")
                   for _, _, a in g.out_edges(team, data=True) if a.get("type") == "staffed_by")
    owned = [s for s in e.nodes_of("system") if e.in_typed(s, "owns")]
    return _all_pass(owned, skilled)


# --- level 4 ------------------------------------------------------------------------------
@signature("participation-on-record")
def participation_on_record(e: GraphIndex) -> Signal:
    return _served_into_hub(e, _touchpoints(e, "participation"), None)


@signature("participation-measured")
def participation_measured(e: GraphIndex) -> Signal:
    return Signal("participation" in _metric_types(e))


@signature("community-skills")
def community_skills(e: GraphIndex) -> Signal:
    # Listed at level 0 or with nobody holding it, the skill is named as missing, not held.
    return Signal(any("community" in str(skill) and a.get("type") == "staffed_by"
                      and int(a.get("level", 0)) >= 1 and a.get("people") != 0
                      for team in e.nodes_of("team")
                      for _, skill, a in e.graph.out_edges(team, data=True)))


@signature("profile-in-real-time")
def profile_in_real_time(e: GraphIndex) -> Signal:
    classes = PERSON_CLASSES | ENGAGEMENT_CLASSES
    creators = e.masters_by_class(classes)
    reached = _reaches_hub(e, classes, max_latency=1)
    return _all_pass(creators, lambda s: s in reached)


__all__ = ["SIGNATURES", "Signal", "signature"]
