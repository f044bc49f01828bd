"""The ecosystem graph of one analysis, indexed once for the stages that read it many times.

The signatures of the scores, the roadmap and the blueprint's current state ask the same questions
of the graph thousands of times (nodes of a kind, a node's typed neighbours, the flows that
carry a class of data). On a large estate each question scans a hub's thousands of edges or the
whole graph; ``Estate`` answers them from indexes built in one pass, with exactly the answers
of ``auditor.graph.traverse``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import networkx as nx


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


class Estate:
    """The graph of one analysis with what several checks read, each worked out once.

    Twenty-odd checks each scanning the whole graph (nodes of a kind, a hub's thousands of
    in-edges, a projection of every flow) cost seconds on a large estate; here the edges are
    indexed by type in one pass, the flows listed once with their data classes, and the
    projections kept as plain adjacency (the checks need reachability, not networkx graphs).
    Built once per analysis for the stage signatures, the roadmap and the blueprint, and
    dropped with it: it belongs to one graph, which must not change while it is in use."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.graph = g
        kinds: dict[str, list[str]] = {}
        roles: dict[str, set[str]] = {}
        data_class: dict[str, str | None] = {}
        self._kind: dict[str, str | None] = {}
        for n, a in g.nodes(data=True):
            kind = a.get("kind")
            self._kind[n] = kind
            kinds.setdefault(kind, []).append(n)
            data_class[n] = a.get("data_class")
            if kind == "system":
                for role in a.get("roles", ()):
                    roles.setdefault(role, set()).add(n)
        self._kinds = {k: sorted(ns) for k, ns in kinds.items()}
        self._roles = roles
        # edge type -> node -> the other ends, in the graph's edge order.
        ins: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        outs: defaultdict[str, defaultdict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        self.flows: list[Flow] = []
        for u, v, a in g.edges(data=True):
            etype = a.get("type")
            ins[etype][v].append(u)
            outs[etype][u].append(v)
            if etype == "flows_to":
                data = tuple(a.get("data", ()))
                self.flows.append(Flow(u, v, a["latency"], frozenset(map(data_class.get, data)),
                                       data, a.get("flow", ""), a.get("mode"), a.get("via")))
        self._ins = {etype: dict(by_node) for etype, by_node in ins.items()}
        self._outs = {etype: dict(by_node) for etype, by_node in outs.items()}
        self._masters: dict[frozenset[str], dict[str, list[str]]] = {}

    def kind(self, node: str) -> str | None:
        """A node's kind; None for an id the graph does not hold."""
        return self._kind.get(node)

    def nodes_of(self, kind: str) -> list[str]:
        """As ``traverse.nodes_of``: the ids of one kind, sorted (a list of the caller's own)."""
        return list(self._kinds.get(kind, ()))

    def with_role(self, *roles: str) -> list[str]:
        """As ``traverse.systems_with_role``: systems with any of ``roles``, sorted."""
        return sorted(set().union(*(self._roles.get(r, ()) for r in roles)))

    def _in(self, etype: str, node: str) -> list[str]:
        return self._ins.get(etype, {}).get(node, [])

    def in_typed(self, node: str, etype: str) -> list[str]:
        """As ``traverse.in_typed``."""
        return sorted(set(self._in(etype, node)))

    def out_typed(self, node: str, etype: str) -> list[str]:
        """As ``traverse.out_typed``."""
        return sorted(set(self._outs.get(etype, {}).get(node, ())))

    def masters_of(self, datum: str) -> list[str]:
        """As ``traverse.masters_of``: mastering an entity counts for its attributes too."""
        g = self.graph
        found = set(self._in("masters", datum))
        entity = g.nodes[datum].get("entity") if datum in g else None
        if entity and entity != datum and entity in g:
            found.update(self._in("masters", entity))
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
                for system in self._in("masters", datum):
                    found.setdefault(system, set()).add(datum)
                entity = attrs.get("entity")
                if entity and entity != datum:
                    # Mastering the entity makes a system master of each attribute.
                    for system in self._in("masters", entity):
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


__all__ = ["Estate", "Flow", "walk"]
