"""Terminal views of the plan: the roadmap and the five-component blueprint.

They render what the assessment already holds into the Console they are given (tests use a
StringIO console 80 columns wide); nothing is computed here. Client text is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from auditor.cli.analysis_view import _indented
from auditor.schema.blueprint import Blueprint, ComponentBlueprint
from auditor.schema.roadmap import Roadmap, RoadmapItem

EFFORT = {"S": "small", "M": "medium", "L": "large", "XL": "very large"}


def _count(n: int | None) -> str:
    return "–" if n is None else f"{n:,}"


def _reach(item: RoadmapItem) -> str:
    r = item.reach
    parts = []
    if r.interactions_per_year:
        share = f" ({r.share:.0%} of all)" if r.share is not None else ""
        parts.append(f"{_count(r.interactions_per_year)} interactions a year{share}")
    if r.people:
        parts.append(f"{_count(r.people)} people")
    return ", ".join(parts) or "not measured in the audit"


def _item(out: Console, item: RoadmapItem, titles: dict[str, str]) -> None:
    mark = " [ok]quick win[/ok]" if item.quick_win else ""
    sev = f" [{item.severity}]{item.severity}[/{item.severity}]" if item.severity else ""
    # A person reads titles; the remedy id stays in --json.
    out.print(f"  [bold]{escape(item.title)}[/bold]{sev}{mark}")
    if item.why:
        _indented(out, Text("Why:"), 4)
        for reason in item.why[:5]:
            _indented(out, Text(reason.headline), 6, bullet="• ")
        if len(item.why) > 5:
            _indented(out, Text(f"… and {len(item.why) - 5} more"), 8)
    elif item.included == "prerequisite":
        _indented(out, Text("Why: needed first, and nothing in the audit shows it is in place."), 4)
    elif item.included == "audit":
        _indented(out, Text("Why: the audit asks for it (roadmap.include)."), 4)
    if item.unblocks:
        needs = "; ".join(f"{u.segment_name}: {u.name}" if u.segment_name else u.name
                          for u in item.unblocks)
        _indented(out, Text(f"Unblocks: {needs}"), 4)
    if item.system_names:
        _indented(out, Text(f"Systems: {', '.join(item.system_names)}"), 4)
    for r in item.retiring:
        instead = (f"work moves to {r.successor_name} ({r.basis})" if r.successor_name
                   else "retire it")
        _indented(out, Text(f"Not invested in: {r.name} is marked {r.lifecycle}; {instead}."), 4)
    owner = f"{item.owner_name} ({item.owner_basis})" if item.owner_name else item.owner_basis
    _indented(out, Text(f"Owner: {owner}"), 4)
    after = "; ".join(titles.get(rid, rid) for rid in item.after)
    _indented(out, Text(f"Effort: {EFFORT.get(item.effort, item.effort)}; reach: "
                        f"{_reach(item)}" + (f"; after {after}" if after else "")), 4)


def render_roadmap(client: str, roadmap: Roadmap, out: Console,
                   findings: Mapping[str, str] | None = None) -> None:
    """The roadmap with titles and names; ``findings`` (key -> message) words the findings
    no remedy covers (their keys are shown only when no message is given)."""
    titles = remedy_titles(roadmap)
    n = len(roadmap.items)
    if not n:
        out.print(f"[bold]{escape(client)}[/bold]: no finding calls for a remedy yet, so the "
                  f"roadmap is empty.")
    else:
        out.print(f"[bold]{escape(client)}[/bold]: {n} roadmap item{'s' if n != 1 else ''} in "
                  f"{len(roadmap.phases)} phase{'s' if len(roadmap.phases) != 1 else ''}")
    if roadmap.next_90_days:
        out.print()
        out.rule("[bold]Next 90 days[/bold]", align="left")
        for rid in roadmap.next_90_days:
            item = roadmap.item(rid)
            if item is not None:
                quick = " (quick win)" if item.quick_win else ""
                _indented(out, Text(f"{item.title}{quick}"), 2, bullet="• ")
    for phase in roadmap.phases:
        out.print()
        out.rule(f"[bold]Phase {phase.number}[/bold]", align="left")
        for rid in phase.items:
            item = roadmap.item(rid)
            if item is not None:
                _item(out, item, titles)
    if roadmap.prerequisites:
        out.print()
        out.rule("[bold]Already in place[/bold]", align="left")
        for p in roadmap.prerequisites:
            state = "done" if p.status == "done" else "in place"
            needed = _needed_by(p.needed_by, roadmap, titles)
            _indented(out, Text(f"{p.title} ({state}; needed by {needed})"), 2)
            for line in p.evidence:
                _indented(out, Text(line, style="muted"), 4, bullet="• ")
    if roadmap.dismissed:
        n = len(roadmap.dismissed)
        out.print()
        _indented(out, Text(f"Not counted: {n} finding{'s' if n != 1 else ''} dismissed in the "
                            f"audit (auditor gaps --show-dismissed lists "
                            f"{'them' if n != 1 else 'it'})."), 0)
    if roadmap.uncovered:
        out.print()
        out.print("For discussion (no remedy in the catalogue):")
        for key in roadmap.uncovered:
            _indented(out, Text((findings or {}).get(key, key)), 2, bullet="• ")


def _needed_by(needed: tuple[str, ...], roadmap: Roadmap, titles: dict[str, str]) -> str:
    """What needs a prerequisite, short enough to read: every item, or the first two titles
    and how many more."""
    if len(needed) > 1 and set(needed) == {i.remedy for i in roadmap.items}:
        return "every item on the roadmap"
    named = [titles.get(rid, rid) for rid in needed]
    if len(named) > 3:
        return f"{named[0]}; {named[1]} and {len(named) - 2} more items"
    return "; ".join(named)


def remedy_titles(roadmap: Roadmap) -> dict[str, str]:
    """Remedy id -> title for every remedy the roadmap names (items and prerequisites)."""
    return {**{p.remedy: p.title for p in roadmap.prerequisites},
            **{i.remedy: i.title for i in roadmap.items}}


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def render_component(comp: ComponentBlueprint, out: Console) -> None:
    out.print()
    out.rule(f"[bold]{escape(comp.name)}[/bold]", align="left")
    m = comp.maturity
    stage = f" ({escape(m.stage)})" if m.stage else ""
    target = ""
    if m.target is not None:
        source = "set by the client" if m.target_source == "audit" else "the next stage"
        target = f"; target {m.target}" + (f" {escape(m.target_stage)}" if m.target_stage else "") \
            + f" ({source})"
    rated = (f"Maturity {_score(m.current)} of 4{stage}" if m.current is not None
             else "Maturity not rated (nobody answered its questions)")
    out.print(f"{rated}{target}")
    out.print("[bold]Current state[/bold]")
    for fact in comp.facts:
        _indented(out, Text(fact.text), 2, bullet="• ")
    if m.holding_down:
        out.print("[bold]Holding it down[/bold]")
        for reason in m.holding_down[:6]:
            _indented(out, Text(f"{reason.headline} ({reason.severity})"), 2, bullet="• ")
        if len(m.holding_down) > 6:
            _indented(out, Text(f"… and {len(m.holding_down) - 6} more"), 4)
    if comp.target_state:
        out.print("[bold]Target state[/bold]")
        for st in comp.target_state:
            _indented(out, Text(f"{st.text}"), 2, bullet="• ")
    if comp.recommendations:
        out.print("[bold]Recommendations[/bold]")
        for rec in comp.recommendations:
            phase = f"phase {rec.phase}: " if rec.phase else ""
            _indented(out, Text(f"{phase}{rec.text}"), 2, bullet="• ")


def render_blueprint(client: str, blueprint: Blueprint, out: Console) -> None:
    out.print(f"[bold]{escape(client)}[/bold]: blueprint in "
              f"{len(blueprint.components)} component{'s' if len(blueprint.components) != 1 else ''}")
    for comp in blueprint.components:
        render_component(comp, out)


def render_phase_table(roadmap: Roadmap, out: Console) -> None:
    """A compact phase × item table (used by the demo)."""
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("Phase", justify="right", no_wrap=True)
    table.add_column("Items", overflow="fold")
    titles = remedy_titles(roadmap)
    for phase in roadmap.phases:
        table.add_row(str(phase.number), escape("; ".join(titles.get(r, r) for r in phase.items)))
    out.print(table)
