"""Root causes, the roadmap and the blueprint of each component, named for the report.

The assessment decided all of it: which hits share a root cause, how severe it is, which
remedies the roadmap takes and in what order, what each component's target state says. Here
we only drop what the consultant dismissed, look up names, and pick what leads (the root
causes of the executive summary, the headline recommendation). No sentence is written here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.render.report.names import Names
from auditor.schema.assessment import SEVERITY_RANK, Assessment
from auditor.schema.blueprint import ComponentBlueprint, RaciRow
from auditor.schema.roadmap import Roadmap, RoadmapItem

if TYPE_CHECKING:
    from auditor.render.report.view import FindingView

TOP_ROOT_CAUSES = 5


@dataclass(frozen=True)
class RootCauseView:
    key: str
    headline: str
    severity: str
    component: str
    component_name: str
    rationale: str  # why it matters: the lead finding's, filled from the case
    recommendation: str
    remedy: str | None  # the remedy's title
    remedy_id: str | None  # for the link to its roadmap entry
    phase: int | None  # the roadmap phase of its remedy
    interactions: int | None  # a year, on the channels concerned
    people: int | None  # in the segments concerned
    subjects: tuple[str, ...]  # names
    findings: tuple[FindingView, ...]  # lead first
    more: int = 0  # findings behind it left out of this list (the PDF's, on a large estate)


@dataclass(frozen=True)
class Retiring:
    name: str
    lifecycle: str
    successor: str | None


@dataclass(frozen=True)
class NeedServed:
    need: str
    segment: str


@dataclass(frozen=True)
class RoadmapItemView:
    remedy: str  # id: anchors and cross-references only
    title: str
    component: str
    component_name: str
    phase: int
    effort: str
    severity: str | None
    included: str
    quick_win: bool
    owner: str | None
    systems: tuple[str, ...]
    why: tuple[str, ...]  # headlines of the root causes it resolves
    why_more: int  # how many more beyond those shown
    unblocks: tuple[NeedServed, ...]
    interactions: int | None
    share: float | None
    people: int | None
    after: tuple[str, ...]  # titles of the items directly before it
    retiring: tuple[Retiring, ...]
    weight: int = 0  # what it resolves, weighted by severity (low 1 ... critical 4)


@dataclass(frozen=True)
class PhaseView:
    number: int
    items: tuple[RoadmapItemView, ...]


@dataclass(frozen=True)
class InPlace:
    title: str
    status: str  # in-place | done
    evidence: tuple[str, ...]
    needed_by: tuple[str, ...]  # titles


@dataclass(frozen=True)
class RoadmapView:
    phases: tuple[PhaseView, ...]
    next_90_days: tuple[RoadmapItemView, ...]
    headline: RoadmapItemView | None
    quick_wins: int
    in_place: tuple[InPlace, ...]
    done: tuple[str, ...]  # titles
    uncovered: int  # findings no remedy addresses

    def __bool__(self) -> bool:
        return bool(self.phases)

    @property
    def items(self) -> tuple[RoadmapItemView, ...]:
        return tuple(i for p in self.phases for i in p.items)


@dataclass(frozen=True)
class TargetStatementView:
    stage: str
    text: str


@dataclass(frozen=True)
class RecommendationView:
    title: str
    remedy: str  # id, for the link to the roadmap
    phase: int | None
    owner: str | None
    quick_win: bool


@dataclass(frozen=True)
class BlueprintView:
    """What the blueprint says about one component, beyond its score."""

    facts: tuple[str, ...]
    self_rated: float | None
    evidenced: float | None
    stage: str | None
    target: int | None
    target_stage: str | None
    target_set_by_client: bool
    next_requires: tuple[str, ...]
    target_state: tuple[TargetStatementView, ...]
    recommendations: tuple[RecommendationView, ...]


@dataclass(frozen=True)
class RaciView:
    kind: str
    name: str
    responsible: tuple[str, ...]
    accountable: tuple[str, ...]
    consulted: tuple[str, ...]
    informed: tuple[str, ...]


def root_cause_views(assessment: Assessment, shown: Mapping[str, FindingView],
                     component_names: Mapping[str, str], names: Names,
                     roadmap: Roadmap | None) -> tuple[RootCauseView, ...]:
    """The assessment's root causes, most severe first, each with the findings beneath it
    that the report shows; a root cause whose every finding was dismissed is left out."""
    phases = {i.remedy: i.phase for i in roadmap.items} if roadmap else {}
    rationale = {f.key: f.rationale for f in assessment.findings}
    out = []
    for cause in assessment.root_causes:
        findings = tuple(shown[k] for k in cause.findings if k in shown)
        if not findings:
            continue
        severity = max((f.severity for f in findings), key=lambda s: SEVERITY_RANK[s])
        reach = cause.reach
        out.append(RootCauseView(
            cause.key, cause.headline, severity, cause.component,
            component_names.get(cause.component, cause.component),
            rationale.get(cause.lead, ""), cause.recommendation,
            cause.remedy_title or None, cause.remedy, phases.get(cause.remedy or ""),
            reach.interactions_per_year if reach else None, reach.people if reach else None,
            names.many(cause.subjects), findings))
    return tuple(sorted(out, key=_cause_order))


def _cause_order(cause: RootCauseView) -> tuple[int, int, int]:
    # Most severe first; among equals the one that reaches most interactions, then the one
    # with the most evidence. The assessment's own order breaks remaining ties (stable sort).
    return (-SEVERITY_RANK[cause.severity], -(cause.interactions or 0), -len(cause.findings))


def leading_causes(causes: tuple[RootCauseView, ...]) -> tuple[RootCauseView, ...]:
    """The root causes a chief executive reads first: the most severe, at most five."""
    return causes[:TOP_ROOT_CAUSES]


def roadmap_view(assessment: Assessment, names: Names, component_names: Mapping[str, str],
                 effort_labels: Mapping[str, str], live_causes: set[str]) -> RoadmapView:
    plan = assessment.roadmap
    if plan is None or not plan.items:
        return RoadmapView((), (), None, 0, (), (), 0)
    titles = {i.remedy: i.title for i in plan.items}
    titles.update({p.remedy: p.title for p in plan.prerequisites})
    items = {i.remedy: _item_view(i, names, component_names, effort_labels, titles, live_causes)
             for i in plan.items}
    phases = tuple(PhaseView(p.number, tuple(items[r] for r in p.items if r in items))
                   for p in plan.phases)
    next_90 = tuple(items[r] for r in plan.next_90_days if r in items)
    in_place = tuple(InPlace(p.title, p.status, p.evidence,
                             tuple(titles.get(r, r) for r in p.needed_by))
                     for p in plan.prerequisites)
    return RoadmapView(tuple(p for p in phases if p.items), next_90, _headline(items.values()),
                       sum(1 for i in items.values() if i.quick_win), in_place,
                       tuple(titles.get(r, r) for r in plan.done), len(plan.uncovered))


def _item_view(item: RoadmapItem, names: Names, component_names: Mapping[str, str],
               effort_labels: Mapping[str, str], titles: Mapping[str, str],
               live_causes: set[str]) -> RoadmapItemView:
    # A reason whose findings were all dismissed is no longer a reason to do the work.
    live = [r for r in item.why if r.kind != "root-cause" or r.key in live_causes]
    why = [r.headline for r in live]
    shown = why[:4]
    return RoadmapItemView(
        item.remedy, item.title, item.component,
        component_names.get(item.component, item.component), item.phase,
        effort_labels.get(item.effort, item.effort), item.severity, item.included,
        item.quick_win, item.owner_name or names(item.owner) or None,
        item.system_names or names.many(item.systems), tuple(shown), len(why) - len(shown),
        tuple(NeedServed(u.name, u.segment_name) for u in item.unblocks),
        item.reach.interactions_per_year, item.reach.share, item.reach.people,
        tuple(titles.get(a, a) for a in item.after),
        tuple(Retiring(r.name, r.lifecycle, r.successor_name) for r in item.retiring),
        sum(SEVERITY_RANK[r.severity] + 1 for r in live))


def _headline(items: Iterable[RoadmapItemView]) -> RoadmapItemView | None:
    """The one recommendation to lead with: the item that resolves the most, each root cause
    weighted by its severity (low 1, medium 2, high 3, critical 4), so one item that settles
    three high problems leads one that settles a single critical; then the most severe, the
    widest reach and the earliest phase."""
    candidates = [i for i in items if i.why]
    if not candidates:
        return None
    return min(candidates, key=lambda i: (
        -i.weight, -SEVERITY_RANK.get(i.severity or "low", 0), -(i.interactions or 0),
        i.phase, i.title))


def blueprint_view(component: ComponentBlueprint | None, next_requires: tuple[str, ...],
                   roadmap: RoadmapView) -> BlueprintView | None:
    if component is None:
        return None
    items = {i.remedy: i for i in roadmap.items}
    mat = component.maturity
    recs = []
    for rec in component.recommendations:
        item = items.get(rec.remedy)
        recs.append(RecommendationView(rec.title, rec.remedy, rec.phase,
                                       item.owner if item else None,
                                       bool(item and item.quick_win)))
    return BlueprintView(
        tuple(f.text for f in component.facts), mat.self_rated, mat.evidenced, mat.stage,
        mat.target, mat.target_stage, mat.target_source == "audit", next_requires,
        tuple(TargetStatementView(t.stage, t.text) for t in component.target_state),
        tuple(recs))


def raci_views(rows: tuple[RaciRow, ...], names: Names) -> tuple[RaciView, ...]:
    return tuple(RaciView(r.kind, r.name, names.many(r.responsible), names.many(r.accountable),
                          names.many(r.consulted), names.many(r.informed)) for r in rows)


def live_cause_keys(causes: tuple[RootCauseView, ...]) -> set[str]:
    return {c.key for c in causes}


__all__ = ["BlueprintView", "RaciView", "RoadmapItemView", "RoadmapView", "RootCauseView",
           "blueprint_view", "leading_causes", "raci_views", "root_cause_views", "roadmap_view"]
