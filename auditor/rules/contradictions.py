"""Contradiction rules (CON-*): what respondents claim against what the inventory shows.

Each finding cites both sides: the answers that make the claim (``q3.4/cmo``) and the systems,
flows or channels that contradict it. A claim is any single respondent's answer at or above
the rule's ``claim_level``; one confident stakeholder who is wrong is worth a conversation even
when the others are more modest.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from auditor.answers import answer_ref, claims, median_number
from auditor.graph.names import join_words
from auditor.graph.traverse import (
    CORE_ROLES,
    ENGAGEMENT_CLASSES,
    PERSON_CLASSES,
)
from auditor.rules.governance import respondent_name
from auditor.rules.person import identity_coverage, quality_support
from auditor.rules.queries import (
    busy_channels,
    engagement_projection,
    serving_systems,
    touchpoint_channel,
    undirected,
)
from auditor.rules.registry import Hit, RuleContext, rule
from auditor.schema.audit import Answer


def _claimed(ctx: RuleContext, questions: list[str]) -> list[tuple[str, str, float]]:
    """(question, respondent, level) of every answer at or above the claim level."""
    level = ctx.threshold("claim_level", 3)
    return [(q, r, v) for q in questions for r, v in claims(ctx.audit, q, level)]


def _said(ctx: RuleContext, found: list[tuple[str, str, float]]) -> str:
    return "; ".join(f"{respondent_name(ctx.audit, r)} rates {ctx.question(q)} at {v:g}"
                     for q, r, v in found)


def _refs(found: list[tuple[str, str, float]]) -> tuple[str, ...]:
    return tuple(answer_ref(q, r) for q, r, _ in found)


# --- CON-01 -------------------------------------------------------------------------------
@rule("CON-01")
def single_view_claimed(ctx: RuleContext) -> Iterator[Hit]:
    """A claim of one customer view (q1.1, q3.4) against the inventory (identity created in
    several systems and not reconciled) and against the answers themselves: many more person
    records than real people (q1.3 vs q1.3b), or no identifier linking systems (q1.4)."""
    found = _claimed(ctx, ctx.threshold("questions", ["q1.1", "q3.4"]))
    if not found:
        return
    cov = identity_coverage(ctx)
    reasons: list[str] = []
    cited = list(_refs(found))
    nodes: tuple[str, ...] = ()
    if len(cov.masters) >= 2 and not cov.resolved:
        gap = (f"nothing matches the records of {ctx.names(cov.uncovered)}" if cov.best
               else "nothing reconciles them")
        reasons.append(f"{len(cov.masters)} systems create {ctx.term('customer')} records "
                       f"({ctx.names(cov.masters)}) and {gap}")
        nodes = (*cov.masters, *cov.data, *cov.resolvers)
    records_q = ctx.threshold("records_question", "q1.3")
    people_q = ctx.threshold("people_question", "q1.3b")
    records, people = median_number(ctx.audit, records_q), median_number(ctx.audit, people_q)
    limit = ctx.threshold("max_records_per_person", 1.2)
    if records and people and records / people >= limit:
        reasons.append(f"the systems hold {records:,.0f} {ctx.term('customer')} records for "
                       f"about {people:,.0f} people")
        cited += _answer_refs(ctx, records_q) + _answer_refs(ctx, people_q)
    ids_q = ctx.threshold("identifiers_question", "q1.4")
    unlinked = [a for a in ctx.audit.answers if a.question == ids_q and not a.not_applicable
                and "none" in _values(a)]
    if unlinked:
        reasons.append(f"{_people_say(ctx, unlinked)} no identifier "
                       f"links a person across systems")
        cited += [answer_ref(ids_q, a.respondent) for a in unlinked]
    if reasons:
        yield Hit(message=f"{_said(ctx, found)}, claiming one view of the "
                          f"{ctx.term('customer')}, yet "
                          f"{'; and '.join(reasons)}.",
                  subject=cov.data[0] if cov.data else found[0][0],
                  answers=tuple(dict.fromkeys(cited)), nodes=nodes)


def _answer_refs(ctx: RuleContext, question: str) -> list[str]:
    return [answer_ref(question, a.respondent) for a in ctx.audit.answers
            if a.question == question and not a.not_applicable and a.value is not None]


def _people(ctx: RuleContext, answers: list[Answer]) -> str:
    return join_words(respondent_name(ctx.audit, r) for r in sorted({a.respondent for a in answers}))


def _people_say(ctx: RuleContext, answers: list[Answer]) -> str:
    """'Helen Achebe (CMO) says' or 'Helen Achebe (CMO) and Tom Okafor (…) say'."""
    verb = "says" if len({a.respondent for a in answers}) == 1 else "say"
    return f"{_people(ctx, answers)} {verb}"


def _values(answer: Answer) -> list[str]:
    value = answer.value
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    return []


# --- CON-02 -------------------------------------------------------------------------------
@rule("CON-02")
def capture_claimed(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    found = _claimed(ctx, ctx.threshold("questions", ["q3.2"]))
    if not found:
        return
    into_hub = engagement_projection(ctx).reaching(ctx.hubs())
    busy = busy_channels(ctx)
    lost: list[str] = []
    channels: set[str] = set()
    for tp in ctx.nodes_of("touchpoint"):
        channel = touchpoint_channel(ctx, tp)
        if channel not in busy:
            continue
        anonymous = g.nodes[tp].get("identified") is False
        if anonymous or not any(s in into_hub for s in serving_systems(ctx, tp)):
            lost.append(tp)
            channels.add(channel)
    if lost:
        many_c, many_t = len(channels) > 1, len(lost) > 1
        yield Hit(message=f"{_said(ctx, found)}, saying most interactions are captured against "
                          f"the person, yet {ctx.names(lost)}, on the busy "
                          f"channel{'s' if many_c else ''} {ctx.names(sorted(channels))}, "
                          f"{'are' if many_t else 'is'} anonymous or never "
                          f"reach{'' if many_t else 'es'} a system of record or CDP.",
                  subject=sorted(channels)[0], answers=_refs(found),
                  nodes=(*sorted(channels), *lost))


# --- CON-03 -------------------------------------------------------------------------------
def _texts(answer: Answer) -> list[str]:
    out = [answer.note or "", answer.evidence or ""]
    if isinstance(answer.value, str):
        out.append(answer.value)
    return [t for t in out if t]


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?;])\s+|\n+", text) if s.strip()]


@rule("CON-03")
def main_channel_unconnected(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    words = ctx.threshold("claim_words", ["main", "busiest", "primary", "biggest", "most"])
    claim = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    patterns = {}
    for c in ctx.nodes_of("channel"):
        spellings = {c.replace("-", " "), str(g.nodes[c].get("name", "")).lower()}
        alternatives = "|".join(sorted(re.escape(n) for n in spellings if len(n) >= 3))
        if alternatives:
            patterns[c] = re.compile(r"\b(" + alternatives + r")\b", re.IGNORECASE)
    claimed: dict[str, list[str]] = {}
    for answer in sorted(ctx.audit.answers, key=lambda a: (a.question, a.respondent)):
        for text in _texts(answer):
            for sentence in _sentences(text):
                if not claim.search(sentence):
                    continue
                for c, pattern in patterns.items():
                    if pattern.search(sentence):
                        ref = answer_ref(answer.question, answer.respondent)
                        if ref not in claimed.setdefault(c, []):
                            claimed[c].append(ref)
    for c in sorted(claimed):
        tps = ctx.in_typed(c, "uses_channel")
        systems = sorted({s for tp in tps for s in serving_systems(ctx, tp)})
        sending = [s for s in systems if any(t == "flows_to" for _, _, t in
                                             g.out_edges(s, data="type"))]
        if sending:
            continue
        if not tps:
            state = "no touchpoint on it is in the inventory"
        elif not systems:
            state = f"its touchpoints ({ctx.names(tps)}) are run by no system"
        else:
            state = f"nothing flows out of the systems behind it ({ctx.names(systems)})"
        who = join_words(respondent_name(ctx.audit, ref.partition("/")[2]) for ref in claimed[c])
        yield Hit(message=f"{ctx.name(c)} is called the main channel by {who}, but {state}, "
                          "so none of what happens there reaches the rest of the ecosystem.",
                  subject=c, answers=tuple(claimed[c]), nodes=(c, *tps, *systems))


# --- CON-04 -------------------------------------------------------------------------------
@rule("CON-04")
def integration_claimed(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    found = _claimed(ctx, ctx.threshold("questions", ["q9.3"]))
    if not found:
        return
    core = set(ctx.systems_with_role(*CORE_ROLES))
    carried = PERSON_CLASSES | ENGAGEMENT_CLASSES
    # The index's flows carry the classes of their data, worked out once per analysis.
    manual = sorted(f.flow for f in ctx.index.flows
                    if f.mode == "manual" and f.target in core and not carried.isdisjoint(f.classes))
    u = undirected(ctx)
    isolated = [s for s in ctx.nodes_of("system")
                if u.degree(s) == 0 and not g.nodes[s].get("standalone")]
    if not manual and not isolated:
        return
    parts = []
    if manual:
        named = set(manual[:5])  # the ends of the flows the sentence names, and only those
        ends = {f.flow: (f.source, f.target) for f in ctx.index.flows if f.flow in named}
        shown = [f"{ctx.name(ends[f][0])} to {ctx.name(ends[f][1])}" for f in manual[:5]]
        if len(manual) > 5:
            shown.append(f"{len(manual) - 5} more")
        routes = join_words(shown)
        parts.append(f"{ctx.term('customer')} data reaches core systems by hand ({routes})")
    if isolated:
        parts.append(f"{ctx.names(isolated)} exchange{'s' if len(isolated) == 1 else ''} no "
                     "data with anything")
    yield Hit(message=f"{_said(ctx, found)}, describing connected systems, yet "
                      f"{' and '.join(parts)}.",
              subject="q9.3", answers=_refs(found), nodes=tuple(isolated), edges=tuple(manual))


# --- CON-05 -------------------------------------------------------------------------------
@rule("CON-05")
def quality_claimed(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    found = _claimed(ctx, ctx.threshold("questions", ["q8.1"]))
    if not found:
        return
    reasons: list[str] = []
    cited = list(_refs(found))
    stewards = sorted({t for d in ctx.nodes_of("data")
                       if g.nodes[d].get("data_class") in PERSON_CLASSES
                       for t in ctx.in_typed(d, "owns")})
    if not quality_support(ctx) and not stewards:
        reasons.append("no data-quality tool, capability, skill or data steward is recorded")
    dims_q = ctx.threshold("dimensions_question", "q8.2")
    unmeasured = [a for a in ctx.audit.answers if a.question == dims_q and not a.not_applicable
                  and _values(a) in (["none"], [])]
    if unmeasured:
        reasons.append(f"{_people_say(ctx, unmeasured)} no quality "
                       f"dimension is measured")
        cited += [answer_ref(dims_q, a.respondent) for a in unmeasured]
    for question, key in ((ctx.threshold("duplicates_question", "q8.3"), "max_duplicates"),
                          (ctx.threshold("bounces_question", "q8.3b"), "max_bounces")):
        share = median_number(ctx.audit, question)
        limit = ctx.threshold(key, 10)
        if share is not None and share >= limit:
            what = "duplicates" if key == "max_duplicates" else "bounces"
            reasons.append(f"{what} are put at {share:g}% (limit {limit:g}%)")
            cited += [answer_ref(question, a.respondent) for a in ctx.audit.answers
                      if a.question == question and not a.not_applicable]
    if reasons:
        yield Hit(message=f"{_said(ctx, found)}, describing a managed data-quality process, yet "
                          f"{'; and '.join(reasons)}.",
                  subject="q8.1", answers=tuple(dict.fromkeys(cited)), nodes=tuple(stewards))


# --- CON-06 -------------------------------------------------------------------------------
@rule("CON-06")
def sponsor_claimed(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    found = _claimed(ctx, ctx.threshold("questions", ["q7.1"]))
    if not found:
        return
    executives = [t for t in ctx.nodes_of("team") if g.nodes[t].get("executive")]
    owning = [t for t in executives if ctx.out_typed(t, "owns")]
    if owning:
        return
    state = (f"the executives in the inventory ({ctx.names(executives)}) own no journey, "
             "metric or system" if executives else "no executive team or role is in the inventory")
    # The evidence the respondents offered for that support (q7.4) is quoted beside it, so the
    # conversation starts from what they showed.
    evidence_q = ctx.threshold("evidence_question", "q7.4")
    offered = [a for a in sorted(ctx.audit.answers, key=lambda a: a.respondent)
               if a.question == evidence_q and not a.not_applicable
               and (isinstance(a.value, str) and a.value.strip() or a.evidence)]
    quoted = "".join(f" {respondent_name(ctx.audit, a.respondent)} cites: \"{(a.value if isinstance(a.value, str) and a.value.strip() else a.evidence or '').strip()}\"."
                     for a in offered)
    yield Hit(message=f"{_said(ctx, found)}, describing a C-level sponsor, yet {state}.{quoted}",
              subject="q7.1",
              answers=(*_refs(found), *(answer_ref(evidence_q, a.respondent) for a in offered)),
              nodes=tuple(executives))
