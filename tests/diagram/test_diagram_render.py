"""The diagram library against the real Graphviz: SVG/PNG/DOT files, styles, escaping."""

from __future__ import annotations

import os
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from diagram_synthetic import synthetic_ecosystem

from auditor.errors import RenderError
from auditor.graph.build import build_graph
from auditor.render.diagram import (
    DiagramOptions,
    GraphvizLayoutError,
    draw_analysis,
    draw_graph,
    render_diagram,
    run_graphviz,
)
from auditor.render.dot_source import DotStyle, to_dot
from auditor.render.scene import Highlights, build_scene
from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit

SVG = "{http://www.w3.org/2000/svg}"


def tiny_audit(systems: list[dict[str, Any]], flows: list[dict[str, Any]],
               **inventory: Any) -> Audit:
    return Audit.model_validate({"client": {"name": "Tiny & Co"}, "inventory": {
        "systems": systems, "flows": flows,
        "data": [{"id": "individual", "name": "Individual", "class": "identity"},
                 {"id": "order", "name": "Order", "class": "transaction"},
                 {"id": "consent", "name": "Consent", "class": "consent"}],
        **inventory}})


THREE_MODES = tiny_audit(
    [{"id": "crm", "name": "CRM", "roles": ["system-of-record"]},
     {"id": "esp", "name": "Email platform", "roles": ["marketing-automation"]},
     {"id": "erp", "name": "ERP", "roles": ["erp"]},
     {"id": "sheet", "name": "Events spreadsheet", "roles": ["other"]}],
    [{"id": "f-rt", "source": "crm", "target": "esp", "data": ["individual", "consent"],
      "mode": "real-time"},
     {"id": "f-batch", "source": "erp", "target": "crm", "data": ["order"], "mode": "batch",
      "frequency": "daily"},
     {"id": "f-manual", "source": "sheet", "target": "crm", "data": ["individual"],
      "mode": "manual"}],
    channels=[{"id": "web", "name": "Website", "kind": "web"}],
    touchpoints=[{"id": "signup", "name": "Newsletter sign-up form", "style": "one-way-in",
                  "channel": "web", "systems": ["esp"]}],
)


def node_texts(svg_path: Path) -> dict[str, str]:
    """Node id (the SVG <title>) -> its drawn text, lines joined by spaces."""
    root = ET.parse(svg_path).getroot()
    found = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") != "node":
            continue
        title = group.find(f"{SVG}title")
        texts = [t.text or "" for t in group.iter(f"{SVG}text")]
        if title is not None and title.text:
            found[title.text] = " ".join(texts)
    return found


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_svg_of_the_demo_names_every_system(tmp_path: Path, demo_audit_path: Path) -> None:
    audit = load_audit(demo_audit_path)
    from auditor.analysis.assess import analyse

    result = draw_analysis(analyse(audit), tmp_path / "ecosystem.svg")

    assert [f.path.name for f in result.files] == ["ecosystem.svg"]
    texts = node_texts(tmp_path / "ecosystem.svg")
    for system in audit.inventory.systems:
        if system.status == "current":
            assert squash(texts[system.id]).startswith(squash(system.name)), system.id
    assert "Legend" in (tmp_path / "ecosystem.svg").read_text()


def clusters_in(svg_path: Path) -> set[str]:
    root = ET.parse(svg_path).getroot()
    return {g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"}


def test_sixty_systems_stay_one_diagram_with_roles(tmp_path: Path) -> None:
    audit = synthetic_ecosystem(60)
    g = build_graph(audit)
    result = render_diagram(g, tmp_path / "sixty.svg")

    assert not result.aggregated and result.files[0].engine == "dot"
    texts = node_texts(tmp_path / "sixty.svg")
    assert {s.id for s in audit.inventory.systems} <= set(texts)
    # Above 40 systems roles are colours plus a line in each node, listed in the legend ...
    assert "cluster_marketing-automation" not in clusters_in(tmp_path / "sixty.svg")
    assert "marketing automation" in texts["marketing-automation-001"]
    assert "Marketing automation" in texts["legend_notes"]
    # ... and boxes on request.
    render_diagram(g, tmp_path / "boxes.svg", DiagramOptions(clusters=True))
    assert {"cluster_marketing-automation", "cluster_system-of-record"} <= clusters_in(
        tmp_path / "boxes.svg")


def test_small_ecosystems_are_boxed_by_role(tmp_path: Path) -> None:
    render_diagram(build_graph(THREE_MODES), tmp_path / "small.svg")

    assert clusters_in(tmp_path / "small.svg") >= {
        "cluster_system-of-record", "cluster_marketing-automation", "cluster_erp",
        "cluster_other", "cluster_legend"}


def test_flow_modes_have_their_line_styles(tmp_path: Path) -> None:
    render_diagram(build_graph(THREE_MODES), tmp_path / "modes.dot")
    dot = (tmp_path / "modes.dot").read_text()

    def style_of(source: str) -> str:
        line = next(ln for ln in dot.splitlines() if ln.strip().startswith(f'"{source}" -> '))
        return re.search(r"style=(\w+)", line).group(1)

    assert style_of("crm") == "solid"
    assert style_of("erp") == "dashed"
    assert style_of("sheet") == "dotted"
    assert '"Individual, Consent"' in dot and '"Order (daily)"' in dot  # data labels


def test_touchpoints_only_when_asked(tmp_path: Path) -> None:
    g = build_graph(THREE_MODES)
    render_diagram(g, tmp_path / "plain.svg")
    render_diagram(g, tmp_path / "with.svg", DiagramOptions(touchpoints=True))

    assert "signup" not in node_texts(tmp_path / "plain.svg")
    with_tp = node_texts(tmp_path / "with.svg")
    assert "Newsletter sign-up form" in with_tp["signup"]
    assert "Website" in with_tp["web"]


@pytest.mark.parametrize("name", [
    'Acme "CRM" <script>alert(1)</script>',
    "R&D \\ Ops &lt;b&gt; {x} [y];",
    "Two\nlines",
])
def test_client_strings_are_escaped(tmp_path: Path, name: str) -> None:
    audit = tiny_audit(
        [{"id": "crm", "name": name, "roles": ["system-of-record"], "vendor": name},
         {"id": "esp", "name": "ESP", "roles": ["marketing-automation"]}],
        [{"id": "f", "source": "crm", "target": "esp", "data": ["individual"],
          "mode": "batch", "name": name}],
        data=[{"id": "individual", "name": name, "class": "identity"}],
    )
    for suffix in (".svg", ".dot"):
        render_diagram(build_graph(audit), tmp_path / f"x{suffix}")
    svg = (tmp_path / "x.svg").read_text()

    ET.fromstring(svg)  # well-formed XML
    assert "<script" not in svg
    assert squash(node_texts(tmp_path / "x.svg")["crm"]).startswith(squash(name))
    edge_label = next(t for k, t in node_texts(tmp_path / "x.svg").items()
                      if k.startswith("flowlabel"))
    assert squash(edge_label) == squash(name)


def test_png_is_a_real_png(tmp_path: Path) -> None:
    result = render_diagram(build_graph(THREE_MODES), tmp_path / "eco.png")

    data = result.files[0].path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 200 and height > 100


def test_files_get_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        for suffix in (".svg", ".dot"):
            render_diagram(build_graph(THREE_MODES), tmp_path / f"eco{suffix}")
            assert stat.S_IMODE((tmp_path / f"eco{suffix}").stat().st_mode) == 0o644
    finally:
        os.umask(old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["eco.dot", "eco.svg"]  # no temp left


def test_findings_colour_systems_and_flows(tmp_path: Path) -> None:
    class Ev:
        nodes = ("erp",)
        edges = ("f-batch",)

    class F:
        rule, severity, subject, evidence = "TEC-09", "critical", "sheet", Ev()

    render_diagram(build_graph(THREE_MODES), tmp_path / "f.dot",
                   highlights=Highlights.from_findings([F()]))
    dot = (tmp_path / "f.dot").read_text()
    sheet = next(ln for ln in dot.splitlines() if ln.strip().startswith('"sheet" ['))
    erp = next(ln for ln in dot.splitlines() if ln.strip().startswith('"erp" ['))
    crm = next(ln for ln in dot.splitlines() if ln.strip().startswith('"crm" ['))
    assert 'fillcolor="#f5a3a3"' in sheet and "TEC-09" in sheet  # subject: filled, tooltip
    assert "1 finding<" in sheet and "1 finding<" in erp
    assert 'color="#b00020"' in erp and 'fillcolor="white"' in erp  # evidence: border only
    assert "penwidth" not in crm
    assert any('"erp" -> ' in ln and 'color="#b00020"' in ln for ln in dot.splitlines())
    assert "critical" in dot  # legend row


def test_what_if_draws_planned_items(tmp_path: Path) -> None:
    audit = tiny_audit(
        [{"id": "crm", "name": "CRM", "roles": ["system-of-record"]},
         {"id": "cdp", "name": "New CDP", "roles": ["cdp"], "status": "planned"}],
        [{"id": "f", "source": "crm", "target": "cdp", "data": ["individual"],
          "mode": "real-time", "status": "planned"}])
    draw_graph(audit, tmp_path / "now.svg")
    draw_graph(audit, tmp_path / "then.svg", DiagramOptions(what_if=True))

    assert "cdp" not in node_texts(tmp_path / "now.svg")
    assert "planned" in node_texts(tmp_path / "then.svg")["cdp"]


def test_same_graph_same_dot(tmp_path: Path) -> None:
    g = build_graph(synthetic_ecosystem(40))
    render_diagram(g, tmp_path / "a.dot", DiagramOptions(touchpoints=True))
    render_diagram(g, tmp_path / "b.dot", DiagramOptions(touchpoints=True))
    assert (tmp_path / "a.dot").read_bytes() == (tmp_path / "b.dot").read_bytes()


def test_graphviz_refusal_and_timeout_leave_no_file(tmp_path: Path) -> None:
    target = tmp_path / "broken.svg"
    with pytest.raises(GraphvizLayoutError, match="syntax error"):
        run_graphviz("digraph { a -> ", "dot", "svg", target, timeout=30)
    big = to_dot(build_scene(build_graph(synthetic_ecosystem(150)), title="t"), DotStyle())
    with pytest.raises(RenderError) as caught:
        run_graphviz(big, "dot", "svg", target, timeout=0.001)
    assert "took longer than" in caught.value.message and "--aggregate" in caught.value.hint
    assert list(tmp_path.iterdir()) == []


def test_flows_through_an_integration_platform_name_it() -> None:
    """A platform that only appears as `via` would otherwise look unconnected."""
    audit = tiny_audit(
        [{"id": "crm", "name": "CRM", "roles": ["system-of-record"]},
         {"id": "esp", "name": "Email platform", "roles": ["marketing-automation"]},
         {"id": "ipaas", "name": "Boomi", "roles": ["integration"]}],
        [{"id": "f", "source": "crm", "target": "esp", "data": ["individual"], "mode": "batch",
          "frequency": "hourly", "via": "ipaas"}])
    dot = to_dot(build_scene(build_graph(audit), title="t"), DotStyle())
    # label lines may wrap anywhere: drop DOT's escaped line breaks and the white space
    assert "viaBoomi" in squash(dot).replace("\\n", "")
