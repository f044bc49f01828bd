"""The assessment: what the analysis concludes (scores, findings, chains, roadmap).

Output models, so they are frozen and serialise to byte-identical JSON for the same audit.
"""

from __future__ import annotations

import datetime as dt

from pydantic import Field

from auditor.schema.backtrack import BacktrackResult
from auditor.schema.blueprint import Blueprint
from auditor.schema.kinds import SEVERITIES, SEVERITY_RANK, ComponentId, Severity
from auditor.schema.output import Output
from auditor.schema.roadmap import Roadmap

__all__ = ["SEVERITIES", "SEVERITY_RANK", "ComponentId", "Severity", "Assessment", "AuditStamp",
           "ComponentScore", "Evidence", "Finding", "QuestionScore", "RuleStatus", "ScoreCap",
           "Scores", "SubQuestionScore"]


class Evidence(Output):
    """The exact things behind a finding: node ids, flow/edge ids, answers ('q8.1/cio')."""

    nodes: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()


class Finding(Output):
    key: str = Field(description=(
        "Stable identity of the problem: the rule id and the sorted ids of what it is about "
        "('PER-06:store', 'BKT-MISSING-FLOW:order+shop+zendesk'). The same problem keeps its "
        "key across runs and audit versions, so comparisons and dismissals can match on it."))
    rule: str
    title: str
    component: ComponentId
    severity: Severity
    subject: str = Field(default="", description="The main node the finding is about, if any.")
    message: str = Field(description="What is wrong here, naming the specific items.")
    evidence: Evidence = Field(default_factory=Evidence)
    rationale: str = ""
    recommendation: str = ""
    remedy: str | None = None
    remedy_title: str = Field(default="", description="The remedy's title, for sentences.")
    planned: tuple[str, ...] = Field(default=(), description=(
        "Planned items (ids) that would close this finding: it is gone when the analysis "
        "includes them."))
    planned_retiring: tuple[str, ...] = Field(default=(), description=(
        "Planned items (ids) that would close this finding but rely on a system marked "
        "migrate or eliminate: they do not count as closing it."))
    unconfirmed: tuple[str, ...] = Field(default=(), description=(
        "Evidence items (ids) whose imported values are guesses still to confirm, or flows "
        "of unknown content: while any remain, the finding counts as medium at most."))
    scaled_from: Severity | None = Field(default=None, description=(
        "The rule's severity before it was scaled to the client's size and maturity "
        "(blueprints/severity.yaml), when that lowered it."))
    uncapped: Severity | None = Field(default=None, description=(
        "The severity the finding would have once its guesses are confirmed, when capped."))

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        return (-SEVERITY_RANK[self.severity], self.rule, self.subject, self.message)


class RuleStatus(Output):
    """Whether a rule could be assessed on this audit, and why not."""

    rule: str
    assessed: bool
    reason: str = ""
    findings: int = 0


# --- scores (auditor.analysis.scoring) ----------------------------------------------------
class SubQuestionScore(Output):
    """One rubric sub-question: each respondent's level, the median and how far they differ."""

    question: str
    levels: dict[str, float] = Field(default_factory=dict, description="Respondent -> level.")
    median: float
    spread: float = Field(description="Highest minus lowest level.")
    tie: tuple[float, float] | None = Field(default=None, description=(
        "With an even number of respondents whose two middle levels differ, those two levels: "
        "the median is their midpoint and the report says it is a tie."))


class ScoreCap(Output):
    """A finding that limits how high a question may score, whatever respondents said."""

    rule: str
    max: float
    reason: str
    finding: str = Field(default="", description="The message of the finding that applies.")


class Confidence(Output):
    """How much of a score rests on answers: what was answered out of what exists, by how many."""

    answered: int
    of: int
    unit: str = Field(description="'sub-questions' for a question, 'questions' above that.")
    respondents: int = 0
    sub_answered: int | None = Field(default=None, description=(
        "Above a question: the rubric sub-questions answered beneath it, so that 'all 9 "
        "questions' cannot hide that most of their sub-questions are open."))
    sub_of: int | None = None

    @property
    def partial(self) -> bool:
        return self.answered < self.of or (
            self.sub_of is not None and (self.sub_answered or 0) < self.sub_of)

    def describe(self) -> str:
        """'from 3 of 9 questions (4 of 26 sub-questions), 1 respondent': each 'of' part only
        when that coverage is partial; one question is described by its sub-questions."""
        people = f"{self.respondents} respondent{'s' if self.respondents != 1 else ''}"
        subs = self.sub_of is not None and (self.sub_answered or 0) < self.sub_of
        if subs and self.of == 1:
            return f"from {self.sub_answered or 0} of {self.sub_of} sub-questions, {people}"
        detail = f" ({self.sub_answered or 0} of {self.sub_of} sub-questions)" if subs else ""
        if self.answered < self.of:
            return f"from {self.answered} of {self.of} {self.unit}{detail}, {people}"
        if self.of > 1:
            return f"from all {self.of} {self.unit}{detail}, {people}"
        return f"from {people}"


class SignatureCheck(Output):
    """One stage signature checked against the inventory."""

    id: str
    level: int
    held: bool
    shows: str = Field(description="What it means when it holds.")
    requires: str = Field(default="", description="What the client must do; empty when it holds.")
    items: tuple[str, ...] = Field(default=(), description="Ids of what stands in the way.")


class EvidencedLevel(Output):
    """The level the inventory and the findings support, beside the self-rating."""

    reached: int | None = Field(default=None, description=(
        "The highest level whose signatures (and all below) hold; None without signatures."))
    penalty: float = Field(default=0.0, description="Levels taken off by the root causes holding it down.")
    level: float | None = Field(default=None, description="reached - penalty, never below 0.")
    stage: str | None = Field(default=None, description="Name of the stage of the evidenced level.")
    signatures: tuple[str, ...] = Field(default=(), description="Ids of the signatures it rests on.")
    holding: tuple[str, ...] = Field(default=(), description=(
        "Keys of the root causes holding it down, most severe first."))
    next_stage: str | None = Field(default=None, description="The stage after the one reached.")
    next_requires: tuple[str, ...] = Field(default=(), description=(
        "What the next stage requires the inventory to show: the unmet signatures up to it, "
        "in words. The root causes to resolve as well are 'holding'."))


class QuestionScore(Output):
    question: str = Field(description="Audit question id, e.g. 'q9'.")
    title: str = ""
    self_rating: float | None = Field(
        default=None, description="Mean of the sub-question medians, before any cap.")
    score: float | None = Field(default=None, description="After caps; None when unanswered.")
    cap: ScoreCap | None = None
    subquestions: tuple[SubQuestionScore, ...] = ()
    unanswered: tuple[str, ...] = Field(default=(), description="Rubric sub-questions nobody answered.")
    stage: str | None = Field(default=None, description="Stage name of the score.")
    component: str | None = Field(default=None, description="The blueprint component it describes.")
    evidenced: EvidencedLevel = Field(default_factory=EvidencedLevel)
    confidence: Confidence | None = None


class ComponentScore(Output):
    component: ComponentId
    name: str
    score: float | None = Field(default=None, description="Mean of its questions' scores (after caps).")
    questions: tuple[str, ...] = ()
    self_rating: float | None = Field(default=None, description=(
        "Mean of its questions' self-ratings, before caps."))
    stage: str | None = Field(default=None, description="Stage name of the score.")
    evidenced: EvidencedLevel = Field(default_factory=EvidencedLevel)
    target: int | None = Field(default=None, description="The client's target level (audit 'targets').")
    target_stage: str | None = None
    confidence: Confidence | None = None


class Scores(Output):
    questions: tuple[QuestionScore, ...] = ()
    components: tuple[ComponentScore, ...] = ()
    overall: float | None = Field(default=None, description="Median of the question scores.")
    overall_tie: tuple[float, float] | None = Field(default=None, description=(
        "With an even number of scored questions whose two middle scores differ, those two: "
        "the overall level is their midpoint, a tie rather than a level anyone gave."))
    weakest: str | None = Field(default=None, description="The lowest-scoring question.")
    weakest_tied: tuple[str, ...] = Field(default=(), description=(
        "Every question sharing the lowest score (more than one is a tie)."))
    stage: str | None = Field(default=None, description="Stage name of the overall level.")
    confidence: Confidence | None = None
    evidenced: EvidencedLevel = Field(default_factory=EvidencedLevel, description=(
        "Overall evidenced level: the median of the questions' evidenced levels; next_requires "
        "lists what the next overall stage needs."))
    signatures: tuple[SignatureCheck, ...] = Field(default=(), description=(
        "Every stage signature checked once against the inventory."))


class AuditStamp(Output):
    """Which audit an assessment was made from."""

    engagement: str | None = Field(default=None, description="The engagement's title.")
    date: dt.date | None = Field(default=None, description=(
        "The date the audit reflects: its latest answer, else the engagement's start."))
    fingerprint: str = Field(description=(
        "SHA-256 of the audit's content (canonical JSON of the model, so comments and layout "
        "do not change it)."))


# --- root causes (auditor.analysis.root_causes) ----------------------------------------------
class Reach(Output):
    """How far a root cause reaches, from the inventory: the interactions a year on the channels
    concerned and the people in the segments concerned (segments may overlap, so ``people`` is
    the sum of their recorded sizes, an upper bound)."""

    interactions_per_year: int | None = Field(default=None, description=(
        "Sum of the yearly interaction volumes of the channels concerned; None when none is known."))
    channels: tuple[str, ...] = Field(default=(), description="Channel ids behind the figure.")
    people: int | None = Field(default=None, description=(
        "Sum of the recorded sizes of the segments concerned; None when none is known."))
    segments: tuple[str, ...] = Field(default=(), description="Segment ids behind the figure.")


class RootCause(Output):
    """One real issue: the rule hits it explains, said once, with one recommendation."""

    key: str = Field(description=(
        "Stable identity: the key of its lead finding (the hit that names the root cause)."))
    headline: str = Field(description="What is wrong, in names, filled from the case.")
    severity: Severity = Field(description="The most severe of its findings.")
    component: ComponentId = Field(description="The blueprint component of its lead finding.")
    lead: str = Field(description="Key of the lead finding, chosen by the rule-priority order.")
    subjects: tuple[str, ...] = Field(default=(), description=(
        "Ids the grouped findings are about (their anchors), sorted."))
    shared: tuple[str, ...] = Field(default=(), description=(
        "The anchors that link two or more of its findings: why they were grouped."))
    findings: tuple[str, ...] = Field(description="Keys of the findings beneath it, lead first.")
    recommendation: str = Field(description="The lead finding's recommendation.")
    remedy: str | None = Field(default=None, description="The lead finding's remedy id.")
    remedy_title: str | None = None
    reach: Reach | None = None


class Assessment(Output):
    """Everything the analysis concludes about one audit; byte-identical JSON for the same input."""

    client: str
    audit: AuditStamp
    scores: Scores
    findings: tuple[Finding, ...] = ()
    rules: tuple[RuleStatus, ...] = ()
    root_causes: tuple[RootCause, ...] = Field(default=(), description=(
        "The findings grouped into the real issues behind them, most severe first; every "
        "finding belongs to exactly one."))
    discussion: tuple[Finding, ...] = Field(default=(), description=(
        "Points for discussion rather than gaps: stakeholders who rate the same question far "
        "apart (rules whose metadata says 'outcome: discussion'). Not counted as findings."))
    backtracking: BacktrackResult | None = Field(
        default=None, description="Segment -> need -> capability chains and the to-build list.")
    roadmap: Roadmap | None = Field(
        default=None, description="Remedies in phases by their dependencies (DOMAIN §6).")
    blueprint: Blueprint | None = Field(
        default=None, description="The five components: current state, maturity, target state.")

    def rule_status(self, rule_id: str) -> RuleStatus | None:
        return next((s for s in self.rules if s.rule == rule_id), None)
