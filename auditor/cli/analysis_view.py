"""Terminal views of the analysis: root causes, the gap list, the scores and the rule catalogue.

Each function renders into the Console it is given, so tests render into a StringIO console
80 columns wide and compare text. Client text is escaped: names may contain '[' or markup.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.markup import escape
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from auditor.analysis.gaps import GapList, lead_and_worst
from auditor.catalogue.wording import capital
from auditor.schema.assessment import Assessment, Finding, RootCause, RuleStatus, Scores
from auditor.schema.catalogue import RuleMeta


class _Hanging:
    """``text`` ``left`` columns in after ``bullet``, wrapped lines aligned under its first
    character: the lines a two-column ``Table.grid`` prints (same widths, same padding), for a
    fraction of its cost. A table measured and laid out per line was a fifth of a ``gaps``
    run on the demo (100 findings)."""

    def __init__(self, text: Text, left: int, bullet: str) -> None:
        self.text, self.left, self.bullet = text, left, bullet

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lead = self.left + cell_len(self.bullet)
        # The grid's second column: as wide as the longest line, at most what the first
        # column leaves of the line.
        widest = max((cell_len(line) for line in self.text.plain.splitlines()), default=0)
        width = max(min(widest, options.max_width - lead), 1)
        lines = console.render_lines(self.text, options.update(
            width=width, justify="left", no_wrap=False, overflow="fold", height=None,
            highlight=False), pad=True)
        first = Segment(" " * self.left + self.bullet)
        rest = Segment(" " * lead)
        for number, line in enumerate(lines):
            yield first if number == 0 else rest
            yield from line
            yield Segment.line()


def _indented(out: Console, text: Text, left: int, bullet: str = "") -> None:
    """Print ``text`` ``left`` columns in, wrapped lines aligned under its first character
    (a hanging indent, so bullets stand out)."""
    out.print(_Hanging(text, left, bullet))


def _label(severity: str) -> str:
    return f"[{severity}]{severity.upper()}[/{severity}]"


def _evidence(finding: Finding) -> str:
    ev = finding.evidence
    parts = []
    if ev.answers:
        parts.append("answers " + ", ".join(ev.answers))
    if ev.nodes:
        parts.append("items " + ", ".join(ev.nodes))
    if ev.edges:
        parts.append("flows " + ", ".join(ev.edges))
    return "; ".join(parts)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


#: Findings listed under one root cause in the terminal (``lead_and_worst``).
EVIDENCE_SHOWN = 10


def render_root_causes(gaps: GapList, out: Console) -> None:
    """Root causes, most severe first: headline, reach, the findings beneath as evidence and
    the one recommendation. Everything read here was written by the analysis."""
    counts = gaps.counts()
    total = sum(counts.values())
    summary = ", ".join(f"{n} {s}" for s, n in counts.items()) or "none"
    out.print(f"[bold]{escape(gaps.client)}[/bold]: "
              f"{_plural(len(gaps.root_causes), 'root cause')} behind "
              f"{_plural(total, 'finding')} ({summary})")
    by_key = {f.key: f for f in gaps.findings}
    for number, cause in enumerate(gaps.root_causes, 1):
        out.print()
        grid = Table.grid()
        grid.add_column(width=len(str(len(gaps.root_causes))) + 1, no_wrap=True)
        grid.add_column(width=9, no_wrap=True)
        grid.add_column(overflow="fold")
        grid.add_row(f"{number}", _label(cause.severity),
                     Text(cause.headline, style="bold"))
        out.print(grid)
        reach = _reach_text(cause)
        if reach:
            _indented(out, Text(f"Reach: {reach}", style="muted"), 2)
        findings = [by_key[k] for k in cause.findings if k in by_key]
        _indented(out, Text(f"Evidence ({_plural(len(findings), 'finding')}):"), 2)
        # On a large estate one cause can rest on thousands of findings; the terminal shows
        # the one its headline is about and the most severe, and says where the rest are.
        shown = lead_and_worst(findings, EVIDENCE_SHOWN)
        for f in shown:
            line = Text(f"{f.rule} ", style="id")
            line.append(f.severity, style=f.severity)
            line.append(f"  {f.message}")
            _indented(out, line, 4, bullet="• ")
        if len(shown) < len(findings):
            _indented(out, Text(f"… and {len(findings) - len(shown):,} more; "
                                f"'auditor gaps --by rule' lists every finding", style="muted"),
                      4)
        # A person reads the remedy's title; its id stays in --json (and the roadmap's).
        remedy = f" ({cause.remedy_title or cause.remedy})" if cause.remedy else ""
        _indented(out, Text(f"What to do{remedy}: {cause.recommendation}"), 2)
    _discussion(gaps, out)
    if gaps.not_assessed:
        out.print()
        out.rule("[bold]Not assessed[/bold] (the audit lacks their inputs)", align="left")
        for status in gaps.not_assessed:
            _indented(out, Text(f"{status.rule}: {status.reason}"), 2)


def _discussion(gaps: GapList, out: Console) -> None:
    if gaps.discussion:
        out.print()
        out.rule("[bold]For discussion[/bold] (respondents far apart)", align="left")
        for f in gaps.discussion:
            _indented(out, Text(f.message), 2, bullet="• ")


def _reach_text(cause: RootCause) -> str:
    reach = cause.reach
    if reach is None:
        return ""
    parts = []
    if reach.interactions_per_year:
        parts.append(f"{reach.interactions_per_year:,} interactions a year")
    if reach.people:
        parts.append(f"{reach.people:,} people in the segments concerned")
    return "; ".join(parts)
def _advice(out: Console, finding: Finding, left: int) -> None:
    _indented(out, Text(f"Why it matters: {finding.rationale}"), left)
    remedy = finding.remedy_title or finding.remedy
    shown = f" (remedy: {remedy})" if remedy else ""
    _indented(out, Text(f"Recommendation: {finding.recommendation}{shown}"), left)


def render_gaps(gaps: GapList, out: Console) -> None:
    counts = gaps.counts()
    total = sum(counts.values())
    summary = ", ".join(f"{n} {s}" for s, n in counts.items()) or "none"
    out.print(f"[bold]{escape(gaps.client)}[/bold]: {total} finding{'s' if total != 1 else ''} "
              f"({summary})")
    for comp in gaps.groups:
        out.print()
        out.rule(f"[bold]{escape(comp.name)}[/bold]", align="left")
        for group in comp.rules:
            out.print()
            out.print(f"[id]{group.rule}[/id] {_label(group.severity)} "
                      f"[bold]{escape(group.title)}[/bold]")
            # Advice is filled per finding; said once when every finding of the rule shares it.
            shared = len({(f.rationale, f.recommendation) for f in group.findings}) == 1
            for f in group.findings:
                mark = "" if f.severity == group.severity else f" ({f.severity})"
                _indented(out, Text(f"{f.message}{mark}"), 2, bullet="• ")
                evidence = _evidence(f)
                if evidence:
                    _indented(out, Text(f"Evidence: {evidence}", style="muted"), 4)
                # The key is what 'auditor dismiss' takes, so the terminal shows it too.
                _indented(out, Text(f"Key: {f.key}", style="muted"), 4)
                if not shared:
                    _advice(out, f, 4)
            if shared:
                _advice(out, group.findings[0], 2)
    _discussion(gaps, out)
    if gaps.not_assessed:
        out.print()
        out.rule("[bold]Not assessed[/bold] (the audit lacks their inputs)", align="left")
        for status in gaps.not_assessed:
            _indented(out, Text(f"{status.rule}: {status.reason}"), 2)


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def _staged(value: float | None, stage: str | None) -> str:
    return "–" if value is None else f"{value:.1f} ({stage})" if stage else f"{value:.1f}"


def _weakest(scores: Scores) -> str:
    by_id = {q.question: q for q in scores.questions}
    tied = scores.weakest_tied or ((scores.weakest,) if scores.weakest else ())
    named = [f"{q.upper()} {by_id[q].title}" for q in tied if q in by_id]
    if len(named) > 1:
        return f"weakest, tied at {_score(by_id[tied[0]].score)}: " + "; ".join(named)
    return f"weakest: {named[0]}" if named else ""


def render_scores(assessment: Assessment, out: Console,
                  names: dict[str, str] | None = None,
                  questions: dict[str, str] | None = None) -> None:
    """Self-rated and evidenced maturity side by side, then what each next stage requires.
    ``names`` turns respondent ids into the names people read, ``questions`` sub-question ids
    into the short titles sentences use."""
    named = names or {}
    asked = questions or {}
    scores = assessment.scores
    out.print(Text(assessment.client, "bold"))
    if scores.overall is None:
        out.print(Text("Self-rated: no rubric question answered yet"))
    else:
        head = f"Self-rated {_staged(scores.overall, scores.stage)} of 4"
        if scores.overall_tie is not None:
            low, high = scores.overall_tie
            head += f", a tie between {low:g} and {high:g}"
        if scores.confidence is not None:
            head += f" — {scores.confidence.describe()}"
        weakest = _weakest(scores)
        out.print(Text(head + (f"; {weakest}" if weakest else "")))
    ev = scores.evidenced
    out.print(Text(f"Evidenced {_staged(ev.level, ev.stage)} of 4"))
    if ev.next_stage and ev.next_requires:
        out.print(Text(f"The next stage, {ev.next_stage}, requires:"))
        for need in ev.next_requires:
            _indented(out, Text(need), 2, bullet="• ")
    out.print()
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("Question", overflow="fold", ratio=3)
    table.add_column("Self", justify="right")
    table.add_column("Score", justify="right")
    table.add_column("Evid.", justify="right")
    table.add_column("Answers: medians (spread)", overflow="fold", ratio=3)
    for q in scores.questions:
        subs = ", ".join(f"{s.question} {s.median:g}" + (
            f" (tie {s.tie[0]:g}/{s.tie[1]:g})" if s.tie else f" ({s.spread:g})" if s.spread
            else "") for s in q.subquestions)
        if q.confidence is not None and q.confidence.partial:
            subs += ("; " if subs else "") + f"{q.confidence.answered} of {q.confidence.of} answered"
        table.add_row(f"{q.question.upper()} {escape(q.title)}", _score(q.self_rating),
                      _score(q.score), _score(q.evidenced.level), escape(subs))
    out.print(table)
    _block(out, "[bold]Capped by findings[/bold]", [
        f"{q.question.upper()} self-rated {_score(q.self_rating)}, capped at {q.cap.max:g}: "
        f"{q.cap.reason} ({q.cap.rule})." for q in scores.questions if q.cap is not None])
    subs_all = [s for q in scores.questions for s in q.subquestions]
    _block(out, "[bold]Respondents disagree[/bold] (two levels or more apart)", [
        f"{capital(asked.get(s.question, s.question))}: "
        f"{', '.join(f'{named.get(r, r)} {v:g}' for r, v in s.levels.items())} "
        f"(median {s.median:g})" for s in subs_all if s.spread >= 2])
    _block(out, "[bold]Ties[/bold] (respondents split evenly; the median is the midpoint)", [
        f"{capital(asked.get(s.question, s.question))}: a tie between {s.tie[0]:g} and "
        f"{s.tie[1]:g}, shown as {s.median:g}"
        for s in subs_all if s.tie is not None])
    out.print()
    comp = Table(box=None, pad_edge=False, show_edge=False)
    comp.add_column("Component", overflow="fold")
    comp.add_column("Self", justify="right")
    comp.add_column("Score", justify="right")
    comp.add_column("Evid.", justify="right")
    comp.add_column("Target", justify="right")
    comp.add_column("Questions answered", overflow="fold")
    for c in scores.components:
        based = (f"{c.confidence.answered} of {c.confidence.of}"
                 if c.confidence is not None else "")
        comp.add_row(escape(c.name), _score(c.self_rating), _score(c.score),
                     _score(c.evidenced.level), "–" if c.target is None else str(c.target),
                     escape(based))
    out.print(comp)
    for c in scores.components:
        out.print()
        rated = ("self-rated " + _staged(c.score, c.stage)
                 + (f" — {c.confidence.describe()}" if c.confidence is not None else "")
                 if c.score is not None else "no self-rating (none of its questions answered)")
        parts = [rated,
                 f"evidenced {_staged(c.evidenced.level, c.evidenced.stage)}"]
        if c.target is not None:
            parts.append(f"target {c.target} ({c.target_stage})")
        out.print(Text.assemble((c.name, "bold"), ": " + "; ".join(parts)))
        if c.evidenced.penalty:
            n = len(c.evidenced.holding)
            _indented(out, Text(f"Held down {c.evidenced.penalty:g} by {n} root cause"
                                f"{'s' if n != 1 else ''} (evidence alone: {c.evidenced.reached})"), 2)
        in_the_way = _holding(assessment, c.evidenced.holding)
        if c.evidenced.next_stage and (c.evidenced.next_requires or in_the_way):
            _indented(out, Text(f"Next stage, {c.evidenced.next_stage}, requires:"), 2)
            for need in c.evidenced.next_requires:
                _indented(out, Text(need), 4, bullet="• ")
            for headline in in_the_way:
                _indented(out, Text(f"Resolve: {headline}"), 4, bullet="• ")


#: How many of the root causes holding a component down its next-stage advice names.
HOLDING_NAMED = 3


def _holding(assessment: Assessment, keys: Sequence[str]) -> list[str]:
    """The headlines of the first root causes (or findings) holding a level down."""
    said = {c.key: c.headline for c in assessment.root_causes}
    said.update((f.key, f.message) for f in assessment.findings if f.key not in said)
    return [said[k] for k in keys[:HOLDING_NAMED] if k in said]


def render_catalogue(metas: Sequence[RuleMeta], out: Console,
                     statuses: dict[str, RuleStatus] | None = None) -> None:
    from auditor.rules.engine import describe_need

    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("Rule", no_wrap=True)
    table.add_column("Title", overflow="fold", ratio=3)
    table.add_column("Severity", no_wrap=True)
    if statuses is None:
        table.add_column("Component", no_wrap=True)
        table.add_column("Needs", overflow="fold", ratio=2)
    else:
        table.add_column("On this audit", overflow="fold", ratio=2)
    for m in metas:
        if statuses is None:
            needs = "; ".join(describe_need(n) for n in m.needs) or "–"
            table.add_row(m.id, escape(m.title), m.severity, m.component, escape(needs))
        else:
            status = statuses.get(m.id)
            if status is None:
                state = "–"
            elif status.assessed:
                state = (f"{status.findings} finding{'s' if status.findings != 1 else ''}"
                         if status.findings else "assessed, nothing found")
            else:
                state = f"[warn]not assessed[/warn]: {escape(status.reason)}"
            table.add_row(m.id, escape(m.title), m.severity, state)
    out.print(table)
    if statuses is not None:
        skipped = sum(1 for s in statuses.values() if not s.assessed)
        out.print(f"{len(metas)} rules; {len(metas) - skipped} assessed, {skipped} not assessed.")
    else:
        out.print(f"{len(metas)} rules.")


def _block(out: Console, title: str, lines: list[str]) -> None:
    """A titled block of indented lines, left out when there are none."""
    if not lines:
        return
    out.print()
    out.print(title)
    for line in lines:
        _indented(out, Text(line), 2)
