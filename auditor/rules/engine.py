"""The rule engine: rule metadata from ``blueprints/rules*.yaml`` + registered check functions.

``run_rules(audit, graph, catalogue, backtracking=…)`` checks that every rule has what it
reads (``needs``), runs the checks in sorted rule-id order and turns their hits into
findings. A rule whose inputs the audit lacks is reported as *not assessed* with a reason,
never counted as a silent pass.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor.errors import ContentError
from auditor.problems import Problem
from auditor.rules.confirmation import capped, unconfirmed_evidence
from auditor.rules.registry import RULES, Hit, NotAssessed, RuleContext, index_key
from auditor.rules.severity import scaled
from auditor.rules.wording import fill
from auditor.schema.assessment import Evidence, Finding, RuleStatus
from auditor.schema.catalogue import RuleMeta

if TYPE_CHECKING:
    import networkx as nx

    from auditor.catalogue import Catalogue
    from auditor.graph.index import GraphIndex
    from auditor.schema.audit import Audit
    from auditor.schema.backtrack import BacktrackResult

#: Modules of ``auditor.rules`` that hold no checks.
_NOT_RULE_MODULES = frozenset({"engine", "registry", "queries", "wording", "confirmation"})

_INVENTORY_NEEDS = (
    "systems", "channels", "touchpoints", "flows", "data", "journeys", "teams", "skills",
    "metrics", "policies", "capabilities",
)
_VISION_NEEDS = ("segments", "needs")


def _live(items: list, include_planned: bool) -> list:
    return [i for i in items if include_planned or getattr(i, "status", "current") != "planned"]


def _collection_need(name: str) -> Callable[[Audit, bool], bool]:
    def present(audit: Audit, include_planned: bool) -> bool:
        section = audit.vision if name in _VISION_NEEDS else audit.inventory
        # Whether there is one, not the list of all (20,000 items on a large estate).
        return any(include_planned or getattr(i, "status", "current") != "planned"
                   for i in getattr(section, name))
    return present


def _channel_volumes(audit: Audit, include_planned: bool) -> bool:
    return any(c.interactions_per_year for c in _live(audit.inventory.channels, include_planned))


def _stages(audit: Audit, include_planned: bool) -> bool:
    return any(j.stages for j in _live(audit.inventory.journeys, include_planned))


def _owners(audit: Audit, include_planned: bool) -> bool:
    inv = audit.inventory
    return (any(s.owners for s in _live(inv.systems, include_planned))
            or any(j.owner or any(st.owner for st in j.stages)
                   for j in _live(inv.journeys, include_planned)))


def _answer_text(audit: Audit, include_planned: bool) -> bool:
    return any(a.note or a.evidence or isinstance(a.value, str) for a in audit.answers)


#: What a rule may declare in ``needs`` (besides ``answers:<question id>``), with the test
#: that the audit provides it and the wording used when it does not.
NEEDS: dict[str, tuple[Callable[[Audit, bool], bool], str]] = {
    **{n: (_collection_need(n), f"no {n} in the inventory") for n in _INVENTORY_NEEDS},
    **{n: (_collection_need(n), f"no {n} in the vision") for n in _VISION_NEEDS},
    "channel-volumes": (_channel_volumes, "no channel has interactions per year"),
    "stages": (_stages, "no journey has stages"),
    "owners": (_owners, "no system, journey or stage has an owner"),
    "answer-text": (_answer_text, "no answer has a note, evidence or text"),
}


def _answered(audit: Audit, question: str) -> bool:
    return any(a.question == question and not a.not_applicable and a.value not in (None, "", [])
               for a in audit.answers)


def unmet_need(need: str, audit: Audit, include_planned: bool = False,
               question_name: Callable[[str], str] | None = None) -> str | None:
    """Why ``need`` is not met by ``audit`` (None when it is). ``a|b`` means either will do.
    ``question_name`` names a question in the reason (the catalogue's short title)."""
    reasons = []
    for alternative in need.split("|"):
        alternative = alternative.strip()
        if alternative.startswith("answers:"):
            question = alternative.split(":", 1)[1]
            if _answered(audit, question):
                return None
            reasons.append(f"no answer on {question_name(question) if question_name else question}")
        else:
            test, reason = NEEDS[alternative]
            if test(audit, include_planned):
                return None
            reasons.append(reason)
    return " and ".join(reasons)


def describe_need(need: str) -> str:
    """Human wording of a ``needs`` entry for the catalogue listing."""
    parts = []
    for alternative in need.split("|"):
        alternative = alternative.strip()
        if alternative.startswith("answers:"):
            parts.append(f"answer {alternative.split(':', 1)[1]}")
        else:
            parts.append(alternative)
    return " or ".join(parts)


# --- loading ------------------------------------------------------------------------------
def import_rule_modules() -> None:
    """Import every module of ``auditor.rules`` so their ``@rule`` functions register."""
    import auditor.rules as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name not in _NOT_RULE_MODULES and not info.name.startswith("_"):
            importlib.import_module(f"auditor.rules.{info.name}")


def _check_needs(metas: tuple[RuleMeta, ...]) -> None:
    problems = []
    for meta in metas:
        for need in meta.needs:
            for alternative in need.split("|"):
                alternative = alternative.strip()
                if alternative.startswith("answers:") and len(alternative) > len("answers:"):
                    continue
                if alternative not in NEEDS:
                    problems.append(Problem(path=(meta.id, "needs"), file="blueprints/rules*.yaml",
                                            message=f"'{alternative}' is not a known input; use "
                                                    f"answers:<question> or one of: "
                                                    f"{', '.join(sorted(NEEDS))}"))
    if problems:
        raise ContentError("some rules declare inputs the engine does not know",
                           problems=problems)


_checked: dict[int, tuple[RuleMeta, ...]] = {}


def checked_rules(catalogue: Catalogue) -> tuple[RuleMeta, ...]:
    """The catalogue's rule metadata, cross-checked against the registered functions (both
    directions) and the known inputs; checked once per catalogue."""
    metas = catalogue.rules
    if _checked.get(id(catalogue)) is metas:
        return metas
    import_rule_modules()
    _check_needs(metas)
    catalogue.remedies  # noqa: B018 - parsed now so a broken remedy file is reported on every run
    known = {m.id for m in metas}
    problems = [Problem(path=(rid,), file="blueprints/rules*.yaml",
                        message="has metadata but no registered check function")
                for rid in sorted(known - set(RULES))]
    problems += [Problem(path=(rid,), file=RULES[rid].__module__,
                         message="has a check function but no metadata in blueprints/")
                 for rid in sorted(set(RULES) - known)]
    if problems:
        raise ContentError("the rule catalogue and the rule functions do not match",
                           hint="Every rule needs an entry in blueprints/rules*.yaml and one "
                                "@rule function.", problems=problems)
    _checked.clear()
    _checked[id(catalogue)] = metas
    return metas


# --- running ------------------------------------------------------------------------------
@dataclass(frozen=True)
class RulesResult:
    findings: list[Finding]
    statuses: list[RuleStatus]
    #: Hits of rules whose outcome is 'discussion' (stakeholders disagreeing), not gaps.
    discussion: list[Finding] = field(default_factory=list)

    def status(self, rule_id: str) -> RuleStatus | None:
        return next((s for s in self.statuses if s.rule == rule_id), None)


def finding_key(rule_id: str, ids: tuple[str, ...]) -> str:
    """'RULE' alone for a rule that fires once per audit, else 'RULE:id+id'."""
    return f"{rule_id}:{'+'.join(ids)}" if ids else rule_id


def finding_from_hit(meta: RuleMeta, hit: Hit, ctx: RuleContext | None = None,
                     planned: tuple[str, ...] = (),
                     planned_retiring: tuple[str, ...] = ()) -> Finding:
    """The finding of ``hit``; with ``ctx``, its rationale and recommendation are the rule's
    templates filled for this case (without, the templates' text as written)."""
    unconfirmed = unconfirmed_evidence(ctx, hit) if ctx is not None else ()
    remedy = hit.remedy or meta.remedy
    rated = hit.severity or meta.severity
    if ctx is not None:
        severity, why = scaled(ctx, rated, remedy)
        filled = fill(ctx, meta, hit, planned, unconfirmed, planned_retiring,
                      scaled={"rated": rated, "severity": severity, "why": why} if why else None)
        title, rationale, recommendation = filled.title, filled.rationale, filled.recommendation
    else:
        title, rationale, recommendation = meta.title, meta.rationale, meta.recommendation
        severity = rated
    final = capped(severity, unconfirmed)
    return Finding(
        key=finding_key(meta.id, hit.key_ids()), rule=meta.id, title=title, component=meta.component,
        severity=final, subject=hit.subject, message=hit.message,
        # Checks may name a node twice (as provider and on a path); evidence lists it once.
        evidence=Evidence(nodes=tuple(dict.fromkeys(hit.nodes)),
                          edges=tuple(dict.fromkeys(hit.edges)),
                          answers=tuple(dict.fromkeys(hit.answers))),
        rationale=rationale, recommendation=recommendation,
        remedy=remedy, remedy_title=_remedy_title(ctx, remedy),
        scaled_from=rated if severity != rated else None,
        planned=planned, planned_retiring=planned_retiring,
        unconfirmed=tuple(u.item for u in unconfirmed),
        uncapped=severity if final != severity else None,
    )


def _remedy_title(ctx: RuleContext | None, remedy: str | None) -> str:
    found = ctx.catalogue.remedy(remedy) if ctx is not None and remedy else None
    return found.title if found else ""


@dataclass(frozen=True)
class PlannedState:
    """The ecosystem with its planned items, to tell which findings a plan would close.

    Planned items that rely on a system being migrated or eliminated (``relying``) are left
    out of ``graph``: they close nothing. ``with_relying`` is the ecosystem with them too, so
    a finding only they would close can say why it stays open."""

    graph: nx.MultiDiGraph
    backtracking: BacktrackResult
    relying: frozenset[str] = frozenset()
    with_relying: PlannedState | None = None


RETIRING = frozenset({"migrate", "eliminate"})


def relying_on_retiring(audit: Audit) -> dict[str, str]:
    """Planned items that rely on a system marked migrate or eliminate -> that system: a flow
    from or to it, a touchpoint run only on such systems, a planned system marked so itself."""
    inv = audit.inventory
    leaving = {s.id for s in inv.systems if s.lifecycle in RETIRING}
    found: dict[str, str] = {}
    for s in inv.systems:
        if s.status == "planned" and s.id in leaving:
            found[s.id] = s.id
    for f in inv.flows:
        if f.status == "planned":
            end = next((e for e in (f.source, f.via, f.target) if e in leaving), None)
            if end:
                found[f.id] = end
    for t in inv.touchpoints:
        if t.status == "planned" and t.systems and all(x in leaving for x in t.systems):
            found[t.id] = t.systems[0]
    return found


def _planned_touch(audit: Audit) -> dict[str, set[str]]:
    """Planned item id -> the ids it would change (itself and what it connects or provides)."""
    inv = audit.inventory
    touch: dict[str, set[str]] = {}
    for s in inv.systems:
        if s.status == "planned":
            touch[s.id] = {s.id, *s.capabilities, *s.masters}
    for f in inv.flows:
        if f.status == "planned":
            touch[f.id] = {f.id, f.source, f.target}
    for t in inv.touchpoints:
        if t.status == "planned":
            touch[t.id] = {t.id, *t.systems, *([t.channel] if t.channel else [])}
    for kind in ("channels", "data", "journeys", "teams", "metrics", "policies", "capabilities"):
        for item in getattr(inv, kind):
            if item.status == "planned":
                touch[item.id] = {item.id}
    return touch


def _touched_by(touch: dict[str, set[str]]) -> dict[str, set[str]]:
    """Each id, with the planned items that touch it (``touch`` turned inside out)."""
    index: dict[str, set[str]] = {}
    for item, ids in touch.items():
        for touched in ids:
            index.setdefault(touched, set()).add(item)
    return index


def _closing(hit: Hit, touched_by: dict[str, set[str]]) -> tuple[str, ...]:
    """The planned items that touch what the finding is about."""
    if not touched_by:  # nothing planned (most audits): no need to gather what it is about
        return ()
    about = {*hit.nodes, *hit.edges, hit.subject}
    return tuple(sorted({i for a in about for i in touched_by.get(a, ())}))


def _remaining(meta: RuleMeta, state: PlannedState, audit: Audit, catalogue: Catalogue,
               terms: dict[str, str], cache: dict[Any, Any]) -> set[str] | None:
    """The keys the rule still finds on the planned ecosystem ``state`` (None: not assessed)."""
    later = RuleContext(audit=audit, graph=state.graph, catalogue=catalogue,
                        backtracking=state.backtracking, thresholds=dict(meta.thresholds),
                        cache=cache, terms=terms)
    try:
        return {finding_key(meta.id, h.key_ids()) for h in RULES[meta.id](later)}
    except NotAssessed:
        return None


def run_rules(
    audit: Audit,
    graph: nx.MultiDiGraph,
    catalogue: Catalogue,
    *,
    backtracking: BacktrackResult,
    include_planned: bool = False,
    only: set[str] | None = None,
    planned: PlannedState | None = None,
    index: GraphIndex | None = None,
) -> RulesResult:
    """Run every catalogued rule (or the ids in ``only``) on ``audit``.

    ``graph`` and ``backtracking`` are computed once by the caller (``auditor.analysis``) and
    shared: the BKT rules report the gaps of that one trace rather than tracing again; so is
    ``index``, the analysis' index of ``graph`` (made here on first use when not given).
    With ``planned`` (the graph and trace including planned items), each rule also runs on
    the planned ecosystem, and a finding that is gone there names the planned items that
    close it.
    """
    from auditor.catalogue.wording import terms_for

    metas = checked_rules(catalogue)
    catalogue.templates  # noqa: B018 - compiled now so a broken template is reported on every run
    terms = terms_for(audit.client, catalogue.wording)
    cache: dict[Any, Any] = {}  # projections shared between rules of one run
    if index is not None and index.graph is graph:
        cache[index_key(graph)] = index
    planned_caches: tuple[dict[Any, Any], dict[Any, Any]] = ({}, {})
    touch = _planned_touch(audit) if planned is not None else {}
    left_out = planned.relying if planned is not None else frozenset()
    sound = _touched_by({i: ids for i, ids in touch.items() if i not in left_out})
    relying = _touched_by({i: ids for i, ids in touch.items() if i in left_out})
    findings: list[Finding] = []
    discussion: list[Finding] = []
    statuses: list[RuleStatus] = []
    for meta in metas:
        if only is not None and meta.id not in only:
            continue
        missing = [r for r in (unmet_need(n, audit, include_planned, catalogue.question_name)
                               for n in meta.needs) if r]
        if missing:
            statuses.append(RuleStatus(rule=meta.id, assessed=False, reason="; ".join(missing)))
            continue
        ctx = RuleContext(audit=audit, graph=graph, catalogue=catalogue,
                          backtracking=backtracking, thresholds=dict(meta.thresholds),
                          cache=cache, terms=terms)
        try:
            hits = list(RULES[meta.id](ctx))
        except NotAssessed as exc:
            statuses.append(RuleStatus(rule=meta.id, assessed=False, reason=str(exc)))
            continue
        # A finding names the planned items that close it, and only those touching what it is
        # about: where no planned item touches any of the rule's hits, every finding names
        # none whatever the planned ecosystem holds, so the rule is not run there again.
        closers = [_closing(h, sound) for h in hits]
        retirers = [_closing(h, relying) for h in hits]
        remaining: set[str] | None = None
        remaining_with_relying: set[str] | None = None
        if planned is not None and (any(closers) or any(retirers)):
            remaining = _remaining(meta, planned, audit, catalogue, terms, planned_caches[0])
            if planned.with_relying is not None and any(retirers):
                remaining_with_relying = _remaining(meta, planned.with_relying, audit, catalogue,
                                                    terms, planned_caches[1])
        rule_findings = []
        for h, closer, retirer in zip(hits, closers, retirers):
            key = finding_key(meta.id, h.key_ids())
            closed = remaining is not None and key not in remaining
            # Closed only by plans that rely on a system on its way out: it stays open.
            only_relying = (not closed and remaining_with_relying is not None
                            and key not in remaining_with_relying)
            rule_findings.append(finding_from_hit(
                meta, h, ctx, closer if closed else (),
                planned_retiring=retirer if only_relying else ()))
        if meta.outcome == "discussion":
            discussion.extend(rule_findings)
            statuses.append(RuleStatus(rule=meta.id, assessed=True))
            continue
        findings.extend(rule_findings)
        statuses.append(RuleStatus(rule=meta.id, assessed=True, findings=len(rule_findings)))
    findings.sort(key=lambda f: f.sort_key)
    discussion.sort(key=lambda f: f.sort_key)
    return RulesResult(findings=findings, statuses=statuses, discussion=discussion)
