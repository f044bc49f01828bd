"""What an ecosystem diagram shows, independent of Graphviz syntax.

One builder serves the three views: the full diagram (every system drawn), the aggregated
overview (every system collapsed into its role group) and a per-group detail view (one group's
systems drawn, the rest collapsed into their groups; when the group is too big to draw system
by system, most of its systems folded into product nodes, ``Part``). ``dot_source`` turns a
``Scene`` into DOT.
Pure: no I/O, deterministic order (everything sorted by id).
"""

from __future__ import annotations

import textwrap
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from auditor.render.labels import ROLE_LABELS
from auditor.schema.assessment import SEVERITIES

if TYPE_CHECKING:
    import networkx as nx

_RANK = {s: i for i, s in enumerate(SEVERITIES)}

#: Left-to-right order of the groups: sources of customer data first, consumers last.
ROLE_ORDER: tuple[str, ...] = tuple(ROLE_LABELS)

TouchpointMode = Literal["none", "nodes", "counts"]
MODES = ("real-time", "batch", "manual", "unknown")
GROUP_PREFIX = "group:"


def worst(*severities: str | None) -> str | None:
    found = [s for s in severities if s in _RANK]
    return max(found, key=_RANK.__getitem__) if found else None


def primary_role(attrs: Mapping[str, Any]) -> str:
    """The group a system is drawn in: its first listed role (the consultant's order)."""
    roles = attrs.get("roles") or ()
    return roles[0] if roles else "other"


@dataclass(frozen=True)
class Highlights:
    """Which nodes and flows the findings point at, and how badly.

    ``subjects``: nodes a finding is about (drawn filled); ``involved``: nodes that are only
    evidence (drawn with a coloured border) — so a system named by one critical finding stands
    out from the many systems merely mentioned as evidence. ``rules`` feeds SVG tooltips.
    """

    subjects: Mapping[str, str] = field(default_factory=dict)
    involved: Mapping[str, str] = field(default_factory=dict)
    edges: Mapping[str, str] = field(default_factory=dict)
    rules: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    counts: Mapping[str, int] = field(default_factory=dict)  # findings naming each item

    @classmethod
    def from_findings(cls, findings: Iterable[Any]) -> Highlights:
        """From objects with ``rule``, ``severity``, ``subject`` and ``evidence.nodes/edges``."""
        subjects: dict[str, str] = {}
        involved: dict[str, str] = {}
        edges: dict[str, str] = {}
        rules: dict[str, set[str]] = {}
        counts: dict[str, int] = {}
        for f in findings:
            touched = set(f.evidence.nodes) | set(f.evidence.edges)
            if f.subject:
                subjects[f.subject] = worst(subjects.get(f.subject), f.severity) or f.severity
                touched.add(f.subject)
            for n in f.evidence.nodes:
                involved[n] = worst(involved.get(n), f.severity) or f.severity
            for e in f.evidence.edges:
                edges[e] = worst(edges.get(e), f.severity) or f.severity
            for item in touched:
                rules.setdefault(item, set()).add(f.rule)
                counts[item] = counts.get(item, 0) + 1
        return cls(subjects, involved, edges, {k: tuple(sorted(v)) for k, v in rules.items()},
                   counts)

    @classmethod
    def from_root_causes(cls, causes: Iterable[Any], findings: Iterable[Any]) -> Highlights:
        """Only what root causes are about (objects with ``severity``, ``subjects`` and
        ``findings``, the keys of the findings beneath): a reader sees the few places where
        the problems sit, not every box some finding mentions as evidence. Flows among the
        subjects are coloured like nodes; tooltips name the rules of the findings beneath."""
        by_key = {f.key: f for f in findings}
        subjects: dict[str, str] = {}
        rules: dict[str, set[str]] = {}
        counts: dict[str, int] = {}
        for cause in causes:
            beneath = [by_key[k] for k in cause.findings if k in by_key]
            if not beneath:  # every finding beneath it was dismissed
                continue
            # Once per cause: on a large estate one cause has thousands of findings and
            # thousands of subjects.
            cause_rules = {f.rule for f in beneath}
            for item in cause.subjects:
                subjects[item] = worst(subjects.get(item), cause.severity) or cause.severity
                rules.setdefault(item, set()).update(cause_rules)
                counts[item] = counts.get(item, 0) + len(beneath)
        return cls(subjects, {}, dict(subjects), {k: tuple(sorted(v)) for k, v in rules.items()},
                   counts)

    def fill(self, node: str) -> str | None:
        return self.subjects.get(node)

    def border(self, node: str) -> str | None:
        return worst(self.subjects.get(node), self.involved.get(node))


@dataclass
class SceneNode:
    id: str
    kind: str  # system | group | touchpoint | channel
    title: str
    lines: tuple[str, ...] = ()
    cluster: str | None = None
    fill: str | None = None  # severity
    border: str | None = None  # severity
    planned: bool = False
    tooltip: str = ""


@dataclass
class SceneEdge:
    source: str
    target: str
    kind: str  # flow | serves | uses_channel
    mode: str = "unknown"
    label: str = ""
    severity: str | None = None
    planned: bool = False
    count: int = 1
    tooltip: str = ""
    both_ways: bool = False  # summed flows between two groups, in either direction


@dataclass
class Scene:
    title: str
    nodes: list[SceneNode]
    edges: list[SceneEdge]
    clusters: dict[str, str]  # cluster id (role) -> label, in drawing order
    modes: tuple[str, ...]  # flow modes present, for the legend
    severities: tuple[str, ...]  # finding severities present, for the legend
    what_if: bool = False
    folded: bool = False  # a detail view folded by product (``Part``): dense by construction

    @property
    def size(self) -> int:
        return len(self.nodes)


def short_list(names: Iterable[str], keep: int = 2) -> str:
    """'Individual, Order +3': long data lists would swamp the edge labels."""
    items = list(dict.fromkeys(names))
    head = ", ".join(items[:keep])
    return f"{head} +{len(items) - keep}" if len(items) > keep else head


def wrap(text: str, width: int = 22, max_lines: int = 3) -> list[str]:
    lines = textwrap.wrap(" ".join(text.split()), width, break_long_words=True) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: width - 1] + "…"
    return lines


Collapse = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Part:
    """A slice of the detailed group folded into one node: the group has more systems than a
    view can draw one by one, so its systems of one product (or vendor) are drawn together."""

    title: str  # the product, e.g. "SAP S/4HANA", or "other products"
    role: str  # the detailed group: the part sits in its box


def build_scene(
    g: nx.MultiDiGraph,
    *,
    title: str,
    highlights: Highlights | None = None,
    touchpoints: TouchpointMode = "none",
    collapse: Collapse | None = None,
    keep_isolated_groups: bool = True,
    what_if: bool = False,
    flows: Sequence[Flow] | None = None,
    inside: Mapping[str, int] | None = None,
    parts: Mapping[str, Part] | None = None,
    systems: Sequence[str] | None = None,
    touchpoints_served: Sequence[TouchpointLink] | None = None,
) -> Scene:
    """The scene of ``g``'s systems and flows. ``collapse(system id)`` returns the group a system
    is folded into, or None to draw it; flows between two folded systems are drawn only when
    ``keep_isolated_groups`` (the overview), not in a detail view.

    Several views of one graph share the work: ``flows`` is ``sorted_flows(g)``, or only the
    flows that touch a drawn system or part when ``inside`` gives the number of flows inside
    each folded group (``group_key``) that were left out; ``systems`` the graph's systems,
    sorted; ``touchpoints_served`` its ``touchpoint_links``. ``parts``: collapse values that
    are slices of the detailed group (``Part``), drawn in its box with their flows, as drawn
    systems are; such a view draws one line per pair of nodes (``flow_slot``)."""
    hl = highlights or Highlights()
    fold: Collapse = collapse or (lambda _s: None)
    parts = parts or {}
    if systems is None:
        systems = sorted(n for n, k in g.nodes(data="kind") if k == "system")
    shown = [s for s in systems if fold(s) is None]
    members: dict[str, list[str]] = {}
    end: dict[str, str] = {}  # system -> the node its flows attach to: itself or its group
    for s in systems:
        grp = fold(s)
        end[s] = s if grp is None else group_key(grp)
        if grp is not None:
            members.setdefault(end[s], []).append(s)
    part_nodes = {group_key(k): part for k, part in parts.items()}

    nodes = {s: _system_node(g, s, hl) for s in shown}
    if flows is None:
        flows = sorted_flows(g)
    shown_set = set(shown)
    edges, internal = _flow_edges(flows, end, shown_set, shown_set | set(part_nodes), hl,
                                  keep_isolated_groups, pairs=bool(part_nodes))
    for grp, n in (inside or {}).items():
        internal[grp] = internal.get(grp, 0) + n
    linked_groups = {e for ed in edges for e in (ed.source, ed.target) if e in members}
    for grp in sorted(members):
        if keep_isolated_groups or grp in linked_groups or grp in part_nodes:
            nodes[grp] = _group_node(g, grp, members[grp], internal.get(grp, 0), hl,
                                     part_nodes.get(grp))
    if touchpoints == "nodes" and part_nodes:
        # A folded view counts them in its nodes, as the overview does: the hubs drawn one by
        # one serve hundreds of touchpoints in a large estate (565 nodes in one view at 2,400
        # systems), and a product node's would be as many as its systems'.
        _add_touchpoint_counts(g, nodes, end, only=shown_set | set(part_nodes),
                               links=touchpoints_served)
    elif touchpoints == "nodes":
        _add_touchpoint_nodes(g, nodes, edges, end, shown_set, hl)
    elif touchpoints == "counts":
        _add_touchpoint_counts(g, nodes, end, links=touchpoints_served)

    clusters = {r: ROLE_LABELS.get(r, r) for r in ROLE_ORDER
                if any(n.cluster == r for n in nodes.values())}
    severities = {n.fill for n in nodes.values()} | {n.border for n in nodes.values()}
    severities |= {e.severity for e in edges}
    return Scene(
        title=title,
        nodes=[nodes[k] for k in sorted(nodes)],
        edges=sorted(edges, key=lambda e: (e.kind, e.source, e.target, e.mode, e.planned)),
        clusters=clusters,
        modes=tuple(m for m in MODES
                    if any(e.kind == "flow" and e.mode == m for e in edges)),
        severities=tuple(s for s in SEVERITIES if s in severities),
        what_if=what_if,
        folded=bool(part_nodes),
    )


def _system_node(g: nx.MultiDiGraph, s: str, hl: Highlights) -> SceneNode:
    a = g.nodes[s]
    roles = tuple(a.get("roles") or ())
    vendor_line = " ".join(dict.fromkeys(x for x in (a.get("vendor"), a.get("product")) if x))
    others = [ROLE_LABELS.get(r, r).lower() for r in roles[1:]]
    rules = hl.rules.get(s, ())
    n = hl.counts.get(s, 0)
    # The count in the node too (PNG and PDF readers have no tooltips); rule ids in the tooltip.
    lines = tuple(x for x in (vendor_line, f"also {', '.join(others)}" if others else "",
                              f"{n} finding{'s' if n != 1 else ''}" if n else "") if x)
    tip = [a.get("name", s), "roles: " + (", ".join(roles) or "none")]
    if rules:
        tip.append("findings: " + ", ".join(rules))
    return SceneNode(
        id=s, kind="system", title=a.get("name") or s, lines=lines, cluster=primary_role(a),
        fill=hl.fill(s), border=hl.border(s), planned=a.get("status") == "planned",
        tooltip="\n".join(tip),
    )


def group_key(group: str) -> str:
    """Node id of a folded group. Inventory ids are kebab-case, so the colon keeps a group
    apart from a system, channel or touchpoint that happens to be called 'community'."""
    return GROUP_PREFIX + group


def _group_node(g: nx.MultiDiGraph, grp: str, systems: list[str], internal: int,
                hl: Highlights, part: Part | None = None) -> SceneNode:
    borders = [hl.border(s) for s in systems]
    flagged = [b for b in borders if b]
    lines = [f"{len(systems)} system{'s' if len(systems) != 1 else ''}"]
    if internal:
        lines.append(f"{internal} flow{'s' if internal != 1 else ''} inside")
    if flagged:
        lines.append(f"{len(flagged)} with findings")
    names = [g.nodes[s].get("name") or s for s in systems]
    title = (part.title if part is not None
             else ROLE_LABELS.get(grp.removeprefix(GROUP_PREFIX), grp))
    return SceneNode(
        id=grp, kind="group", title=title, lines=tuple(lines),
        cluster=part.role if part is not None else None,
        fill=worst(*(hl.fill(s) for s in systems)) if hl.subjects else None,
        border=worst(*flagged), tooltip=short_list(names, keep=12),
    )


class Flow(NamedTuple):
    """One data flow of the graph, with the names it is labelled with already looked up."""

    source: str
    target: str
    key: str  # the flow's id (its edge key when the graph has no "flow" attribute)
    mode: str
    planned: bool
    data: tuple[str, ...]  # names of the data it carries, in the audit's order
    via: str | None  # name of the integration platform it goes through
    frequency: str | None  # batch or manual frequency; None for real-time and unknown


class _Names(dict[str, str]):
    """Node id -> name; an id that is not a node (a datum the graph lacks) names itself."""

    def __missing__(self, key: str) -> str:
        return key


def sorted_flows(g: nx.MultiDiGraph) -> list[Flow]:
    """The graph's data flows in the order views merge them (by ends, then flow id).

    Sorted and named once per graph: an aggregated diagram draws one view per role group, and
    sorting every edge of an L estate (100,000) for each of its 16 views took most of 11 s;
    looking up the data's names per view took most of what was left."""
    name = _Names((n, a.get("name", n)) for n, a in g.nodes(data=True)).__getitem__
    flows: list[Flow] = []
    for u, targets in g.adjacency():  # the adjacency dicts themselves: no edge view to build
        for v, edges in targets.items():
            for k, a in edges.items():
                if a.get("type") != "flows_to":
                    continue
                freq = a.get("frequency")
                flows.append(Flow(
                    u, v, a.get("flow", k), a.get("mode") or "unknown",
                    a.get("status") == "planned", tuple(map(name, a.get("data", ()))),
                    name(a["via"]) if a.get("via") else None,
                    freq if freq and freq not in ("real-time", "unknown") else None))
    flows.sort(key=lambda f: (f.source, f.target, str(f.key)))
    return flows


def flow_slot(f: Flow, end: Mapping[str, str], shown: set[str], focus: set[str],
              keep_between: bool, pairs: bool = False,
              ) -> tuple[str, str, str, bool] | str | None:
    """Which line of a view ``f`` is drawn on: (from, to, merge, planned); or the folded node
    it stays inside (a string: counted, not drawn); or None (not in this view).

    ``merge``: the mode between two drawn systems (one line per mode), "*" between a drawn
    system or part and a folded node (one line per direction whatever the modes), "<>" between
    two folded groups (one line per pair). ``focus``: the drawn systems and parts. ``pairs``
    (a detail view folded by product): one line per pair of nodes whatever the modes and
    directions, which halves the lines of a view where every node exchanges with every other."""
    eu, ev = end.get(f.source), end.get(f.target)
    if eu is None or ev is None:
        return None
    if eu == ev and eu not in shown:
        return eu
    if pairs and (eu in focus or ev in focus):
        return (eu, ev, "*", f.planned) if eu < ev else (ev, eu, "*", f.planned)
    if eu in shown and ev in shown:
        return eu, ev, f.mode, f.planned
    if eu in focus or ev in focus:
        return eu, ev, "*", f.planned
    if not keep_between:
        return None
    return (eu, ev, "<>", f.planned) if eu < ev else (ev, eu, "<>", f.planned)


def _flow_edges(
    flows: Sequence[Flow], end: Mapping[str, str], shown: set[str], focus: set[str],
    hl: Highlights, keep_between: bool, pairs: bool = False,
) -> tuple[list[SceneEdge], dict[str, int]]:
    """Flows between two drawn systems merge per (from, to, mode); flows between a drawn system
    (or part) and a folded group merge per (from, to) whatever their mode, drawn in the most
    common mode and labelled with the count and the main data, so a view stays a few hundred
    lines; flows between two folded groups merge per pair (the overview). Flows inside one
    folded node are only counted."""
    merged: dict[tuple[str, str, str, bool], list[Flow]] = {}
    internal: dict[str, int] = {}
    for f in flows:
        slot = flow_slot(f, end, shown, focus, keep_between, pairs)
        if slot is None:
            continue
        if isinstance(slot, str):
            internal[slot] = internal.get(slot, 0) + 1
        elif slot in merged:
            merged[slot].append(f)
        else:
            merged[slot] = [f]
    edges = [_merged_edge(eu, ev, planned, bundle, m, end, hl, pairs)
             for (eu, ev, m, planned), bundle in merged.items()]
    return edges, internal


def main_first(names: Iterable[str]) -> list[str]:
    """Distinct names, the most often carried first (ties in the order met): what a bundle
    of flows mostly carries is what its label should name."""
    return [n for n, _ in Counter(names).most_common()]  # a stable sort: ties keep their order


def _merged_edge(eu: str, ev: str, planned: bool, bundle: list[Flow], merge: str,
                 end: Mapping[str, str], hl: Highlights, pairs: bool) -> SceneEdge:
    """``merge``: a mode (two drawn systems), "*" (system or part and group) or "<>" (two
    groups)."""
    n = len(bundle)
    modes: dict[str, int] = Counter(f.mode for f in bundle)
    mode = max(modes, key=lambda m: (modes[m], -MODES.index(m) if m in MODES else -9))
    carried = [d for f in bundle for d in f.data]
    data_names = main_first(carried) if n > 1 else carried
    data = short_list(data_names)
    # Only lines that stand for a pair of nodes (``flow_slot``) can carry both directions.
    both = (merge == "<>" or pairs) and len({(end[f.source], end[f.target]) for f in bundle}) > 1
    if n == 1 or merge not in ("*", "<>"):  # one mode: the line style says it
        label = data
    elif merge == "<>":  # group to group: the count is what the overview is for
        label = f"{n} flows"
    elif len(modes) == 1:
        label = f"{n} {mode} flows: {data}" if data else f"{n} {mode} flows"
    else:  # the line is drawn in the commonest mode; the label says how common it is
        label = f"{n} flows ({modes[mode]} {mode})"
        label = f"{label}: {data}" if data else label
    frequencies = {f.frequency for f in bundle if f.frequency}
    if len(frequencies) == 1 and modes.get("batch") == n:
        label = f"{label} ({next(iter(frequencies))})"
    via = {f.via for f in bundle if f.via}
    if len(via) == 1 and merge != "<>":
        # Flows routed through an integration platform: otherwise it looks unconnected.
        label = f"{label} via {next(iter(via))}"
    severities = hl.edges
    return SceneEdge(
        source=eu, target=ev, kind="flow", mode=mode, label=label,
        severity=worst(*(severities.get(f.key) for f in bundle)) if severities else None,
        planned=planned, count=n, both_ways=both,
        tooltip=f"{', '.join(f'{c} {m}' for m, c in sorted(modes.items()))} · "
                # Bounded like the flow list: a group-to-group edge of a large estate carries
                # thousands of data items, and Graphviz refuses strings over 16 KB.
                f"{short_list(data_names, keep=20) or 'no data named'}"
                f" · flows: {short_list([f.key for f in bundle], keep=20)}",
    )


def _add_touchpoint_nodes(g: nx.MultiDiGraph, nodes: dict[str, SceneNode], edges: list[SceneEdge],
                          end: dict[str, str], shown: set[str], hl: Highlights) -> None:
    """Touchpoints served by a drawn system (or by nobody, in the full view) and their channels."""
    full_view = len(shown) == len(end)
    for t in sorted(n for n, k in g.nodes(data="kind") if k == "touchpoint"):
        servers = sorted(u for u, _, ty in g.in_edges(t, data="type")
                         if ty == "serves" and u in end)
        if not (any(s in shown for s in servers) or (full_view and not servers)):
            continue
        a = g.nodes[t]
        nodes[t] = SceneNode(id=t, kind="touchpoint", title=a.get("name") or t,
                             lines=(a.get("style") or "",), fill=hl.fill(t), border=hl.border(t),
                             planned=a.get("status") == "planned",
                             tooltip=f"{a.get('name') or t} ({a.get('style')}, "
                                     f"{a.get('purpose') or 'no purpose'})")
        for s in dict.fromkeys(end[s] for s in servers):
            if s in nodes:  # drawn systems and the groups already linked by flows
                edges.append(SceneEdge(source=s, target=t, kind="serves"))
        for _, c, ty in sorted(g.out_edges(t, data="type")):
            if ty == "uses_channel":
                _channel_node(g, nodes, c, hl)
                edges.append(SceneEdge(source=t, target=c, kind="uses_channel"))


#: A touchpoint, the systems that serve it and the names of its channels.
TouchpointLink = tuple[str, tuple[str, ...], tuple[str, ...]]


def touchpoint_links(g: nx.MultiDiGraph) -> list[TouchpointLink]:
    """Every touchpoint with its servers and channels, by id: read once per graph when several
    views count touchpoints (4,800 of them at 2,400 systems, looked up per view took 1.3 s)."""
    links = []
    for t in sorted(n for n, k in g.nodes(data="kind") if k == "touchpoint"):
        channels = tuple(g.nodes[c].get("name") or c
                         for _, c, ty in g.out_edges(t, data="type") if ty == "uses_channel")
        servers = tuple(u for u, _, ty in g.in_edges(t, data="type") if ty == "serves")
        links.append((t, servers, channels))
    return links


def _add_touchpoint_counts(g: nx.MultiDiGraph, nodes: dict[str, SceneNode],
                           end: dict[str, str], only: set[str] | None = None,
                           links: Sequence[TouchpointLink] | None = None) -> None:
    """Overview: each group says how many touchpoints its systems serve, on which channels.

    Drawn as lines to channel nodes, these counts buried the flows under a fan of grey lines
    (looked at on 300 systems); the detail views draw the touchpoints themselves."""
    served: dict[str, dict[str, int]] = {}
    for _t, servers, channels in touchpoint_links(g) if links is None else links:
        for grp in sorted({end[u] for u in servers if u in end}):
            for c in channels or ("no channel",):
                served.setdefault(grp, {})[c] = served.setdefault(grp, {}).get(c, 0) + 1
    for grp, per_channel in served.items():
        if grp in nodes and (only is None or grp in only):
            total = sum(per_channel.values())
            top = sorted(per_channel, key=lambda c: (-per_channel[c], c))
            nodes[grp].lines += (f"{total} touchpoint{'s' if total != 1 else ''}: "
                                 f"{short_list(top)}",)


def _channel_node(g: nx.MultiDiGraph, nodes: dict[str, SceneNode], c: str, hl: Highlights) -> None:
    if c in nodes:
        return
    a = g.nodes[c]
    volume = a.get("volume") or 0
    nodes[c] = SceneNode(id=c, kind="channel", title=a.get("name") or c,
                         lines=(f"{volume:,} a year",) if volume else (),
                         fill=hl.fill(c), border=hl.border(c), planned=a.get("status") == "planned",
                         tooltip=f"channel: {a.get('ckind')}")
