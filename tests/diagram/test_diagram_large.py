"""Estates too big to draw system by system: detail views fold by product, by the real Graphviz.

Every figure here is read back from the SVG that ``dot`` wrote: the lines drawn, the number of
flows each line says it stands for, the systems and products named in the nodes.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from diagram_synthetic import synthetic_ecosystem
from test_diagram_render import SVG, node_texts

from auditor.errors import RenderError
from auditor.graph.build import build_graph
from auditor.render.diagram import (
    DiagramOptions,
    LayoutLimits,
    fold_by_product,
    layout_together,
    plan_views,
    render_diagram,
)
from auditor.render.scene import Highlights, main_first, primary_role, sorted_flows
from auditor.schema.audit import Audit

LEGEND = {"legend_keys", "legend_ends", "legend_notes"}
COUNTED = re.compile(r"^(\d+) (?:[a-z-]+ )?flows\b")


def drawn_lines(svg_path: Path) -> list[tuple[str, str, str]]:
    """(from, to, label) of every flow line in the picture. A labelled line is drawn as two
    edges through a small label node; an unlabelled one as one edge."""
    root = ET.parse(svg_path).getroot()
    texts = node_texts(svg_path)
    halves: dict[str, list[str]] = {}
    lines = []
    for group in root.iter(f"{SVG}g"):
        title = group.find(f"{SVG}title")
        if group.get("class") != "edge" or title is None or not title.text:
            continue
        source, target = title.text.split("->")
        if source.split(":")[0] in LEGEND:
            continue
        if target.startswith("flowlabel_"):
            halves.setdefault(target, []).insert(0, source)
        elif source.startswith("flowlabel_"):
            halves.setdefault(source, []).append(target)
        else:
            lines.append((source, target, ""))
    for label, ends in halves.items():
        assert len(ends) == 2, f"{label} is not one line"
        lines.append((ends[0], ends[1], texts[label]))
    return lines


def flows_on(label: str) -> int:
    """How many flows a line's label says it stands for (a line without a count is one flow)."""
    match = COUNTED.match(label)
    return int(match.group(1)) if match else 1


def systems_in(text: str) -> int:
    """How many systems a product node's text says it holds."""
    match = re.search(r"(\d+) systems?", text)
    assert match, text
    return int(match.group(1))


def inside(text: str) -> int:
    match = re.search(r"(\d+) flows? inside", text)
    return int(match.group(1)) if match else 0


def test_twelve_hundred_systems_give_readable_views_that_account_for_every_flow(
        tmp_path: Path) -> None:
    audit = synthetic_ecosystem(1200)
    g = build_graph(audit)
    limits = LayoutLimits()
    result = render_diagram(g, tmp_path / "eco.svg")
    group_of = {s.id: primary_role(g.nodes[s.id]) for s in audit.inventory.systems}
    flows = [(f.source, f.target) for f in audit.inventory.flows]

    assert result.aggregated and len(result.files) == 1 + len(set(group_of.values()))
    folded = [f for f in result.files if "product node" in f.note]
    assert folded, "some groups of 1,200 systems are too big to draw one by one"
    for f in result.files:
        assert f.engine == "dot", f"{f.path.name}: {f.note}"
        lines = drawn_lines(f.path)
        if f.view == "overview":
            continue
        limit = limits.folded_max_lines if f in folded else limits.detail_max_lines
        assert 0 < len(lines) <= limit, f"{f.path.name}: {len(lines)} lines"
        # Every flow that touches the group is on exactly one line, or counted inside a
        # product node: the counts on the labels add up.
        texts = node_texts(f.path)
        touching = sum(1 for u, v in flows if f.group in (group_of[u], group_of[v]))
        parts = [n for n in texts if n.startswith(f"group:{f.group}/")]
        assert (sum(flows_on(label) for _, _, label in lines)
                + sum(inside(texts[p]) for p in parts)) == touching, f.path.name
        if f in folded:
            assert parts and any(COUNTED.match(label) for _, _, label in lines)
            systems = [s for s, grp in group_of.items() if grp == f.group]
            one_by_one = [s for s in systems if s in texts]
            in_parts = sum(systems_in(texts[p]) for p in parts)
            assert len(one_by_one) + in_parts == len(systems)
            share = (f"{in_parts:,} of {len(systems):,}" if one_by_one
                     else f"all {len(systems):,}")
            assert f"{share} systems folded into {len(parts)} product node" in f.note
            # Names, not ids: products are titled by what the consultant recorded.
            vendors = {a.vendor for a in audit.inventory.systems if group_of[a.id] == f.group}
            assert all(any(v and v in texts[p] for v in vendors) or "other products" in texts[p]
                       for p in parts)
        else:  # drawn one by one, as before
            assert not parts


def _two_product_estate(**more: Any) -> Audit:
    # Twelve CRM systems of two products; crm-0 and crm-1 exchange with every warehouse.
    systems = [{"id": f"crm-{i}", "name": f"Regional CRM {i}", "roles": ["system-of-record"],
                "vendor": "Acme" if i % 2 else 'Big "Ltd" <script>', "product": "CRM"}
               for i in range(12)]
    systems += [{"id": f"bi-{i}", "name": f"Warehouse {i}", "roles": ["analytics"]}
                for i in range(30)]
    data = [{"id": "order", "name": "Order", "class": "transaction"},
            {"id": "person", "name": "Customer", "class": "identity"},
            {"id": "rare", "name": "Rarely sent", "class": "profile"}]
    flows = [{"id": f"f-{h}-{i}", "source": f"crm-{h}", "target": f"bi-{i}", "mode": "batch",
              "data": ["rare", "order"] if i == 0 else ["order"]}
             for h in (0, 1) for i in range(30)]
    flows += [{"id": f"g-{i}", "source": f"crm-{i}", "target": "bi-0", "mode": "real-time",
               "data": ["person"]} for i in range(2, 12)]
    return Audit.model_validate({"client": {"name": "Folded"}, "inventory": {
        "systems": systems, "data": data, "flows": flows, **more}})


def test_a_folded_view_names_the_most_connected_systems_and_the_main_data(
        tmp_path: Path) -> None:
    audit = _two_product_estate()
    flows = audit.inventory.flows
    limits = LayoutLimits(detail_max_lines=8, folded_max_lines=6, max_drawn=2)
    result = render_diagram(build_graph(audit), tmp_path / "eco.svg",
                            DiagramOptions(aggregate=True, limits=limits))

    crm = next(f for f in result.files if f.group == "system-of-record")
    texts = node_texts(crm.path)
    # crm-0 and crm-1 carry the most flows: drawn one by one; the ten others in two products.
    assert {"crm-0", "crm-1"} <= set(texts)
    assert not {f"crm-{i}" for i in range(2, 12)} & set(texts)
    products = {n: t for n, t in texts.items() if n.startswith("group:system-of-record/")}
    assert sorted(products.values()) == sorted([
        "Acme CRM 5 systems", 'Big "Ltd" <script> CRM 5 systems'])
    assert "10 of 12 systems folded into 2 product nodes, 2 drawn one by one" in crm.note
    svg = crm.path.read_text(encoding="utf-8")
    assert "<script" not in svg and "&lt;script&gt;" in svg
    assert "of one product, drawn as one" in svg  # the legend says what a product node is
    lines = drawn_lines(crm.path)
    assert len(lines) <= 6
    # One line per pair: crm-0's thirty flows to the analytics group, labelled with the count
    # and the datum most of them carry first.
    label = next(lab for src, dst, lab in lines if {src, dst} == {"crm-0", "group:analytics"})
    assert label.startswith("30 batch flows: Order, Rarely sent")
    assert sum(flows_on(lab) for _, _, lab in lines) == len(flows)


def _erp_into_hub(vendors: list[str | None]) -> tuple[Any, dict[str, str]]:
    """ERP systems s-0, s-1, … of these vendors (None: not recorded), each feeding one system
    of record: the graph and each system's group."""
    systems = [{"id": f"s-{i}", "name": f"System {i}", "roles": ["erp"],
                **({"vendor": vendor} if vendor else {})} for i, vendor in enumerate(vendors)]
    flows = [{"id": f"f-{i}", "source": f"s-{i}", "target": "hub", "mode": "batch"}
             for i in range(len(vendors))]
    audit = Audit.model_validate({"client": {"name": "ERP estate"}, "inventory": {
        "systems": [*systems, {"id": "hub", "name": "Hub", "roles": ["system-of-record"]}],
        "flows": flows}})
    g = build_graph(audit)
    return g, {s: primary_role(g.nodes[s]) for s, k in g.nodes(data="kind") if k == "system"}


def test_products_past_the_limit_share_one_node() -> None:
    g, group_of = _erp_into_hub([f"Vendor {i % 10}" if i < 40 else None for i in range(45)])
    members = sorted(s for s, grp in group_of.items() if grp == "erp")
    touching = [f for f in sorted_flows(g) if "erp" in (group_of[f.source], group_of[f.target])]

    part_of, drawn = fold_by_product(g, "erp", members, touching, group_of,
                                     LayoutLimits(max_parts=4, max_drawn=0))
    names = Counter(name for _, name in part_of.values())
    # The three largest products keep a node (ties by name); the rest, unnamed ones included,
    # share "other products".
    assert names == {"Vendor 0": 4, "Vendor 1": 4, "Vendor 2": 4, "other products": 33}
    assert drawn == set()
    part_of, _ = fold_by_product(g, "erp", members, touching, group_of, LayoutLimits(max_parts=1))
    assert {name for _, name in part_of.values()} == {"ERP & back office"}
    part_of, _ = fold_by_product(g, "erp", members, touching, group_of,
                                 LayoutLimits(max_parts=11))
    assert Counter(name for _, name in part_of.values())["product not recorded"] == 5


def test_main_data_first() -> None:
    assert main_first(["Order", "Customer", "Order", "Case", "Customer", "Order"]) == [
        "Order", "Customer", "Case"]
    assert main_first(["B", "A"]) == ["B", "A"]  # ties keep the order met


def test_small_estates_are_not_folded(tmp_path: Path) -> None:
    g = build_graph(synthetic_ecosystem(300))
    views, _ = plan_views(g, tmp_path / "x.svg", DiagramOptions())
    assert all(not v.note for v in views)


def test_systems_findings_are_about_are_drawn_one_by_one_first(tmp_path: Path) -> None:
    g = build_graph(_two_product_estate())
    limits = LayoutLimits(detail_max_lines=8, folded_max_lines=6, max_drawn=2)
    views, _ = plan_views(g, tmp_path / "eco.svg", DiagramOptions(aggregate=True, limits=limits),
                          Highlights(subjects={"crm-7": "critical"}))

    crm = next(v for v in views if v.group == "system-of-record")
    drawn = {n.id for n in crm.scene.nodes if n.kind == "system"}
    assert drawn == {"crm-7", "crm-0"}  # the critical one, then the most connected


def test_a_folded_view_counts_touchpoints_in_its_nodes(tmp_path: Path) -> None:
    channels = [{"id": "web", "name": "Web", "kind": "web"}]
    touchpoints = [{"id": f"tp-{i}", "name": f"Touchpoint {i}", "style": "two-way",
                    "channel": "web", "systems": ["crm-0" if i < 3 else "crm-5"]}
                   for i in range(5)]
    g = build_graph(_two_product_estate(channels=channels, touchpoints=touchpoints))
    limits = LayoutLimits(detail_max_lines=8, folded_max_lines=6, max_drawn=2)
    result = render_diagram(g, tmp_path / "eco.svg",
                            DiagramOptions(aggregate=True, limits=limits, touchpoints=True))

    crm = next(f for f in result.files if f.group == "system-of-record")
    texts = node_texts(crm.path)
    assert not any(n.startswith("tp-") or n == "web" for n in texts)
    assert "3 touchpoints: Web" in texts["crm-0"]
    assert "2 touchpoints: Web" in texts["group:system-of-record/0"]  # crm-5: Acme, the first


def test_views_laid_out_in_one_graphviz_run_come_back_in_order_or_not_at_all() -> None:
    first = 'digraph a { "Acme <b>" -> x }\n'
    second = "digraph b { y -> z }\n"
    documents = layout_together([first, second], "dot", timeout=30)
    assert documents is not None and len(documents) == 2
    titles = [ET.fromstring(d).find(f"{SVG}g/{SVG}title") for d in documents]
    assert [t.text for t in titles if t is not None] == ["a", "b"]
    # One refusal, or running out of time, and the caller draws each view on its own.
    assert layout_together([first, "digraph { y -> ", second], "dot", timeout=30) is None
    big = 'digraph c { ' + " ".join(f"n{i} -> n{i + 1};" for i in range(3000)) + " }\n"
    assert layout_together([first, big], "dot", timeout=0.001) is None


def test_a_view_the_shared_run_refuses_is_drawn_on_its_own(tmp_path: Path) -> None:
    # A time limit no shared run can meet: every view falls back to a run of its own, which
    # then says which file took too long, as before.
    g = build_graph(synthetic_ecosystem(200))
    options = DiagramOptions(limits=LayoutLimits(timeout_seconds=0.001))
    with pytest.raises(RenderError, match="took longer than"):
        render_diagram(g, tmp_path / "eco.svg", options)
    assert not list(tmp_path.glob("*.svg"))


def test_a_system_alone_in_its_product_is_drawn_as_itself() -> None:
    g, group_of = _erp_into_hub(["Solo" if i == 6 else "Acme" for i in range(7)])
    members = [f"s-{i}" for i in range(7)]

    part_of, drawn = fold_by_product(g, "erp", members, sorted_flows(g), group_of,
                                     LayoutLimits(max_drawn=0))
    assert drawn == {"s-6"}
    assert {name for _, name in part_of.values()} == {"Acme", "Solo"}
