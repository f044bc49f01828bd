"""The graph index (``auditor.graph.index``) answers exactly what the graph queries answer.

The stage signatures, the roadmap and the blueprint read the index instead of asking the graph,
so any difference would change an assessment: every answer is compared, for every node, edge
type, kind and role, on the demo (today and with its plans) and on the benchmarks' S estate.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import networkx as nx
import pytest

from auditor.graph.build import build_graph
from auditor.graph.index import GraphIndex
from auditor.graph.traverse import (
    ENGAGEMENT_CLASSES,
    HUB_ROLES,
    PERSON_CLASSES,
    class_predicate,
    flow_projection,
    in_typed,
    masters_of,
    nodes_of,
    out_typed,
    reachable_from,
    reaching,
    systems_with_role,
)
from auditor.rules.queries import masters_by_class
from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
GENERATOR = REPO / "benchmarks" / "synthetic.py"
CLASS_SETS = (None, {"identity"}, {"consent"}, {"transaction"}, PERSON_CLASSES,
              PERSON_CLASSES | ENGAGEMENT_CLASSES)


def _synthetic_s() -> Audit:
    spec = importlib.util.spec_from_file_location("synthetic", GENERATOR)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Audit.model_validate(module.ecosystem(module.SIZES["S"]))


@pytest.fixture(scope="module", params=["demo", "demo with plans", "synthetic S"])
def graph(request: pytest.FixtureRequest) -> nx.MultiDiGraph:
    if request.param == "synthetic S":
        return build_graph(_synthetic_s())
    return build_graph(load_audit(EXAMPLES / "demo.audit.yaml"),
                       include_planned=request.param == "demo with plans")


def test_kinds_roles_and_typed_neighbours_match_the_graph_queries(graph: nx.MultiDiGraph) -> None:
    e = GraphIndex(graph)
    kinds = {k for _, k in graph.nodes(data="kind")}
    assert {k: e.nodes_of(k) for k in kinds} == {k: nodes_of(graph, k) for k in kinds}
    roles = {r for _, a in graph.nodes(data=True) for r in a.get("roles", ())}
    assert len(roles) > 3
    for role in roles:
        assert e.with_role(role) == systems_with_role(graph, role)
    assert e.with_role(*HUB_ROLES) == systems_with_role(graph, *HUB_ROLES)
    types = {t for _, _, t in graph.edges(data="type")}
    for node in graph:
        for etype in types:
            assert e.in_typed(node, etype) == in_typed(graph, node, etype)
            assert e.out_typed(node, etype) == out_typed(graph, node, etype)
    assert e.in_typed("not-in-the-graph", "owns") == []


def test_masters_flows_and_reachability_match_the_graph_queries(graph: nx.MultiDiGraph) -> None:
    e = GraphIndex(graph)
    for datum in nodes_of(graph, "data"):
        assert e.masters_of(datum) == masters_of(graph, datum)
    flows = sorted((u, v, a["flow"]) for u, v, a in graph.edges(data=True)
                   if a["type"] == "flows_to")
    assert flows and sorted((f.source, f.target, f.flow) for f in e.flows) == flows
    copied = 0
    for datum in nodes_of(graph, "data"):
        into = {v for _, v, a in graph.edges(data=True)
                if a["type"] == "flows_to" and datum in a.get("data", ())}
        assert e.receivers(datum) == into
        copied += bool(into)
    assert copied > 3
    assert e.receivers("not-in-the-graph") == set()
    for system in nodes_of(graph, "system"):
        assert sorted(e.sources(system, "flows_to")) == in_typed(graph, system, "flows_to")
    systems = nodes_of(graph, "system")
    hubs = systems_with_role(graph, *HUB_ROLES)
    for classes in CLASS_SETS:
        if classes is not None:
            assert e.masters_by_class(classes) == masters_by_class(graph, classes)
        for latency in (1, 4):
            carries = class_predicate(graph, classes) if classes is not None else None
            h = flow_projection(graph, carries, latency)
            edges = e.projection(classes, latency)
            assert set(edges) == set(h.edges)
            assert e.reaching(edges, hubs) == reaching(h, hubs)
            assert e.reachable_from(edges, systems[:3]) == reachable_from(h, systems[:3])
