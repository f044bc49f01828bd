"""Content models for the blueprint catalogue: components, gap-rule metadata, remedies.

Rule *conditions* are Python functions (auditor.rules); everything a consultant might want to
reword or re-weight lives here as data.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from auditor.schema.assessment import Severity
from auditor.schema.audit import ComponentId

RULE_ID = r"^[A-Z]{2,5}-[0-9A-Z-]+$"


class Content(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleMeta(Content):
    id: str = Field(pattern=RULE_ID)
    title: str = Field(min_length=3)
    component: ComponentId
    severity: Severity = Field(description="Default severity; a check may raise or lower it.")
    thresholds: dict[str, Any] = Field(default_factory=dict)
    needs: list[str] = Field(
        default_factory=list,
        description="Inputs the rule reads, e.g. 'systems', 'flows', 'answers:q8.1'. Without them "
                    "the rule is reported as not assessed.",
    )
    rationale: str = Field(min_length=10, description=(
        "Why it matters: a Jinja template filled per finding (see docs/gap-analysis.md)."))
    recommendation: str = Field(min_length=10, description=(
        "What to do: a Jinja template filled per finding (see docs/gap-analysis.md)."))
    remedy: str | None = None
    capability: str | None = Field(default=None, description=(
        "Product-catalogue capability that closes the gap; the advice names a product the "
        "client owns that provides it, else the kind of product with catalogue examples."))
    notes_from: list[str] = Field(default_factory=list, description=(
        "Questions whose answer notes carry figures worth quoting in the rationale."))
    outcome: Literal["finding", "discussion"] = Field(default="finding", description=(
        "'discussion': the hits are points for discussion (Assessment.discussion), not gaps."))


class RuleCatalogue(Content):
    rules: list[RuleMeta]


class Component(Content):
    id: ComponentId
    name: str
    prefix: str = Field(description="Rule-id prefix of the component, e.g. 'PER'.")
    summary: str
    target_state: str
    questions: list[str] = Field(default_factory=list, description="Question ids it draws on.")


class ComponentCatalogue(Content):
    components: list[Component]


class Remedy(Content):
    id: str = Field(pattern=r"^R[0-9]{2,3}$")
    title: str
    component: ComponentId
    effort: str = Field(pattern=r"^(S|M|L|XL)$")
    depends_on: list[str] = Field(default_factory=list)
    resolves: list[str] = Field(default_factory=list, description="Rule ids it resolves.")
    kinds: list[str] = Field(default_factory=list, description="Backtracking gap kinds it fixes.")
    description: str = ""


class RemedyCatalogue(Content):
    remedies: list[Remedy]


class ScoreCapRule(Content):
    """A finding that caps a question's score (``blueprints/score-caps.yaml``)."""

    question: str = Field(description="Audit question id, e.g. 'q9'.")
    rule: str = Field(pattern=RULE_ID)
    max: float = Field(ge=0, le=4)
    severity: Severity | None = Field(default=None, description="Only findings at least this severe.")
    reason: str = Field(min_length=3, description="Why the score is capped, in a few words.")


class ScoreCapCatalogue(Content):
    caps: list[ScoreCapRule]


class Stage(Content):
    """One step of the maturity path (``blueprints/scoring.yaml``)."""

    level: int = Field(ge=0, le=4)
    name: str = Field(min_length=3, max_length=80)
    posture: str = Field(min_length=10, description="What the organisation looks like there.")


class EvidenceWeights(Content):
    """How findings hold an evidenced level down."""

    weights: dict[Severity, float] = Field(description="Levels taken off per finding of a severity.")
    max_penalty: float = Field(ge=0, le=4, description="The most findings can take off in total.")

    @model_validator(mode="after")
    def _non_negative(self) -> EvidenceWeights:
        bad = sorted(s for s, w in self.weights.items() if w < 0)
        if bad:
            raise ValueError(f"weights cannot be negative (a finding never raises a level): {', '.join(bad)}")
        return self

    def weight(self, severity: str) -> float:
        return self.weights.get(severity, 0.0)  # type: ignore[call-overload]


class Signature(Content):
    """What the inventory must show for a level, for the questions it speaks for."""

    id: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    level: int = Field(ge=1, le=4)
    questions: list[str] = Field(min_length=1, description="Audit question ids, e.g. 'q1'.")
    shows: str = Field(min_length=10, description="What it means when it holds.")
    requires: str | None = Field(default=None, description=(
        "What the client must do when it does not hold; '{items}' names what is in the way."))
    requires_new: str = Field(min_length=10, description="The same, when there is nothing to name.")

    @model_validator(mode="after")
    def _items(self) -> Signature:
        if self.requires is not None and "{items}" not in self.requires:
            raise ValueError("'requires' must contain {items} (use requires_new for a fixed sentence)")
        return self


class ScoringCatalogue(Content):
    stages: list[Stage]
    evidence: EvidenceWeights
    signatures: list[Signature] = Field(default_factory=list)

    @model_validator(mode="after")
    def _complete(self) -> ScoringCatalogue:
        levels = sorted(s.level for s in self.stages)
        if levels != [0, 1, 2, 3, 4]:
            raise ValueError("stages need exactly the levels 0, 1, 2, 3 and 4")
        ids = [s.id for s in self.signatures]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate signature id(s): {', '.join(dupes)}")
        object.__setattr__(self, "stages", sorted(self.stages, key=lambda s: s.level))
        return self


# --- wording (blueprints/wording.yaml) ------------------------------------------------------
class IndustryTerms(Content):
    match: list[str] = Field(min_length=1, description=(
        "Words that, found in the client's industry (case-insensitive), select these terms."))
    terms: dict[str, str] = Field(min_length=1)


class Wording(Content):
    """The client's words for the people it serves, and advice sentences every rule shares."""

    terms: dict[str, str] = Field(min_length=1, description="Default terms, by key.")
    industries: list[IndustryTerms] = Field(default_factory=list)
    advice: dict[str, str] = Field(default_factory=dict, description=(
        "Shared Jinja templates the engine adds to a finding's rationale or recommendation "
        "when they apply: notes, retiring, planned, products."))

    @model_validator(mode="after")
    def _known_terms(self) -> Wording:
        for i, industry in enumerate(self.industries):
            unknown = sorted(set(industry.terms) - set(self.terms))
            if unknown:
                raise ValueError(f"industries[{i}] sets terms with no default: "
                                 f"{', '.join(unknown)} (add them under 'terms:')")
        return self
