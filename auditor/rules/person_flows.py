"""Person rules about where person data travels (PER-08…PER-10): to advertisers, into analysis,
and across the stages of a lifetime (prospect, customer, alumnus, donor)."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.graph.names import capital
from auditor.rules.queries import (
    capability_providers,
    class_masters,
    data_of_classes,
    flows_into,
    reached_by_datum,
)
from auditor.rules.registry import Hit, RuleContext, rule
from auditor.rules.skills import is_external

_PERSONAL = ("identity", "contact-point", "profile")


# --- PER-08 -------------------------------------------------------------------------------
@rule("PER-08")
def personal_data_to_advertisers(ctx: RuleContext) -> Iterator[Hit]:
    """Personal data uploaded to an advertising platform, or to a system only an agency runs,
    by hand or with no consent data alongside it. Ad audiences built that way include people
    who opted out, and copies made by hand leave no trace of who has them."""
    g = ctx.graph
    personal = {d for d in ctx.nodes_of("data") if g.nodes[d].get("data_class") in _PERSONAL}
    consent = data_of_classes(ctx, ["consent"])
    targets = set(ctx.systems_with_role("advertising"))
    for system in ctx.nodes_of("system"):
        owners = [t for t in ctx.in_typed(system, "owns") if g.nodes[t].get("kind") == "team"]
        if owners and all(is_external(g, t) for t in owners):
            targets.add(system)
    reached: set[str] | None = None
    for target in sorted(targets):
        feeds = [(u, f, a) for u, f, a in flows_into(ctx, target)
                 if personal.intersection(a.get("data", ()))]
        if not feeds:
            continue
        by_hand = [f for _, f, a in feeds if a.get("mode") == "manual"]
        # Consent counts when it travels with the audience or reaches the platform some other
        # way within the rule's latency. Where each consent datum reaches is the same for every
        # target: traced once, on the first target that is fed personal data.
        if reached is None:
            latency = ctx.threshold("max_latency", 2)
            reached = set().union(*(reached_by_datum(ctx, d, ctx.masters_of(d), latency)
                                    for d in consent))
        informed = target in reached
        if informed and not by_hand:
            continue
        sources = sorted({u for u, _, _ in feeds})
        data = sorted({d for _, _, a in feeds for d in a.get("data", ()) if d in personal})
        problems = []
        if by_hand:
            problems.append("by hand")
        if not informed:
            problems.append("with no consent data")
        yield Hit(message=f"Personal data ({ctx.names(data)}) goes from {ctx.names(sources)} "
                          f"to {ctx.name(target)} {' and '.join(problems)}, so people who "
                          "opted out can still be targeted.",
                  subject=target, nodes=(target, *sources, *data),
                  edges=tuple(f for _, f, _ in feeds),
                  facts={"by_hand": bool(by_hand), "informed": informed})


# --- PER-09 -------------------------------------------------------------------------------
@rule("PER-09")
def single_source_analysis(ctx: RuleContext) -> Iterator[Hit]:
    """An analytics or segmentation tool fed by one system while other systems hold the
    people it reports on: its numbers describe one system's view, not the customers."""
    g = ctx.graph
    hub_set = set(ctx.hubs())
    holders = set(class_masters(ctx, ["identity"]))
    analytics = set(ctx.systems_with_role("analytics"))
    tools = analytics | set(
        capability_providers(g, ctx.threshold("capabilities", ["segmentation"])))
    min_others = ctx.threshold("min_other_holders", 2)
    for tool in sorted(tools - hub_set):
        feeds = flows_into(ctx, tool)
        if not feeds or all(a.get("mode") == "manual" for _, _, a in feeds):
            continue  # an unfed or hand-fed list is PER-04's concern
        sources = _original_sources(ctx, tool, analytics)
        if len(sources) != 1:
            continue
        others = sorted(holders - {tool, *sources})
        if len(others) < min_others:
            continue
        yield Hit(message=f"{ctx.name(tool)} is fed only by {ctx.name(sources[0])}, while "
                          f"{ctx.names(others)} also create {ctx.term('customer')} records, so its "
                          "figures describe one system's view.",
                  subject=tool, nodes=(tool, *sources, *others),
                  edges=tuple(f for _, f, _ in feeds))


def _fed_by(ctx: RuleContext, system: str) -> set[str]:
    """The systems feeding ``system`` other than by hand. Each tool's walk upstream passes
    through the same warehouses: worked out once per system and analysis (read, never changed)."""
    known: dict[str, set[str]] = ctx.cached("per-09:fed-by", dict)
    found = known.get(system)
    if found is None:
        found = known[system] = {u for u, _, a in flows_into(ctx, system)
                                 if a.get("mode") != "manual"}
    return found


def _original_sources(ctx: RuleContext, tool: str, analytics: set[str]) -> list[str]:
    """The systems whose data ``tool`` reports on. A BI tool reading a warehouse reports on
    whatever loads the warehouse, so analytics sources are looked through to their own feeds
    (a warehouse nothing feeds still counts as a source)."""
    found: set[str] = set()
    seen = {tool}
    todo = sorted({u for u, _, _ in flows_into(ctx, tool)})
    while todo:
        source = todo.pop()
        if source in seen:
            continue
        seen.add(source)
        upstream = _fed_by(ctx, source)
        if source in analytics and upstream - seen:
            todo.extend(sorted(upstream - seen))
        else:
            found.add(source)
    return sorted(found)


# --- PER-10 -------------------------------------------------------------------------------
@rule("PER-10")
def identity_broken_across_lifecycle(ctx: RuleContext) -> Iterator[Hit]:
    """Different identity entities for the stages of one lifetime (prospect, student, alumnus,
    donor) mastered in systems that never exchange identity data: when a person moves on, the
    next system starts a stranger's record."""
    g = ctx.graph
    identity = [d for d in ctx.nodes_of("data")
                if g.nodes[d].get("data_class") == "identity" and g.nodes[d].get("entity") == d]
    if len(identity) < 2:
        return
    linked: dict[str, set[str]] = {s: set() for s in ctx.nodes_of("system")}
    # The index's flows carry the classes of their data (only data nodes have one).
    for f in ctx.index.flows:
        if "identity" in f.classes:
            linked[f.source].add(f.target)
            linked[f.target].add(f.source)
    # Systems joined by identity flows, directly or through others, share a key: label each
    # connected group once.
    group: dict[str, int] = {}
    label = -1  # the groups labelled so far, less one (no copies of ``group`` per system)
    for start in sorted(linked):
        if start in group:
            continue
        label += 1
        stack = [start]
        while stack:
            s = stack.pop()
            if s not in group:
                group[s] = label
                stack.extend(sorted(n for n in linked[s] if n not in group))
    masters = {d: ctx.masters_of(d) for d in identity}
    groups = {d: {group[m] for m in ms if m in group} for d, ms in masters.items() if ms}
    ordered = sorted(groups)
    for i, d in enumerate(ordered):
        for e in ordered[i + 1:]:
            if groups[d] & groups[e]:
                continue
            yield Hit(message=f"{capital(ctx.name(d))} records in {ctx.names(masters[d])} and "
                              f"{ctx.name(e)} records in {ctx.names(masters[e])} share no key: "
                              "no identity data flows between them, so a person who moves from "
                              "one to the other starts again as a stranger.",
                      subject=d, key=(d, e), nodes=(d, e, *masters[d], *masters[e]))
