"""Technologies gap rules TEC-01…TEC-11 (DOMAIN.md §4).

Every rule does a bounded amount of work per system: reachability questions ("does this system's
data reach a hub?") are answered by one multi-source traversal backwards from the hubs, shared
through the run's cache, never by one traversal per system.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from auditor.answers import median_answer
from auditor.graph.names import capital
from auditor.graph.traverse import (
    CORE_ROLES,
    ENGAGEMENT_CLASSES,
    HUB_ROLES,
    PERSON_CLASSES,
    articulation_sides,
    class_predicate,
)
from auditor.rules.governance import answer_refs
from auditor.rules.queries import (
    Reach,
    busy_channels,
    class_masters,
    engagement_projection,
    reaching_by_flows,
    undirected,
)
from auditor.rules.registry import Hit, NotAssessed, RuleContext, rule

if TYPE_CHECKING:
    import networkx as nx

SOR, SOE, CDP = "system-of-record", "system-of-engagement", "cdp"



def _roles(g: nx.MultiDiGraph, system: str) -> set[str]:
    return set(g.nodes[system].get("roles", ()))


def _has_flows(g: nx.MultiDiGraph) -> bool:
    return any(t == "flows_to" for _, _, t in g.edges(data="type"))


def _flow_ids(edges: Iterable[tuple[str, str, dict[str, Any]]]) -> list[str]:
    """Ids of the flows among ``edges`` (edge triples with data), sorted."""
    return sorted(a["flow"] for _, _, a in edges if a.get("type") == "flows_to")


def _reaching_hubs(ctx: RuleContext) -> set[str]:
    """Systems whose engagement data (interaction, transaction, case) reaches an SOR or CDP."""
    return ctx.cached("tec:engagement-reaching-hubs",
                      lambda: engagement_projection(ctx).reaching(ctx.hubs()))


def _engagement_data(ctx: RuleContext, system: str) -> list[str]:
    mastered = class_masters(ctx, ENGAGEMENT_CLASSES)
    return list(mastered.get(system, []))


# --- TEC-01 -------------------------------------------------------------------------------
@rule("TEC-01")
def sor_soe_disconnected(ctx: RuleContext) -> Iterator[Hit]:
    """Each system of engagement must receive person data from some system of record (any
    latency). With no system of record at all, the whole ecosystem has no anchor."""
    g = ctx.graph
    sors, soes = ctx.systems_with_role(SOR), ctx.systems_with_role(SOE)
    if not ctx.nodes_of("system"):
        raise NotAssessed("no systems in the inventory")
    if not sors:
        what = (f"; {ctx.names(soes)} engage{'s' if len(soes) == 1 else ''} "
                f"{ctx.term('customers')} without one" if soes else "")
        yield Hit(message=f"No system is declared as the system of record{what}.",
                  nodes=tuple(soes))
        return
    if not soes:
        return
    if not _has_flows(g):
        raise NotAssessed("no flows in the inventory, so SOR-to-SOE links cannot be traced")
    person = ctx.cached("tec:F-person", lambda: Reach.of(ctx, PERSON_CLASSES))
    fed = person.reachable_from(sors)  # one traversal from every SOR at once
    for soe in soes:
        if soe not in fed:
            yield Hit(message=(f"{ctx.name(soe)} engages {ctx.term('customers')}, but no "
                               f"system of record ({ctx.names(sors, 'or')}) feeds it "
                               f"{ctx.term('customer')} data, directly or indirectly."),
                      subject=soe, nodes=(soe, *sors))


# --- TEC-02 -------------------------------------------------------------------------------
@rule("TEC-02")
def engagement_results_stay_put(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    back_home = _reaching_hubs(ctx)
    for soe in ctx.systems_with_role(SOE):
        if _roles(g, soe) & HUB_ROLES or soe in back_home:
            continue
        data = _engagement_data(ctx, soe)
        what = f" ({ctx.names(data)})" if data else ""
        yield Hit(message=(f"What {ctx.term('customers')} do in {ctx.name(soe)}{what} never "
                           "flows back to a system of record or CDP."),
                  subject=soe, nodes=(soe, *data))


# --- TEC-03 -------------------------------------------------------------------------------
@rule("TEC-03")
def no_orchestration(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    if ctx.systems_with_role("orchestration"):
        return
    # Only systems that decide to contact people count: senders of outbound messages with a
    # marketing, fundraising or sales purpose. Service desks answering inbound requests, and
    # transactional messages a purchase triggers, decide nothing about contact pressure.
    styles = set(ctx.threshold("styles", ["broadcast"]))
    purposes = set(ctx.threshold("purposes", ["marketing", "fundraising", "commerce"]))
    min_systems = ctx.threshold("min_systems", 3)
    served = {t: ctx.in_typed(t, "serves") for t in ctx.nodes_of("touchpoint")
              if g.nodes[t].get("style") in styles
              and (g.nodes[t].get("purpose") or "marketing") in purposes}
    senders = sorted({s for systems in served.values() for s in systems})
    if len(senders) < min_systems:
        return
    # Coordinating three senders is worth doing everywhere; it is urgent only for a client
    # with many senders or many interactions.
    volume = sum(int(g.nodes[c].get("volume") or 0) for c in ctx.nodes_of("channel"))
    large = (len(senders) >= ctx.threshold("high_min_systems", 5)
             or volume >= ctx.threshold("high_min_interactions", 250_000))
    yield Hit(message=(f"{len(senders)} systems ({ctx.names(senders)}) each decide on their own "
                       f"when to contact {ctx.term('customers')}; nothing coordinates them."),
              nodes=(*senders, *(t for t, systems in served.items() if systems)),
              severity=None if large else ctx.threshold("small_severity", "medium"))


# --- TEC-04 -------------------------------------------------------------------------------
@rule("TEC-04")
def cdp_in_name_only(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    min_sources = ctx.threshold("min_sources", 2)
    person = class_predicate(g, PERSON_CLASSES)
    for cdp in ctx.systems_with_role(CDP):
        inbound = sorted((a["flow"], u) for u, _, a in g.in_edges(cdp, data=True)
                         if a.get("type") == "flows_to"
                         and any(person(d) for d in a.get("data", ())))
        sources = sorted({u for _, u in inbound})
        outbound = _flow_ids(g.out_edges(cdp, data=True))
        problems = []
        if len(sources) < min_sources:
            problems.append(f"only {ctx.name(sources[0])} sends it {ctx.term('customer')} data"
                            if len(sources) == 1
                            else f"no system sends it {ctx.term('customer')} data" if not sources
                            else f"only {len(sources)} systems send it {ctx.term('customer')} data")
        if not outbound:
            problems.append("nothing flows out of it")
        if problems:
            yield Hit(message=f"{ctx.name(cdp)} is a CDP in name only: "
                              + " and ".join(problems) + ".",
                      subject=cdp, nodes=(cdp, *sources),
                      edges=tuple(f for f, _ in inbound) + tuple(outbound))


# --- TEC-05 -------------------------------------------------------------------------------
@rule("TEC-05")
def duplicated_function(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    min_providers = ctx.threshold("min_providers", 3)
    for cap in ctx.nodes_of("capability"):
        if g.nodes[cap].get("shared_ok"):
            continue
        providers = [s for s in ctx.in_typed(cap, "provides") if g.nodes[s].get("kind") == "system"]
        if len(providers) >= min_providers:
            yield Hit(message=f"{len(providers)} systems provide {ctx.name(cap)}: "
                              f"{ctx.names(providers)}.",
                      subject=cap, nodes=(cap, *providers))


# --- TEC-06 -------------------------------------------------------------------------------
@rule("TEC-06")
def comms_platform_not_integrated(ctx: RuleContext) -> Iterator[Hit]:
    """Severity rises when the platform serves a busy channel (top by volume or a large share:
    ``busy_top``/``busy_share`` thresholds), where the most conversations go unrecorded."""
    g = ctx.graph
    back_home = _reaching_hubs(ctx)
    busy = busy_channels(ctx)
    for system in ctx.systems_with_role("communications-platform"):
        if _roles(g, system) & HUB_ROLES or system in back_home:
            continue
        channels = sorted({c for t in ctx.out_typed(system, "serves")
                           for c in ctx.out_typed(t, "uses_channel")})
        busy_here = [c for c in channels if c in busy]
        data = _engagement_data(ctx, system)
        plural = "s" if len(busy_here) > 1 else ""
        where = f" on the busy channel{plural} {ctx.names(busy_here)}" if busy_here else ""
        yield Hit(message=(f"Conversations held in {ctx.name(system)}{where} are never logged "
                           "to a system of record or CDP."),
                  subject=system, nodes=(system, *data, *channels),
                  severity="high" if busy_here else None)


# --- TEC-07 -------------------------------------------------------------------------------
@rule("TEC-07")
def single_point_of_failure(ctx: RuleContext) -> Iterator[Hit]:
    """A system whose loss would cut core systems off from one another. Only pieces holding a
    core system count: losing a link to a peripheral tool is a smaller matter."""
    g = ctx.graph
    core_roles = set(ctx.threshold("core_roles", sorted(CORE_ROLES)))
    min_parts = ctx.threshold("min_core_parts", 2)
    core = {s for s in ctx.nodes_of("system") if _roles(g, s) & core_roles}
    sides = ctx.cached(("tec:articulation", tuple(sorted(core))),
                       lambda: articulation_sides(undirected(ctx), core))
    by_design = set(ctx.threshold("hub_roles", [SOR, CDP]))
    for system, parts in sides.items():
        if g.nodes[system].get("redundant") or len(parts) < min_parts:
            continue
        # A system of record or CDP is the hub by design: everything
        # passing through it is the architecture, not a weakness of it.
        if _roles(g, system) & by_design:
            continue
        reps = [rep for _, rep in parts]
        flows = _flow_ids([*g.in_edges(system, data=True), *g.out_edges(system, data=True)])
        pieces = "; ".join(ctx.name(rep) + (f" and {n - 1} more" if n > 1 else "")
                           for n, rep in parts)
        yield Hit(message=(f"If {ctx.name(system)} fails, core systems end up in {len(parts)} "
                           f"separate groups ({pieces}), with no other path between them."),
                  subject=system, nodes=(system, *reps), edges=tuple(flows))


# --- TEC-08 -------------------------------------------------------------------------------
@rule("TEC-08")
def isolated_system(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    systems = ctx.nodes_of("system")
    if len(systems) < ctx.threshold("min_systems", 2):
        raise NotAssessed("an ecosystem of one system cannot have an isolated member")
    u = undirected(ctx)
    for system in systems:
        # A system being eliminated needs no connection: it needs switching off.
        if g.nodes[system].get("lifecycle") == "eliminate":
            continue
        if u.degree(system) == 0 and not g.nodes[system].get("standalone"):
            yield Hit(message=f"{ctx.name(system)} exchanges no data with any other system.",
                      subject=system, nodes=(system,))


# --- TEC-09 -------------------------------------------------------------------------------
@rule("TEC-09")
def manual_feed_into_core(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    classes = set(ctx.threshold("data_classes", sorted(PERSON_CLASSES | {"transaction"})))
    target_roles = set(ctx.threshold("target_roles", [SOR, CDP, SOE]))
    modes = set(ctx.threshold("modes", ["manual"]))
    carries = class_predicate(g, classes)
    flows = sorted((a["flow"], u, v, a) for u, v, a in ctx.index.edges("flows_to")
                   if a.get("type") == "flows_to" and a.get("mode") in modes)
    for flow, source, target, a in flows:
        data = sorted(d for d in a.get("data", ()) if carries(d))
        if data and _roles(g, target) & target_roles:
            yield Hit(message=(f"{capital(ctx.names(data))} {'goes' if len(data) == 1 else 'go'} "
                               f"from {ctx.name(source)} into {ctx.name(target)} by hand."),
                      subject=flow, nodes=(source, target, *data), edges=(flow,),
                      facts={"source": ctx.name(source), "target": ctx.name(target)})


# --- TEC-10 -------------------------------------------------------------------------------
@rule("TEC-10")
def advertising_without_loop(ctx: RuleContext) -> Iterator[Hit]:
    """Results must come back to a hub or analytics, directly or through other systems (an
    integration layer in between is fine)."""
    ad_systems = ctx.systems_with_role("advertising")
    if not ad_systems:
        return
    sinks = ctx.systems_with_role(*ctx.threshold("loop_roles", [SOR, CDP, "analytics"]))
    looped = reaching_by_flows(ctx, sinks)
    for ads in ad_systems:
        if ads not in looped:
            yield Hit(message=(f"Nothing {ctx.name(ads)} learns about campaigns and "
                               "conversions flows back to a system of record, CDP or analytics."),
                      subject=ads, nodes=(ads,))


# --- TEC-11 -------------------------------------------------------------------------------
@rule("TEC-11")
def point_to_point_sprawl(ctx: RuleContext) -> Iterator[Hit]:
    """Graph half: many systems wired directly to each other with no integration layer.
    Answer half: the client says the estate is too hard to change. Either half suffices."""
    question = ctx.threshold("maintainability_question", "q9.4")
    systems = ctx.nodes_of("system")
    level = median_answer(ctx.audit, question)
    if not systems and level is None:
        raise NotAssessed(f"no systems in the inventory and no answer on {ctx.question(question)}")
    reasons: list[str] = []
    links = undirected(ctx).number_of_edges()
    ratio = links / len(systems) if systems else 0.0
    if (not ctx.systems_with_role("integration") and len(systems) >= ctx.threshold("min_systems", 6)
            and ratio > ctx.threshold("max_links_per_system", 1.5)):
        reasons.append(f"{len(systems)} systems are wired by {links} direct links "
                       f"({ratio:.1f} per system) with no integration layer")
    if level is not None and level <= ctx.threshold("max_maintainability", 1):
        reasons.append(f"respondents rate {ctx.question(question)} at {level:g} of 4")
    if reasons:
        yield Hit(message="The integration estate is sprawling: " + "; ".join(reasons) + ".",
                  answers=answer_refs(ctx.audit, question) if level is not None else ())


# --- TEC-12 -------------------------------------------------------------------------------
@rule("TEC-12")
def no_view_of_contact_pressure(ctx: RuleContext) -> Iterator[Hit]:
    """Several systems send to people and no system learns of every send: nothing can cap how
    often one person is contacted. An orchestration layer, or any system that receives the
    engagement data of every sender, is a place where a frequency cap can work."""
    g = ctx.graph
    purposes = set(ctx.threshold("purposes", ["marketing", "fundraising", "commerce"]))
    # Advertising platforms cap their own impressions and address nobody by name: they are
    # not the messages a person counts.
    ads = set(ctx.systems_with_role("advertising"))
    senders = sorted({s for t in ctx.nodes_of("touchpoint")
                      if g.nodes[t].get("style") == "broadcast"
                      and (g.nodes[t].get("purpose") or "marketing") in purposes
                      for s in ctx.in_typed(t, "serves")} - ads)
    if len(senders) < ctx.threshold("min_senders", 2):
        return
    if ctx.systems_with_role("orchestration"):
        return
    engagement = engagement_projection(ctx)
    seen_by: dict[str, set[str]] = {}
    for sender in senders:
        reached = engagement.reachable_from([sender]) if sender in engagement else {sender}
        for system in reached | {sender}:
            seen_by.setdefault(system, set()).add(sender)
    if any(len(seen) == len(senders) for seen in seen_by.values()):
        return  # one system sees every send, so a cap can be applied there
    yield Hit(message=f"{len(senders)} systems send to {ctx.term('customers')} "
                      f"({ctx.names(senders)}) and none of them, nor any other system, learns "
                      "of every send, so nothing can limit how often one person is contacted.",
              nodes=tuple(senders))
