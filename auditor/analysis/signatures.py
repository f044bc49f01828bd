"""Stage signatures: what the inventory shows about the stage an ecosystem has reached.

Each check reads the ecosystem graph and says whether its signature holds, naming the items
in the way when it does not (the systems, touchpoints, journeys or policies the client would
have to change). Its level, the questions it speaks for and its wording live in
``blueprints/scoring.yaml``; a check registered here but not listed there is simply unused,
and a listed signature with no check is a content error.

Every check reads an ``Estate``: the graph with its kinds, typed edges and flows indexed once
per run, so each check is a lookup or a few multi-source traversals over plain adjacency and
all of them together cost about one pass over the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.graph.traverse import ENGAGEMENT_CLASSES, HUB_ROLES, PERSON_CLASSES
from auditor.rules.queries import BUSY_SHARE, capability_providers, sources_reaching

if TYPE_CHECKING:
    import networkx as nx


@dataclass(frozen=True)
class Signal:
    """Whether a signature holds; ``blocking`` are the ids of what stands in the way."""

    held: bool
    blocking: tuple[str, ...] = ()


@dataclass(frozen=True)
class Flow:
    """One data flow as the checks read it: its ends, latency rank, the classes of the data it
    carries, its data, id and mode."""

    source: str
    target: str
    latency: int
    classes: frozenset[str | None]
    data: tuple[str, ...]
    flow: str
    mode: str | None


class Estate:
    """The graph of one analysis with what several checks read, each worked out once.

    Twenty-odd checks each scanning the whole graph (nodes of a kind, a hub's thousands of
    in-edges, a projection of every flow) cost seconds on a large estate; here the edges are
    indexed by type in one pass, the flows listed once with their data classes, and the
    projections kept as plain adjacency (the checks need reachability, not networkx graphs).
    Built per ``check_signatures`` call and dropped with it: nothing outlives one graph."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.graph = g
        kinds: dict[str, list[str]] = {}
        roles: dict[str, set[str]] = {}
        data_class: dict[str, str | None] = {}
        for n, a in g.nodes(data=True):
            kind = a.get("kind")
            kinds.setdefault(kind, []).append(n)
            data_class[n] = a.get("data_class")
            if kind == "system":
                for role in a.get("roles", ()):
                    roles.setdefault(role, set()).add(n)
        self._kinds = {k: sorted(ns) for k, ns in kinds.items()}
        self._roles = roles
        self._ins: dict[tuple[str, str], list[str]] = {}
        self._outs: dict[tuple[str, str], list[str]] = {}
        self.flows: list[Flow] = []
        for u, v, a in g.edges(data=True):
            etype = a.get("type")
            self._ins.setdefault((etype, v), []).append(u)
            self._outs.setdefault((etype, u), []).append(v)
            if etype == "flows_to":
                data = tuple(a.get("data", ()))
                self.flows.append(Flow(u, v, a["latency"],
                                       frozenset(data_class.get(d) for d in data), data,
                                       a.get("flow", ""), a.get("mode")))
        self._masters: dict[frozenset[str], dict[str, list[str]]] = {}

    def nodes_of(self, kind: str) -> list[str]:
        """As ``traverse.nodes_of``: the ids of one kind, sorted."""
        return self._kinds.get(kind, [])

    def with_role(self, *roles: str) -> list[str]:
        """As ``traverse.systems_with_role``: systems with any of ``roles``, sorted."""
        return sorted(set().union(*(self._roles.get(r, ()) for r in roles)))

    def in_typed(self, node: str, etype: str) -> list[str]:
        """As ``traverse.in_typed``."""
        return sorted(set(self._ins.get((etype, node), ())))

    def out_typed(self, node: str, etype: str) -> list[str]:
        """As ``traverse.out_typed``."""
        return sorted(set(self._outs.get((etype, node), ())))

    def masters_of(self, datum: str) -> list[str]:
        """As ``traverse.masters_of``: mastering an entity counts for its attributes too."""
        g = self.graph
        found = set(self._ins.get(("masters", datum), ()))
        entity = g.nodes[datum].get("entity") if datum in g else None
        if entity and entity != datum and entity in g:
            found.update(self._ins.get(("masters", entity), ()))
        return sorted(found)

    def masters_by_class(self, classes: Iterable[str]) -> dict[str, list[str]]:
        """As ``rules.queries.masters_by_class``, once per set of classes."""
        wanted = frozenset(classes)
        if wanted not in self._masters:
            nodes = self.graph.nodes
            found: dict[str, set[str]] = {}
            for datum in self.nodes_of("data"):
                attrs = nodes[datum]
                if attrs.get("data_class") not in wanted:
                    continue
                for system in self._ins.get(("masters", datum), ()):
                    found.setdefault(system, set()).add(datum)
                entity = attrs.get("entity")
                if entity and entity != datum:
                    # Mastering the entity makes a system master of each attribute.
                    for system in self._ins.get(("masters", entity), ()):
                        found.setdefault(system, set()).add(datum)
            self._masters[wanted] = {s: sorted(ds) for s, ds in sorted(found.items())}
        return self._masters[wanted]

    def projection(self, classes: Iterable[str] | None = None,
                   max_latency: int = 4) -> list[tuple[str, str]]:
        """The edges of ``traverse.flow_projection``: (source, target) of the flows at most
        that slow carrying data of ``classes`` (any flow when None)."""
        wanted = frozenset(classes) if classes is not None else None
        return [(f.source, f.target) for f in self.flows
                if f.latency <= max_latency
                and (wanted is None or not wanted.isdisjoint(f.classes))]

    def reaching(self, edges: Iterable[tuple[str, str]], targets: Iterable[str]) -> set[str]:
        """As ``traverse.reaching`` over the projection with ``edges`` (its nodes: every
        system and the ends of its edges)."""
        back: dict[str, list[str]] = {}
        for u, v in edges:
            back.setdefault(v, []).append(u)
        return _walk(back, [t for t in targets if t in self.graph])

    def reachable_from(self, edges: Iterable[tuple[str, str]], sources: Iterable[str]) -> set[str]:
        """As ``traverse.reachable_from`` over the projection with ``edges``."""
        ahead: dict[str, list[str]] = {}
        for u, v in edges:
            ahead.setdefault(u, []).append(v)
        return _walk(ahead, [s for s in sources if s in self.graph])


def _walk(adjacency: dict[str, list[str]], start: list[str]) -> set[str]:
    """Every node reachable from ``start`` (included) along ``adjacency``."""
    seen = set(start)
    todo = list(seen)
    while todo:
        for nxt in adjacency.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


Check = Callable[[Estate], Signal]
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


def _metric_types(e: Estate) -> set[str]:
    return {str(e.graph.nodes[m].get("mtype")) for m in e.nodes_of("metric")}


def _touchpoints(e: Estate, style: str) -> list[str]:
    return [t for t in e.nodes_of("touchpoint") if e.graph.nodes[t].get("style") == style]


def _reaches_hub(e: Estate, classes: Iterable[str] | None = None,
                 max_latency: int = 4) -> set[str]:
    """Systems that are a hub or whose flows (of ``classes``, at most that slow) reach one."""
    return e.reaching(e.projection(classes, max_latency), e.with_role(*HUB_ROLES))


def _served_into_hub(e: Estate, touchpoints: list[str],
                     classes: Iterable[str] | None) -> Signal:
    reached = _reaches_hub(e, classes)
    return _all_pass(touchpoints, lambda t: any(s in reached for s in e.in_typed(t, "serves")))


# --- level 1 ------------------------------------------------------------------------------
@signature("person-recorded")
def person_recorded(e: Estate) -> Signal:
    return Signal(bool(e.masters_by_class({"identity"})))


@signature("broadcast-reach")
def broadcast_reach(e: Estate) -> Signal:
    broadcasts = _touchpoints(e, "broadcast")
    unserved = tuple(t for t in broadcasts if not e.in_typed(t, "serves"))
    return Signal(len(unserved) < len(broadcasts), unserved)


@signature("activity-measured")
def activity_measured(e: Estate) -> Signal:
    return Signal(bool(e.nodes_of("metric")))


@signature("skills-listed")
def skills_listed(e: Estate) -> Signal:
    return Signal(any(e.out_typed(t, "staffed_by") for t in e.nodes_of("team")))


@signature("automated-flow")
def automated_flow(e: Estate) -> Signal:
    manual = tuple(sorted(f.flow for f in e.flows if f.mode == "manual"))
    return Signal(any(f.mode != "manual" for f in e.flows), manual)


# --- level 2 ------------------------------------------------------------------------------
@signature("sor-feeds-soe")
def sor_feeds_soe(e: Estate) -> Signal:
    records = e.with_role("system-of-record")
    engagers = [s for s in e.with_role("system-of-engagement") if s not in records]
    if not records:
        return Signal(False)
    reached = e.reachable_from(e.projection(), records)
    return _all_pass(engagers, lambda s: s in reached)


@signature("forms-reach-record")
def forms_reach_record(e: Estate) -> Signal:
    return _served_into_hub(e, _touchpoints(e, "one-way-in"), PERSON_CLASSES)


@signature("holdings-on-record")
def holdings_on_record(e: Estate) -> Signal:
    reached = _reaches_hub(e, {"transaction"})
    transactions = [d for d in e.nodes_of("data")
                    if e.graph.nodes[d].get("data_class") == "transaction"]
    return _all_pass(transactions, lambda d: any(m in reached for m in e.masters_of(d)))


@signature("outcome-measured")
def outcome_measured(e: Estate) -> Signal:
    return Signal(bool(_metric_types(e) & {"outcome", "value", "satisfaction"}))


@signature("systems-owned")
def systems_owned(e: Estate) -> Signal:
    return _all_pass(e.nodes_of("system"), lambda s: bool(e.in_typed(s, "owns")))


@signature("executive-owner")
def executive_owner(e: Estate) -> Signal:
    return Signal(any(e.graph.nodes[t].get("executive") and e.out_typed(t, "owns")
                      for t in e.nodes_of("team")))


@signature("data-quality-care")
def data_quality_care(e: Estate) -> Signal:
    g = e.graph
    tools = e.with_role("data-quality") or capability_providers(g, {"data-quality"})
    person = [d for d in e.nodes_of("data") if g.nodes[d].get("data_class") in PERSON_CLASSES]
    stewards = any(e.in_typed(d, "owns") for d in person)
    return Signal(bool(tools) or stewards)


@signature("journey-mapped")
def journey_mapped(e: Estate) -> Signal:
    def placed(journey: str) -> bool:
        return any(e.out_typed(stage, "contains") for stage in e.out_typed(journey, "contains"))
    journeys = e.nodes_of("journey")
    empty = tuple(j for j in journeys if not placed(j))
    return Signal(len(empty) < len(journeys), empty)


# --- level 3 ------------------------------------------------------------------------------
@signature("identity-resolved")
def identity_resolved(e: Estate) -> Signal:
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
def two_way_on_record(e: Estate) -> Signal:
    return _served_into_hub(e, _touchpoints(e, "two-way"), ENGAGEMENT_CLASSES)


@signature("rules-fed-in-time")
def rules_fed_in_time(e: Estate) -> Signal:
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
        return _walk(nxt, e.masters_of(datum))

    def fed(policy: str) -> bool:
        executors = e.in_typed(policy, "enforces")
        triggers = e.out_typed(policy, "requires")
        limit = g.nodes[policy].get("max_latency")
        return bool(executors and triggers) and all(
            all(x in reached(d, 4 if limit is None else limit) for x in executors)
            for d in triggers)
    return _all_pass(e.nodes_of("policy"), fed)


@signature("responsiveness-measured")
def responsiveness_measured(e: Estate) -> Signal:
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
def orchestration(e: Estate) -> Signal:
    return Signal(bool(e.with_role("orchestration")
                       or capability_providers(e.graph,
                                               {"journey-orchestration", "next-best-action"})))


@signature("journeys-owned")
def journeys_owned(e: Estate) -> Signal:
    return _all_pass(e.nodes_of("journey"), lambda j: bool(e.in_typed(j, "owns")))


@signature("owners-skilled")
def owners_skilled(e: Estate) -> Signal:
    g = e.graph

    def skilled(system: str) -> bool:
        return any((a.get("level") or 0) >= 2
                   for team in e.in_typed(system, "owns")
                   for _, _, a in g.out_edges(team, data=True) if a.get("type") == "staffed_by")
    owned = [s for s in e.nodes_of("system") if e.in_typed(s, "owns")]
    return _all_pass(owned, skilled)


# --- level 4 ------------------------------------------------------------------------------
@signature("participation-on-record")
def participation_on_record(e: Estate) -> Signal:
    return _served_into_hub(e, _touchpoints(e, "participation"), None)


@signature("participation-measured")
def participation_measured(e: Estate) -> Signal:
    return Signal("participation" in _metric_types(e))


@signature("community-skills")
def community_skills(e: Estate) -> Signal:
    # Listed at level 0 or with nobody holding it, the skill is named as missing, not held.
    return Signal(any("community" in str(skill) and a.get("type") == "staffed_by"
                      and int(a.get("level", 0)) >= 1 and a.get("people") != 0
                      for team in e.nodes_of("team")
                      for _, skill, a in e.graph.out_edges(team, data=True)))


@signature("profile-in-real-time")
def profile_in_real_time(e: Estate) -> Signal:
    classes = PERSON_CLASSES | ENGAGEMENT_CLASSES
    creators = e.masters_by_class(classes)
    reached = _reaches_hub(e, classes, max_latency=1)
    return _all_pass(creators, lambda s: s in reached)


__all__ = ["SIGNATURES", "Estate", "Flow", "Signal", "signature"]
