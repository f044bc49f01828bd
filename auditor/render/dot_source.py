"""Scene -> DOT text. Every client string is escaped here and only here.

Node labels are HTML-like (``<...>``): names go through ``html.escape`` (quotes, ``&``, ``<``,
``>``) and newlines become ``<BR/>``. Edge labels, tooltips and ids are quoted strings:
backslashes and quotes are escaped, newlines become ``\\n``, and ``&`` becomes ``&amp;``
because Graphviz decodes entities even in plain strings ("&lt;b&gt;" would otherwise draw as
"<b>"). Output order follows the scene, which is sorted: the same graph gives the same text.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import Literal

from auditor.render.labels import ROLE_LABELS
from auditor.render.scene import Scene, SceneEdge, SceneNode, wrap

EdgeLabels = Literal["label", "node", "xlabel", "none"]

FONT = "Helvetica"
INK = "#37474f"
MUTED = "#6c757d"
PLANNED = "#1971c2"
#: Finding severity -> (fill, border). Fills are light so black text stays readable.
SEVERITY_COLOURS: dict[str, tuple[str, str]] = {
    "critical": ("#f5a3a3", "#b00020"),
    "high": ("#ffc9a3", "#d9480f"),
    "medium": ("#ffe8a3", "#c28a00"),
    "low": ("#dfe7ef", "#5c7cfa"),
}
#: Flow mode -> (style, colour, arrowhead). Unknown mode is grey with a hollow arrow so it
#: is not mistaken for a real-time flow.
MODE_STYLES: dict[str, tuple[str, str, str]] = {
    "real-time": ("solid", INK, "normal"),
    "batch": ("dashed", INK, "normal"),
    "manual": ("dotted", INK, "normal"),
    "unknown": ("solid", "#adb5bd", "empty"),
}
#: Role fills for nodes when there are no role boxes (strong enough to tell apart) ...
ROLE_COLOURS: dict[str, str] = {
    "system-of-record": "#cfe3fb", "system-of-engagement": "#d3f0d6", "cdp": "#e0d4f7",
    "orchestration": "#f9d2e0", "marketing-automation": "#ffe2bf", "service-desk": "#c9eef3",
    "commerce": "#e4f3c8", "erp": "#e2d8d3", "communications-platform": "#c6e9e4",
    "community": "#efd5f3", "analytics": "#dde3e8", "advertising": "#fbf2b5",
    "integration": "#d5d9f2", "data-quality": "#eef3c2", "other": "#ececec",
}
#: ... and paler ones for the boxes, so severity fills inside them still stand out.
CLUSTER_COLOURS: dict[str, str] = {
    "system-of-record": "#e3f2fd", "system-of-engagement": "#e8f5e9", "cdp": "#ede7f6",
    "orchestration": "#fce4ec", "marketing-automation": "#fff3e0", "service-desk": "#e0f7fa",
    "commerce": "#f1f8e9", "erp": "#efebe9", "communications-platform": "#e0f2f1",
    "community": "#f3e5f5", "analytics": "#eceff1", "advertising": "#fffde7",
    "integration": "#e8eaf6", "data-quality": "#f9fbe7", "other": "#f5f5f5",
}


@dataclass(frozen=True)
class DotStyle:
    """How to draw: ``dot`` with role clusters and edge labels for readable sizes, ``sfdp``
    with straight edges and no clusters for large ones (see ``diagram.LayoutLimits``)."""

    engine: str = "dot"
    clusters: bool = True
    edge_labels: EdgeLabels = "node"
    legend: bool = True
    fast: bool = False  # cap dot's optimisation passes (dense views: hub groups, big overviews)


def quote(text: str) -> str:
    """A DOT double-quoted string whose text Graphviz draws exactly as given."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("&", "&amp;")
               .replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n"))
    return f'"{escaped}"'


def html_text(text: str) -> str:
    """Text for an HTML-like label: entities escaped, line breaks as <BR/>."""
    return "<BR/>".join(html.escape(line, quote=True) for line in text.splitlines() or [""])


def to_dot(scene: Scene, style: DotStyle) -> str:
    out: list[str] = ["digraph ecosystem {"]
    out += _graph_attrs(scene, style)
    clustered = style.clusters and style.engine == "dot"
    by_cluster: dict[str, list[SceneNode]] = {}
    for node in scene.nodes:
        key = _cluster_of(node) if clustered else None
        by_cluster.setdefault(key or "", []).append(node)
    home = {n.id: key for key, members in by_cluster.items() for n in members}
    edges: list[str] = []
    label_nodes: dict[str, list[str]] = {}
    for i, e in enumerate(scene.edges):
        if style.edge_labels == "node" and e.kind == "flow" and _flow_label(e):
            # The label as a small node halfway along the flow: dot reserves room for it and,
            # unlike edge labels, it does not trip 2.43's cluster ranking ("init_rank").
            mid = f"flowlabel_{i}"
            shared = home.get(e.source) if home.get(e.source) == home.get(e.target) else ""
            label_nodes.setdefault(shared or "", []).append(_label_node(mid, e))
            edges += [f"  {_edge(e, style, target=mid, half='tail')}",
                      f"  {_edge(e, style, source=mid, half='head')}"]
        else:
            edges.append(f"  {_edge(e, style)}")
    for key in [k for k in (*scene.clusters, "touchpoints", "channels") if k in by_cluster]:
        out.append(f"  subgraph {quote('cluster_' + key)} {{")
        out += _cluster_attrs(key, scene)
        out += [f"    {_node(n, style, clustered)}" for n in by_cluster[key]]
        out += [f"    {n}" for n in label_nodes.get(key, [])]
        out += [f"    {e}" for e in _grid(by_cluster[key])]
        out.append("  }")
    out += [f"  {_node(n, style, clustered)}" for n in by_cluster.get("", [])]
    out += [f"  {n}" for n in label_nodes.get("", [])]
    out += edges
    if style.legend:
        out += _legend(scene, style, clustered)
    out.append("}")
    return "\n".join(out) + "\n"


def _graph_attrs(scene: Scene, style: DotStyle) -> list[str]:
    title = html_text(scene.title)
    common = [f'fontname="{FONT}"', "fontsize=16", f"label=<<B>{title}</B>>", "labelloc=t",
              "labeljust=l", "bgcolor=white", "pad=0.3", f"tooltip={quote(scene.title)}"]
    if style.engine == "dot":
        layout = ["rankdir=LR", "nodesep=0.18", "ranksep=0.9", "splines=spline"]
        if style.fast:  # measured: 48 hub systems x 13 groups went from 45 s to under 2 s
            layout += ["mclimit=0.1", "nslimit=2", "nslimit1=2", "searchsize=10"]
    else:  # sfdp: straight edges are what keeps 1,000 nodes under a second
        layout = [f"layout={style.engine}", "overlap=prism", "overlap_scaling=-4",
                  "splines=false", "K=1.2", "outputorder=edgesfirst", 'sep="+6"']
    return [
        f"  graph [{', '.join(common + layout)}];",
        f'  node [shape=box, style="rounded,filled", fillcolor=white, color="{MUTED}", '
        f'fontname="{FONT}", fontsize=10, margin="0.10,0.05", penwidth=1];',
        f'  edge [fontname="{FONT}", fontsize=8, fontcolor="{INK}", arrowsize=0.6, penwidth=1];',
    ]


def _grid(members: list[SceneNode]) -> list[str]:
    """Invisible edges that fold a big cluster into a few columns.

    Most systems only send to or receive from hubs, so ``dot`` puts a whole role group in one
    rank: with ``rankdir=LR`` that is one very tall column per group, stacked into a strip.
    Chaining member i to member i + rows spreads a group over ``cols`` ranks instead.
    """
    systems = [n for n in members if n.kind == "system"]
    if len(systems) < 4:
        return []
    cols = max(2, math.ceil(math.sqrt(len(systems) / 2)))
    rows = math.ceil(len(systems) / cols)
    return [f"{quote(a.id)} -> {quote(b.id)} [style=invis, weight=0];"
            for a, b in zip(systems, systems[rows:])]


def _cluster_of(node: SceneNode) -> str | None:
    if node.kind == "touchpoint":
        return "touchpoints"
    if node.kind == "channel":
        return "channels"
    return node.cluster


def _cluster_attrs(key: str, scene: Scene) -> list[str]:
    if key in ("touchpoints", "channels"):
        label, fill, border = key.capitalize(), "white", "#ced4da"
        style = "rounded,dashed"
    else:
        label, fill, border = scene.clusters[key], CLUSTER_COLOURS.get(key, "#f5f5f5"), "#b0bec5"
        style = "rounded,filled"
    return [f"    label=<<B>{html_text(label)}</B>>; labeljust=l; fontsize=11; "
            f'style="{style}"; fillcolor="{fill}"; color="{border}"; margin=10;']


def _node(n: SceneNode, style: DotStyle, clustered: bool) -> str:
    width = 18 if n.kind == "touchpoint" else 22
    title = "<BR/>".join(f"<B>{html_text(line)}</B>" for line in wrap(n.title, width))
    if n.kind == "group":  # the overview's nodes: the few things to read first
        title = f'<FONT POINT-SIZE="14">{title}</FONT>'

    lines = n.lines
    if not clustered and n.kind == "system" and n.cluster:  # no box says the role: the node does
        lines = (n.cluster.replace("-", " "), *lines)
    small = "".join(f'<BR/><FONT POINT-SIZE="8" COLOR="{MUTED}">{html_text(line)}</FONT>'
                    for line in lines if line)
    if n.planned:
        small += f'<BR/><FONT POINT-SIZE="8" COLOR="{PLANNED}">planned</FONT>'
    attrs = [f"label=<{title}{small}>", f"tooltip={quote(n.tooltip or n.title)}"]
    fill = "white"
    if n.kind == "group":
        attrs.append("shape=box3d")
    elif n.kind == "touchpoint":
        attrs += ["shape=box", 'style="filled"']
        fill = "#f8f9fa"
    elif n.kind == "channel":
        attrs.append("shape=cds")
        fill = "#e9ecef"
    if not clustered and n.kind == "system" and n.cluster:
        fill = ROLE_COLOURS.get(n.cluster, fill)  # no clusters: role shows as the fill
    if n.fill:
        fill = SEVERITY_COLOURS[n.fill][0]
    attrs.append(f'fillcolor="{fill}"')
    if n.border:
        attrs += [f'color="{SEVERITY_COLOURS[n.border][1]}"', "penwidth=2.5"]
    if n.planned:
        attrs.append('style="rounded,filled,dashed"')
    return f"{quote(n.id)} [{', '.join(attrs)}];"


def _label_node(node_id: str, e: SceneEdge) -> str:
    text = "\n".join(wrap(_flow_label(e), 26, 3))
    colour = SEVERITY_COLOURS[e.severity][1] if e.severity else INK
    return (f'{quote(node_id)} [shape=plaintext, style="", fontsize=8, margin="0.02,0.01", '
            f'width=0, height=0, fontcolor="{colour}", label={quote(text)}, '
            f"tooltip={quote(e.tooltip or e.label)}];")


def _edge(e: SceneEdge, style: DotStyle, source: str | None = None, target: str | None = None,
          half: str = "") -> str:
    """One edge; ``half`` ('tail'/'head') draws a flow in two pieces through its label node."""
    attrs: list[str] = []
    if e.kind == "flow":
        line, colour, head = MODE_STYLES.get(e.mode, MODE_STYLES["unknown"])
        if e.planned:
            colour = PLANNED
        if e.severity:
            colour = SEVERITY_COLOURS[e.severity][1]
        # Thicker with the count, but gently and only so far: in a large estate most lines
        # carry dozens of flows, and 8-point lines hid the labels and each other.
        thick = min(math.log2(e.count) / 2, 3.5) if e.count > 1 else 0.0
        width = 1.0 + thick + (1.2 if e.severity else 0.0)
        attrs += [f"style={line}", f'color="{colour}"', f"arrowhead={head}", f"arrowtail={head}",
                  f"penwidth={width:.1f}", "weight=2"]
        # Arrows only at the real ends: none at the label node in the middle.
        ends = {"": ("both", "forward"), "tail": ("back", "none"), "head": ("none", "forward")}
        attrs.append(f"dir={ends[half][0 if e.both_ways else 1]}")
        label = _flow_label(e)
    else:  # serves / uses_channel: context, drawn light so flows stay the subject
        attrs += ['color="#ced4da"',
                  "arrowhead=none" if e.kind == "uses_channel" else "arrowsize=0.4"]
        label = e.label
    if not half and label and style.edge_labels in ("label", "xlabel"):
        attrs.append(f"{style.edge_labels}={quote(chr(10).join(wrap(label, 26, 3)))}")
    if e.tooltip:
        attrs.append(f"tooltip={quote(e.tooltip)}")
    return f"{quote(source or e.source)} -> {quote(target or e.target)} [{', '.join(attrs)}];"


def _flow_label(e: SceneEdge) -> str:
    if not e.planned:
        return e.label
    return f"{e.label} [planned]" if e.label else "[planned]"


def _legend(scene: Scene, style: DotStyle, clustered: bool) -> list[str]:
    """Flow styles as real edge samples (in ``dot``), finding colours and role groups."""
    rows: list[str] = []
    out = [f"  subgraph {quote('cluster_legend')} {{",
           '    label=<<B>Legend</B>>; labeljust=l; fontsize=11; style="rounded"; '
           'color="#ced4da"; margin=8;']
    if style.engine != "dot":  # other engines ignore clusters: title the table itself
        out = ["  {"]
        rows.append('<TR><TD ALIGN="LEFT" COLSPAN="2"><B>Legend</B></TD></TR>')
    modes = scene.modes or ("real-time", "batch", "manual")
    names = {"real-time": "real-time", "batch": "batch", "manual": "manual",
             "unknown": "mode unknown"}
    if style.engine == "dot":
        keys = "".join(f'<TR><TD ALIGN="RIGHT" PORT="m{i}">{names[m]}</TD></TR>'
                       for i, m in enumerate(modes))
        ends = "".join(f'<TR><TD PORT="m{i}">flow</TD></TR>' for i in range(len(modes)))
        table = '<TABLE BORDER="0" CELLPADDING="2" CELLSPACING="0">{}</TABLE>'
        out.append(f'    "legend_keys" [shape=plaintext, style="", fontsize=9, '
                   f"label=<{table.format(keys)}>];")
        out.append(f'    "legend_ends" [shape=plaintext, style="", fontsize=9, '
                   f'fontcolor="white", label=<{table.format(ends)}>];')
        for i, m in enumerate(modes):
            line, colour, head = MODE_STYLES[m]
            out.append(f'    "legend_keys":m{i}:e -> "legend_ends":m{i}:w '
                       f'[style={line}, color="{colour}", arrowhead={head}, minlen=1];')
    else:  # no ports in sfdp: describe the line styles in words
        rows += [f"<TR><TD ALIGN=\"LEFT\" COLSPAN=\"2\">{names[m]}: "
                 f"{MODE_STYLES[m][0]} {'grey ' if m == 'unknown' else ''}line</TD></TR>"
                 for m in modes]
    if scene.what_if:
        rows.append(f'<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT COLOR="{PLANNED}">planned '
                    "(what-if): blue line,<BR ALIGN=\"LEFT\"/>dashed box, \"planned\""
                    "</FONT></TD></TR>")
    if scene.severities:
        rows.append('<TR><TD ALIGN="LEFT" COLSPAN="2"><B>Findings</B></TD></TR>')
        rows += [f'<TR><TD BGCOLOR="{SEVERITY_COLOURS[s][0]}" COLOR="{SEVERITY_COLOURS[s][1]}" '
                 f'BORDER="2" WIDTH="18"> </TD><TD ALIGN="LEFT">{s}</TD></TR>'
                 for s in reversed(scene.severities)]
        rows.append('<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="8">filled: a finding is '
                    "about it<BR ALIGN=\"LEFT\"/>border: named as evidence</FONT></TD></TR>")
    roles = list(scene.clusters)
    if roles and not clustered:
        rows.append('<TR><TD ALIGN="LEFT" COLSPAN="2"><B>Roles</B></TD></TR>')
        rows += [f'<TR><TD BGCOLOR="{ROLE_COLOURS.get(r, "#f5f5f5")}" BORDER="1" WIDTH="18"> </TD>'
                 f'<TD ALIGN="LEFT">{html_text(ROLE_LABELS.get(r, r))}</TD></TR>' for r in roles]
    elif roles:
        rows.append('<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="8">shaded boxes group '
                    "systems<BR ALIGN=\"LEFT\"/>by their first role</FONT></TD></TR>")
    if scene.folded:  # product nodes, which only the title explained, read in PNG and PDF too
        rows.append('<TR><TD ALIGN="LEFT" COLSPAN="2"><FONT POINT-SIZE="8">3D boxes in the '
                    "group's box: its systems<BR ALIGN=\"LEFT\"/>of one product, drawn as one"
                    "</FONT></TD></TR>")
    if rows:
        frame = 'BORDER="0"' if style.engine == "dot" else 'BORDER="1" COLOR="#ced4da"'
        out.append('    "legend_notes" [shape=plaintext, style="", fontsize=9, label=<<TABLE '
                   f'{frame} CELLPADDING="2" CELLSPACING="2">{"".join(rows)}</TABLE>>];')
        if style.engine == "dot":  # keep the notes under the flow samples
            out.append('    { rank=same; "legend_keys"; "legend_notes"; }')
    out.append("  }")
    return out
