"""The ecosystem diagram for the report: the real ``dot`` draws SVG, the report inlines it.

The diagram is drawn by ``auditor.render.diagram`` (the same code as ``auditor graph``), with
the subjects of the assessment's root causes as highlights, and the target ecosystem (the
roadmap's additions applied as planned items, as ``auditor graph --target`` draws it) beside
it: nothing is re-analysed here. The SVG is then parsed
and rebuilt from an allow-list of elements and attributes before it is inlined, so whatever
the client's text made Graphviz write, the report receives drawing instructions only (no
script, no event handler, no link to fetch).
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Collection
from typing import TYPE_CHECKING

from markupsafe import Markup

from auditor.errors import RenderError

if TYPE_CHECKING:
    from auditor.analysis.assess import Analysis

PRINTABLE_SYSTEMS = 25  # above this, the report splits the diagram (overview + details)
SVG = "http://www.w3.org/2000/svg"
XLINK = "http://www.w3.org/1999/xlink"
ALLOWED_ELEMENTS = {"svg", "g", "title", "path", "polygon", "polyline", "ellipse", "circle",
                    "rect", "line", "text", "tspan", "defs", "desc"}
ALLOWED_ATTRIBUTES = {
    "id", "class", "width", "height", "viewBox", "transform", "points", "d", "cx", "cy", "rx",
    "ry", "r", "x", "y", "x1", "y1", "x2", "y2", "fill", "stroke", "stroke-width",
    "stroke-dasharray", "stroke-opacity", "fill-opacity", "opacity", "font-family",
    "font-size", "font-weight", "font-style", "text-anchor", "preserveAspectRatio",
}


@dataclass(frozen=True)
class Drawing:
    svg: Markup
    kind: str  # full, overview or detail
    group: str | None
    nodes: int


@dataclass(frozen=True)
class Ecosystem:
    drawings: tuple[Drawing, ...]
    aggregated: bool
    systems: int
    highlighted: int  # systems the root causes are about (coloured in the drawing)
    target: tuple[Drawing, ...] = ()  # the ecosystem once the roadmap's additions are built
    additions: int = 0  # systems and flows the roadmap adds

    def __bool__(self) -> bool:
        return bool(self.drawings)


def draw_ecosystem(analysis: Analysis, shown: Collection[str] | None = None) -> Ecosystem:
    """Draw the analysis' graph with the subjects of its root causes highlighted (those with
    a finding among ``shown``, the keys left after dismissals; all when None), and the target
    ecosystem beside it when the roadmap adds systems or flows."""
    from auditor.analysis.target_ecosystem import target_audit
    from auditor.render.diagram import DiagramOptions, draw_analysis, draw_graph
    from auditor.render.scene import Highlights, primary_role

    graph = analysis.graph
    assessment = analysis.assessment
    systems = sum(1 for _, k in graph.nodes(data="kind") if k == "system")
    if not systems:
        return Ecosystem((), False, 0, 0)
    highlights = Highlights.from_root_causes(
        assessment.root_causes,
        [f for f in assessment.findings if shown is None or f.key in shown])
    plan = assessment.roadmap
    additions = plan.additions if plan is not None else ()
    name = analysis.audit.client.name
    # A printed page holds about 25 systems with their flows legibly; above that the report
    # shows the overview by role and the detail of the roles that hold what root causes are
    # about (the other details stay in ``auditor graph``).
    split = systems > PRINTABLE_SYSTEMS
    with tempfile.TemporaryDirectory(prefix="auditor-report-") as tmp:
        result = draw_analysis(analysis, Path(tmp) / "ecosystem.svg",
                               DiagramOptions(title=name, aggregate=True if split else None),
                               highlights)
        concerned = {primary_role(graph.nodes[s]) for s in highlights.subjects
                     if s in graph and graph.nodes[s].get("kind") == "system"}
        kept = [f for f in result.files if f.view != "detail" or f.group in concerned]
        drawings = tuple(Drawing(clean_svg(f.path.read_bytes(), f"d{i}-"), f.view, f.group,
                                 f.nodes) for i, f in enumerate(kept))
        target: tuple[Drawing, ...] = ()
        if additions:
            later = draw_graph(target_audit(analysis.audit, additions),
                               Path(tmp) / "target" / "ecosystem.svg",
                               DiagramOptions(title=name, what_if=True,
                                              aggregate=True if split else None))
            # the overview is enough to show what the roadmap adds; details stay in the CLI
            target = tuple(Drawing(clean_svg(f.path.read_bytes(), f"t{i}-"), f.view, f.group,
                                   f.nodes) for i, f in enumerate(later.files[:1]))
    coloured = sum(1 for s in highlights.subjects
                   if s in graph and graph.nodes[s].get("kind") == "system")
    return Ecosystem(drawings, result.aggregated, systems, coloured, target, len(additions))


def clean_svg(data: bytes, prefix: str = "") -> Markup:
    """Graphviz's SVG rebuilt from the allow-list, without prolog, doctype or comments.
    ``prefix`` goes before every element id: Graphviz numbers nodes the same way in every
    drawing, and one page holds several."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise RenderError(f"Graphviz wrote an SVG file that cannot be read: {exc}") from None
    _prune(root)
    if prefix:
        for element in root.iter():
            if "id" in element.attrib:
                element.attrib["id"] = prefix + element.attrib["id"]
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", XLINK)
    text = ET.tostring(root, encoding="unicode")
    return Markup(text)  # noqa: S704 - rebuilt from the allow-list above, text escaped by ET


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _prune(element: ET.Element) -> None:
    for name in list(element.attrib):
        if _local(name) not in ALLOWED_ATTRIBUTES:
            del element.attrib[name]
    kept: list[ET.Element] = []
    for child in list(element):
        element.remove(child)
        if not isinstance(child.tag, str):
            continue
        tag = _local(child.tag)
        if tag == "a":  # a link Graphviz may wrap around a node: keep the drawing, not the link
            _prune(child)
            kept.extend(child)
        elif tag in ALLOWED_ELEMENTS:
            _prune(child)
            kept.append(child)
    element.extend(kept)
