"""Terminal views of a comparison between two audits and of a portfolio benchmark.

They render what the library computed into the Console they are given; nothing is computed
here beyond formatting. Client text is escaped.
"""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from auditor.cli.analysis_view import _indented
from auditor.schema.progress import Benchmark, Comparison, ScoreDelta


def _num(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _signed(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:+.1f}" if value else "0.0"


def _score_table(rows: tuple[ScoreDelta, ...], first: str, out: Console) -> None:
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column(first, overflow="fold")
    table.add_column("Before", justify="right")
    table.add_column("After", justify="right")
    table.add_column("Change", justify="right")
    table.add_column("Self-rated", justify="right")
    for r in rows:
        self_part = (f"{_num(r.self_before)}→{_num(r.self_after)}"
                     if r.self_before is not None or r.self_after is not None else "")
        label = f"{r.id.upper()} {r.name}" if r.id.startswith("q") else r.name
        table.add_row(escape(label), _num(r.before), _num(r.after), _signed(r.delta),
                      self_part)
    out.print(table)


def render_comparison(c: Comparison, out: Console) -> None:
    when = f"{c.before.date or '?'} → {c.after.date or '?'}"
    out.print(f"[bold]{escape(c.client_after)}[/bold]: {when}; overall maturity "
              f"{_num(c.overall.before)} → {_num(c.overall.after)} ({_signed(c.overall.delta)})")
    if c.client_before != c.client_after:
        out.print(f"[warn]The audits name different clients[/warn]: "
                  f"{escape(c.client_before)} and {escape(c.client_after)}.")
    out.print()
    out.rule("[bold]Scores[/bold]", align="left")
    _score_table(c.components, "Component", out)
    out.print()
    _score_table(c.questions, "Question", out)
    out.print()
    out.rule("[bold]Findings[/bold]", align="left")
    out.print(f"{len(c.findings_resolved)} resolved, {len(c.findings_new)} new, "
              f"{len(c.findings_persisting)} persisting.")
    for title, items in (("Resolved", c.findings_resolved), ("New", c.findings_new)):
        if items:
            out.print(f"[bold]{title}[/bold]")
            for f in items:
                _indented(out, Text(f"{f.rule} ({f.severity}) {f.message}"), 2, bullet="• ")
    worse = [f for f in c.findings_persisting
             if f.severity_before and f.severity_before != f.severity]
    if worse:
        out.print("[bold]Persisting, with a new severity[/bold]")
        for f in worse:
            _indented(out, Text(f"{f.rule} {f.severity_before} → {f.severity}: {f.message}"),
                      2, bullet="• ")
    if c.inventory or c.systems_changed:
        out.print()
        out.rule("[bold]Inventory[/bold]", align="left")
        for change in c.inventory:
            if change.added:
                _indented(out, Text(f"{change.kind} added: {', '.join(change.added_names)}"), 2,
                          bullet="• ")
            if change.removed:
                word = "retired" if change.kind == "systems" else "removed"
                _indented(out, Text(f"{change.kind} {word}: {', '.join(change.removed_names)}"),
                          2, bullet="• ")
        for s in c.systems_changed:
            _indented(out, Text(f"{s.name}: {s.field} {', '.join(s.before) or 'none'} → "
                                f"{', '.join(s.after) or 'none'}"), 2, bullet="• ")
        for rename in c.possible_renames:
            _indented(out, Text(f"Possibly renamed: {rename.kind} '{rename.removed}' → "
                                f"'{rename.added}' (both named {rename.name}); matched by id, "
                                f"so shown as removed and added."), 2, bullet="• ")
    if c.chains_closed or c.chains_opened or c.chains_still_open:
        out.print()
        out.rule("[bold]Backtracking chains[/bold]", align="left")
        for title, chains in (("Closed", c.chains_closed), ("Opened", c.chains_opened),
                              ("Still open", c.chains_still_open)):
            if chains:
                listed = "; ".join(f"{ch.name} ({ch.capability})" for ch in chains)
                _indented(out, Text(f"{title}: {listed}"), 2, bullet="• ")
    plan = c.roadmap
    if plan.done or plan.remaining or plan.new:
        out.print()
        out.rule("[bold]Roadmap[/bold]", align="left")
        for title, ids in (("Done", plan.done), ("Remaining", plan.remaining),
                           ("New", plan.new)):
            if ids:
                listed = "; ".join(plan.titles.get(i) or i for i in ids)
                _indented(out, Text(f"{title}: {listed}"), 2, bullet="• ")


def _code(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def render_benchmark(b: Benchmark, out: Console) -> None:
    out.print(f"[bold]Portfolio of {len(b.clients)} audits[/bold]"
              + ("" if b.named else " (anonymised; --names shows who is who)"))
    # Columns are headed A, B, C…: names would not fit 80 columns.
    codes = {c.label: _code(i) for i, c in enumerate(b.clients)}
    for client in b.clients:
        industry = f" ({escape(client.industry)})" if client.industry else ""
        source = f" [muted]{escape(client.source)}[/muted]" if client.source else ""
        label = escape(client.label) if not b.named else \
            f"{codes[client.label]} = {escape(client.label)}"
        _indented(out, Text.from_markup(f"{label}{industry}{source}"), 2, bullet="• ")
    for kind, title in (("component", "Components"), ("question", "Questions"),
                        ("overall", "Overall")):
        measures = [m for m in b.measures if m.kind == kind]
        if not measures:
            continue
        out.print()
        out.rule(f"[bold]{title}[/bold]", align="left")
        table = Table(box=None, pad_edge=False, show_edge=False)
        table.add_column("", overflow="fold")
        table.add_column("Median", justify="right")
        table.add_column("Q1–Q3", justify="right", no_wrap=True)
        for client in b.clients:
            table.add_column(codes[client.label], justify="right")
        for m in measures:
            by = {s.client: s for s in m.standings}
            cells = []
            for client in b.clients:
                s = by.get(client.label)
                cells.append("–" if s is None or s.value is None
                             else f"{s.value:.1f} #{s.rank}")
            label = f"{m.id.upper()} {m.name}" if kind == "question" else m.name
            table.add_row(escape(label), _num(m.all.median),
                          f"{_num(m.all.q1)}–{_num(m.all.q3)}", *cells)
        out.print(table)
    industries = sorted({i for m in b.measures for i in m.by_industry})
    if industries:
        out.print()
        out.rule("[bold]By industry[/bold]", align="left")
        overall = next(m for m in b.measures if m.kind == "overall")
        for ind in industries:
            d = overall.by_industry.get(ind)
            if d is not None:
                _indented(out, Text(f"{ind}: {d.n} clients, overall median {_num(d.median)}"),
                          2, bullet="• ")
    else:
        out.print()
        out.print(f"[muted]No industry has {b.min_industry} or more clients, so none is shown "
                  f"apart.[/muted]")
