"""Large ecosystems: an overview by role plus one detail view per role, by the real Graphviz."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from diagram_synthetic import synthetic_ecosystem
from test_diagram_large import systems_in
from test_diagram_render import node_texts

from auditor.graph.build import build_graph
from auditor.render.diagram import DiagramOptions, LayoutLimits, plan_views, render_diagram
from auditor.render.scene import primary_role
from auditor.schema.audit import Audit


def test_three_hundred_systems_are_aggregated(tmp_path: Path) -> None:
    audit = synthetic_ecosystem(300)
    g = build_graph(audit)
    result = render_diagram(g, tmp_path / "ecosystem.svg", DiagramOptions(touchpoints=True))

    roles = sorted({primary_role(g.nodes[s.id]) for s in audit.inventory.systems})
    assert result.aggregated
    assert [f.path.name for f in result.files] == [
        "ecosystem.svg", *(f"ecosystem-{r}.svg" for r in roles)]
    for f in result.files:
        assert f.path.is_file() and f.engine == "dot"
        ET.parse(f.path)
    overview = node_texts(tmp_path / "ecosystem.svg")
    assert set(overview) - {"legend_keys", "legend_ends"} == {f"group:{r}" for r in roles}
    assert not {s.id for s in audit.inventory.systems} & set(overview)
    # Touchpoints are counted inside the group nodes, not drawn as channel lines.
    assert "web" not in overview
    tp_total = sum(int(t.split(" touchpoint")[0].split()[-1]) for t in overview.values()
                   if " touchpoint" in t)
    served = sum(len({primary_role(g.nodes[s]) for s in tp.systems})
                 for tp in audit.inventory.touchpoints)
    assert tp_total == served

    # Every system is drawn in exactly one detail view: its role's.
    drawn: dict[str, str] = {}
    for f in result.files[1:]:
        for node in node_texts(f.path):
            if node in g and g.nodes[node].get("kind") == "system":
                assert node not in drawn, f"{node} in {drawn.get(node)} and {f.path.name}"
                drawn[node] = f.group or ""
    assert drawn == {s.id: primary_role(g.nodes[s.id]) for s in audit.inventory.systems}


def test_threshold_is_a_setting(tmp_path: Path) -> None:
    g = build_graph(synthetic_ecosystem(30))
    low = DiagramOptions(limits=LayoutLimits(aggregate_above=20))

    assert plan_views(g, tmp_path / "x.svg", DiagramOptions())[1] is False
    views, aggregated = plan_views(g, tmp_path / "x.svg", low)
    assert aggregated and views[0].kind == "overview"
    assert plan_views(g, tmp_path / "x.svg", DiagramOptions(aggregate=True))[1] is True
    big = build_graph(synthetic_ecosystem(160))
    assert plan_views(big, tmp_path / "x.svg", DiagramOptions(aggregate=False))[1] is False


def test_overview_sums_flows_between_groups(tmp_path: Path) -> None:
    g = build_graph(synthetic_ecosystem(200))
    views, _ = plan_views(g, tmp_path / "x.svg", DiagramOptions())
    overview = views[0].scene

    group = {n: primary_role(a) for n, a in g.nodes(data=True) if a.get("kind") == "system"}
    between = sum(1 for u, v, t in g.edges(data="type")
                  if t == "flows_to" and group[u] != group[v])
    inside = sum(1 for u, v, t in g.edges(data="type")
                 if t == "flows_to" and group[u] == group[v])
    assert sum(e.count for e in overview.edges if e.kind == "flow") == between
    assert sum(int(line.split()[0]) for n in overview.nodes for line in n.lines
               if line.endswith(("flow inside", "flows inside"))) == inside
    pairs = [(e.source, e.target) for e in overview.edges if e.kind == "flow"]
    assert len(pairs) == len(set(pairs))  # one line per pair of groups


def test_large_unaggregated_view_uses_sfdp(tmp_path: Path) -> None:
    g = build_graph(synthetic_ecosystem(60))
    result = render_diagram(g, tmp_path / "big.svg",
                            DiagramOptions(limits=LayoutLimits(dot_max_nodes=40)))

    assert result.files[0].engine == "sfdp"
    assert {n for n, k in g.nodes(data="kind") if k == "system"} <= set(node_texts(result.paths[0]))


def test_group_nodes_never_clash_with_inventory_ids(tmp_path: Path) -> None:
    # A system of record whose id is also the name of a role group.
    audit = Audit.model_validate({"client": {"name": "Clash"}, "inventory": {
        "systems": [{"id": "community", "name": "Community CRM", "roles": ["system-of-record"]},
                    {"id": "forum", "name": "Forum", "roles": ["community"]}],
        "flows": [{"id": "f", "source": "community", "target": "forum", "mode": "batch"}]}})
    result = render_diagram(build_graph(audit), tmp_path / "c.svg", DiagramOptions(aggregate=True))

    detail = node_texts(tmp_path / "c-system-of-record.svg")
    assert "Community CRM" in detail["community"]
    assert "Community" in detail["group:community"] and "1 system" in detail["group:community"]
    assert len(result.files) == 3


def test_an_overview_edge_of_thousands_of_data_items_stays_drawable(tmp_path: Path) -> None:
    # Two role groups joined by 400 flows that each carry their own datum: the group edge's
    # tooltip names a bounded list (Graphviz refuses quoted strings over 16 KB).
    systems = [{"id": f"crm-{i}", "name": f"CRM {i}", "roles": ["system-of-record"]}
               for i in range(20)]
    systems += [{"id": f"bi-{i}", "name": f"Warehouse {i}", "roles": ["analytics"]}
                for i in range(20)]
    data = [{"id": f"d-{i}", "name": f"A rather long datum name number {i}", "class": "profile"}
            for i in range(400)]
    flows = [{"id": f"f-{i}", "source": f"crm-{i % 20}", "target": f"bi-{i // 20}",
              "data": [f"d-{i}"], "mode": "batch", "frequency": "daily"} for i in range(400)]
    audit = Audit.model_validate({"client": {"name": "Wide"}, "inventory": {
        "systems": systems, "data": data, "flows": flows}})
    options = DiagramOptions(aggregate=True)
    result = render_diagram(build_graph(audit), tmp_path / "eco.svg", options)
    overview = result.files[0]
    assert overview.view == "overview"
    text = overview.path.read_text(encoding="utf-8")
    assert "400 flows" in text
    assert 0 < text.count("A rather long datum name") <= 3 * 20  # 20 named, per place shown
    assert max(len(line) for line in text.splitlines()) < 16384


def _dense_estate(erp: int, analytics: int, links: int) -> Audit:
    """ERP systems each feeding ``links`` other ERP systems, beside sparsely linked analytics."""
    systems = [{"id": f"erp-{i}", "name": f"Ledger {i}", "roles": ["erp"]} for i in range(erp)]
    systems += [{"id": f"bi-{i}", "name": f"Warehouse {i}", "roles": ["analytics"]}
                for i in range(analytics)]
    flows = [{"id": f"f-{i}-{k}", "source": f"erp-{i}", "target": f"erp-{(i + k) % erp}",
              "mode": "batch"} for i in range(erp) for k in range(1, links + 1)]
    flows += [{"id": f"g-{i}", "source": f"erp-{i}", "target": f"bi-{i % analytics}",
               "mode": "real-time"} for i in range(erp)]
    return Audit.model_validate({"client": {"name": "Dense"},
                                 "inventory": {"systems": systems, "flows": flows}})


def test_a_detail_view_too_dense_to_read_folds_and_stays_with_dot(tmp_path: Path) -> None:
    # 1,200 flows among 120 ERP systems and 120 to the analytics group: drawn one by one, the
    # ERP view would have 1,320 lines (dot would take minutes, and no one could read it).
    g = build_graph(_dense_estate(erp=120, analytics=60, links=10))
    result = render_diagram(g, tmp_path / "eco.svg")

    assert result.aggregated
    by_group = {f.group: f for f in result.files}
    erp = by_group["erp"]
    assert erp.engine == "dot" and "sfdp" not in erp.note
    texts = node_texts(erp.path)
    assert "product not recorded" in texts["group:erp/0"]  # no vendor in this audit
    folded = systems_in(texts["group:erp/0"])
    assert f"{folded} of 120 systems folded into 1 product node, {120 - folded} drawn one by " \
           "one" in erp.note
    views, _ = plan_views(g, tmp_path / "eco.svg", DiagramOptions())
    limits = LayoutLimits()
    assert all(len(v.scene.edges) <= limits.detail_max_lines for v in views)
    # The sparse views are drawn one by one, as before, and say nothing.
    assert by_group["analytics"].engine == "dot" and not by_group["analytics"].note


def test_a_dense_view_whose_products_are_all_single_systems_is_not_called_folded(
        tmp_path: Path) -> None:
    # Six ERP systems of six products, too many lines for a low limit: folding by product
    # leaves each system alone in its product, so each is drawn one by one and nothing folds.
    systems = [{"id": f"erp-{i}", "name": f"Ledger {i}", "roles": ["erp"],
                "vendor": f"Vendor {i}"} for i in range(6)]
    systems += [{"id": f"bi-{i}", "name": f"Warehouse {i}", "roles": ["analytics"]}
                for i in range(3)]
    flows = [{"id": f"f-{i}-{k}", "source": f"erp-{i}", "target": f"erp-{k}", "mode": "batch"}
             for i in range(6) for k in range(6) if i != k]
    flows += [{"id": f"g-{i}", "source": f"erp-{i}", "target": f"bi-{i % 3}", "mode": "batch"}
              for i in range(6)]
    audit = Audit.model_validate({"client": {"name": "Dense"},
                                  "inventory": {"systems": systems, "flows": flows}})
    limits = LayoutLimits(detail_max_lines=10, folded_max_lines=100)
    views, aggregated = plan_views(build_graph(audit), tmp_path / "eco.svg",
                                   DiagramOptions(aggregate=True, limits=limits))

    erp = next(v for v in views if v.group == "erp")
    assert aggregated and not erp.scene.folded
    assert "folded" not in erp.note and "by product" not in erp.scene.title
    assert {f"erp-{i}" for i in range(6)} <= {n.id for n in erp.scene.nodes}


def test_a_view_with_more_lines_than_dot_can_lay_out_goes_to_sfdp_and_says_so(
        tmp_path: Path) -> None:
    # The same estate in one picture (--no-aggregate): 1,320 lines go to sfdp.
    g = build_graph(_dense_estate(erp=120, analytics=60, links=10))
    result = render_diagram(g, tmp_path / "eco.svg", DiagramOptions(aggregate=False))

    (one,) = result.files
    assert one.engine == "sfdp"
    assert "1,320 lines" in one.note and "(600)" in one.note and "no labels" in one.note
    assert {f"erp-{i}" for i in range(120)} <= set(node_texts(one.path))
