"""Person rules (PER-*): who the customer is, where that is mastered, and whether it is trusted."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.answers import answer_ref, levels, median_answer, median_number
from auditor.graph.keys import skill_id
from auditor.graph.names import capital, common_noun, join_words
from auditor.graph.traverse import (
    ENGAGEMENT_CLASSES,
    PERSON_CLASSES,
    class_predicate,
)
from auditor.rules.queries import (
    Reach,
    busy_channels,
    capability_providers,
    class_masters,
    data_of_classes,
    engagement_projection,
    flow_index,
    reached_by_datum,
    serving_systems,
    sources_reaching,
    touchpoint_channel,
)
from auditor.rules.registry import Hit, NotAssessed, RuleContext, rule
from auditor.rules.wording import owned_providers

if TYPE_CHECKING:
    import networkx as nx


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
        by_system = class_masters(ctx, ["identity"])
        masters = tuple(sorted(by_system))
        data = tuple(sorted({d for ds in by_system.values() for d in ds}))
        resolvers = tuple(sorted(set(ctx.systems_with_role("cdp"))
                                 | set(capability_providers(g, ["identity-resolution"]))))
        f_identity = Reach.of(ctx, ["identity"]).digraph()
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
        extra = f" Respondents put duplicates at {duplicates:g}%."
    # Records against people (q1.3 vs q1.3b) show how far the copies have multiplied.
    records_q = ctx.threshold("records_question", "q1.3")
    people_q = ctx.threshold("people_question", "q1.3b")
    records, people = median_number(ctx.audit, records_q), median_number(ctx.audit, people_q)
    if records and people and records > people:
        extra += (f" Respondents count {records:,.0f} {ctx.term('customer')} records for about "
                  f"{people:,.0f} people.")
        cited += tuple(answer_ref(q, r) for q in (records_q, people_q)
                       for r in _numeric_respondents(ctx, q))
    if cov.best is None:
        detail = "no CDP or identity-resolution tool matches them"
    else:
        detail = (f"{ctx.name(cov.best)} receives identity data from {len(cov.covered)} of "
                  f"them, not from {ctx.names(cov.uncovered)}")
    yield Hit(
        message=f"{len(cov.masters)} systems create their own {ctx.term('customer')} records "
                f"({ctx.names(cov.masters)}) and {detail}.{extra}",
        subject=cov.data[0] if cov.data else "",
        nodes=(*cov.masters, *cov.data, *cov.resolvers),
        answers=cited,
        severity="critical" if severe else None,
        facts={"creators": ctx.names(cov.masters), "uncovered": ctx.names(cov.uncovered),
               "resolver": ctx.name(cov.best) if cov.best else ""},
    )


def _numeric_respondents(ctx: RuleContext, question: str) -> list[str]:
    return sorted({a.respondent for a in ctx.audit.answers if a.question == question
                   and not a.not_applicable and not isinstance(a.value, bool)
                   and isinstance(a.value, (int, float))})


# --- PER-02 -------------------------------------------------------------------------------
@rule("PER-02")
def attribute_two_masters(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    for d in data_of_classes(ctx, ctx.threshold("classes", ["contact-point", "profile", "consent"])):
        attrs = g.nodes[d]
        is_attribute = attrs.get("entity") not in (None, d)
        # An attribute without masters of its own is covered by its entity's finding.
        if is_attribute and not ctx.in_typed(d, "masters"):
            continue
        masters = ctx.masters_of(d)
        if len(masters) >= 2 and not attrs.get("survivorship"):
            # Two systems that both send messages and both keep their own consent will each
            # honour only the opt-outs they hold: a conflict people notice, and a legal risk.
            senders = [m for m in masters if m in _broadcast_senders(ctx)]
            is_consent = attrs.get("data_class") == "consent"
            conflict = is_consent and len(senders) >= 2
            # Consent with two masters is fixed by carrying every change to every sender, not
            # by a data model decision alone: the remedy says so (and groups it with the
            # findings about consent that does not reach senders).
            yield Hit(
                message=f"{capital(ctx.name(d))} "
                        f"can be changed in {len(masters)} systems ({ctx.names(masters)}) and no "
                        "rule says which change wins.",
                subject=d, nodes=(d, *masters),
                severity=ctx.threshold("consent_conflict_severity", "high") if conflict else None,
                remedy=ctx.threshold("consent_remedy", None) if is_consent else None)


def _broadcast_senders(ctx: RuleContext) -> set[str]:
    g = ctx.graph
    return ctx.cached("per:broadcast-senders", lambda: {
        s for tp in ctx.nodes_of("touchpoint") if g.nodes[tp].get("style") == "broadcast"
        and g.nodes[tp].get("purpose") in ("marketing", "fundraising", None)
        for s in serving_systems(ctx, tp)})


# --- PER-03 -------------------------------------------------------------------------------
def quality_support(ctx: RuleContext) -> list[str]:
    """Systems or teams that show a data-quality function exists."""
    g = ctx.graph
    found = set(ctx.systems_with_role("data-quality"))
    found.update(capability_providers(g, ["data-quality"]))
    for team in ctx.nodes_of("team"):
        for _, skill, a in g.out_edges(team, data=True):
            if (a.get("type") == "staffed_by" and skill_id(skill) == "data-quality"
                    and a.get("level", 0) >= 1):
                found.add(team)
    return sorted(found)


@rule("PER-03")
def no_data_quality(ctx: RuleContext) -> Iterator[Hit]:
    """Respondents' rating of the data-quality process, or the damage they measured, decides.

    A tool that lists a data-quality feature is not a process: duplicate rules nobody works
    leave the duplicates in place. So tools only change the advice (use what you own), never
    whether the rule fires."""
    question = ctx.threshold("question", "q8.1")
    level = median_answer(ctx.audit, question)
    measured = []
    for what, q, limit in (
            ("duplicates", ctx.threshold("duplicates_question", "q8.3"),
             ctx.threshold("duplicates_limit", 5)),
            ("bounced addresses", ctx.threshold("bounces_question", "q8.3b"),
             ctx.threshold("bounces_limit", 5))):
        share = median_number(ctx.audit, q)
        if share is not None:
            measured.append((what, q, share, limit))
    if level is None and not measured:
        raise NotAssessed(f"no answer on {ctx.question(question)} and no duplicate or bounce "
                          "rate given")
    weak = level is not None and level <= ctx.threshold("max_level", 1)
    damage = [(what, q, share) for what, q, share, limit in measured if share >= limit]
    if not weak and not damage:
        return
    cited = [answer_ref(question, r) for r, _ in levels(ctx.audit, question)] if weak else []
    for _, q, _ in damage:
        cited += [answer_ref(q, r) for r in _numeric_respondents(ctx, q)]
    parts = []
    if weak:
        parts.append(f"Respondents rate {ctx.question(question)} at {level:g} of 4")
    if damage:
        parts.append("measured " + join_words(f"{what} at {share:g}%"
                                               for what, _, share in damage))
    # The same tools the advice offers to use ("use what you own").
    tools = owned_providers(ctx, "data-quality")
    said = "; ".join(parts)
    said = said[:1].upper() + said[1:]
    tooled = (f", although {ctx.names(tools)} {'has' if len(tools) == 1 else 'have'} "
              "data-quality features" if tools else "")
    critical = any(
        share >= ctx.threshold(f"critical_{'duplicates' if what == 'duplicates' else 'bounces'}",
                               20 if what == "duplicates" else 10)
        for what, _, share in damage)
    yield Hit(message=f"{said}{tooled}.", subject=question, nodes=tuple(tools),
              answers=tuple(dict.fromkeys(cited)),
              severity="critical" if critical else None)


# --- PER-04 -------------------------------------------------------------------------------
@rule("PER-04")
def unmanaged_segment_lists(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    hub_set = set(ctx.hubs())
    person = class_predicate(g, PERSON_CLASSES)
    person_masters = class_masters(ctx, PERSON_CLASSES)
    for s in capability_providers(g, ctx.threshold("capabilities", ["segmentation"])):
        if s in hub_set:
            continue
        inflows = [(a["flow"], a["mode"], a.get("data", ())) for _, _, a in g.in_edges(s, data=True)
                   if a.get("type") == "flows_to"]
        person_in = sorted((f, m) for f, m, data in inflows if any(person(d) for d in data))
        if person_in and all(m == "manual" for _, m in person_in):
            flows = [f for f, _ in person_in]
            sources = sorted({u for u, _, a in g.in_edges(s, data=True)
                              if a.get("type") == "flows_to" and a["flow"] in flows})
            yield Hit(message=f"{ctx.name(s)} segments {ctx.term('customers')} from copies of "
                              f"{ctx.names(sources)} loaded by hand.",
                      subject=s, nodes=(s, *sources), edges=tuple(flows))
        elif not inflows and s in person_masters:
            data = person_masters[s]
            yield Hit(message=f"{ctx.name(s)} segments {ctx.term('customers')} from "
                              f"{ctx.names(data)} it keeps itself, and nothing flows into it.",
                      subject=s, nodes=(s, *data))


# --- PER-05 -------------------------------------------------------------------------------
#: Words in a consent datum's id or name that tie it to one kind of channel.
_CONSENT_CHANNELS = {
    "email": re.compile(r"\be-?mail"),
    "sms": re.compile(r"\b(sms|text messages?)\b"),
    "phone": re.compile(r"\b(tele)?phone|\bcalls?\b"),
    "messaging": re.compile(r"\b(whatsapp|messaging)\b"),
    "mail": re.compile(r"\b(post|postal|mail|direct mail|letters?)\b"),
}


def _consent_channel(g: nx.MultiDiGraph, datum: str) -> str | None:
    """The channel kind a consent datum is about ('email-consent' -> 'email'); None when it
    names none, or several (a general consent governs every channel)."""
    text = f"{datum} {g.nodes[datum].get('name', '')}".lower()
    text = text.replace("e-mail", "email").replace("-", " ")
    found = [kind for kind, pattern in _CONSENT_CHANNELS.items() if pattern.search(text)]
    if "email" in found and "mail" in found and not re.search(r"\b(post|postal|letters?)\b", text):
        found.remove("mail")  # 'e mail' also matched the bare word 'mail'
    return found[0] if len(found) == 1 else None


@rule("PER-05")
def consent_missing_at_sender(ctx: RuleContext) -> Iterator[Hit]:
    """Each system sending marketing or fundraising must learn, in time, of the consent and
    opt-outs recorded anywhere else for its channel. A sender keeping a consent field of its
    own proves nothing: people who opted out elsewhere are still contacted. Post is opt-out:
    mailing needs no prior consent, only that recorded objections reach the mailing system."""
    g = ctx.graph
    kinds = set(ctx.threshold("channel_kinds", ["email", "sms", "messaging", "phone", "mail"]))
    purposes = set(ctx.threshold("purposes", ["marketing", "fundraising"]))
    opt_out_kinds = set(ctx.threshold("opt_out_kinds", ["mail"]))
    latency = ctx.threshold("max_latency", 2)
    consent = [(d, _consent_channel(g, d), ctx.masters_of(d))
               for d in data_of_classes(ctx, ["consent"])]
    consent = [(d, kind, masters) for d, kind, masters in consent if masters]

    relevant_for: dict[str | None, list[tuple[str, str, set[str]]]] = {}

    def relevant_to(ckind: str | None) -> list[tuple[str, str, set[str]]]:
        """(consent datum, master, where the datum reaches from it) for each datum governing
        channels of ``ckind``. The same datum and master come up for every touchpoint and
        sender: one traversal each, not one per touchpoint (440,000 on the L estate)."""
        found = relevant_for.get(ckind)
        if found is None:
            found = relevant_for[ckind] = [
                (d, m, reached_by_datum(ctx, d, [m], latency))
                for d, kind, masters in consent if kind in (None, ckind) for m in masters]
        return found

    # What a sender misses depends on the sender and the channel kind alone; a sender runs
    # hundreds of touchpoints on a few kinds, so it is worked out once per pair: the consent
    # data it does not learn of in time and the masters they are recorded in (one pass over
    # hundreds of (datum, master) pairs for each of hundreds of senders on a large estate).
    missing_for: dict[tuple[str, str | None], tuple[set[str], set[str]]] = {}
    listed: set[tuple[str, str | None]] = set()  # (sender, kind) whose missing data is listed

    # One finding per sender and kind of gap, naming all its touchpoints: the fix is one feed.
    gaps: dict[tuple[str, str], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for tp in ctx.nodes_of("touchpoint"):
        attrs = g.nodes[tp]
        channel = touchpoint_channel(ctx, tp)
        purpose = attrs.get("purpose")
        ckind = g.nodes[channel].get("ckind") if channel else None
        if (attrs.get("style") != "broadcast" or channel is None or ckind not in kinds
                or (purpose is not None and purpose not in purposes)):
            continue
        relevant = relevant_to(ckind)
        for sender in serving_systems(ctx, tp):
            missing = missing_for.get((sender, ckind))
            if missing is None:
                missing = missing_for[(sender, ckind)] = (set(), set())
                for d, m, reach in relevant:
                    if m != sender and sender not in reach:
                        missing[0].add(d)
                        missing[1].add(m)
            misses = bool(missing[0])
            found = gaps[(sender, "missing" if misses else "opt-out" if ckind in opt_out_kinds
                          else "none")] if misses or not relevant else None
            if found is None:
                continue
            found["touchpoints"].add(tp)
            found["channels"].add(channel)
            if (sender, ckind) not in listed:  # the same set for each of its touchpoints
                listed.add((sender, ckind))
                found["data"].update(missing[0])
                found["sources"].update(missing[1])
    for (sender, kind), found in sorted(gaps.items()):
        tps, channels = sorted(found["touchpoints"]), sorted(found["channels"])
        data, sources = sorted(found["data"]), sorted(found["sources"])
        sends = f"{ctx.name(sender)} sends {ctx.names(tps)}"
        nodes = (*tps, *channels, sender, *data, *sources)
        # A channel inside a sentence is a common noun ("post"), unless it is a brand.
        over = join_words(common_noun(ctx.name(c)) for c in channels)
        if kind == "missing":
            yield Hit(message=f"{sends}, but {ctx.names(data)} recorded in {ctx.names(sources)} "
                              f"{'does' if len(data) == 1 else 'do'} not reach it within a day, "
                              "so people who opted out there are still contacted.",
                      subject=sender, key=(sender,), nodes=nodes,
                      facts={"unrecorded": "", "over": over})
        elif kind == "opt-out":
            yield Hit(message=f"{sends}, and no system records who asked not to receive {over}.",
                      subject=sender, key=(sender, "opt-out"), nodes=nodes,
                      severity=ctx.threshold("opt_out_severity", "medium"),
                      facts={"unrecorded": "opt-outs", "over": over})
        else:
            yield Hit(message=f"{sends}, and no system records consent for {over}.",
                      subject=sender, key=(sender, "no-consent"), nodes=nodes,
                      facts={"unrecorded": "consent", "over": over})


# --- PER-06 -------------------------------------------------------------------------------
@rule("PER-06")
def busy_channel_outside_profile(ctx: RuleContext) -> Iterator[Hit]:
    g = ctx.graph
    busy = busy_channels(ctx)
    into_hub = engagement_projection(ctx).reaching(ctx.hubs())
    by_channel: dict[str, list[str]] = defaultdict(list)
    for tp in ctx.nodes_of("touchpoint"):
        channel = touchpoint_channel(ctx, tp)
        if channel in busy and not any(s in into_hub for s in serving_systems(ctx, tp)):
            by_channel[channel].append(tp)
    for channel in sorted(by_channel):
        tps = by_channel[channel]
        systems = sorted({s for tp in tps for s in serving_systems(ctx, tp)})
        volume = g.nodes[channel].get("volume") or 0
        verb = "are" if len(tps) > 1 else "is"
        where = (f"recorded only in {ctx.names(systems)}" if systems
                 else "not recorded in any system")
        yield Hit(message=f"{ctx.name(channel)} carries {volume:,} interactions a year, but "
                          f"{ctx.names(tps)} {verb} {where}, and nothing brings those "
                          f"conversations to the {ctx.term('customer')} record.",
                  subject=channel, nodes=(channel, *tps, *systems))


# --- PER-07 -------------------------------------------------------------------------------
@rule("PER-07")
def transactions_apart(ctx: RuleContext) -> Iterator[Hit]:
    index = flow_index(ctx)

    def holders(d: str) -> set[str]:
        return set(ctx.masters_of(d)) | {v for _, v, _, _ in index.carriers(d)}

    engaged: set[str] = set()
    for d in data_of_classes(ctx, ENGAGEMENT_CLASSES - {"transaction"}):
        engaged |= holders(d)
    for d in data_of_classes(ctx, ["transaction"]):
        held = holders(d)
        if held and not held & engaged:
            yield Hit(message=f"{capital(ctx.name(d))} is kept only in "
                              f"{ctx.names(sorted(held))}, where no interaction or case history "
                              "is kept, so it cannot be read alongside conversations.",
                      subject=d, nodes=(d, *sorted(held)))
