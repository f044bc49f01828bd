"""Ecosystem graph -> diagram files (.svg, .png, .dot) through the Graphviz programs.

Graphviz 2.43 (Debian's) sets the limits designed around here, measured in
``benchmarks/diagram_sizes.py``: ``dot`` handles a few hundred nodes fast but 1,000 in about
15 s, and role clusters combined with edge labels abort with "trouble in init_rank" on many
real-looking graphs, even small ones. So:

* up to ``LayoutLimits.aggregate_above`` systems, one diagram; ``dot`` with role clusters and
  edge labels, falling back step by step (``newrank``, labels placed after layout, no
  clusters) when Graphviz refuses a layout;
* above it, an overview (one node per role group, flows summed) plus one detail diagram per
  group, written next to the output as ``<name>-<group>.<ext>``;
* a detail view too big to read (``LayoutLimits.detail_max_lines``, ``detail_max_systems``)
  folds its group's systems into product nodes and draws one by one only the systems that
  fit (``fold_by_product``): at 2,400 systems a detail view had 3,500 lines, now about 100;
* the SVG views are laid out in one Graphviz run (``layout_together``);
* a view with more than ``LayoutLimits.dot_max_nodes`` nodes, or more than
  ``LayoutLimits.dot_max_lines`` lines, is laid out by ``sfdp`` with straight edges and no
  clusters, and the file's note says why. ``dot``'s time grows with the square of the lines:
  a detail view of 254 systems and 3,500 lines (the L benchmark estate) took 35 s of CPU in
  ``dot`` even without boxes and labels, and 0.25 s in ``sfdp``.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from auditor.errors import RenderError
from auditor.render.dot_source import DotStyle, to_dot
from auditor.render.labels import ROLE_LABELS
from auditor.render.scene import (
    Flow,
    Highlights,
    Part,
    Scene,
    build_scene,
    flow_slot,
    group_key,
    primary_role,
    sorted_flows,
    touchpoint_links,
)
from auditor.schema.assessment import SEVERITIES

if TYPE_CHECKING:
    import networkx as nx

    from auditor.analysis.assess import Analysis
    from auditor.schema.audit import Audit

Layout = Literal["auto", "dot", "sfdp"]
FORMATS: dict[str, str] = {".svg": "svg", ".png": "png", ".dot": "dot", ".gv": "dot"}
INSTALL_HINT = ("install Graphviz: apt-get install graphviz (Debian/Ubuntu), "
                "brew install graphviz (macOS), or see https://graphviz.org/download/")


@dataclass(frozen=True)
class LayoutLimits:
    """Size thresholds, as data: tune them here or per call, not inside the code paths."""

    aggregate_above: int = 150  # systems; above this, overview + one detail view per group
    dot_max_nodes: int = 300  # nodes in one view; above this, sfdp instead of dot
    # Lines in one view; above this, sfdp instead of dot. Measured with dot on detail views
    # (boxes, labels as nodes): 430 lines 0.25 s, 470 lines 0.5 s; without boxes or labels,
    # 1,560 lines 6 s and 3,500 lines 35 s of CPU.
    dot_max_lines: int = 600
    dense_edges: int = 120  # edges in one view; above this, dot's optimisation passes are capped
    # A detail view with more lines than this (or more systems than ``detail_max_systems``)
    # folds its group's systems by product and draws one by one only the systems with the most
    # flows, up to ``folded_max_lines`` lines. A 250-system detail view of the L benchmark
    # estate had 3,500 lines (each system to each of 14 groups): unreadable, and minutes of
    # dot. A folded view is dense (every node exchanges with most groups), hence the lower
    # figure; at about 100 lines dot lays it out in 0.05 s and its labels can be read at 100 %.
    detail_max_lines: int = 120
    detail_max_systems: int = 80
    folded_max_lines: int = 100
    max_parts: int = 8  # product nodes in a folded detail view; the smallest share one node
    max_drawn: int = 12  # systems drawn one by one in a folded detail view
    # Role boxes up to this many systems; above, roles show as fill colours. Looked at: 60
    # synthetic systems in boxes came out 2066x3804 px with flows crossing the whole picture;
    # without boxes, 3951x1654 px, hubs in the middle and short flows (docs/diagram.md).
    cluster_max_systems: int = 40
    timeout_seconds: float = 120.0  # per Graphviz run


@dataclass(frozen=True)
class DiagramOptions:
    touchpoints: bool = False
    layout: Layout = "auto"
    aggregate: bool | None = None  # None: decided by size
    clusters: bool | None = None  # role boxes; None: decided by size
    what_if: bool = False
    title: str | None = None
    limits: LayoutLimits = field(default_factory=LayoutLimits)


@dataclass(frozen=True)
class RenderedFile:
    path: Path
    view: Literal["full", "overview", "detail"]
    group: str | None
    engine: str
    nodes: int
    seconds: float  # of a view laid out with others in one run: its share of that run
    note: str = ""  # the fallback used, if any
    shared: bool = False  # laid out in one Graphviz run with the other views of its engine


@dataclass(frozen=True)
class DiagramResult:
    files: tuple[RenderedFile, ...]
    aggregated: bool

    @property
    def paths(self) -> list[Path]:
        return [f.path for f in self.files]


@dataclass(frozen=True)
class View:
    """One diagram to write: what it shows and where it goes."""

    scene: Scene
    path: Path
    kind: Literal["full", "overview", "detail"]
    group: str | None = None
    note: str = ""  # said beside the file: what the view folded, if anything


def output_format(path: Path) -> str:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise RenderError(f"cannot tell the diagram format from '{path.name}'",
                          hint="name the output .svg, .png or .dot, e.g. -o ecosystem.svg")
    return fmt


def plan_views(g: nx.MultiDiGraph, output: Path, options: DiagramOptions,
               highlights: Highlights | None = None) -> tuple[list[View], bool]:
    """The diagrams to draw for ``g`` (pure: no Graphviz, no files) and whether aggregated."""
    systems = sorted(n for n, k in g.nodes(data="kind") if k == "system")
    aggregate = options.aggregate
    if aggregate is None:
        aggregate = len(systems) > options.limits.aggregate_above
    title = options.title or str(g.graph.get("client") or "Ecosystem")
    if options.what_if:
        title += " (what-if: planned items included)"
    what_if = options.what_if
    if not aggregate:
        scene = build_scene(g, title=title, touchpoints="nodes" if options.touchpoints else "none",
                            highlights=highlights, what_if=what_if)
        return [View(scene, output, "full")], False

    group_of = {s: primary_role(g.nodes[s]) for s in systems}
    groups = sorted(set(group_of.values()))
    flows = sorted_flows(g)  # once for all the views
    # Each detail view reads only the flows that touch its group, and the counts of flows
    # inside the other groups: at 2,400 systems, 16 views each reading all 42,000 flows cost
    # most of the planning.
    touching: dict[str, list[Flow]] = {grp: [] for grp in groups}
    inside: dict[str, int] = {}
    for f in flows:
        gu, gv = group_of.get(f.source), group_of.get(f.target)
        if gu is None or gv is None:
            continue
        touching[gu].append(f)
        if gu == gv:
            inside[gu] = inside.get(gu, 0) + 1
        else:
            touching[gv].append(f)
    links = touchpoint_links(g) if options.touchpoints else None
    overview = build_scene(g, title=f"{title}: overview by role ({len(systems)} systems)",
                           touchpoints="counts" if options.touchpoints else "none",
                           collapse=group_of.get, highlights=highlights, what_if=what_if,
                           flows=flows, systems=systems, touchpoints_served=links)
    views = [View(overview, output, "overview")]
    for grp in groups:
        fold = _fold_all_but(grp, group_of)
        parts: dict[str, Part] = {}
        heading = f"{title}: {ROLE_LABELS.get(grp, grp)} in detail"
        note = ""
        members = [s for s in systems if group_of[s] == grp]
        limits = options.limits
        if (len(members) > limits.detail_max_systems
                or _line_count(touching[grp], grp, group_of, {}) > limits.detail_max_lines):
            part_of, drawn = fold_by_product(g, grp, members, touching[grp], group_of, limits,
                                             highlights)
            parts = {_part_key(grp, i): Part(name, grp)
                     for s, (i, name) in part_of.items() if s not in drawn}
            fold = _fold_into_parts(grp, group_of, part_of, drawn)
            if parts:  # else every system ended up drawn: the view is not folded after all
                folded = len(members) - len(drawn)
                heading += (f" (by product; {len(drawn)} of {len(members)} systems drawn one "
                            f"by one)" if drawn else " (by product)")
                share = f"{folded:,} of {len(members):,}" if drawn else f"all {len(members):,}"
                note = (f"{share} systems folded into {len(parts)} "
                        f"product node{'s' if len(parts) != 1 else ''}"
                        + (f", {len(drawn)} drawn one by one" if drawn else ""))
        scene = build_scene(
            g, title=heading, touchpoints="nodes" if options.touchpoints else "none",
            collapse=fold, keep_isolated_groups=False, highlights=highlights, what_if=what_if,
            flows=touching[grp], systems=systems, parts=parts, touchpoints_served=links,
            inside={group_key(k): n for k, n in inside.items() if k != grp})
        views.append(View(scene, output.with_name(f"{output.stem}-{grp}{output.suffix}"),
                          "detail", grp, note))
    return views, True


def _fold_all_but(grp: str, group_of: dict[str, str]) -> Callable[[str], str | None]:
    return lambda s: None if group_of.get(s) == grp else group_of.get(s)


def _part_key(grp: str, index: int) -> str:
    # "/" keeps a part apart from any role (kebab-case), "group:" from any inventory id.
    return f"{grp}/{index}"


def _fold_into_parts(grp: str, group_of: dict[str, str], part_of: dict[str, tuple[int, str]],
                     drawn: set[str]) -> Callable[[str], str | None]:
    def fold(s: str) -> str | None:
        if group_of.get(s) != grp:
            return group_of.get(s)
        return None if s in drawn else _part_key(grp, part_of[s][0])
    return fold


def product_of(attrs: dict[str, Any]) -> str:
    """What a system is, for folding: vendor and product as the consultant wrote them."""
    return " ".join(dict.fromkeys(x for x in (attrs.get("vendor"), attrs.get("product")) if x))


def _line_count(flows: list[Flow], grp: str, group_of: dict[str, str],
                fold: dict[str, str]) -> int:
    """Lines of ``grp``'s detail view with its systems in ``fold`` folded into those nodes."""
    end = {s: fold.get(s, s) if g == grp else group_key(g) for s, g in group_of.items()}
    shown = {s for s, g in group_of.items() if g == grp and s not in fold}
    focus = shown | set(fold.values())
    return len({k for f in flows
                if isinstance(k := flow_slot(f, end, shown, focus, False, bool(fold)), tuple)})


def fold_by_product(g: nx.MultiDiGraph, grp: str, members: list[str], flows: list[Flow],
                    group_of: dict[str, str], limits: LayoutLimits,
                    highlights: Highlights | None = None,
                    ) -> tuple[dict[str, tuple[int, str]], set[str]]:
    """How a detail view too big to read folds ``grp``'s systems: each system's part (index,
    name), and the systems drawn one by one.

    Parts are products, the largest first; past ``max_parts`` (or when that still gives more
    lines than ``folded_max_lines``, fewer) the smallest share an "other products" node. Then
    the systems with the most flows are drawn one by one while the lines they add, counted
    generously (each other system they exchange with as a line of its own), fit under the
    limit: those are the hubs a reader looks for. Systems the ``highlights`` are about come
    first, the most severe first: the report colours them, and a reader looks for them too.
    A system left alone in its product node is drawn one by one too.
    """
    product = {s: product_of(g.nodes[s]) for s in members}
    sizes: dict[str, int] = {}
    for s in members:
        sizes[product[s]] = sizes.get(product[s], 0) + 1
    ranked = sorted(sizes, key=lambda p: (p == "", -sizes[p], p))  # unnamed ones last
    part_of: dict[str, tuple[int, str]] = {}
    lines = 0
    for keep in range(max(1, min(limits.max_parts, len(ranked))), 0, -1):
        named = ranked if len(ranked) <= keep else ranked[:keep - 1]
        index = {p: i for i, p in enumerate(named)}
        rest = "other products" if named else ROLE_LABELS.get(grp, grp)  # one node for all
        part_of = {s: (index[product[s]], product[s] or "product not recorded")
                   if product[s] in index else (len(named), rest) for s in members}
        lines = _line_count(flows, grp, group_of,
                            {s: group_key(_part_key(grp, i)) for s, (i, _) in part_of.items()})
        if lines <= limits.folded_max_lines:
            break
    # Lines a system adds when drawn (a folded view has one line per pair of nodes): at most
    # one per other system of the group and per other group, planned or not.
    mine = set(members)
    adds: dict[str, set[tuple[str, bool]]] = {s: set() for s in members}
    degree = dict.fromkeys(members, 0)
    for f in flows:
        for s, other in ((f.source, f.target), (f.target, f.source)):
            if s in mine:
                degree[s] += 1
                adds[s].add((other if other in mine else group_of.get(other, other), f.planned))
    budget = limits.folded_max_lines - lines
    drawn: set[str] = set()
    subjects = highlights.subjects if highlights else {}
    concern = {s: SEVERITIES.index(sev) + 1 for s, sev in subjects.items() if sev in SEVERITIES}
    for s in sorted(members, key=lambda m: (-concern.get(m, 0), -degree[m], m)):
        if len(drawn) >= limits.max_drawn or budget <= 0:
            break
        if degree[s] and len(adds[s]) <= budget:
            drawn.add(s)
            budget -= len(adds[s])
    # A product node left with one system draws it instead: the same lines, and its name.
    left: dict[int, list[str]] = {}
    for s in members:
        if s not in drawn:
            left.setdefault(part_of[s][0], []).append(s)
    drawn.update(alone[0] for alone in left.values() if len(alone) == 1)
    return part_of, drawn


def render_diagram(g: nx.MultiDiGraph, output: Path | str, options: DiagramOptions | None = None,
                   highlights: Highlights | None = None) -> DiagramResult:
    """Draw ``g`` to ``output`` (and, when aggregated, one detail file per group beside it)."""
    options = options or DiagramOptions()
    output = Path(output)
    fmt = output_format(output)
    views, aggregated = plan_views(g, output, options, highlights)
    output.parent.mkdir(parents=True, exist_ok=True)
    together = _render_together(views, options) if fmt == "svg" and len(views) > 1 else {}
    files = [together.get(i) or _render_view(v, fmt, options) for i, v in enumerate(views)]
    return DiagramResult(tuple(files), aggregated)


def _render_together(views: list[View], options: DiagramOptions) -> dict[int, RenderedFile]:
    """SVG views laid out in one Graphviz run per engine, each in its first style.

    Starting ``dot`` costs about 20 ms of CPU, a third of what it then spends on a folded view:
    the 16 views of a 240-system estate took 0.83 s in 16 runs and 0.52 s in one, with the same
    drawings (compared: the same coordinates; only the order of two groups of elements and the
    graph's element id differ in the file). A view the shared run did not draw (Graphviz
    refused one of them, or ran out of time) is drawn on its own afterwards, through its
    fallbacks, by ``_render_view``. Returns the views drawn, by their index in ``views``."""
    batches: dict[str, list[tuple[int, str]]] = {}
    for i, view in enumerate(views):
        engine = choose_engine(view.scene, options)
        style = style_ladder(view.scene, engine, options)[0][0]
        batches.setdefault(engine, []).append((i, to_dot(view.scene, style)))
    done: dict[int, RenderedFile] = {}
    for engine, batch in batches.items():
        if len(batch) < 2:
            continue
        start = time.perf_counter()
        documents = layout_together([source for _, source in batch], engine,
                                    options.limits.timeout_seconds)
        if documents is None:
            continue
        seconds = time.perf_counter() - start
        size = sum(len(source) for _, source in batch)
        for (i, source), document in zip(batch, documents):
            view = views[i]
            _write(view.path, document)
            # The run's time shared out by the size of each view's source.
            done[i] = RenderedFile(view.path, view.kind, view.group, engine, view.scene.size,
                                   seconds * len(source) / size, _why(view, options), True)
    return done


def layout_together(sources: list[str], engine: str, timeout: float) -> list[bytes] | None:
    """The SVG documents Graphviz makes of ``sources`` in one run, in order; None when it
    refused any of them or took longer than ``timeout``."""
    exe = graphviz_program(engine)
    try:
        proc = subprocess.run([exe, "-Tsvg"], input="".join(sources).encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return None
    if proc.returncode != 0:
        return None
    # Each graph's SVG is a whole document, one after the other. Client text cannot open one:
    # Graphviz writes "<" in text and attributes as "&lt;".
    documents = [b"<?xml" + part for part in proc.stdout.split(b"<?xml")[1:]]
    return documents if len(documents) == len(sources) else None


def choose_engine(scene: Scene, options: DiagramOptions) -> str:
    if options.layout != "auto":
        return options.layout
    return "sfdp" if too_big_for_dot(scene, options.limits) else "dot"


def too_big_for_dot(scene: Scene, limits: LayoutLimits) -> str:
    """Why ``dot`` would take too long on ``scene`` (empty when it would not)."""
    if scene.size > limits.dot_max_nodes:
        return f"{scene.size:,} nodes, more than dot lays out quickly ({limits.dot_max_nodes:,})"
    if len(scene.edges) > limits.dot_max_lines:
        return (f"{len(scene.edges):,} lines, more than dot lays out quickly "
                f"({limits.dot_max_lines:,})")
    return ""


def wants_clusters(scene: Scene, options: DiagramOptions) -> bool:
    if options.clusters is not None:
        return options.clusters
    if len(scene.clusters) == 1:  # a detail view: its one box names the group it details
        return True
    systems = sum(1 for n in scene.nodes if n.kind == "system")
    return systems <= options.limits.cluster_max_systems


def style_ladder(scene: Scene, engine: str, options: DiagramOptions) -> list[tuple[DotStyle, str]]:
    """Styles to try in order, each with a note saying what was given up."""
    if engine != "dot":
        return [(DotStyle(engine=engine, clusters=False, edge_labels="none"), "")]
    # A folded view links most of its nodes to most others: capping dot's passes there cost
    # nothing we could see (compared side by side at 2,400 systems) and saves 15 % of its time.
    fast = len(scene.edges) > options.limits.dense_edges or scene.folded
    if not scene.clusters or not wants_clusters(scene, options):
        # Plain edge labels are safe (and tidier) without clusters.
        return [(DotStyle(clusters=False, edge_labels="label", fast=fast), "")]
    return [(DotStyle(fast=fast), ""),
            (DotStyle(edge_labels="xlabel", fast=fast), "edge labels placed after layout"),
            (DotStyle(clusters=False, edge_labels="xlabel", fast=fast), "no role clusters")]


def _render_view(view: View, fmt: str, options: DiagramOptions) -> RenderedFile:
    engine = choose_engine(view.scene, options)
    start = time.perf_counter()
    ladder = style_ladder(view.scene, engine, options)
    why = _why(view, options)
    if fmt == "dot":  # DOT source needs no layout, hence no Graphviz
        _write(view.path, to_dot(view.scene, ladder[0][0]).encode("utf-8"))
        return RenderedFile(view.path, view.kind, view.group, engine, view.scene.size,
                            time.perf_counter() - start, why)
    errors: list[str] = []
    for style, note in ladder:
        try:
            run_graphviz(to_dot(view.scene, style), engine, fmt, view.path,
                         options.limits.timeout_seconds)
        except GraphvizLayoutError as exc:
            errors.append(exc.stderr)
            continue
        return RenderedFile(view.path, view.kind, view.group, engine, view.scene.size,
                            time.perf_counter() - start, "; ".join(n for n in (why, note) if n))
    detail = errors[-1].strip().splitlines()[0] if errors and errors[-1].strip() else "no output"
    raise RenderError(f"Graphviz ({engine}) could not lay out {view.path.name}: {detail}",
                      hint="try --layout sfdp or --aggregate, or write --output x.dot and "
                           "inspect it")


def _why(view: View, options: DiagramOptions) -> str:
    """Said with the file: what the view folded, and why it has straight unlabelled lines."""
    why = too_big_for_dot(view.scene, options.limits) if options.layout == "auto" else ""
    why = f"sfdp: {why}; straight lines, no labels or boxes" if why else ""
    return "; ".join(n for n in (view.note, why) if n)


class GraphvizLayoutError(Exception):
    """Graphviz ran and refused this layout; another style may still work."""

    def __init__(self, stderr: str) -> None:
        super().__init__(stderr)
        self.stderr = stderr


def graphviz_program(engine: str) -> str:
    exe = shutil.which(engine)
    if exe is None:
        raise RenderError(f"Graphviz's '{engine}' program was not found on PATH",
                          hint=INSTALL_HINT)
    return exe


def run_graphviz(source: str, engine: str, fmt: str, target: Path, timeout: float) -> None:
    """Lay out ``source`` with ``engine`` into ``target``; the file appears only when complete."""
    _write(target, layout(source, engine, fmt, target.name, timeout))


def layout(source: str, engine: str, fmt: str, name: str, timeout: float) -> bytes:
    """What Graphviz's ``engine`` makes of ``source`` in ``fmt`` (read from its output)."""
    exe = graphviz_program(engine)
    try:
        proc = subprocess.run([exe, f"-T{fmt}"], input=source.encode("utf-8"),
                              capture_output=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise RenderError(
            f"Graphviz ({engine}) took longer than {timeout:.0f} s on {name}",
            hint="large ecosystems draw faster with --aggregate or --layout sfdp") from None
    if proc.returncode != 0 or not proc.stdout:
        raise GraphvizLayoutError(proc.stderr.decode("utf-8", "replace"))
    return proc.stdout


def _write(path: Path, data: bytes) -> None:
    from auditor.store.yaml_file import atomic_write

    atomic_write(path, data, backup=False, error=RenderError)


def with_limits(options: DiagramOptions, **changes: Any) -> DiagramOptions:
    """``options`` with some limits changed (the CLI's --aggregate-above)."""
    return replace(options, limits=replace(options.limits, **changes))


def draw_analysis(analysis: Analysis, output: Path | str,
                  options: DiagramOptions | None = None,
                  highlights: Highlights | None = None) -> DiagramResult:
    """The analysis' graph with what its findings point at highlighted (or ``highlights``).

    The report and the CLI both come through here, so a diagram looks the same wherever it is
    drawn; nothing is recomputed (the graph and the findings are the analysis' own).
    """
    if highlights is None:
        highlights = Highlights.from_findings(analysis.assessment.findings)
    return render_diagram(analysis.graph, output, options or DiagramOptions(), highlights)


def draw_graph(audit: Audit, output: Path | str,
               options: DiagramOptions | None = None) -> DiagramResult:
    """The ecosystem alone, no findings (no analysis needed): ``graph --no-findings``."""
    from auditor.graph.build import build_graph

    options = options or DiagramOptions()
    return render_diagram(build_graph(audit, include_planned=options.what_if), output, options)
