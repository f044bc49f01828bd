"""Journey rules (JRN-*): whether engagement rules can work and touchpoints join up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from auditor.graph.names import capital, join_words
from auditor.rules.queries import (
    best_route,
    busy_channels,
    customer_facing,
    data_of_classes,
    engagement_projection,
    reached_by_datum,
    reaching_by_flows,
    serving_systems,
    touchpoint_channel,
)
from auditor.rules.registry import Hit, RuleContext, rule
from auditor.schema.audit import LATENCY_RANK

_LATENCY_NAME = {rank: name for name, rank in reversed(LATENCY_RANK.items()) if rank < 4}
_LATENCY_NAME[4] = "monthly or manual"



def _latency(rank: int) -> str:
    return _LATENCY_NAME.get(rank, str(rank))


# --- JRN-01 -------------------------------------------------------------------------------
@rule("JRN-01")
def rule_cannot_fire(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    for policy in ctx.nodes_of("policy"):
        limit = g.nodes[policy].get("max_latency")
        executors = ctx.in_typed(policy, "enforces")
        triggers = ctx.out_typed(policy, "requires")
        if not executors or not triggers:
            missing = "no system applies it" if not executors else "it names no trigger data"
            yield Hit(message=f"\u201c{ctx.name(policy)}\u201d can never fire: {missing}.",
                      subject=policy,
                      nodes=(policy, *executors, *triggers), severity="critical",
                      facts={"executors": ctx.names(executors) or "the system that applies it",
                             "trigger": ctx.names(triggers, "or") or "its trigger data"})
            continue
        gaps: list[str] = []
        ok_routes: list[str] = []
        edges: list[str] = []
        sources: set[str] = set()
        any_route = False
        for e in executors:
            for d in triggers:
                masters = ctx.masters_of(d)
                sources.update(masters)
                if not masters:
                    gaps.append(f"no system masters {ctx.name(d)}")
                for m in masters:
                    found = best_route(ctx, d, m, e)
                    if found is None:
                        gaps.append(f"{ctx.name(d)} never reaches {ctx.name(e)} from "
                                    f"{ctx.name(m)}")
                        continue
                    any_route = True
                    lat, flows = found
                    edges.extend(flows)
                    if limit is not None and lat > limit:
                        gaps.append(f"{ctx.name(d)} reaches {ctx.name(e)} from {ctx.name(m)} "
                                    f"only {_latency(lat)}")
                    else:
                        ok_routes.append(f"{ctx.name(d)} from {ctx.name(m)}")
        if not gaps:
            continue
        window = f" (it needs its trigger {_latency(limit)})" if limit is not None else ""
        ok = f"; {join_words(ok_routes)} arrive{'s' if len(ok_routes) == 1 else ''} in time" if ok_routes else ""
        yield Hit(
            message=f"\u201c{ctx.name(policy)}\u201d cannot work reliably{window}: "
                    f"{'; '.join(gaps)}{ok}.",
            subject=policy,
            nodes=(policy, *executors, *triggers, *sorted(sources - set(executors))),
            edges=tuple(sorted(set(edges))),
            severity=None if any_route else "critical",
            facts={"executors": ctx.names(executors), "trigger": ctx.names(triggers, "or")},
        )


# --- JRN-02 -------------------------------------------------------------------------------
@rule("JRN-02")
def expected_rule_missing(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    policies = ctx.nodes_of("policy")
    triggers = {p: set(ctx.out_typed(p, "requires")) for p in policies}
    touchpoints = ctx.nodes_of("touchpoint")

    def with_purpose(purpose: str) -> list[str]:
        return [t for t in touchpoints if g.nodes[t].get("purpose") == purpose]

    def triggered_by(data: list[str]) -> bool:
        wanted = set(data)
        return any(triggers[p] & wanted for p in policies)

    # Service runs on a service desk, or on a communications platform (a contact centre, a
    # messaging app) behind conversational service touchpoints.
    desks = set(ctx.systems_with_role("service-desk"))
    for tp in with_purpose("service"):
        if g.nodes[tp].get("style") in ("two-way", "participation"):
            desks.update(s for s in serving_systems(ctx, tp)
                         if "communications-platform" in g.nodes[s].get("roles", ()))
    service_desks = sorted(desks)
    marketing = with_purpose("marketing")
    cases = data_of_classes(ctx, ["case"])
    service_data = {d for s in service_desks for d in ctx.out_typed(s, "masters")
                    if g.nodes[d].get("data_class") in ("case", "interaction")}
    if service_desks and marketing and not triggered_by(sorted(set(cases) | service_data)):
        yield Hit(message=f"Service requests are handled in {ctx.names(service_desks)} and "
                          f"marketing goes out through {ctx.names(marketing)}, but no rule "
                          "holds marketing back while a request is open.",
                  subject="case", nodes=(*service_desks, *marketing, *cases))
    transactions = data_of_classes(ctx, ["transaction"])
    if transactions:
        for ads in ctx.systems_with_role("advertising"):
            if not ctx.out_typed(ads, "enforces"):
                yield Hit(message=f"{ctx.name(ads)} advertises to {ctx.term('customers')} but "
                                  "applies no rule to leave out people who just bought.",
                          subject=ads, nodes=(ads, *transactions))
    fundraising = with_purpose("fundraising")
    subtypes = set(ctx.threshold("donation_subtypes", ["donation"]))
    donations = [d for d in ctx.nodes_of("data") if g.nodes[d].get("subtype") in subtypes]
    if fundraising and not triggered_by(donations):
        yield Hit(message=f"Appeals go out through {ctx.names(fundraising)}, but no rule "
                          "pauses them after someone has just given.", subject="donation",
                  nodes=(*fundraising, *donations))


# --- JRN-03 -------------------------------------------------------------------------------
@rule("JRN-03")
def touchpoint_off_map(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    anchors = ctx.hubs()
    # Direction matters: what happens at a touchpoint is recorded only if its system sends data
    # towards a system of record or CDP; receiving audiences from one records nothing.
    connected = reaching_by_flows(ctx, anchors) | set(anchors)
    busy = busy_channels(ctx)
    # Broadcasts carry nothing back from the person but engagement, which the advertising-loop
    # and engagement-return rules (TEC-10, TEC-02) judge; here only touchpoints where people act.
    acting = set(ctx.threshold("styles", ["one-way-in", "two-way", "participation"]))
    for tp in ctx.nodes_of("touchpoint"):
        if g.nodes[tp].get("style") not in acting:
            continue
        systems = serving_systems(ctx, tp)
        if systems and any(s in connected for s in systems):
            continue
        channel = touchpoint_channel(ctx, tp)
        if systems:
            why = (f"{ctx.names(systems)} send{'' if len(systems) > 1 else 's'} nothing from it "
                   "to a system of record or CDP")
        else:
            why = "no system runs or records it"
        on = f" ({ctx.name(channel)})" if channel else ""
        yield Hit(message=f"{ctx.name(tp)}{on}: {why}.", subject=tp,
                  nodes=tuple(n for n in (tp, channel, *systems) if n),
                  severity="high" if channel in busy else None)


# --- JRN-04 -------------------------------------------------------------------------------
@rule("JRN-04")
def cycle_split(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    for journey in ctx.nodes_of("journey"):
        if ctx.in_typed(journey, "owns"):
            continue
        stages = [s for s in ctx.out_typed(journey, "contains") if g.nodes[s].get("kind") == "stage"]
        owners = sorted({o for s in stages for o in ctx.in_typed(s, "owns")})
        if len(owners) >= 2:
            yield Hit(message=f"{ctx.name(journey)} has {len(owners)} stage owners "
                              f"({ctx.names(owners)}) and nobody owns the journey as a whole.",
                      subject=journey, nodes=(journey, *owners))


# --- JRN-05 -------------------------------------------------------------------------------
@rule("JRN-05")
def status_invisible(ctx: RuleContext) -> Iterator[Hit]:
    facing = customer_facing(ctx)
    for d in data_of_classes(ctx, ["status"]):
        masters = ctx.masters_of(d)
        if not masters:
            continue
        if reached_by_datum(ctx, d, masters) & facing:
            continue
        yield Hit(message=f"{capital(ctx.name(d))} is kept in {ctx.names(masters)} and reaches "
                          f"no system that serves {ctx.term('customers')}, so they cannot see "
                          "it without asking.",
                  subject=d, nodes=(d, *masters))


# --- JRN-06 -------------------------------------------------------------------------------
@rule("JRN-06")
def channel_switch(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph

    def make_components() -> dict[str, int]:
        label: dict[str, int] = {}
        for i, comp in enumerate(engagement_projection(ctx).components()):
            for s in comp:
                label[s] = i
        return label

    component = ctx.cached("engagement-components", make_components)
    by_stage: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    members: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for stage in ctx.nodes_of("stage"):
        for tp in ctx.out_typed(stage, "contains"):
            attrs = g.nodes[tp]
            channel = touchpoint_channel(ctx, tp)
            systems = serving_systems(ctx, tp)
            # Touchpoints without a system are JRN-03's concern, not a channel switch.
            if attrs.get("style") not in ("two-way", "participation") or not channel or not systems:
                continue
            by_stage[stage][channel].update(component[s] for s in systems)
            members[stage][channel].append(tp)
    for stage in sorted(by_stage):
        channels = sorted(by_stage[stage])
        split = [(a, b) for i, a in enumerate(channels) for b in channels[i + 1:]
                 if not by_stage[stage][a] & by_stage[stage][b]]
        if not split:
            continue
        a, b = split[0]
        tps = sorted({tp for c in (a, b) for tp in members[stage][c]})
        pairs = "; ".join(f"{ctx.name(x)} and {ctx.name(y)}" for x, y in split)
        yield Hit(message=f"In the {ctx.name(stage)} stage, conversations on {pairs} run on "
                          f"systems that share no history ({ctx.names(tps)}).",
                  subject=stage, nodes=(stage, *tps))


# --- JRN-07 / JRN-08 ----------------------------------------------------------------------
@rule("JRN-07")
def no_participation(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    touchpoints = ctx.nodes_of("touchpoint")
    if touchpoints and not any(g.nodes[t].get("style") == "participation" for t in touchpoints):
        yield Hit(message=f"None of the {len(touchpoints)} touchpoints lets "
                          f"{ctx.term('customers')} take part or help each other.",
                  subject="touchpoints")


@rule("JRN-08")
def broadcasting(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    touchpoints = ctx.nodes_of("touchpoint")
    talking = [t for t in touchpoints if g.nodes[t].get("style") in ("two-way", "participation")]
    if not touchpoints:
        return
    share = len(talking) / len(touchpoints)
    if share < ctx.threshold("min_share", 0.25):
        yield Hit(message=f"Only {len(talking)} of {len(touchpoints)} touchpoints "
                          f"({share:.0%}) let {ctx.term('customers')} answer or take part"
                          f"{' (' + ctx.names(talking) + ')' if talking else ''}.",
                  subject="touchpoints", nodes=tuple(talking))
