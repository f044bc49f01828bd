"""Backtracking rules BKT-* (DOMAIN.md §5): every open link of a need's chain is a finding.

The walk is done once per analysis (``auditor.analysis`` passes it in the rule context) and
each rule reports the gaps of its kind. Gaps are grouped so that one missing feed blocking ten
needs is one finding naming the ten needs, not ten findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from auditor.graph.keys import skill_key
from auditor.graph.names import capital, join_words
from auditor.rules.registry import Hit, NotAssessed, RuleContext, rule
from auditor.schema.backtrack import BacktrackResult, Chain, Link, latency_name


def backtrack_result(ctx: RuleContext) -> BacktrackResult:
    """The chains of every need, traced once by the analysis over the same graph."""
    result = ctx.backtracking
    if not result.chains and not result.unspecified_needs:
        raise NotAssessed("no vision captured: no segment has a need")
    return result


@dataclass
class _Gap:
    """One open link, with every chain it blocks."""

    link: Link
    chains: list[Chain] = field(default_factory=list)

    @property
    def needs(self) -> list[str]:
        return sorted({c.need for c in self.chains})

    @property
    def segments(self) -> list[str]:
        return sorted({c.segment for c in self.chains})

    @property
    def capabilities(self) -> list[str]:
        return sorted({c.capability for c in self.chains})

    def nodes(self, *first: str | None) -> tuple[str, ...]:
        ordered = [n for n in first if n]
        for n in (*self.capabilities, *self.needs, *self.segments):
            if n not in ordered:
                ordered.append(n)
        return tuple(ordered)

    def for_whom(self, ctx: RuleContext) -> str:
        """'so that Plan holders can “know when…”', naming every need and segment it blocks."""
        segs = ctx.names(self.segments)
        needs = join_words(f"\u201c{ctx.name(n)}\u201d" for n in self.needs)
        return f"for {segs}: {needs}"



GapKey = Callable[[Link, Chain], tuple[str, ...]]


def _gaps(result: BacktrackResult, kind: str, key: GapKey) -> list[_Gap]:
    """Open links of gap ``kind`` grouped by ``key(link, chain)``, in sorted key order."""
    grouped: dict[tuple[str, ...], _Gap] = {}
    for chain in result.chains:
        for link in chain.links:
            if link.gap == kind:
                grouped.setdefault(key(link, chain), _Gap(link)).chains.append(chain)
    return [grouped[k] for k in sorted(grouped)]


@rule("BKT-MISSING-CAPABILITY")
def missing_capability(ctx: RuleContext) -> Iterator[Hit]:
    result = backtrack_result(ctx)
    for gap in _gaps(result, "missing-capability", lambda link, chain: (chain.capability,)):
        cap = gap.capabilities[0]
        # The channel the segment expects it on is where whatever provides it must work.
        channels = sorted({ch for n in gap.needs
                           if (ch := ctx.graph.nodes[n].get("channel")) in ctx.graph.nodes})
        yield Hit(message=f"No system provides {ctx.name(cap)}, needed {gap.for_whom(ctx)}.",
                  subject=cap, nodes=(*gap.nodes(cap), *channels),
                  remedy=ctx.threshold("capability_remedies", {}).get(cap),
                  facts={"capability_id": cap})


@rule("BKT-MISSING-DATA")
def missing_data(ctx: RuleContext) -> Iterator[Hit]:
    result = backtrack_result(ctx)
    for gap in _gaps(result, "missing-data", lambda link, chain: (link.datum or "",)):
        datum = gap.link.datum or ""
        users = sorted({c.provider for c in gap.chains if c.provider})
        by = f" in {ctx.names(users)}" if users else ""
        yield Hit(message=(f"No system masters {ctx.name(datum)}, which "
                           f"{ctx.names(gap.capabilities)}{by} needs {gap.for_whom(ctx)}."),
                  subject=datum, nodes=gap.nodes(datum, *users))


@rule("BKT-MISSING-FLOW")
def missing_flow(ctx: RuleContext) -> Iterator[Hit]:
    result = backtrack_result(ctx)
    partial_severity = ctx.threshold("partial_severity", "medium")
    key: GapKey = (lambda link, chain: (link.system or "", link.datum or "", link.source or ""))
    for gap in _gaps(result, "missing-flow", key):
        link = gap.link
        partial = all(lk.status == "partial" for c in gap.chains for lk in c.links
                      if lk.gap == "missing-flow" and (lk.system, lk.datum, lk.source)
                      == (link.system, link.datum, link.source))
        tail = (" It arrives from another system, so only part of the segment is covered."
                if partial else "")
        yield Hit(message=(f"No flow takes {ctx.name(link.datum or '')} from "
                           f"{ctx.name(link.source or '')} to {ctx.name(link.system or '')}, "
                           f"where {ctx.names(gap.capabilities)} needs it "
                           f"{gap.for_whom(ctx)}.{tail}"),
                  subject=link.system or "", nodes=gap.nodes(link.system, link.datum, link.source),
                  key=tuple(i for i in (link.system, link.datum, link.source) if i),
                  severity=partial_severity if partial else None)


@rule("BKT-TOO-SLOW")
def too_slow(ctx: RuleContext) -> Iterator[Hit]:
    result = backtrack_result(ctx)
    key: GapKey = (lambda link, chain: (link.system or "", link.datum or ""))
    for gap in _gaps(result, "too-slow", key):
        link = gap.link
        limit = min(c.max_latency for c in gap.chains if c.max_latency is not None)
        yield Hit(message=(f"{capital(ctx.name(link.datum or ''))} reaches "
                           f"{ctx.name(link.system or '')} {latency_name(link.latency)} at best "
                           f"(via {' → '.join(ctx.name(n) for n in link.path)}), but it is "
                           f"needed {latency_name(limit)} {gap.for_whom(ctx)}."),
                  subject=link.system or "", nodes=gap.nodes(link.system, link.datum, *link.path),
                  key=tuple(i for i in (link.system, link.datum) if i),
                  edges=link.flows)


@rule("BKT-MISSING-TOUCHPOINT")
def missing_touchpoint(ctx: RuleContext) -> Iterator[Hit]:
    result = backtrack_result(ctx)
    key: GapKey = (lambda link, chain: (link.system or "", link.channel or ""))
    for gap in _gaps(result, "missing-touchpoint", key):
        link = gap.link
        yield Hit(message=(f"Neither {ctx.name(link.system or '')} nor any system it feeds "
                           f"runs a touchpoint on {ctx.name(link.channel or '')}, needed "
                           f"{gap.for_whom(ctx)}."),
                  subject=link.system or "", nodes=gap.nodes(link.system, link.channel),
                  key=tuple(i for i in (link.system, link.channel) if i))


@rule("BKT-MISSING-SKILL")
def missing_skill(ctx: RuleContext) -> Iterator[Hit]:
    result = backtrack_result(ctx)
    for gap in _gaps(result, "missing-skill", lambda link, chain: (link.system or "",)):
        link = gap.link
        yield Hit(message=(f"The owners of {ctx.name(link.system or '')} lack "
                           f"{ctx.names(link.skills)}, so {ctx.names(gap.capabilities)} there "
                           f"is at risk {gap.for_whom(ctx)}."),
                  subject=link.system or "",
                  nodes=gap.nodes(link.system,
                                  *(s for s in link.skills if skill_key(s) in ctx.graph)))
