"""`auditor backtrack`: from what each segment needs back to the systems and flows serving it.

The command loads the audit, calls ``auditor.backtracking.backtrack`` once and renders
the result: a tree per segment and need (default), or the chain table (``--table``), then the
to-build list. Everything fits 80 columns; client text reaches rich's markup parser only
escaped.
"""

from __future__ import annotations

import re

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from auditor.cli import app, console
from auditor.cli.demo_steps import demo_step

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from auditor.analysis.assess import Analysis
    from auditor.schema.audit import Audit
    from auditor.render.report.names import Names
    from auditor.schema.backtrack import BacktrackResult, Chain, Link

MARKS = {"ok": ("✓", "ok"), "partial": ("◐", "warn"), "missing": ("✗", "bad")}
UNBLOCKS_SHOWN = 6


@app.command()
def backtrack(
    audit: Annotated[Path, typer.Argument(help="The audit file (YAML).", metavar="AUDIT")],
    segment: Annotated[Optional[str], typer.Option(
        "--segment", "-s", metavar="ID", help="Only this segment's needs.")] = None,
    what_if: Annotated[bool, typer.Option(
        "--what-if", help="Count items marked 'status: planned' as built and show which "
                          "chains close.")] = False,
    json_output: Annotated[bool, typer.Option("--json", help="The result as JSON.")] = False,
    table: Annotated[bool, typer.Option(
        "--table", help="One row per link (segment, need, capability, system, data, source, "
                        "path, status) instead of a tree.")] = False,
) -> None:
    """Trace what each segment needs back to the capabilities, data and flows serving it."""
    from auditor.backtracking import backtrack as run_backtrack
    from auditor.store.audit_file import load_audit

    model = load_audit(audit)
    result = run_backtrack(model, segment=segment, include_planned=what_if)
    if json_output:
        typer.echo(result.model_dump_json(indent=2))
        return
    render(result, model, console.out, table=table)


def render(result: BacktrackResult, audit: Audit, out: Console, *, table: bool = False) -> None:
    """The whole human-readable report: chains (tree or table), to-build list, what-if."""
    from rich.markup import escape

    name = escape(audit.client.name)
    scope = f" (segment {escape(result.segment)})" if result.segment else ""
    mode = " [warn]what-if: planned items count as built[/warn]" if result.what_if else ""
    out.print(f"[bold]Backtracking[/bold] — {name}{scope}{mode}", soft_wrap=False)
    if not result.chains and not result.unspecified_needs:
        out.print("No needs to trace. Describe the segments and what they need under "
                  "[id]vision[/id] in the audit (or run the interview's vision section).")
        return
    if table:
        render_table(result, out)
    else:
        render_tree(result, audit, out)
    if result.unspecified_needs:
        ids = ", ".join(escape(n) for n in result.unspecified_needs)
        out.print(f"[warn]Needs naming no capability yet[/warn] (not traced): {ids}")
    render_to_build(result, audit, out)
    if result.what_if:
        render_changes(result, out)
    out.print(summary_line(result))


def summary_line(result: BacktrackResult) -> str:
    counts = {s: sum(1 for c in result.chains if c.status == s) for s in MARKS}
    n = len(result.chains)
    return (f"{n} chain{'s' if n != 1 else ''}: {counts['ok']} ok, {counts['partial']} partial, "
            f"{counts['missing']} missing · {len(result.to_build)} to build")


# The tree and the grouped table are written line by line from rich ``Text`` objects rather
# than through rich's Tree and Table: a vision of fifty segments gives thousands of lines, and
# building styled text directly is several times faster. ``Text`` is never parsed as
# markup, so client text needs no escaping here.


def _mark(status: str) -> Text:
    from rich.text import Text

    symbol, style = MARKS[status]
    return Text(symbol, style=style)


_QUOTED_ID = re.compile(r"'([a-z0-9][a-z0-9_.-]*)'")


def _gap_text(link: Link, names: Names) -> list[tuple[str, str] | str]:
    if not link.gap:
        return []
    # The tracer's detail quotes ids ('hubspot'); the reader knows the names.
    detail = _QUOTED_ID.sub(lambda m: names(m.group(1)), link.detail)
    return [" ", (link.gap, MARKS[link.status][1]), (f" — {detail}", "muted")]


def _link_label(link: Link, names: Names) -> Text:
    """One line per link: what it is, where the data comes from, and what is wrong."""
    from rich.text import Text

    from auditor.schema.backtrack import latency_name

    parts: list[tuple[str, str] | str] = [" "]
    if link.kind in ("data", "flow"):
        parts.append(names(link.datum) if link.datum else "")
        if link.kind == "data" and link.source:
            parts.append(f" mastered in {names(link.source)}")
        elif link.source:
            parts.append(f" ← {names(link.source)}")
        if link.kind == "flow" and len(link.path) > 1:
            route = " → ".join(names.many(link.path))
            parts.append((f" via {route} ({latency_name(link.latency)})", "muted"))
    elif link.kind == "touchpoint":
        parts.append(f"channel {names(link.channel) if link.channel else ''}")
        if link.ok:
            parts.append(f": {names(link.touchpoint) if link.touchpoint else ''} on "
                         f"{names(link.system) if link.system else ''}")
    elif link.kind == "skill":
        parts.append("skills")
    else:
        parts.append(_QUOTED_ID.sub(lambda m: names(m.group(1)), link.detail))
    return Text.assemble(_mark(link.status), *parts, *_gap_text(link, names))


def _capability_label(chain: Chain, names: Names) -> Text:
    from rich.text import Text

    capability = names(chain.capability)
    if chain.provider is None:
        head = chain.links[0]
        return Text.assemble(_mark(chain.status), f" {capability}", *_gap_text(head, names))
    others = [c for c in chain.candidates if c.system != chain.provider]
    also: list[tuple[str, str]] = []
    if others:
        listed = ", ".join(f"{names(c.system)} {c.gaps} open" for c in others[:3])
        more = " …" if len(others) > 3 else ""
        also = [(f" (also provided by {listed}{more})", "muted")]
    return Text.assemble(_mark(chain.status), f" {capability} on {names(chain.provider)}",
                         *also)


Node = tuple["Text", list["Node"]]


def _write_tree(lines: list[Text], out: Console, label: Text, children: list[Node]) -> None:
    """Append ``label`` and its children with tree guides, wrapping long labels in place."""
    from rich.text import Text

    def emit(text: Text, first: Text, rest: Text) -> None:
        # continuation lines sit deeper than the first (under the child guide): fit those
        room = max(out.width - max(first.cell_len, rest.cell_len), 20)
        parts = [text] if text.cell_len <= room else list(text.wrap(out, room))
        for i, part in enumerate(parts):
            part.rstrip()
            lines.append(Text.assemble(first if i == 0 else rest, part))

    def walk(kids: list[Node], indent: Text) -> None:
        for i, (text, grandchildren) in enumerate(kids):
            last = i == len(kids) - 1
            first = Text.assemble(indent, ("└── " if last else "├── ", "muted"))
            below = Text.assemble(indent, ("    " if last else "│   ", "muted"))
            cont = Text.assemble(below, ("│   " if grandchildren else "    ", "muted"))
            emit(text, first, cont)
            walk(grandchildren, below)

    emit(label, Text(), Text("│   " if children else "", style="muted"))
    walk(children, Text())


def render_tree(result: BacktrackResult, audit: Audit, out: Console) -> None:
    from rich.text import Text

    from auditor.schema.backtrack import latency_name

    from auditor.render.report.names import names_of

    names = names_of(audit, _capability_names())
    segments = {s.id: s for s in audit.vision.segments}
    needs = {n.id: n for n in audit.vision.needs}
    by_segment: dict[str, dict[str, list[Chain]]] = {}
    for chain in result.chains:
        by_segment.setdefault(chain.segment, {}).setdefault(chain.need, []).append(chain)
    lines: list[Text] = []
    for seg_id in sorted(by_segment):
        seg = segments.get(seg_id)
        facts: list[str] = [seg.kind] if seg else []
        if seg and seg.size is not None:
            facts.append(f"{seg.size:,} people")
        # Names lead; the id stays (muted) because this view is also the consultant's trace.
        head = Text.assemble((seg.name if seg else seg_id, "bold"), (f" [{seg_id}]", "muted"),
                             (f" ({', '.join(facts)})", "muted"))
        need_nodes: list[Node] = []
        for need_id, chains in sorted(by_segment[seg_id].items()):
            need = needs.get(need_id)
            limits = []
            if need and need.channel:
                limits.append(f"on {names(need.channel)}")
            if chains[0].max_latency is not None:
                limits.append(f"within {latency_name(chains[0].max_latency)}")
            extra = (f" ({', '.join(limits)})", "muted") if limits else ""
            need_text = Text.assemble(_mark(_worst(chains)), " ", need.name if need else need_id,
                                      (f" [{need_id}]", "muted"), extra)
            cap_nodes: list[Node] = [
                (_capability_label(c, names),
                 [(_link_label(link, names), []) for link in (c.links[1:] if c.provider else ())])
                for c in chains]
            need_nodes.append((need_text, cap_nodes))
        _write_tree(lines, out, head, need_nodes)
    out.print(Text("\n").join(lines), soft_wrap=True)


def _capability_names() -> dict[str, str]:
    """Capability ids of the product catalogue with their names (an audit may name its own)."""
    from auditor.catalogue import load_catalogue

    return dict(load_catalogue().products.capability_names)


def _worst(chains: list[Chain]) -> str:
    statuses = {c.status for c in chains}
    return next(s for s in ("missing", "partial", "ok") if s in statuses or s == "ok")


def table_rows(result: BacktrackResult) -> list[tuple[str, ...]]:
    """The chain table of DOMAIN.md §5: one row per link below the capability."""
    rows: list[tuple[str, ...]] = []
    for chain in result.chains:
        head = (chain.segment, chain.need, chain.capability)
        if chain.provider is None:
            rows.append((*head, "–", "–", "–", "–", chain.links[0].gap or "missing"))
            continue
        for link in chain.links[1:]:
            status: str = link.gap or "ok"
            if link.status == "partial" and link.gap == "missing-flow":
                status = "missing-flow (partial)"
            path = "→".join(link.path) if len(link.path) > 1 else "–"
            if link.kind == "touchpoint":
                data, source = f"channel {link.channel}", link.touchpoint or "–"
            elif link.kind == "skill":
                data, source = "skills", "–"
            else:
                data, source = link.datum or "–", link.source or "–"
            rows.append((*head, chain.provider, data, source, path, status))
    return rows


TABLE_HEADERS = ("segment", "need", "capability", "system", "data", "source", "path", "status")


def _status_style(status: str) -> str:
    if status == "ok":
        return "ok"
    return "warn" if "partial" in status or status == "too-slow" else "bad"


def _grid_lines(cells: tuple[str, ...], widths: list[int], styles: tuple[str, ...]) -> list[Text]:
    """One table row as lines: each cell folded to its column's width, columns one space apart."""
    from rich.text import Text

    folded = [_fold(cell, w) for cell, w in zip(cells, widths)]
    lines = []
    for n in range(max(len(f) for f in folded)):
        line = Text()
        for col, (pieces, width, style) in enumerate(zip(folded, widths, styles)):
            piece = pieces[n] if n < len(pieces) else ""
            line.append(piece.ljust(width) if col < len(widths) - 1 else piece, style=style)
            if col < len(widths) - 1:
                line.append(" ")
        line.rstrip()
        lines.append(line)
    return lines


def render_table(result: BacktrackResult, out: Console) -> None:
    """The chain table. When the eight columns fit the terminal, one flat table; otherwise
    (an 80-column terminal, long ids) each chain gets a heading line 'segment › need ›
    capability' above aligned rows of the remaining five columns."""
    from rich.text import Text

    rows = table_rows(result)
    natural = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(TABLE_HEADERS)]
    plain = ("",) * (len(TABLE_HEADERS) - 1)
    lines: list[Text] = []
    if sum(natural) + len(natural) - 1 <= out.width:
        lines += _grid_lines(TABLE_HEADERS, natural, ("bold",) * len(TABLE_HEADERS))
        lines.append(Text("─" * (sum(natural) + len(natural) - 1), style="muted"))
        for row in rows:
            lines += _grid_lines(row, natural, (*plain, _status_style(row[-1])))
    else:
        widths = _fit(natural[3:], out.width)
        lines += _grid_lines(TABLE_HEADERS[3:], widths, ("bold",) * 5)
        lines.append(Text("─" * min(out.width, sum(widths) + len(widths) - 1), style="muted"))
        heading = None
        for row in rows:
            if row[:3] != heading:
                heading = row[:3]
                title = Text(" › ".join(heading), style="id")
                lines += list(title.wrap(out, out.width)) if title.cell_len > out.width else [title]
            lines += _grid_lines(row[3:], widths, (*plain[:4], _status_style(row[-1])))
    out.print(Text("\n").join(lines), soft_wrap=True)


_BREAKS = "-→ ,/"


def _fold(cell: str, width: int) -> list[str]:
    """``cell`` in pieces of at most ``width``, cut after '-', '→', a space or a comma where
    one is near the end, so ids and paths break where a reader expects them to."""
    pieces = []
    rest = cell
    while len(rest) > width:
        cut = max((i + 1 for i, ch in enumerate(rest[:width]) if ch in _BREAKS), default=0)
        if cut <= width // 3:  # no natural break close enough: cut the word
            cut = width
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    pieces.append(rest)
    return pieces


def _fit(widths: list[int], available: int) -> list[int]:
    """Shrink the widest columns one character at a time until they fit (never below 6). The
    last column, the status, gives way only when nothing else can: it is the one to read."""
    widths = list(widths)
    while sum(widths) + len(widths) - 1 > available:
        others = widths[:-1]
        if max(others) > 6:
            widest = others.index(max(others))
        elif widths[-1] > 6:
            widest = len(widths) - 1
        else:
            break
        widths[widest] -= 1
    return widths


def render_to_build(result: BacktrackResult, audit: Audit, out: Console) -> None:
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from auditor.catalogue import load_catalogue
    from auditor.render.build_items import build_sentence
    from auditor.render.labels import BUILD_KIND_LABELS
    from auditor.render.report.names import names_of

    if not result.to_build:
        out.print("[ok]Nothing to build:[/ok] every traced chain closes.")
        return
    grid = Table(title="To build", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False,
                 padding=(0, 1))
    grid.add_column("#", justify="right")
    grid.add_column("what", overflow="fold", ratio=3)
    grid.add_column("unblocks", overflow="fold", ratio=2)
    grid.add_column("remedy")
    names = names_of(audit, _capability_names())
    remedies = {r.id: r.title for r in load_catalogue().remedies}
    numbers = {f"{item.kind}:{item.target}": n for n, item in enumerate(result.to_build, 1)}
    for number, item in enumerate(result.to_build, 1):
        what = (f"[bold]{BUILD_KIND_LABELS[item.kind]}[/bold]: "
                f"{escape(build_sentence(item, names))}")
        if item.after:
            first = ", ".join(f"#{numbers[a]}" if a in numbers else escape(a) for a in item.after)
            what += f" [muted](after {first})[/muted]"
        # The JSON lists every need; the terminal shows the first few so rows stay readable.
        shown = "; ".join(names.many(item.unblocks[:UNBLOCKS_SHOWN]))
        if len(item.unblocks) > UNBLOCKS_SHOWN:
            shown += f" +{len(item.unblocks) - UNBLOCKS_SHOWN} more"
        remedy = remedies.get(item.remedy, item.remedy) if item.remedy else "–"
        grid.add_row(str(number), what, escape(shown), escape(remedy))
    out.print(grid)


def render_changes(result: BacktrackResult, out: Console) -> None:
    """With --what-if: which chains the planned items close, and which they only change."""
    from rich.text import Text

    if not result.changes:
        out.print("No chain changes status when the planned items are counted.")
        return
    closed = sum(1 for c in result.changes if c.after == "ok")
    others = len(result.changes) - closed
    head = Text.assemble(("With the planned items", "bold"),
                         f", {closed} chain{'s' if closed != 1 else ''} "
                         f"close{'s' if closed == 1 else ''}")
    if others:
        plural = others != 1
        head.append(f" and {others} other{'s' if plural else ''} change{'' if plural else 's'}")
    head.append(":")
    out.print(head)
    for change in result.changes:
        before = change.before or "not traced today"
        out.print(Text.assemble("  ", _mark(change.after),
                                f" {change.segment} / {change.need} / {change.capability}: "
                                f"{before} → {change.after}"))


@demo_step
def demo_backtrack(analysis: Analysis, output_dir: Path) -> None:
    """Demo stage: write backtrack.json (the analysis' own trace) and print one line about it."""
    from auditor.store.yaml_file import atomic_write

    result = analysis.assessment.backtracking
    assert result is not None  # the analysis always traces
    target = output_dir / "backtrack.json"
    atomic_write(target, (result.model_dump_json(indent=2) + "\n").encode())
    if not result.chains:
        console.out.print("Backtracking: the example has no vision to trace.")
        return
    console.out.print(f"[ok]✓[/ok] backtracking: {summary_line(result)} → {target}")
