"""Graph queries several gap rules share, memoised per analysis run through ``RuleContext``.

Each query is linear in the graph: projections are built in one pass over the edges, and
per-datum reachability only walks the flows that carry that datum (the sum over all data is
the number of (flow, datum) pairs, i.e. the size of the inventory).
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from auditor.graph.index import walk
from auditor.graph.traverse import (
    ENGAGEMENT_CLASSES,
    in_typed,
    masters_of,
    nodes_of,
    undirected_flows,
)

if TYPE_CHECKING:
    import networkx as nx

    from auditor.rules.registry import RuleContext

#: A busy channel carries a real share of the client's interactions. Being among the top
#: three says nothing at a client with four channels, so rank is off unless a rule sets it.
BUSY_TOP = 0
BUSY_SHARE = 0.10


def busy_channels(ctx: RuleContext, top: int | None = None, share: float | None = None) -> set[str]:
    """busy(c): a channel carrying >= ``share`` of all interactions (or, where a rule sets
    ``busy_top``, among the top ``top`` by volume). Channels with no volume are never busy. Defaults come from the rule's
    thresholds (``busy_top``, ``busy_share``) so a consultant can tune them in blueprints/."""
    top = ctx.threshold("busy_top", BUSY_TOP) if top is None else top
    share = ctx.threshold("busy_share", BUSY_SHARE) if share is None else share
    g = ctx.graph
    volumes = [(g.nodes[c].get("volume") or 0, c) for c in ctx.nodes_of("channel")]
    volumes = [(v, c) for v, c in volumes if v > 0]
    total = sum(v for v, _ in volumes)
    ranked = sorted(volumes, key=lambda vc: (-vc[0], vc[1]))
    busy = {c for _, c in ranked[:top]}
    busy.update(c for v, c in volumes if total and v / total >= share)
    return busy


def serving_systems(ctx: RuleContext, touchpoint: str) -> list[str]:
    return ctx.in_typed(touchpoint, "serves")


def touchpoint_channel(ctx: RuleContext, touchpoint: str) -> str | None:
    channels = ctx.out_typed(touchpoint, "uses_channel")
    return channels[0] if channels else None


def customer_facing(ctx: RuleContext) -> set[str]:
    """CF: systems that serve at least one touchpoint."""
    return ctx.cached("customer-facing", lambda: {
        u for u, _, a in ctx.index.edges("serves") if a.get("type") == "serves"})


def reaching_by_flows(ctx: RuleContext, targets: Iterable[str]) -> set[str]:
    """``reaching(F, targets)`` for F the projection of every flow (``flow_projection``): the
    systems whose data reaches some of ``targets``, targets included. Only F's nodes and
    predecessors are needed, so they are kept as plain dicts, once per analysis, rather than
    as a networkx graph of 42,000 edges at L."""
    def make() -> tuple[set[str], dict[str, list[str]]]:
        nodes = set(ctx.nodes_of("system"))  # as flow_projection: every system, flows' ends too
        before: dict[str, list[str]] = defaultdict(list)
        for f in ctx.index.flows:  # the flows_to edges, in the graph's order
            if f.latency > 4:  # flow_projection's own test
                continue
            nodes.add(f.source)
            nodes.add(f.target)
            before[f.target].append(f.source)
        return nodes, dict(before)

    nodes, before = ctx.cached("F-all:predecessors", make)
    return walk(before, [t for t in targets if t in nodes])


@dataclass(frozen=True)
class Reach:
    """F[classes, l] as plain adjacency, for the rules that only ask what reaches what: the
    nodes ``flow_projection`` would hold (every system, and the ends of the flows kept) and
    each node's successors and predecessors. ``reaching``, ``reachable_from`` and
    ``components`` answer as ``traverse.reaching``, ``traverse.reachable_from`` and networkx's
    connected components do on that projection, without building a networkx graph of tens
    of thousands of edges (each with its sorted flow ids) that they never read."""

    nodes: frozenset[str]
    ahead: dict[str, list[str]]
    back: dict[str, list[str]]

    @classmethod
    def of(cls, ctx: RuleContext, classes: Iterable[str], max_latency: int = 4) -> Reach:
        """The flows at most ``max_latency`` slow carrying data of ``classes``, from the
        index's flows (their data classes worked out once per analysis)."""
        ahead: dict[str, list[str]] = defaultdict(list)
        back: dict[str, list[str]] = defaultdict(list)
        nodes = set(ctx.nodes_of("system"))
        for u, v in ctx.index.projection(classes, max_latency):
            ahead[u].append(v)
            back[v].append(u)
            nodes.add(u)
            nodes.add(v)
        return cls(frozenset(nodes), dict(ahead), dict(back))

    def __contains__(self, node: object) -> bool:
        return node in self.nodes

    def reaching(self, targets: Iterable[str]) -> set[str]:
        """Every node from which some of ``targets`` can be reached (targets included)."""
        return walk(self.back, [t for t in targets if t in self.nodes])

    def reachable_from(self, sources: Iterable[str]) -> set[str]:
        """Every node reachable from any of ``sources`` (sources included)."""
        return walk(self.ahead, [s for s in sources if s in self.nodes])

    def digraph(self) -> nx.DiGraph:
        """The same projection as a networkx graph without edge attributes, for what only
        networkx does here (``sources_reaching``: condensation)."""
        import networkx as nx

        h: nx.DiGraph = nx.DiGraph()
        h.add_nodes_from(sorted(self.nodes))
        h.add_edges_from((u, v) for u, ends in self.ahead.items() for v in ends)
        return h

    def components(self) -> list[set[str]]:
        """The connected components, direction ignored, ordered by their smallest node."""
        seen: set[str] = set()
        found: list[set[str]] = []
        for node in sorted(self.nodes):
            if node in seen:
                continue
            component = {node}
            todo = [node]
            while todo:
                at = todo.pop()
                for nxt in (*self.ahead.get(at, ()), *self.back.get(at, ())):
                    if nxt not in component:
                        component.add(nxt)
                        todo.append(nxt)
            seen |= component
            found.append(component)
        return found


def engagement_projection(ctx: RuleContext) -> Reach:
    """F[interaction ∪ transaction ∪ case] at any latency, for reachability."""
    return ctx.cached("F-engagement", lambda: Reach.of(ctx, ENGAGEMENT_CLASSES))


def undirected(ctx: RuleContext) -> nx.Graph:
    return ctx.cached("U", lambda: undirected_flows(ctx.graph, ctx.index.edges("flows_to")))


def data_of_classes(ctx: RuleContext, classes: Iterable[str]) -> list[str]:
    """The data of ``classes``, sorted."""
    wanted, nodes = set(classes), ctx.graph.nodes
    return [d for d in ctx.nodes_of("data") if nodes[d].get("data_class") in wanted]


def class_masters(ctx: RuleContext, classes: Iterable[str]) -> dict[str, list[str]]:
    """``masters_by_class``, worked out once per analysis and set of classes (several rules
    ask for the masters of identity or engagement data). Shared: read it, never change it."""
    wanted = frozenset(classes)

    def make() -> dict[str, list[str]]:
        # masters_by_class from the index: each datum of a wanted class, with the masters of
        # the datum itself and of its entity; the same sets, so the same sorted lists.
        nodes = ctx.graph.nodes
        found: dict[str, set[str]] = defaultdict(set)
        for d in ctx.nodes_of("data"):
            attrs = nodes[d]
            if attrs.get("data_class") not in wanted:
                continue
            for system in ctx.in_typed(d, "masters"):
                found[system].add(d)
            entity = attrs.get("entity")
            if entity and entity != d:
                for system in ctx.in_typed(entity, "masters"):
                    found[system].add(d)
        return {s: sorted(ds) for s, ds in sorted(found.items())}

    known: dict[str, list[str]] = ctx.cached(("masters-by-class", wanted), make)
    return known


def flows_into(ctx: RuleContext, system: str) -> list[tuple[str, str, dict]]:
    """(source, flow id, edge attributes) of the flows into ``system``, by flow id. Asked for
    the same systems by several rules and, walking upstream, again and again: each system's
    list is made once per analysis. Shared: read it, never change it."""
    def gather() -> dict[str, list[tuple[str, str, dict]]]:
        # Every flow by its target in one pass over the index's flows, instead of a networkx
        # view of each system's in-edges (hubs receive thousands of edges of every type).
        into: dict[str, list[tuple[str, str, dict]]] = defaultdict(list)
        for u, v, a in ctx.index.edges("flows_to"):
            if a.get("type") == "flows_to":
                into[v].append((u, a["flow"], a))
        return dict(into)

    into = ctx.cached(("flows-into:unsorted", id(ctx.graph)), gather)
    known: dict[str, list[tuple[str, str, dict]]] = ctx.cached(("flows-into", id(ctx.graph)),
                                                                dict)
    found = known.get(system)
    if found is None:
        # Flow ids are unique in an audit, so this order is the same whatever order the
        # flows were gathered in.
        found = known[system] = sorted(into.get(system, ()), key=lambda t: t[1])
    return found


def masters_by_class(g: nx.MultiDiGraph, classes: Iterable[str]) -> dict[str, list[str]]:
    """System -> the data of ``classes`` it masters (directly or through the entity)."""
    wanted = set(classes)
    found: dict[str, set[str]] = defaultdict(set)
    for system, datum, t in g.edges(data="type"):
        if t != "masters":
            continue
        attrs = g.nodes[datum]
        if attrs.get("data_class") in wanted:
            found[system].add(datum)
        # Mastering an entity makes a system master of each attribute of a wanted class.
    for d in nodes_of(g, "data"):
        attrs = g.nodes[d]
        entity = attrs.get("entity")
        if entity and entity != d and attrs.get("data_class") in wanted:
            for system in in_typed(g, entity, "masters"):
                found[system].add(d)
    return {s: sorted(ds) for s, ds in sorted(found.items())}


# --- per-datum flows ----------------------------------------------------------------------
@dataclass
class FlowIndex:
    """The flows carrying each datum: ``exact[d]`` lists flows naming ``d``; ``whole[e]`` lists
    flows naming entity ``e`` or any of its attributes. Tuples are (source, target, latency, flow)."""

    exact: dict[str, list[tuple[str, str, int, str]]] = field(default_factory=dict)
    whole: dict[str, list[tuple[str, str, int, str]]] = field(default_factory=dict)
    entity: dict[str, str] = field(default_factory=dict)

    def carriers(self, datum: str) -> list[tuple[str, str, int, str]]:
        """Flows that move ``datum`` (a flow of the whole entity moves each attribute)."""
        ent = self.entity.get(datum, datum)
        if ent == datum:
            return self.whole.get(datum, [])
        return self.exact.get(datum, []) + self.exact.get(ent, [])


def flow_index(ctx: RuleContext) -> FlowIndex:
    def make() -> FlowIndex:
        nodes = ctx.graph.nodes
        index = FlowIndex()
        entity = index.entity
        for d in ctx.nodes_of("data"):
            entity[d] = nodes[d].get("entity") or d
        exact: dict[str, list] = defaultdict(list)
        whole: dict[str, list] = defaultdict(list)
        # The graph index's flows: the flows_to edges in the graph's order, already read.
        for f in ctx.index.flows:
            hop = (f.source, f.target, f.latency, f.flow)
            for d in sorted(set(f.data)):
                exact[d].append(hop)
                whole[entity.get(d, d)].append(hop)
        index.exact, index.whole = dict(exact), dict(whole)
        return index
    return ctx.cached("flow-index", make)


datum_masters = masters_of  # the rules' name for it; one implementation in graph.traverse


def reached_by_datum(ctx: RuleContext, datum: str, sources: Iterable[str],
                     max_latency: int = 4) -> set[str]:
    """Systems reachable from any of ``sources`` in F[datum, max_latency] (sources included)."""

    def make() -> dict[str, list[str]]:
        adjacency: dict[str, list[str]] = defaultdict(list)
        for u, v, lat, _ in flow_index(ctx).carriers(datum):
            if lat <= max_latency:
                adjacency[u].append(v)
        return dict(adjacency)

    # Asked many times per datum (per sender, per master): the adjacency is built once.
    adjacency: dict[str, list[str]] = ctx.cached(("datum-adjacency", datum, max_latency), make)
    return walk(adjacency, list(sources))


def best_route(ctx: RuleContext, datum: str, source: str,
               target: str) -> tuple[int, list[str]] | None:
    """The least latency l with reach(F[datum, l], source, target) and the flows of one such
    route (a route is as slow as its slowest hop); None when no route exists."""
    if source == target:
        return 0, []
    def make() -> dict[str, list[tuple[str, int, str]]]:
        adj: dict[str, list[tuple[str, int, str]]] = defaultdict(list)
        for u, v, lat, flow in flow_index(ctx).carriers(datum):
            adj[u].append((v, lat, flow))
        return {u: sorted(hops) for u, hops in adj.items()}

    adjacency = ctx.cached(("datum-adjacency", datum), make)
    best: dict[str, int] = {source: 0}
    via: dict[str, tuple[str, str]] = {}
    heap: list[tuple[int, str]] = [(0, source)]
    while heap:
        lat, node = heapq.heappop(heap)
        if node == target:
            flows: list[str] = []
            while node != source:
                node, flow = via[node]
                flows.append(flow)
            return lat, flows[::-1]
        if lat > best.get(node, 99):
            continue
        for nxt, hop_lat, flow in adjacency.get(node, ()):
            cand = max(lat, hop_lat)
            if cand < best.get(nxt, 99):
                best[nxt] = cand
                via[nxt] = (node, flow)
                heapq.heappush(heap, (cand, nxt))
    return None


def capability_providers(g: nx.MultiDiGraph, names: Iterable[str]) -> list[str]:
    """Systems providing a capability whose id (or slugged name) is one of ``names``."""
    from auditor.schema.ids import slugify

    wanted = set(names)
    caps = [c for c in nodes_of(g, "capability")
            if c in wanted or slugify(str(g.nodes[c].get("name", ""))) in wanted]
    return sorted({s for c in caps for s in in_typed(g, c, "provides")})


def sources_reaching(h: nx.DiGraph, sources: list[str]) -> dict[str, int]:
    """For every node of ``h``, a bit mask of the ``sources`` (bit i = sources[i]) that can
    reach it. One pass over the condensation in topological order; the masks are Python ints,
    so OR-ing them is word-parallel. This answers "which resolver is fed by the most masters"
    without a traversal per resolver or per master."""
    import networkx as nx

    cond = nx.condensation(h)
    members = cond.graph["mapping"]  # node -> component
    bits = [0] * cond.number_of_nodes()
    for i, s in enumerate(sources):
        if s in members:
            bits[members[s]] |= 1 << i
    for comp in nx.topological_sort(cond):
        mask = bits[comp]
        if mask:
            for nxt in cond.successors(comp):
                bits[nxt] |= mask
    return {node: bits[comp] for node, comp in members.items()}
