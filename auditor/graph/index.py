"""One index of an analysis' ecosystem graph, built in one pass and read by every stage.

The rules, the stage signatures of the scores, the roadmap and the blueprint's current state
ask the same questions of the graph hundreds of thousands of times on a large estate: the
nodes of a kind, a node's neighbours by edge type (which systems serve each of 20,000
touchpoints, which teams own each of 2,400 systems that each receive thousands of flows), the
flows that carry a class of data. ``auditor.graph.traverse`` answers each question by scanning
the graph; ``GraphIndex`` answers it from dictionaries built once, with exactly the same
answers in the same (sorted) order.

``analyse()`` builds one for today's graph and hands it to every stage; the rule engine builds
one more per planned ecosystem it compares against (``RuleContext.index``). An index describes
its graph as it was when built: the analysis never changes a graph after building it, and the
index lives no longer than the analysis.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from typing import TYPE_CHECKING, Any, NamedTuple

from auditor.graph.traverse import in_typed, out_typed

if TYPE_CHECKING:
    import networkx as nx


_NONE: frozenset[str] = frozenset()


class Flow(NamedTuple):
    """One data flow as the graph holds it: its ends, latency rank, the classes of the data it
    carries, its data, id, mode and the integration system it passes through (a tuple: a
    large estate has tens of thousands, made in one pass)."""

    source: str
    target: str
    latency: int
    classes: frozenset[str | None]
    data: tuple[str, ...]
    flow: str
    mode: str | None
    via: str | None


class GraphIndex:
    """Nodes by kind and role, neighbours by (node, edge type) both ways, the edges of each
    type, and the flows with their data classes, of one graph."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.graph = g
        #: node -> its kind, for every node: ``n in kinds`` is ``n in g``, without networkx's
        #: views (the wording of a finding looks up each node it names).
        self.kinds: dict[str, str | None] = {}
        by_kind: dict[str | None, list[str]] = defaultdict(list)
        roles: dict[str, set[str]] = defaultdict(set)
        data_class: dict[str, str | None] = {}
        for node, attrs in g.nodes(data=True):
            kind = attrs.get("kind")
            self.kinds[node] = kind
            by_kind[kind].append(node)
            data_class[node] = attrs.get("data_class")
            if kind == "system":
                for role in attrs.get("roles", ()):
                    roles[role].add(node)
        self._by_kind = {kind: tuple(sorted(nodes)) for kind, nodes in by_kind.items()}
        self._roles = dict(roles)
        out: dict[tuple[str, str], set[str]] = defaultdict(set)
        into: dict[tuple[str, str], set[str]] = defaultdict(set)
        typed: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        #: Every flow, in the graph's edge order.
        self.flows: list[Flow] = []
        # ``adjacency()`` hands out networkx's own dicts, in the order ``g.edges`` walks them,
        # without building an edge view per edge.
        for u, targets in g.adjacency():
            for v, keyed in targets.items():
                for attrs in keyed.values():
                    etype = attrs.get("type")
                    out[(u, etype)].add(v)
                    into[(v, etype)].add(u)
                    typed[etype].append((u, v, attrs))
                    if etype == "flows_to":
                        data = tuple(attrs.get("data", ()))
                        self.flows.append(Flow(
                            u, v, attrs["latency"], frozenset(map(data_class.get, data)), data,
                            attrs.get("flow", ""), attrs.get("mode"), attrs.get("via")))
        self._edges = {etype: tuple(edges) for etype, edges in typed.items()}
        # Sorted when first asked for: most (node, type) pairs never are.
        self._out, self._in = dict(out), dict(into)
        self._sorted_out: dict[tuple[str, str], tuple[str, ...]] = {}
        self._sorted_in: dict[tuple[str, str], tuple[str, ...]] = {}
        self._masters: dict[frozenset[str], dict[str, list[str]]] = {}
        self._receivers: dict[str, set[str]] | None = None

    def nodes_of(self, kind: str | None) -> list[str]:
        """As ``traverse.nodes_of``: ids of the nodes of ``kind``, sorted (a fresh list)."""
        return list(self._by_kind.get(kind, ()))

    def with_role(self, *roles: str) -> list[str]:
        """As ``traverse.systems_with_role``: systems with any of ``roles``, sorted."""
        return sorted(set().union(*(self._roles.get(r, ()) for r in roles)))

    def edges(self, etype: str) -> tuple[tuple[str, str, dict[str, Any]], ...]:
        """``(u, v, attributes)`` of every edge of ``etype``, in ``g.edges(data=True)`` order:
        a rule that reads only the flows (two fifths of the edges at L) skips the rest."""
        return self._edges.get(etype, ())

    def out_typed(self, node: str, etype: str) -> list[str]:
        """As ``traverse.out_typed``: the targets of ``node``'s edges of ``etype``, sorted."""
        return self._typed(node, etype, self._out, self._sorted_out, out_typed)

    def in_typed(self, node: str, etype: str) -> list[str]:
        """As ``traverse.in_typed``: the sources of the edges of ``etype`` into ``node``,
        sorted."""
        return self._typed(node, etype, self._in, self._sorted_in, in_typed)

    def _typed(self, node: str, etype: str, ends_of: dict[tuple[str, str], set[str]],
               sorted_of: dict[tuple[str, str], tuple[str, ...]],
               scan: Callable[[nx.MultiDiGraph, str, str], list[str]]) -> list[str]:
        key = (node, etype)
        found = sorted_of.get(key)
        if found is None:
            ends = ends_of.get(key)
            if ends is None:
                # An id that is not a node: networkx reads a string as one-letter nodes.
                return [] if node in self.graph else scan(self.graph, node, etype)
            found = sorted_of[key] = tuple(sorted(ends))
        return list(found)

    def sources(self, node: str, etype: str) -> AbstractSet[str]:
        """The sources of the edges of ``etype`` into ``node``, unsorted and not copied: for
        walks whose result does not depend on the order (backtracking's reverse searches)."""
        return self._in.get((node, etype), _NONE)

    def receivers(self, datum: str) -> AbstractSet[str]:
        """The systems that flows naming ``datum`` go into (where it is copied), unsorted;
        from one pass over the flows, on first use."""
        if self._receivers is None:
            into: dict[str, set[str]] = defaultdict(set)
            for f in self.flows:
                for d in f.data:
                    into[d].add(f.target)
            self._receivers = dict(into)
        return self._receivers.get(datum, _NONE)

    def masters_of(self, datum: str) -> list[str]:
        """As ``traverse.masters_of``: mastering an entity counts for its attributes too."""
        g = self.graph
        found = set(self.sources(datum, "masters"))
        entity = g.nodes[datum].get("entity") if datum in g else None
        if entity and entity != datum and entity in g:
            found.update(self.sources(entity, "masters"))
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
                for system in self.sources(datum, "masters"):
                    found.setdefault(system, set()).add(datum)
                entity = attrs.get("entity")
                if entity and entity != datum:
                    # Mastering the entity makes a system master of each attribute.
                    for system in self.sources(entity, "masters"):
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
        """As ``traverse.reaching`` over the projection with ``edges``, for targets that are
        systems (a projection holds every system)."""
        back: dict[str, list[str]] = {}
        for u, v in edges:
            back.setdefault(v, []).append(u)
        return walk(back, [t for t in targets if t in self.graph])

    def reachable_from(self, edges: Iterable[tuple[str, str]], sources: Iterable[str]) -> set[str]:
        """As ``traverse.reachable_from`` over the projection with ``edges``, for sources that
        are systems."""
        ahead: dict[str, list[str]] = {}
        for u, v in edges:
            ahead.setdefault(u, []).append(v)
        return walk(ahead, [s for s in sources if s in self.graph])


def walk(adjacency: dict[str, list[str]], start: list[str]) -> set[str]:
    """Every node reachable from ``start`` (included) along ``adjacency``."""
    seen = set(start)
    todo = list(seen)
    while todo:
        for nxt in adjacency.get(todo.pop(), ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return seen


__all__ = ["Flow", "GraphIndex", "walk"]
