"""The report's data: Assessment + Audit -> what the templates show, with names, not ids.

Nothing here decides what is wrong or how well the client scores: that is the Assessment's.
This module only selects, orders and names what the Assessment says (the five findings to lead
with, the questions where stakeholders disagree, the rows of each inventory table), so every
output format shows the same report. No sentence is written here: the templates do that.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from auditor.analysis.dismissals import apply_dismissals
from auditor.analysis.gaps import gap_list
from auditor.render.report import charts
from auditor.render.report.catalogue import (
    Glossary,
    Labels,
    SectionSpec,
    load_glossary,
    load_labels,
    load_sections,
)
from auditor.render.report.inventory import InventoryView, inventory_view
from auditor.render.report.names import Names, names_of
from auditor.render.report.plan import (
    BlueprintView,
    RaciView,
    RoadmapItemView,
    RoadmapView,
    RootCauseView,
    blueprint_view,
    leading_causes,
    live_cause_keys,
    raci_views,
    root_cause_views,
    roadmap_view,
)
from auditor.render.report.registers import (
    PersonMatrix,
    PolicyRow,
    person_matrix,
    policy_register,
)
from auditor.render.report.theme import Theme
from auditor.schema.assessment import Assessment, Finding, QuestionScore
from auditor.schema.audit import Audit

if TYPE_CHECKING:
    from auditor.analysis.assess import Analysis
    from auditor.catalogue import Catalogue

SEVERITIES = ("critical", "high", "medium", "low")


@dataclass(frozen=True)
class AnswerRef:
    question: str
    respondent: str


@dataclass(frozen=True)
class FindingView:
    key: str
    rule: str
    title: str
    component: str
    component_name: str
    severity: str
    subject: str
    message: str
    items: tuple[str, ...]
    flows: tuple[tuple[str, str], ...]
    answers: tuple[AnswerRef, ...]


@dataclass(frozen=True)
class RuleGroupView:
    rule: str
    title: str
    severity: str
    component: str
    component_name: str
    rationale: str
    recommendation: str
    remedy: str | None
    findings: tuple[FindingView, ...]

    @property
    def subjects(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.subject for f in self.findings if f.subject))


@dataclass(frozen=True)
class QuestionRow:
    id: str
    title: str
    self_rating: float | None
    score: float | None
    capped_by: str | None  # the title of the rule that capped the score
    cap_max: float | None
    answered: int
    total: int
    evidenced: float | None = None  # the level the inventory shows (scoring.yaml signatures)


@dataclass(frozen=True)
class ComponentView:
    id: str
    name: str
    summary: str
    target_state: str  # the catalogue's general description, when the blueprint has none
    score: float | None
    questions: tuple[QuestionRow, ...]
    groups: tuple[RuleGroupView, ...]
    counts: dict[str, int]
    root_causes: tuple[RootCauseView, ...] = ()
    blueprint: BlueprintView | None = None


@dataclass(frozen=True)
class Response:
    respondent: str
    role: str | None
    level: float
    label: str
    note: str | None


@dataclass(frozen=True)
class Disagreement:
    question: str
    text: str
    spread: float
    median: float
    responses: tuple[Response, ...]


@dataclass(frozen=True)
class Agreement:
    question: str
    text: str
    level: float
    label: str
    respondents: int


@dataclass(frozen=True)
class Alignment:
    disagreements: tuple[Disagreement, ...]
    agreements: tuple[Agreement, ...]
    contradictions: tuple[RuleGroupView, ...]

    def __bool__(self) -> bool:
        return bool(self.disagreements or self.agreements or self.contradictions)


@dataclass(frozen=True)
class Maturity:
    questions: tuple[QuestionRow, ...]
    radar: charts.Radar
    bars: charts.Bars
    strip: charts.Strip | None
    respondents: tuple[str, ...]
    capped: bool

    def __bool__(self) -> bool:
        return any(q.score is not None for q in self.questions)


@dataclass(frozen=True)
class GapRow:
    kind: str  # gap kind
    datum: str | None
    source: str | None
    system: str | None
    channel: str | None
    latency: int | None
    skills: tuple[str, ...]


@dataclass(frozen=True)
class ChainRow:
    segment: str
    need: str
    capability: str
    provider: str | None
    status: str
    max_latency: int | None
    gaps: tuple[GapRow, ...]


@dataclass(frozen=True)
class BuildRow:
    kind: str
    target: str
    system: str | None
    source: str | None
    data: tuple[str, ...]
    channel: str | None
    skills: tuple[str, ...]
    latency: int | None
    unblocks: tuple[str, ...]
    remedy: str | None


@dataclass(frozen=True)
class Backtracking:
    chains: tuple[ChainRow, ...]
    to_build: tuple[BuildRow, ...]
    unspecified: tuple[str, ...]
    counts: dict[str, int]

    def __bool__(self) -> bool:
        return bool(self.chains or self.unspecified)


@dataclass(frozen=True)
class Summary:
    overall: float | None
    stage: Any  # the scoring Stage reached (floor of the overall level), or None
    next_stage: Any
    weakest: QuestionRow | None
    strongest: QuestionRow | None
    answered_questions: int
    total_questions: int
    respondents: int
    counts: dict[str, int]
    total_findings: int
    top: tuple[RootCauseView, ...]
    root_causes: int
    components: tuple[ComponentView, ...]
    open_chains: int
    chains: int
    to_build: int
    next_requires: tuple[str, ...] = ()  # what the next stage asks of this client
    headline: RoadmapItemView | None = None  # the recommendation to lead with
    next_90_days: tuple[RoadmapItemView, ...] = ()


@dataclass(frozen=True)
class Cover:
    client: str
    industry: str | None
    title: str | None
    consultant: str | None
    consultancy: str | None
    started: dt.date | None
    date: dt.date
    scope: str | None


@dataclass(frozen=True)
class NotAssessed:
    rule: str
    title: str
    reason: str


@dataclass(frozen=True)
class SetAside:
    """A finding the consultant dismissed (``auditor dismiss``), left out of the report."""

    title: str
    subject: str
    reason: str
    by: str
    until: dt.date | None


@dataclass(frozen=True)
class Method:
    scale: tuple[Any, ...]
    caps: tuple[tuple[str, str, float, str], ...]  # (question title, rule title, max, reason)
    not_assessed: tuple[NotAssessed, ...]
    rules_run: int
    set_aside: tuple[SetAside, ...] = ()


@dataclass(frozen=True)
class RespondentRow:
    name: str
    role: str | None
    department: str | None
    answers: int


@dataclass(frozen=True)
class ReportView:
    """Everything a report template may show."""

    cover: Cover
    theme: Theme
    labels: Labels
    sections: tuple[SectionSpec, ...]
    summary: Summary
    maturity: Maturity
    alignment: Alignment
    components: tuple[ComponentView, ...]
    findings: tuple[FindingView, ...]
    backtracking: Backtracking
    root_causes: tuple[RootCauseView, ...]
    roadmap: RoadmapView
    raci: tuple[RaciView, ...]
    inventory: InventoryView
    policies: tuple[PolicyRow, ...]
    person_data: PersonMatrix
    respondents: tuple[RespondentRow, ...]
    method: Method
    glossary: Glossary
    ecosystem: Any = None  # auditor.render.report.ecosystem.Ecosystem, drawn by the caller
    # Rows left out of each shortened appendix table, by table name (the PDF's
    # ``print_tables.shorten_tables``); empty when every row is shown.
    left_out: dict[str, int] = field(default_factory=dict)

    @property
    def shown_keys(self) -> frozenset[str]:
        """Keys of the findings the report shows (after the consultant's dismissals)."""
        return frozenset(f.key for f in self.findings)

    def with_ecosystem(self, ecosystem: Any) -> ReportView:
        """The view with the diagram drawn (by the caller, which owns the Graphviz run)."""
        view = replace(self, ecosystem=ecosystem)
        return replace(view, sections=_present(load_sections(), view))


def _present(specs: tuple[SectionSpec, ...], view: Any) -> tuple[SectionSpec, ...]:
    """The sections whose data exists (a section's ``requires`` names a view attribute)."""
    return tuple(s for s in specs if not s.requires or bool(getattr(view, s.requires, None)))


def build_view(analysis: Analysis, theme: Theme, date: dt.date | None = None) -> ReportView:
    """The report data for the analysed audit, as its assessment judged it."""
    audit, catalogue = analysis.audit, analysis.catalogue
    date = date or dt.date.today()
    # Findings the consultant dismissed stay out of the report, as they stay out of `gaps`;
    # the method appendix lists them, so the reader knows what was set aside and why.
    judged = apply_dismissals(analysis.assessment.findings, audit.dismissals, date)
    assessment = analysis.assessment.model_copy(update={"findings": judged.shown})
    labels = load_labels()
    remedies = {r.id: r.title for r in catalogue.remedies}
    names = names_of(audit)
    questions = catalogue.questions
    components = catalogue.components
    comp_names: dict[str, str] = {c.id: c.name for c in components}
    rule_titles = {f.rule: f.title for f in assessment.findings}

    def finding(f: Finding) -> FindingView:
        refs = tuple(AnswerRef(*_split_answer(ref, names)) for ref in f.evidence.answers)
        flows = tuple(ends for e in f.evidence.edges if (ends := names.flow(e)) is not None)
        items = tuple(names(n) for n in f.evidence.nodes if n != f.subject)
        return FindingView(f.key, f.rule, f.title, f.component,
                           comp_names.get(f.component, f.component),
                           f.severity, names(f.subject), f.message, items, flows, refs)

    groups = gap_list(assessment)
    group_views: list[RuleGroupView] = []
    for comp in groups.groups:
        for g in comp.rules:
            group_views.append(RuleGroupView(
                g.rule, g.title, g.severity, comp.component, comp.name, g.rationale,
                g.recommendation, remedies.get(g.remedy or "", g.remedy),
                tuple(finding(f) for f in g.findings)))

    rows = {q.question: _question_row(q, rule_titles) for q in assessment.scores.questions}
    shown = {f.key: finding(f) for f in assessment.findings}
    causes = root_cause_views(assessment, shown, comp_names, names, assessment.roadmap)
    plan = roadmap_view(assessment, names, comp_names, labels.efforts, live_cause_keys(causes))
    blueprint = assessment.blueprint
    comp_scores = {s.component: s for s in assessment.scores.components}
    comp_views = tuple(ComponentView(
        c.id, c.name, c.summary, c.target_state,
        comp_scores[c.id].score if c.id in comp_scores else None,
        tuple(rows[q] for q in c.questions if q in rows),
        tuple(g for g in group_views if g.component == c.id),
        _counts(f for f in assessment.findings if f.component == c.id),
        tuple(r for r in causes if r.component == c.id),
        blueprint_view(blueprint.component(c.id) if blueprint else None,
                       comp_scores[c.id].evidenced.next_requires if c.id in comp_scores else (),
                       plan)) for c in components)
    stages = tuple(sorted(catalogue.scoring.stages, key=lambda st: st.level))
    governance = next((b.governance for b in blueprint.components if b.governance),
                      None) if blueprint else None

    cover = Cover(audit.client.name, audit.client.industry, audit.engagement.title,
                  audit.engagement.consultant, theme.consultancy or audit.engagement.firm,
                  audit.engagement.started, date, audit.engagement.scope)
    backtracking = _backtracking(assessment, names, remedies)
    summary = replace(
        _summary(assessment, rows, causes, comp_views, stages, backtracking, audit),
        headline=plan.headline, next_90_days=plan.next_90_days)
    view = ReportView(
        cover=cover, theme=theme, labels=labels, sections=(),
        summary=summary,
        maturity=_maturity(assessment, rows, comp_views, audit, names, questions),
        alignment=_alignment(audit, assessment, questions, names, group_views),
        components=comp_views,
        # every finding sits under exactly one root cause (the assessment's contract)
        findings=tuple(f for r in causes for f in r.findings),
        backtracking=backtracking,
        root_causes=causes,
        roadmap=plan,
        raci=raci_views(governance.raci, names) if governance else (),
        inventory=inventory_view(audit, names),
        policies=policy_register(audit, assessment, names),
        person_data=person_matrix(next((b.person for b in blueprint.components if b.person),
                                       None) if blueprint else None, names),
        respondents=tuple(RespondentRow(r.name, r.role, r.department,
                                        sum(1 for a in audit.answers if a.respondent == r.id))
                          for r in audit.respondents),
        method=replace(_method(assessment, stages, rows, catalogue), set_aside=tuple(
            SetAside(d.finding.title, names(d.finding.subject), d.dismissal.reason,
                     d.dismissal.by, d.dismissal.until) for d in judged.dismissed)),
        glossary=load_glossary(),
    )
    return replace(view, sections=_present(load_sections(), view))


def _split_answer(ref: str, names: Names) -> tuple[str, str]:
    question, _, respondent = ref.partition("/")
    return question, names(respondent)


def _counts(findings: Any) -> dict[str, int]:
    out = {s: 0 for s in SEVERITIES}
    for f in findings:
        out[f.severity] += 1
    return {s: n for s, n in out.items() if n}


def _question_row(q: QuestionScore, rule_titles: dict[str, str]) -> QuestionRow:
    cap = q.cap
    return QuestionRow(q.question, q.title, q.self_rating, q.score,
                       rule_titles.get(cap.rule, cap.rule) if cap else None,
                       cap.max if cap else None, len(q.subquestions),
                       len(q.subquestions) + len(q.unanswered), q.evidenced.level)


def _summary(assessment: Assessment, rows: dict[str, QuestionRow],
             causes: tuple[RootCauseView, ...], comps: tuple[ComponentView, ...],
             stages: tuple[Any, ...], bt: Backtracking, audit: Audit) -> Summary:
    scores = assessment.scores
    scored = [r for r in rows.values() if r.score is not None]
    stage = next_stage = None
    if scores.overall is not None:
        reached = min(int(math.floor(scores.overall)), 4)
        stage = stages[reached]
        next_stage = stages[reached + 1] if reached < 4 else None
    strongest = max(scored, key=lambda r: (r.score, r.id), default=None)
    return Summary(
        overall=scores.overall, stage=stage, next_stage=next_stage,
        weakest=rows.get(scores.weakest or ""), strongest=strongest,
        answered_questions=len(scored), total_questions=len(rows),
        respondents=len(audit.respondents), counts=_counts(assessment.findings),
        total_findings=len(assessment.findings), top=leading_causes(causes),
        root_causes=len(causes), components=comps,
        open_chains=bt.counts.get("missing", 0) + bt.counts.get("partial", 0),
        chains=len(bt.chains), to_build=len(bt.to_build),
        next_requires=scores.evidenced.next_requires)


def _maturity(assessment: Assessment, rows: dict[str, QuestionRow],
              comps: tuple[ComponentView, ...], audit: Audit, names: Names,
              questions: dict[str, Any]) -> Maturity:
    ordered = list(rows.values())
    radar = charts.radar([r.id.upper() for r in ordered], {
        "self": [r.self_rating for r in ordered], "evidenced": [r.evidenced for r in ordered]})
    bars = charts.bars([(c.name, c.score, c.blueprint.target if c.blueprint else None)
                        for c in comps])
    respondents = [r.id for r in audit.respondents]
    strip_rows = []
    for q in assessment.scores.questions:
        for sub in q.subquestions:
            if len(sub.levels) >= 2:
                text = questions[sub.question].text if sub.question in questions else ""
                strip_rows.append((sub.question, text, sub.median, sorted(
                    sub.levels.items(), key=lambda kv: respondents.index(kv[0])
                    if kv[0] in respondents else 99)))
    strip = charts.strip([(label, text, med, [(names(r), v) for r, v in lv])
                          for label, text, med, lv in strip_rows],
                         [names(r) for r in respondents]) if strip_rows else None
    return Maturity(tuple(ordered), radar, bars, strip,
                    tuple(names(r) for r in respondents),
                    any(r.capped_by for r in ordered))


def _alignment(audit: Audit, assessment: Assessment, questions: dict[str, Any], names: Names,
               groups: list[RuleGroupView]) -> Alignment:
    people = {r.id: r for r in audit.respondents}
    disagreements, agreements = [], []
    for q in assessment.scores.questions:
        for sub in q.subquestions:
            bank_q = questions.get(sub.question)
            text = bank_q.text if bank_q else sub.question

            def label(level: float) -> str:
                lv = bank_q.level(int(level)) if bank_q and float(level).is_integer() else None
                return lv.label if lv else ""

            if sub.spread >= 2:
                responses = []
                for rid, level in sorted(sub.levels.items(), key=lambda kv: (kv[1], kv[0])):
                    answer = audit.answer_for(sub.question, rid)
                    who = people.get(rid)
                    responses.append(Response(names(rid), who.role if who else None, level,
                                              label(level), answer.note if answer else None))
                disagreements.append(Disagreement(sub.question, text, sub.spread, sub.median,
                                                  tuple(responses)))
            elif sub.spread == 0 and len(sub.levels) >= 2:
                agreements.append(Agreement(sub.question, text, sub.median, label(sub.median),
                                            len(sub.levels)))
    disagreements.sort(key=lambda d: (-d.spread, _qkey(d.question)))
    contradictions = tuple(g for g in groups if g.rule.startswith("CON-"))
    return Alignment(tuple(disagreements), tuple(agreements), contradictions)


def _qkey(question: str) -> tuple[int, ...]:
    return tuple(int(p) if p.isdigit() else 0 for p in question.lstrip("q").split("."))


def _backtracking(assessment: Assessment, names: Names, remedies: dict[str, str]) -> Backtracking:
    result = assessment.backtracking
    if result is None:
        return Backtracking((), (), (), {})
    chains = []
    for c in result.chains:
        gaps = tuple(GapRow(link.gap or "", names(link.datum) or None, names(link.source) or None,
                            names(link.system) or None, names(link.channel) or None,
                            link.latency, names.many(link.skills))
                     for link in c.links if link.gap)
        chains.append(ChainRow(names(c.segment), names(c.need), names(c.capability),
                               names(c.provider) or None, c.status, c.max_latency, gaps))
    build = tuple(BuildRow(b.kind, _build_target(b, names), names(b.system) or None,
                           names(b.source) or None, names.many(b.data),
                           names(b.channel) or None, names.many(b.skills), b.latency,
                           names.many(b.unblocks), remedies.get(b.remedy or "", b.remedy))
                  for b in result.to_build)
    counts: dict[str, int] = {}
    for c in result.chains:
        counts[c.status] = counts.get(c.status, 0) + 1
    return Backtracking(tuple(chains), build, names.many(result.unspecified_needs), counts)


def _build_target(item: Any, names: Names) -> str:
    """The thing to build, named: a capability, a datum, a channel, or a flow's two ends."""
    target = item.target
    ends = names.flow(target)
    if ends is None and "->" in target:
        source, _, sink = target.partition("->")
        ends = (names(source), names(sink))
    if ends is not None:
        return f"{ends[0]} → {ends[1]}"
    if "@" in target:  # a touchpoint: 'channel@system'; the system is shown beside it
        return names(target.split("@", 1)[0])
    return names(target)


def _method(assessment: Assessment, stages: tuple[Any, ...], rows: dict[str, QuestionRow],
            catalogue: Catalogue) -> Method:
    titles = {m.id: m.title for m in catalogue.rules}
    caps = tuple((rows[c.question].title if c.question in rows else c.question,
                  titles.get(c.rule, c.rule), c.max, c.reason) for c in catalogue.caps)
    skipped = tuple(NotAssessed(s.rule, titles.get(s.rule, s.rule), s.reason)
                    for s in assessment.rules if not s.assessed)
    return Method(stages, caps, skipped, len(assessment.rules))
