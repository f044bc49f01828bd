"""Journey rules (JRN-*): whether engagement rules can work and touchpoints join up."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from auditor.graph.traverse import (
    in_typed,
    nodes_of,
    out_typed,
    reachable_from,
    systems_with_role,
)
from auditor.rules.queries import (
    best_route,
    busy_channels,
    customer_facing,
    data_of_classes,
    datum_masters,
    engagement_projection,
    names,
    reached_by_datum,
    serving_systems,
    touchpoint_channel,
    undirected,
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
    for policy in nodes_of(g, "policy"):
        limit = g.nodes[policy].get("max_latency")
        executors = in_typed(g, policy, "enforces")
        triggers = out_typed(g, policy, "requires")
        if not executors or not triggers:
            missing = "no system applies it" if not executors else "it names no trigger data"
            yield Hit(message=f"{policy} can never fire: {missing}.", subject=policy,
                      nodes=(policy, *executors, *triggers), severity="critical")
            continue
        gaps: list[str] = []
        ok_routes: list[str] = []
        edges: list[str] = []
        sources: set[str] = set()
        any_route = False
        for e in executors:
            for d in triggers:
                masters = datum_masters(g, d)
                sources.update(masters)
                if not masters:
                    gaps.append(f"{d} has no master")
                for m in masters:
                    found = best_route(ctx, d, m, e)
                    if found is None:
                        gaps.append(f"{d} never reaches {e} from {m}")
                        continue
                    any_route = True
                    lat, flows = found
                    edges.extend(flows)
                    if limit is not None and lat > limit:
                        gaps.append(f"{d} reaches {e} from {m} only {_latency(lat)}")
                    else:
                        ok_routes.append(f"{d} from {m}")
        if not gaps:
            continue
        window = f" (needed {_latency(limit)})" if limit is not None else ""
        ok = f"; fine: {names(ok_routes)}" if ok_routes else ""
        yield Hit(
            message=f"{policy} cannot fire reliably{window}: {'; '.join(gaps)}{ok}.",
            subject=policy,
            nodes=(policy, *executors, *triggers, *sorted(sources - set(executors))),
            edges=tuple(sorted(set(edges))),
            severity=None if any_route else "critical",
        )


# --- JRN-02 -------------------------------------------------------------------------------
@rule("JRN-02")
def expected_rule_missing(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    policies = nodes_of(g, "policy")
    triggers = {p: set(out_typed(g, p, "requires")) for p in policies}
    touchpoints = nodes_of(g, "touchpoint")

    def with_purpose(purpose: str) -> list[str]:
        return [t for t in touchpoints if g.nodes[t].get("purpose") == purpose]

    def triggered_by(data: list[str]) -> bool:
        wanted = set(data)
        return any(triggers[p] & wanted for p in policies)

    desks = systems_with_role(g, "service-desk")
    marketing = with_purpose("marketing")
    cases = data_of_classes(g, ["case"])
    if desks and marketing and not triggered_by(cases):
        yield Hit(message=f"Cases are handled in {names(desks)} and marketing goes out through "
                          f"{names(marketing)}, but no rule holds marketing back while a case "
                          "is open.", subject="case", nodes=(*desks, *marketing, *cases))
    transactions = data_of_classes(g, ["transaction"])
    if transactions:
        for ads in systems_with_role(g, "advertising"):
            if not out_typed(g, ads, "enforces"):
                yield Hit(message=f"{ads} advertises to customers, but applies no rule to leave "
                                  "out people who just bought the product.",
                          subject=ads, nodes=(ads, *transactions))
    fundraising = with_purpose("fundraising")
    subtypes = set(ctx.threshold("donation_subtypes", ["donation"]))
    donations = [d for d in nodes_of(g, "data") if g.nodes[d].get("subtype") in subtypes]
    if fundraising and not triggered_by(donations):
        yield Hit(message=f"Appeals go out through {names(fundraising)}, but no rule pauses them "
                          "after someone has just given.", subject="donation",
                  nodes=(*fundraising, *donations))


# --- JRN-03 -------------------------------------------------------------------------------
@rule("JRN-03")
def touchpoint_off_map(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    sors = systems_with_role(g, "system-of-record")
    connected = reachable_from(undirected(ctx), sors)
    busy = busy_channels(ctx)
    for tp in nodes_of(g, "touchpoint"):
        systems = serving_systems(g, tp)
        if systems and any(s in connected for s in systems):
            continue
        channel = touchpoint_channel(g, tp)
        if systems:
            why = (f"its system{'s' if len(systems) > 1 else ''} ({names(systems)}) "
                   f"{'have' if len(systems) > 1 else 'has'} no data link to a system of record")
        else:
            why = "no system runs or records it"
        on = f" on {channel}" if channel else ""
        yield Hit(message=f"{tp}{on}: {why}.", subject=tp,
                  nodes=tuple(n for n in (tp, channel, *systems) if n),
                  severity="high" if channel in busy else None)


# --- JRN-04 -------------------------------------------------------------------------------
@rule("JRN-04")
def cycle_split(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    for journey in nodes_of(g, "journey"):
        if in_typed(g, journey, "owns"):
            continue
        stages = [s for s in out_typed(g, journey, "contains") if g.nodes[s].get("kind") == "stage"]
        owners = sorted({o for s in stages for o in in_typed(g, s, "owns")})
        if len(owners) >= 2:
            yield Hit(message=f"{journey} has {len(owners)} stage owners ({names(owners)}) and "
                              "nobody owns the journey as a whole.",
                      subject=journey, nodes=(journey, *owners))


# --- JRN-05 -------------------------------------------------------------------------------
@rule("JRN-05")
def status_invisible(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    facing = customer_facing(ctx)
    for d in data_of_classes(g, ["status"]):
        masters = datum_masters(g, d)
        if not masters:
            continue
        if reached_by_datum(ctx, d, masters) & facing:
            continue
        yield Hit(message=f"{d} is kept in {names(masters)} and reaches no system that serves "
                          "customers, so they cannot see it without asking.",
                  subject=d, nodes=(d, *masters))


# --- JRN-06 -------------------------------------------------------------------------------
@rule("JRN-06")
def channel_switch(ctx: RuleContext) -> Iterator[Hit]:
    import networkx as nx

    g = ctx.graph

    def make_components() -> dict[str, int]:
        h = engagement_projection(ctx).to_undirected(as_view=True)
        label: dict[str, int] = {}
        for i, comp in enumerate(sorted(nx.connected_components(h), key=min)):
            for s in comp:
                label[s] = i
        return label

    component = ctx.cached("engagement-components", make_components)
    by_stage: dict[str, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    members: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for stage in nodes_of(g, "stage"):
        for tp in out_typed(g, stage, "contains"):
            attrs = g.nodes[tp]
            channel = touchpoint_channel(g, tp)
            systems = serving_systems(g, tp)
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
        pairs = "; ".join(f"{x} and {y}" for x, y in split)
        yield Hit(message=f"In {stage}, conversations on {pairs} run on systems that share no "
                          f"interaction history ({names(tps)}).",
                  subject=stage, nodes=(stage, *tps))


# --- JRN-07 / JRN-08 ----------------------------------------------------------------------
@rule("JRN-07")
def no_participation(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    touchpoints = nodes_of(g, "touchpoint")
    if touchpoints and not any(g.nodes[t].get("style") == "participation" for t in touchpoints):
        yield Hit(message=f"None of the {len(touchpoints)} touchpoints lets customers take part "
                          "or help each other.", subject="touchpoints")


@rule("JRN-08")
def broadcasting(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    touchpoints = nodes_of(g, "touchpoint")
    talking = [t for t in touchpoints if g.nodes[t].get("style") in ("two-way", "participation")]
    if not touchpoints:
        return
    share = len(talking) / len(touchpoints)
    if share < ctx.threshold("min_share", 0.25):
        yield Hit(message=f"Only {len(talking)} of {len(touchpoints)} touchpoints "
                          f"({share:.0%}) let customers answer or take part "
                          f"({names(talking)}).", subject="touchpoints", nodes=tuple(talking))
