"""The ecosystem diagram for the report: the real ``dot`` draws SVG, the report inlines it.

The diagram is drawn by ``auditor.render.diagram`` (the same code as ``auditor graph``), with
the assessment's findings as highlights: nothing is re-analysed here. The SVG is then parsed
and rebuilt from an allow-list of elements and attributes before it is inlined, so whatever
the client's text made Graphviz write, the report receives drawing instructions only (no
script, no event handler, no link to fetch).
"""

from __future__ import annotations

import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from markupsafe import Markup

from auditor.errors import RenderError

if TYPE_CHECKING:
    from auditor.analysis.assess import Analysis

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
    highlighted: int  # items the findings name as their subject

    def __bool__(self) -> bool:
        return bool(self.drawings)


def draw_ecosystem(analysis: Analysis) -> Ecosystem:
    """Draw the analysis' graph with its findings highlighted (``auditor graph``'s drawing)."""
    from auditor.render.diagram import DiagramOptions, draw_analysis

    graph = analysis.graph
    systems = sum(1 for _, k in graph.nodes(data="kind") if k == "system")
    if not systems:
        return Ecosystem((), False, 0, 0)
    subjects = {f.subject for f in analysis.assessment.findings if f.subject}
    with tempfile.TemporaryDirectory(prefix="auditor-report-") as tmp:
        result = draw_analysis(analysis, Path(tmp) / "ecosystem.svg",
                               DiagramOptions(title=analysis.audit.client.name))
        drawings = tuple(Drawing(clean_svg(f.path.read_bytes()), f.view, f.group, f.nodes)
                         for f in result.files)
    return Ecosystem(drawings, result.aggregated, systems, len(subjects))


def clean_svg(data: bytes) -> Markup:
    """Graphviz's SVG rebuilt from the allow-list, without prolog, doctype or comments."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise RenderError(f"Graphviz wrote an SVG file that cannot be read: {exc}") from None
    _prune(root)
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
