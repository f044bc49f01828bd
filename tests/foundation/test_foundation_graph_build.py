"""The graph build gathers its edges and adds them in one call (``build.add_edges``): the graph
must be the one adding them edge by edge with ``add_edge`` makes, attribute for attribute and
in the same order, or every stage reading it would see another ecosystem."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from auditor.graph import build
from auditor.graph.build import add_edges, build_graph
from auditor.store.audit_file import load_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def layout(g: nx.MultiDiGraph) -> Any:
    """Everything a reader of the graph can see, in the order it sees it (attributes as
    lists of items: their order counts too)."""
    return (list(g.graph.items()),
            [(n, list(a.items())) for n, a in g.nodes(data=True)],
            [(u, v, k, list(a.items())) for u, v, k, a in g.edges(keys=True, data=True)],
            [(n, [(u, [(k, list(a.items())) for k, a in keyed.items()])
                  for u, keyed in g.pred[n].items()]) for n in g])


def one_by_one(g: nx.MultiDiGraph, edges: list[tuple[str, str, str, dict[str, Any]]]) -> None:
    """What ``add_edges`` stands for: ``add_edge``, edge by edge."""
    for u, v, key, attrs in edges:
        g.add_edge(u, v, key=key, **attrs)


@pytest.mark.parametrize("planned", [False, True])
def test_built_graph_is_what_add_edge_makes(planned: bool,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    audit = load_audit(EXAMPLES / "demo.audit.yaml")
    g = build_graph(audit, include_planned=planned)
    monkeypatch.setattr(build, "add_edges", one_by_one)
    reference = build_graph(audit, include_planned=planned)
    assert g.number_of_edges() > 100
    assert layout(g) == layout(reference)


def test_add_edges_repeats_and_parallel_edges_as_add_edge() -> None:
    edges: list[tuple[str, str, str, dict[str, Any]]] = [
             ("a", "b", "k1", {"type": "flows_to", "latency": 2}),
             ("a", "b", "k2", {"type": "flows_to", "latency": 0}),
             ("b", "a", "k1", {"type": "owns"}),
             ("a", "b", "k1", {"type": "flows_to", "latency": 3, "mode": "batch"}),
             ("c", "c", "loop", {"type": "requires"})]
    ours: nx.MultiDiGraph = nx.MultiDiGraph()
    ours.add_nodes_from("abc")
    add_edges(ours, [(u, v, k, dict(a)) for u, v, k, a in edges])
    theirs: nx.MultiDiGraph = nx.MultiDiGraph()
    theirs.add_nodes_from("abc")
    for u, v, k, a in edges:
        theirs.add_edge(u, v, key=k, **a)
    assert layout(ours) == layout(theirs)
    assert ours.edges["a", "b", "k1"] == {"type": "flows_to", "latency": 3, "mode": "batch"}
