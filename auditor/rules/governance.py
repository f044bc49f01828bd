"""People & governance gap rules GOV-01…GOV-06 (DOMAIN.md §4).

Half of these rules read interview answers rather than the graph. Answers are combined the way
scoring combines them: the median across respondents, ignoring 'not applicable'.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from auditor.answers import answer_ref, answer_spread, levels, median_answer
from auditor.graph.names import capital, join_words
from auditor.rules.registry import Hit, NotAssessed, RuleContext, rule

if TYPE_CHECKING:

    from auditor.schema.audit import Answer, Audit


# --- answers ------------------------------------------------------------------------------
def given_answers(audit: Audit, question: str) -> list[Answer]:
    """Answers to ``question`` that carry a value, sorted by respondent (deterministic)."""
    found = [a for a in audit.answers
             if a.question == question and not a.not_applicable and a.value not in (None, "", [])]
    return sorted(found, key=lambda a: a.respondent)


def respondent_name(audit: Audit, respondent: str) -> str:
    """'Helen Achebe (Chief Marketing Officer)' for a respondent id."""
    person = next((r for r in audit.respondents if r.id == respondent), None)
    if person is None:
        return respondent
    return f"{person.name} ({person.role})" if person.role else person.name


def answer_refs(audit: Audit, question: str) -> tuple[str, ...]:
    """Evidence references 'q7.1/cio' for every usable level given for ``question``."""
    return tuple(answer_ref(question, r) for r, _ in levels(audit, question))



# --- GOV-01 -------------------------------------------------------------------------------
@rule("GOV-01")
def no_executive_sponsor(ctx: RuleContext) -> Iterator[Hit]:
    """Two independent signals: no executive team owns any journey (graph), or the sponsor
    question is rated 1 or lower (answers). Either half runs when its input exists; the rule
    is not assessed only when neither does."""
    question = ctx.threshold("sponsor_question", "q7.1")
    max_level = ctx.threshold("max_sponsor_level", 1)
    journeys = ctx.nodes_of("journey")
    level = median_answer(ctx.audit, question)
    if not journeys and level is None:
        raise NotAssessed(f"no journeys in the inventory and no answer on {ctx.question(question)}")
    reasons: list[str] = []
    if journeys and not _executive_journey_owners(ctx, journeys):
        reasons.append(f"no executive owns any journey ({ctx.names(journeys)})")
    if level is not None and level <= max_level:
        reasons.append(f"respondents rate {ctx.question(question)} at {level:g} of 4")
    if reasons:
        yield Hit(message=(f"Nobody senior sponsors the {ctx.term('customer')} relationship: "
                           + "; ".join(reasons) + "."),
                  nodes=tuple(journeys), answers=answer_refs(ctx.audit, question))


def _executive_journey_owners(ctx: RuleContext, journeys: list[str]) -> list[str]:
    g = ctx.graph
    owners = {t for j in journeys for t in ctx.in_typed(j, "owns")}
    return sorted(t for t in owners
                  if g.nodes[t].get("kind") == "team" and g.nodes[t].get("executive"))


# --- GOV-02 -------------------------------------------------------------------------------
@rule("GOV-02")
def vanity_metrics(ctx: RuleContext) -> Iterator[Hit]:
    """No metric says whether customers are better off. Worst when everything measured is
    activity or money; softer when satisfaction or value metrics at least exist."""
    g = ctx.graph
    metrics = ctx.nodes_of("metric")
    if not metrics:
        raise NotAssessed("no metrics in the inventory")
    customer_types = set(ctx.threshold("customer_types",
                                       ["outcome", "responsiveness", "participation"]))
    vanity_types = set(ctx.threshold("vanity_types", ["activity", "financial"]))
    types = {m: g.nodes[m].get("mtype") for m in metrics}
    if customer_types.intersection(types.values()):
        return
    only_vanity = all(t in vanity_types for t in types.values())
    kinds = " or ".join(sorted({str(t) for t in types.values()}))
    # Respondents who say they track customer measures (q5.2) that the inventory lacks: the
    # measure may live in a spreadsheet nobody listed, or only in the answer.
    named_q = ctx.threshold("measures_question", "q5.2")
    named: list[tuple[str, list[str]]] = []
    for a in sorted(ctx.audit.answers, key=lambda a: a.respondent):
        if a.question == named_q and not a.not_applicable and isinstance(a.value, list):
            tracked = [str(v) for v in a.value if v != "none"]
            if tracked:
                named.append((a.respondent, tracked))
    said = "".join(f" {respondent_name(ctx.audit, who)} names {', '.join(tracked)} as tracked, "
                   f"but no such metric is recorded." for who, tracked in named)
    yield Hit(message=(f"The {len(metrics)} metrics ({ctx.names(metrics)}) are all {kinds} "
                       f"measures; none tracks what {ctx.term('customers')} get out of it, how "
                       f"fast they are answered or whether they take part.{said}"),
              nodes=tuple(metrics), answers=tuple(answer_ref(named_q, who) for who, _ in named),
              severity="high" if only_vanity else "medium")


# --- GOV-03 -------------------------------------------------------------------------------
@rule("GOV-03")
def conversation_unmeasured(ctx: RuleContext) -> Iterator[Hit]:
    """Channels where customers talk back, but no metric checks that someone answers.

    A response metric counts for a channel when it measures the channel itself or a
    conversational touchpoint on it; a stage- or journey-wide metric does not, because it
    cannot tell which channel goes unanswered."""
    g = ctx.graph
    styles = set(ctx.threshold("conversational_styles", ["two-way", "participation"]))
    exempt = set(ctx.threshold("exempt_channel_kinds", ["in-person"]))
    measure_types = set(ctx.threshold("response_metric_types", ["responsiveness", "participation"]))
    by_channel: dict[str, list[str]] = {}
    for tp in ctx.nodes_of("touchpoint"):
        channel = g.nodes[tp].get("channel")
        if g.nodes[tp].get("style") in styles and channel in g:
            by_channel.setdefault(channel, []).append(tp)
    for channel, touchpoints in sorted(by_channel.items()):
        if g.nodes[channel].get("ckind") in exempt:
            continue
        measured_things = {channel, *touchpoints}
        metrics = {m for thing in measured_things for m in ctx.in_typed(thing, "measures")}
        if any(g.nodes[m].get("mtype") in measure_types for m in metrics):
            continue
        yield Hit(message=(f"{capital(ctx.term('customers'))} talk to you on "
                           f"{ctx.name(channel)} ({ctx.names(touchpoints)}), but no metric "
                           "checks how fast they are answered or how many take part."),
                  subject=channel, nodes=(channel, *touchpoints))


# --- GOV-04 -------------------------------------------------------------------------------
@rule("GOV-04")
def unowned_system(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    high_roles = set(ctx.threshold("high_roles", ["system-of-record", "cdp", "orchestration"]))
    for system in ctx.nodes_of("system"):
        if ctx.in_typed(system, "owns"):
            continue
        roles = set(g.nodes[system].get("roles", ()))
        key = sorted(roles & high_roles)
        what = f", although it is a {join_words(r.replace('-', ' ') for r in key)}" if key else ""
        yield Hit(message=f"No team owns {ctx.name(system)}{what}.", subject=system,
                  nodes=(system,),
                  severity="high" if key else None)


# --- GOV-05 -------------------------------------------------------------------------------
@rule("GOV-05")
def stakeholders_disagree(ctx: RuleContext) -> Iterator[Hit]:
    """One finding per rubric sub-question whose levels lie ``min_spread`` or more apart.

    The spread is the one scoring shows, so the report's spread column and this rule always agree
    on which sub-questions are rubric ratings (a percentage or a count may differ freely)."""
    min_spread = ctx.threshold("min_spread", 2)
    rated = sorted((s for s in answer_spread(ctx.audit, ctx.catalogue) if len(s.levels) >= 2),
                   key=lambda s: s.question)
    if not rated:
        raise NotAssessed("no rubric question was answered by two or more respondents")
    for sub in rated:
        if sub.spread < min_spread:
            continue
        people = sorted(sub.levels.items())
        detail = join_words(f"{respondent_name(ctx.audit, r)} {v:g}" for r, v in people)
        yield Hit(message=(f"Respondents rate {ctx.question(sub.question)} {sub.spread:g} "
                           f"levels apart: {detail}."),
                  subject=sub.question,
                  answers=tuple(answer_ref(sub.question, r) for r, _ in people))


# --- GOV-06 -------------------------------------------------------------------------------
@rule("GOV-06")
def nobody_oversees(ctx: RuleContext) -> Iterator[Hit]:
    """Fires when respondents say nobody oversees the cycle and nobody names any oversight
    body; one respondent naming a steering group is enough to keep it quiet (GOV-05-style
    disagreement on a multi-choice question is left to the consultant)."""
    question = ctx.threshold("oversight_question", "q6.4")
    none_value = ctx.threshold("none_value", "none")
    answers = given_answers(ctx.audit, question)
    if not answers:
        raise NotAssessed(f"no answer on {ctx.question(question)}")
    chosen = {v for a in answers for v in _as_list(a.value)}
    bodies = sorted(chosen - {none_value})
    if none_value in chosen and not bodies:
        who = join_words(respondent_name(ctx.audit, a.respondent) for a in answers)
        yield Hit(message=f"Every answer on {ctx.question(question)}, from {who}, says no one "
                          f"oversees the "
                          f"{ctx.term('customer')} relationship.",
                  subject=question,
                  answers=tuple(answer_ref(question, a.respondent) for a in answers))


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]



# --- GOV-07 -------------------------------------------------------------------------------
@rule("GOV-07")
def outcome_without_data(ctx: RuleContext) -> Iterator[Hit]:
    """An outcome metric whose touchpoints run on systems that are neither a system of record,
    CDP or analytics tool nor feed one: the figure can only be assembled by hand, if at all."""
    from auditor.rules.queries import reaching_by_flows

    g = ctx.graph
    types = set(ctx.threshold("metric_types", ["outcome", "value"]))
    metrics = [m for m in ctx.nodes_of("metric") if g.nodes[m].get("mtype") in types]
    if not metrics:
        raise NotAssessed("no outcome metric in the inventory")
    sinks = set(ctx.systems_with_role(*ctx.threshold("sink_roles",
                                                    ["system-of-record", "cdp", "analytics"])))
    fed = reaching_by_flows(ctx, sinks) | sinks
    for metric in metrics:
        behind = _systems_behind(ctx, metric)
        if not behind or set(behind) & fed:
            continue
        yield Hit(message=f"{ctx.name(metric)} is an outcome measure, but what it counts "
                          f"happens in {ctx.names(behind)}, and none of them is or feeds a "
                          "system of record, CDP or analytics tool.",
                  subject=metric, nodes=(metric, *behind))


def _systems_behind(ctx: RuleContext, metric: str) -> list[str]:
    """Systems that serve the touchpoints a metric measures, directly or through the stages,
    journeys and channels it names."""
    g = ctx.graph
    touchpoints: set[str] = set()
    channels: set[str] = set()
    frontier = list(ctx.out_typed(metric, "measures"))
    while frontier:
        item = frontier.pop()
        kind = g.nodes[item].get("kind")
        if kind == "touchpoint":
            touchpoints.add(item)
        elif kind in ("journey", "stage"):
            frontier.extend(ctx.out_typed(item, "contains"))
        elif kind == "channel":
            channels.add(item)
    systems = {s for t in touchpoints for s in ctx.in_typed(t, "serves")}
    for channel in channels:
        systems |= _channel_systems(ctx, channel)
    return sorted(systems)


def _channel_systems(ctx: RuleContext, channel: str) -> set[str]:
    """The systems serving the touchpoints on ``channel``. Many metrics name the same dozen
    channels, each with thousands of touchpoints: once per channel and analysis."""
    return ctx.cached(("gov-07:channel-systems", channel), lambda: {
        s for t in ctx.in_typed(channel, "uses_channel") for s in ctx.in_typed(t, "serves")})
