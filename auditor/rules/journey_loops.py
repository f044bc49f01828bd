"""Journey rules about the relationship as a cycle (JRN-09…JRN-11): whether a cycle is defined at
all, whether what people buy reaches the system that talks to them next, and whether feedback
gets an answer."""

from __future__ import annotations

from collections.abc import Iterator

from auditor.answers import answer_ref, levels, median_answer, median_number
from auditor.rules.queries import (
    capability_providers,
    data_of_classes,
    reached_by_datum,
    serving_systems,
)
from auditor.rules.registry import Hit, NotAssessed, RuleContext, rule


# --- JRN-09 -------------------------------------------------------------------------------
@rule("JRN-09")
def no_defined_cycle(ctx: RuleContext) -> Iterator[Hit]:
    """No relationship cycle: respondents rate its definition low, or no journey has stages;
    and, where journeys exist, touchpoints that belong to no stage of any of them."""
    g = ctx.graph
    question = ctx.threshold("question", "q4.1")
    level = median_answer(ctx.audit, question)
    staged = [j for j in ctx.nodes_of("journey")
              if any(g.nodes[s].get("kind") == "stage" for s in ctx.out_typed(j, "contains"))]
    touchpoints = ctx.nodes_of("touchpoint")
    if level is None and not touchpoints:
        raise NotAssessed(f"no answer on {ctx.question(question)} and no touchpoints in the "
                          "inventory")
    weak = level is not None and level <= ctx.threshold("max_level", 1)
    if weak or (not staged and touchpoints):
        reasons = []
        if weak:
            reasons.append(f"respondents rate its definition at {level:g} of 4")
        if not staged:
            reasons.append("no journey in the inventory has stages")
        yield Hit(message=f"There is no defined {ctx.term('customer')} relationship cycle: "
                          f"{'; '.join(reasons)}.",
                  subject=question, nodes=tuple(staged),
                  answers=tuple(answer_ref(question, r) for r, _ in levels(ctx.audit, question))
                  if weak else ())
    if staged:
        loose = [t for t in touchpoints if not any(
            g.nodes[s].get("kind") == "stage" for s in ctx.in_typed(t, "contains"))]
        if loose and len(loose) / len(touchpoints) >= ctx.threshold("min_loose_share", 0.1):
            yield Hit(message=f"{len(loose)} of {len(touchpoints)} touchpoints belong to no "
                              f"stage of any journey ({ctx.names(loose)}), so nobody plans "
                              "what comes before or after them.",
                      subject="touchpoints", key=("stages",), nodes=tuple(loose))


# --- JRN-10 -------------------------------------------------------------------------------
@rule("JRN-10")
def purchases_never_reach_marketing(ctx: RuleContext) -> Iterator[Hit]:
    """A marketing system that sends to people but never learns what they bought or gave:
    no thank-you or onboarding after a purchase, and buyers keep getting the offer."""
    g = ctx.graph
    transactions = [d for d in data_of_classes(ctx, ["transaction"]) if ctx.masters_of(d)]
    if not transactions:
        raise NotAssessed("no transaction data has a master")
    purposes = set(ctx.threshold("purposes", ["marketing", "fundraising"]))
    senders = sorted({s for t in ctx.nodes_of("touchpoint")
                      if g.nodes[t].get("style") == "broadcast"
                      and g.nodes[t].get("purpose") in purposes
                      for s in serving_systems(ctx, t)})
    roles = set(ctx.threshold("roles", ["marketing-automation", "system-of-engagement"]))
    # How many people already hold more than one product (q2.3) says how often an offer
    # blind to purchases goes to someone who holds it: quoted when respondents gave it.
    holdings_q = ctx.threshold("holdings_question", "q2.3")
    share = median_number(ctx.audit, holdings_q)
    held = "" if share is None else (
        f" Respondents put the {ctx.term('customers')} who hold more than one product or "
        f"service at {share:g}%: what they already hold should shape what they are offered.")
    cited = () if share is None else tuple(
        answer_ref(holdings_q, a.respondent) for a in ctx.audit.answers
        if a.question == holdings_q and not a.not_applicable and a.value is not None)
    informed: set[str] | None = None  # where any transaction datum reaches: the same for all
    for system in senders:
        if not roles & set(g.nodes[system].get("roles", ())):
            continue
        if informed is None:
            informed = set().union(*(reached_by_datum(ctx, d, ctx.masters_of(d))
                                     for d in transactions))
        if system in informed:
            continue
        sources = sorted({m for d in transactions for m in ctx.masters_of(d)})
        yield Hit(message=f"{ctx.name(system)} sends to {ctx.term('customers')} but receives "
                          f"none of {ctx.names(transactions, 'or')} (kept in "
                          f"{ctx.names(sources)}), so it cannot thank, onboard or leave out "
                          f"people who have just bought or given.{held}",
                  subject=system, nodes=(system, *transactions, *sources), answers=cited)


# --- JRN-11 -------------------------------------------------------------------------------
@rule("JRN-11")
def feedback_never_closed(ctx: RuleContext) -> Iterator[Hit]:
    """Feedback collected in a system that passes nothing on: no system of record, CDP or
    conversational channel hears it, so nobody can answer the person or act on it."""
    g = ctx.graph
    collectors = capability_providers(g, ctx.threshold("capabilities", ["feedback-management"]))
    if not collectors:
        raise NotAssessed("no system provides feedback management")
    hub_set = set(ctx.hubs())
    answering = {s for t in ctx.nodes_of("touchpoint")
                 if g.nodes[t].get("style") in ("two-way", "participation")
                 for s in serving_systems(ctx, t)}
    for system in collectors:
        # A hub, or a system where the same people are answered, can close the loop itself.
        if system in hub_set or system in answering:
            continue
        targets = set(ctx.out_typed(system, "flows_to"))
        if targets & (hub_set | answering):
            continue
        surveys = sorted(t for t in ctx.out_typed(system, "serves")
                         if g.nodes[t].get("style") == "one-way-in")
        what = f" through {ctx.names(surveys)}" if surveys else ""
        yield Hit(message=f"{ctx.name(system)} collects feedback{what} but sends nothing to a "
                          "system of record, CDP or a team that talks to "
                          f"{ctx.term('customers')}, so nobody closes the loop.",
                  subject=system, nodes=(system, *surveys))

