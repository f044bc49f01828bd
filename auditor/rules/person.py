"""Person rules (PER-*): who the customer is, where that is mastered, and whether it is trusted."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from auditor.answers import answer_ref, levels, median_answer, median_number
from auditor.graph.keys import skill_id
from auditor.graph.traverse import (
    ENGAGEMENT_CLASSES,
    PERSON_CLASSES,
    class_predicate,
    flow_projection,
    hubs,
    in_typed,
    nodes_of,
    reaching,
    systems_with_role,
)
from auditor.rules.queries import (
    busy_channels,
    capability_providers,
    data_of_classes,
    datum_masters,
    engagement_projection,
    flow_index,
    masters_by_class,
    names,
    reached_by_datum,
    serving_systems,
    sources_reaching,
    touchpoint_channel,
)
from auditor.rules.registry import Hit, NotAssessed, RuleContext, rule


# --- PER-01 -------------------------------------------------------------------------------
@dataclass(frozen=True)
class IdentityCoverage:
    """Who masters identity data and how much of it the best resolver receives."""

    data: tuple[str, ...]  # identity data with at least one master
    masters: tuple[str, ...]  # P
    resolvers: tuple[str, ...]
    best: str | None  # the resolver receiving identity from most masters
    covered: tuple[str, ...]  # masters reaching ``best``

    @property
    def uncovered(self) -> tuple[str, ...]:
        return tuple(m for m in self.masters if m not in self.covered)

    @property
    def resolved(self) -> bool:
        return self.best is not None and not self.uncovered


def identity_coverage(ctx: RuleContext) -> IdentityCoverage:
    """PER-01's measurement, shared with the single-customer-view contradiction (CON-01)."""
    def make() -> IdentityCoverage:
        g = ctx.graph
        by_system = masters_by_class(g, ["identity"])
        masters = tuple(sorted(by_system))
        data = tuple(sorted({d for ds in by_system.values() for d in ds}))
        resolvers = tuple(sorted(set(systems_with_role(g, "cdp"))
                                 | set(capability_providers(g, ["identity-resolution"]))))
        f_identity = flow_projection(g, class_predicate(g, ["identity"]))
        reach_bits = sources_reaching(f_identity, list(masters))
        best: str | None = None
        covered: tuple[str, ...] = ()
        best_count = -1
        for r in resolvers:  # sorted, so ties go to the smaller id
            mask = reach_bits.get(r, 0)
            count = mask.bit_count()
            if count > best_count:
                best, best_count = r, count
                covered = tuple(m for i, m in enumerate(masters) if mask >> i & 1)
        return IdentityCoverage(data, masters, resolvers, best, covered)
    return ctx.cached("identity-coverage", make)


@rule("PER-01")
def person_mastered_unresolved(ctx: RuleContext) -> Iterator[Hit]:
    cov = identity_coverage(ctx)
    if len(cov.masters) < ctx.threshold("min_masters", 2) or cov.resolved:
        return
    severe = (len(cov.masters) >= ctx.threshold("critical_masters", 4)
              and len(cov.covered) < ctx.threshold("critical_coverage", 2))
    # The duplicate rate respondents report (q8.3) shows the damage is already done.
    dup_question = ctx.threshold("duplicates_question", "q8.3")
    duplicates = median_number(ctx.audit, dup_question)
    dup_limit = ctx.threshold("critical_duplicates", 20)
    cited: tuple[str, ...] = ()
    extra = ""
    if duplicates is not None and duplicates >= dup_limit:
        severe = True
        cited = tuple(answer_ref(dup_question, r) for r in _numeric_respondents(ctx, dup_question))
        extra = f" Respondents put duplicates at {duplicates:g}% ({dup_question})."
    if cov.best is None:
        detail = "no CDP or identity-resolution capability receives it"
    else:
        detail = (f"the best resolver, {cov.best}, receives identity data from "
                  f"{len(cov.covered)} of them; not from {names(list(cov.uncovered))}")
    yield Hit(
        message=f"{len(cov.masters)} systems create person identity records "
                f"({names(list(cov.masters))}) and {detail}.{extra}",
        subject=cov.data[0] if cov.data else "",
        nodes=(*cov.masters, *cov.data, *cov.resolvers),
        answers=cited,
        severity="critical" if severe else None,
    )


def _numeric_respondents(ctx: RuleContext, question: str) -> list[str]:
    return sorted({a.respondent for a in ctx.audit.answers if a.question == question
                   and not a.not_applicable and not isinstance(a.value, bool)
                   and isinstance(a.value, (int, float))})


# --- PER-02 -------------------------------------------------------------------------------
@rule("PER-02")
def attribute_two_masters(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    for d in data_of_classes(g, ctx.threshold("classes", ["contact-point", "profile", "consent"])):
        attrs = g.nodes[d]
        is_attribute = attrs.get("entity") not in (None, d)
        # An attribute without masters of its own is covered by its entity's finding.
        if is_attribute and not in_typed(g, d, "masters"):
            continue
        masters = datum_masters(g, d)
        if len(masters) >= 2 and not attrs.get("survivorship"):
            yield Hit(
                message=f"{d} ({attrs.get('data_class')}) can be changed in {len(masters)} "
                        f"systems ({names(masters)}) and no survivorship rule says which wins.",
                subject=d, nodes=(d, *masters))


# --- PER-03 -------------------------------------------------------------------------------
def quality_support(ctx: RuleContext) -> list[str]:
    """Systems or teams that show a data-quality function exists."""
    g = ctx.graph
    found = set(systems_with_role(g, "data-quality"))
    found.update(capability_providers(g, ["data-quality"]))
    for team in nodes_of(g, "team"):
        for _, skill, a in g.out_edges(team, data=True):
            if (a.get("type") == "staffed_by" and skill_id(skill) == "data-quality"
                    and a.get("level", 0) >= 1):
                found.add(team)
    return sorted(found)


@rule("PER-03")
def no_data_quality(ctx: RuleContext) -> Iterator[Hit]:
    question = ctx.threshold("question", "q8.1")
    level = median_answer(ctx.audit, question)
    if level is None:
        raise NotAssessed(f"{question} not answered")
    if level > ctx.threshold("max_level", 1) or quality_support(ctx):
        return
    cited = [answer_ref(question, r) for r, _ in levels(ctx.audit, question)]
    # Reported duplicate or bounce rates above the limits make the missing process critical.
    worse = []
    for what, q, limit in (
            ("duplicates", ctx.threshold("duplicates_question", "q8.3"),
             ctx.threshold("critical_duplicates", 20)),
            ("bounces", ctx.threshold("bounces_question", "q8.3b"),
             ctx.threshold("critical_bounces", 10))):
        share = median_number(ctx.audit, q)
        if share is not None and share >= limit:
            worse.append(f"{what} at {share:g}% ({q})")
            cited += [answer_ref(q, r) for r in _numeric_respondents(ctx, q)]
    extra = f" Reported {' and '.join(worse)}." if worse else ""
    yield Hit(
        message=f"Respondents rate the data-quality process at {level:g} ({question}) and no "
                f"system, capability or team is dedicated to data quality.{extra}",
        subject=question, answers=tuple(cited), severity="critical" if worse else None)


# --- PER-04 -------------------------------------------------------------------------------
@rule("PER-04")
def unmanaged_segment_lists(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    hub_set = set(hubs(g))
    person = class_predicate(g, PERSON_CLASSES)
    person_masters = masters_by_class(g, PERSON_CLASSES)
    for s in capability_providers(g, ctx.threshold("capabilities", ["segmentation"])):
        if s in hub_set:
            continue
        inflows = [(a["flow"], a["mode"], a.get("data", ())) for _, _, a in g.in_edges(s, data=True)
                   if a.get("type") == "flows_to"]
        person_in = sorted((f, m) for f, m, data in inflows if any(person(d) for d in data))
        if person_in and all(m == "manual" for _, m in person_in):
            flows = [f for f, _ in person_in]
            yield Hit(message=f"{s} segments customers, but every person feed into it is manual "
                              f"({names(flows)}).", subject=s, nodes=(s,), edges=tuple(flows))
        elif not inflows and s in person_masters:
            data = person_masters[s]
            yield Hit(message=f"{s} segments customers from person data it keeps itself "
                              f"({names(data)}) and nothing flows into it.",
                      subject=s, nodes=(s, *data))


# --- PER-05 -------------------------------------------------------------------------------
@rule("PER-05")
def consent_missing_at_sender(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    kinds = set(ctx.threshold("channel_kinds", ["email", "sms", "messaging", "phone", "mail"]))
    purposes = set(ctx.threshold("purposes", ["marketing", "fundraising"]))
    latency = ctx.threshold("max_latency", 2)
    consent_data = data_of_classes(g, ["consent"])
    reached: set[str] = set()
    consent_masters: set[str] = set()
    for d in consent_data:
        masters = datum_masters(g, d)
        consent_masters.update(masters)
        reached |= reached_by_datum(ctx, d, masters, latency)
    for tp in nodes_of(g, "touchpoint"):
        attrs = g.nodes[tp]
        channel = touchpoint_channel(g, tp)
        purpose = attrs.get("purpose")
        if (attrs.get("style") != "broadcast" or channel is None
                or g.nodes[channel].get("ckind") not in kinds
                or (purpose is not None and purpose not in purposes)):
            continue
        senders = [s for s in serving_systems(g, tp) if s not in reached]
        if not senders:
            continue
        them = "them" if len(senders) > 1 else "it"
        source = (f"no consent master ({names(sorted(consent_masters))}) feeds {them} within a "
                  "day"
                  if consent_masters else "no system records consent at all")
        yield Hit(message=f"{tp} sends {purpose or 'outbound'} messages on {channel} from "
                          f"{names(senders)}, and {source}.",
                  subject=tp, nodes=(tp, channel, *senders, *sorted(consent_masters)))


# --- PER-06 -------------------------------------------------------------------------------
@rule("PER-06")
def busy_channel_outside_profile(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    busy = busy_channels(ctx)
    into_hub = reaching(engagement_projection(ctx), hubs(g))
    by_channel: dict[str, list[str]] = defaultdict(list)
    for tp in nodes_of(g, "touchpoint"):
        channel = touchpoint_channel(g, tp)
        if channel in busy and not any(s in into_hub for s in serving_systems(g, tp)):
            by_channel[channel].append(tp)
    for channel in sorted(by_channel):
        tps = by_channel[channel]
        systems = sorted({s for tp in tps for s in serving_systems(g, tp)})
        volume = g.nodes[channel].get("volume") or 0
        verb = "are" if len(tps) > 1 else "is"
        where = f"recorded only in {names(systems)}" if systems else "not recorded in any system"
        yield Hit(message=f"{channel} is a busy channel ({volume:,} interactions a year) but "
                          f"{names(tps)} {verb} {where}, and nothing brings those interactions "
                          "to a system of record or CDP.",
                  subject=channel, nodes=(channel, *tps, *systems))


# --- PER-07 -------------------------------------------------------------------------------
@rule("PER-07")
def transactions_apart(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    index = flow_index(ctx)

    def holders(d: str) -> set[str]:
        return set(datum_masters(g, d)) | {v for _, v, _, _ in index.carriers(d)}

    engaged: set[str] = set()
    for d in data_of_classes(g, ENGAGEMENT_CLASSES - {"transaction"}):
        engaged |= holders(d)
    for d in data_of_classes(g, ["transaction"]):
        held = holders(d)
        if held and not held & engaged:
            yield Hit(message=f"{d} is kept only in {names(sorted(held))}, where no interaction "
                              "or case history is kept, so these transactions cannot be read "
                              "alongside conversations.",
                      subject=d, nodes=(d, *sorted(held)))
