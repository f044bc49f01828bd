"""The lookups the rules share for speed give exactly what they stand for: the graph index
answers as the graph scans do, a finding's values are only those its templates read, and a
rendered template is reused only for the same values of the names it reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.catalogue import load_catalogue
from auditor.catalogue.wording import _environment, render_text, template_code
from auditor.graph.build import build_graph
from auditor.graph.index import GraphIndex
from auditor.graph.traverse import flow_projection, in_typed, nodes_of, out_typed
from auditor.rules import wording
from auditor.rules.registry import RuleContext
from auditor.schema.audit import Audit
from auditor.schema.catalogue import Wording
from auditor.store.audit_file import load_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture(scope="module")
def demo() -> Audit:
    return load_audit(EXAMPLES / "demo.audit.yaml")


@pytest.mark.parametrize("include_planned", [False, True])
def test_the_index_answers_as_the_graph_scans_do(demo: Audit, include_planned: bool) -> None:
    g = build_graph(demo, include_planned=include_planned)
    index = GraphIndex(g)
    kinds = {k for _, k in g.nodes(data="kind")}
    types = {t for _, _, t in g.edges(data="type")}
    assert kinds and types
    for kind in kinds:
        assert index.nodes_of(kind) == nodes_of(g, kind)
    for node in g.nodes:
        for etype in types:
            assert index.in_typed(node, etype) == in_typed(g, node, etype), (node, etype)
            assert index.out_typed(node, etype) == out_typed(g, node, etype), (node, etype)
    for etype in types:
        assert list(index.edges(etype)) == [
            (u, v, a) for u, v, a in g.edges(data=True) if a.get("type") == etype]
    assert index.kinds == dict(g.nodes(data="kind"))
    # An id that is no node gets what the scan gives it, and the lists are the caller's own.
    assert index.in_typed("no-such-node", "owns") == in_typed(g, "no-such-node", "owns")
    some = next(n for n in g.nodes if index.in_typed(n, "serves"))
    index.in_typed(some, "serves").append("changed")
    assert index.in_typed(some, "serves") == in_typed(g, some, "serves")


def test_projections_from_the_listed_flows_are_the_projections_of_the_graph(demo: Audit) -> None:
    g = build_graph(demo)
    flows = GraphIndex(g).edges("flows_to")
    carries = {d for d, k in g.nodes(data="data_class") if k == "identity"}.__contains__
    for predicate, latency in ((None, 4), (carries, 4), (None, 1)):
        listed = flow_projection(g, predicate, latency, flows=flows)
        scanned = flow_projection(g, predicate, latency)
        assert list(listed.nodes) == list(scanned.nodes)
        assert list(listed.edges(data=True)) == list(scanned.edges(data=True))


def test_templates_record_the_names_they_read() -> None:
    catalogue = load_catalogue()
    advice = {"said": "{% if people %}{{ people | join(', ') }} said so{% endif %}{{ x.y }}",
              "loop": "{% for n in notes %}{{ n.who }}{% set z = 1 %}{{ z }}{% endfor %}"}
    wording_ = Wording(terms={"customer": "customer", "customers": "customers"}, advice=advice)
    code = template_code(catalogue.rules, wording_)
    assert code.reads.advice == {"said": {"people", "x"}, "loop": {"notes"}}
    rule = catalogue.rules[0]
    assert set(code.reads.rules) == {(m.id, f) for m in catalogue.rules
                                     for f in ("rationale", "recommendation")}
    env = _environment()
    from jinja2 import meta

    assert code.reads.rules[(rule.id, "rationale")] == meta.find_undeclared_variables(
        env.parse(rule.rationale))


def test_a_rendered_template_is_reused_only_for_the_same_values(demo: Audit) -> None:
    catalogue = load_catalogue()
    g = build_graph(demo)
    ctx = RuleContext(audit=demo, graph=g, catalogue=catalogue, backtracking=None)  # type: ignore[arg-type]
    env = _environment()
    template = env.from_string("{{ x }}{% for i in items %} {{ i.a }}{% endfor %}")
    reads = frozenset({"x", "items"})

    def render(values: dict[str, object]) -> str:
        return wording._rendered(ctx, template, reads, wording.FindingValues(values), "test.t")

    # Equal values of different types print differently: each is rendered for itself.
    assert [render({"x": v, "items": []}) for v in (1, 1.0, True)] == ["1", "1.0", "True"]
    assert render({"x": "a", "items": [{"a": 1}], "unread": 1}) == "a 1"
    assert render({"x": "a", "items": [{"a": 2}], "unread": 2}) == "a 2"
    assert render({"x": "a", "items": [{"a": 1}], "unread": 3}) == "a 1"
    # A value that cannot be a key (an object) is rendered each time, as Jinja prints it.
    thing = type("Thing", (), {"a": "attr", "__str__": lambda self: "thing"})()
    assert render({"x": thing, "items": [thing]}) == "thing attr"
    assert render({"x": "b", "items": []}) == render_text(
        template, {"x": "b", "items": []}, "test.t")


def _synthetic_s() -> Audit:
    import importlib.util

    generator = Path(__file__).resolve().parents[2] / "benchmarks" / "synthetic.py"
    spec = importlib.util.spec_from_file_location("synthetic", generator)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return Audit.model_validate(module.ecosystem(module.SIZES["S"]))


@pytest.mark.parametrize("estate", ["demo", "synthetic S"])
def test_reach_answers_as_the_networkx_projection_does(demo: Audit, estate: str) -> None:
    import networkx as nx

    from auditor.graph.traverse import (
        ENGAGEMENT_CLASSES,
        PERSON_CLASSES,
        class_predicate,
        reachable_from,
        reaching,
    )
    from auditor.rules.queries import Reach

    audit = demo if estate == "demo" else _synthetic_s()
    g = build_graph(audit)
    ctx = RuleContext(audit=audit, graph=g, catalogue=load_catalogue(), backtracking=None)  # type: ignore[arg-type]
    checked = 0
    for classes in (ENGAGEMENT_CLASSES, PERSON_CLASSES, {"identity"}):
        for latency in (1, 4):
            h = flow_projection(g, class_predicate(g, classes), latency)
            reach = Reach.of(ctx, classes, latency)
            assert reach.nodes == set(h.nodes)
            assert set(reach.digraph().edges) == set(h.edges)
            assert reach.components() == sorted(
                nx.connected_components(h.to_undirected(as_view=True)), key=min)
            for node in sorted(h.nodes):
                assert (node in reach) is True
                assert reach.reaching([node]) == reaching(h, [node])
                assert reach.reachable_from([node]) == reachable_from(h, [node])
                checked += h.degree(node)
            assert reach.reaching(ctx.hubs()) == reaching(h, ctx.hubs())
            assert "no-such-system" not in reach
            assert reach.reachable_from(["no-such-system"]) == set()
    assert checked  # the projections have edges to compare


@pytest.mark.parametrize("example", ["demo.audit.yaml", "e1-harbour-pine.audit.yaml",
                                     "e2-lakeside-university.audit.yaml",
                                     "e3-riverbend-food-bank.audit.yaml"])
def test_the_memoised_wording_is_each_template_filled_on_its_own(example: str) -> None:
    """The render memo, the values frozen once per finding and the advice joined per field
    give exactly what filling every template on its own with every value gives."""
    from auditor.backtracking import trace
    from auditor.catalogue.wording import terms_for
    from auditor.rules.engine import checked_rules
    from auditor.rules.registry import RULES, NotAssessed

    audit = load_audit(EXAMPLES / example)
    catalogue = load_catalogue()
    g = build_graph(audit)
    chains = trace(audit, g, catalogue.backtracking)
    templates = catalogue.templates
    cache: dict[object, object] = {}
    compared = 0
    for meta in checked_rules(catalogue):
        ctx = RuleContext(audit=audit, graph=g, catalogue=catalogue, backtracking=chains,
                          thresholds=dict(meta.thresholds), cache=cache,
                          terms=terms_for(audit.client, catalogue.wording))
        try:
            hits = list(RULES[meta.id](ctx))
        except NotAssessed:
            continue
        for hit in hits:
            filled = wording.fill(ctx, meta, hit)
            values = wording.finding_context(ctx, meta, hit)  # every value, not only those read
            values.update(planned_retiring=[], scaled={}, unconfirmed=[])

            def alone(field: str, advice: tuple[str, ...], values: dict[str, object] = values,
                      rule: str = meta.id) -> str:
                parts = [render_text(templates.rules[(rule, field)], values, "test")]
                parts += [render_text(templates.advice[k], values, "test")
                          for k in advice if k in templates.advice]
                return " ".join(p for p in parts if p)

            assert filled.rationale == alone("rationale", wording._RATIONALE_ADVICE)
            assert filled.recommendation == alone("recommendation",
                                                  wording._RECOMMENDATION_ADVICE)
            compared += 1
    assert compared  # the example has findings to compare
