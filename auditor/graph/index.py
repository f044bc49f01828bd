"""A lookup index of one ecosystem graph: nodes by kind, neighbours and edges by edge type.

``nodes_of``, ``in_typed`` and ``out_typed`` in ``auditor.graph.traverse`` scan the graph on every
call: all nodes for one kind, all in- or out-edges of a node for one type. The rules ask these
questions hundreds of thousands of times on a large estate (which systems serve each of 20,000
touchpoints, which teams own each of 2,400 systems that each receive thousands of flows), so
the rule engine builds this index once per graph and analysis (``RuleContext.index``) and
answers from it. The answers are the same lists, in the same (sorted) order.

The index describes the graph as it was when built: the analysis never changes a graph after
building it, and the index lives no longer than the analysis that built it.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from auditor.graph.traverse import in_typed, out_typed

if TYPE_CHECKING:
    import networkx as nx


class GraphIndex:
    """Sorted node ids per kind, sorted neighbours per (node, edge type) both ways, and the
    edges of each type."""

    def __init__(self, g: nx.MultiDiGraph) -> None:
        self.graph = g
        #: node -> its kind, for every node: ``n in kind`` is ``n in g``, without networkx's
        #: views (the wording of a finding looks up each node it names).
        self.kind: dict[str, str | None] = dict(g.nodes(data="kind"))
        kinds: dict[str | None, list[str]] = defaultdict(list)
        for node, kind in self.kind.items():
            kinds[kind].append(node)
        self._kinds = {kind: tuple(sorted(nodes)) for kind, nodes in kinds.items()}
        out: dict[tuple[str, str], set[str]] = defaultdict(set)
        into: dict[tuple[str, str], set[str]] = defaultdict(set)
        typed: dict[str, list[tuple[str, str, dict[str, Any]]]] = defaultdict(list)
        # ``adjacency()`` hands out networkx's own dicts, in the order ``g.edges`` walks them,
        # without building an edge view per edge.
        for u, targets in g.adjacency():
            for v, keyed in targets.items():
                for attrs in keyed.values():
                    etype = attrs.get("type")
                    out[(u, etype)].add(v)
                    into[(v, etype)].add(u)
                    typed[etype].append((u, v, attrs))
        self._edges = {etype: tuple(edges) for etype, edges in typed.items()}
        # Sorted when first asked for: most (node, type) pairs never are.
        self._out, self._in = dict(out), dict(into)
        self._sorted_out: dict[tuple[str, str], tuple[str, ...]] = {}
        self._sorted_in: dict[tuple[str, str], tuple[str, ...]] = {}

    def nodes_of(self, kind: str | None) -> list[str]:
        """``traverse.nodes_of``: ids of the nodes of ``kind``, sorted (a fresh list)."""
        return list(self._kinds.get(kind, ()))

    def edges(self, etype: str) -> tuple[tuple[str, str, dict[str, Any]], ...]:
        """``(u, v, attributes)`` of every edge of ``etype``, in ``g.edges(data=True)`` order:
        a rule that reads only the flows (two fifths of the edges at L) skips the rest."""
        return self._edges.get(etype, ())

    def out_typed(self, node: str, etype: str) -> list[str]:
        """``traverse.out_typed``: the targets of ``node``'s edges of ``etype``, sorted."""
        key = (node, etype)
        found = self._sorted_out.get(key)
        if found is None:
            ends = self._out.get(key)
            if ends is None:
                # An id that is not a node: networkx reads a string as one-letter nodes.
                return [] if node in self.graph else out_typed(self.graph, node, etype)
            found = self._sorted_out[key] = tuple(sorted(ends))
        return list(found)

    def in_typed(self, node: str, etype: str) -> list[str]:
        """``traverse.in_typed``: the sources of the edges of ``etype`` into ``node``, sorted."""
        key = (node, etype)
        found = self._sorted_in.get(key)
        if found is None:
            ends = self._in.get(key)
            if ends is None:
                return [] if node in self.graph else in_typed(self.graph, node, etype)
            found = self._sorted_in[key] = tuple(sorted(ends))
        return list(found)
