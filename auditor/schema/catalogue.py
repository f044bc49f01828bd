"""Content models for the blueprint catalogue: components, gap-rule metadata, remedies.

Rule *conditions* are Python functions (auditor.rules); everything a consultant might want to
reword or re-weight lives here as data.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from auditor.schema.kinds import ComponentId, Severity

RULE_ID = r"^[A-Z]{2,5}-[0-9A-Z-]+$"


class Content(BaseModel):
    # Built on first validation, not at import: a run that finds the compiled catalogue in
    # the cache (auditor.catalogue.compiled) unpickles content and never validates it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


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


SELECTOR = r"^(role:[a-z-]+|masters:[a-z-]+|serving:[a-z-]+|hubs)$"


class PlannedFeed(Content):
    """Flows a remedy adds to the target ecosystem, between systems picked by selectors:
    ``role:<role>``, ``masters:<data class>``, ``serving:<touchpoint style>`` or ``hubs`` (the
    CDP, else the systems of record)."""

    from_: str = Field(alias="from", pattern=SELECTOR)
    to: str = Field(pattern=SELECTOR)
    classes: list[str] = Field(default_factory=list, description=(
        "Data classes it carries (the source's data of these classes); empty for decisions or "
        "audiences that are not data the source masters."))
    each: Literal["from", "to"] = Field(default="from", description=(
        "Which side keeps all its systems; the other side is its main system only (every "
        "identity master feeds the CDP, not every CDP; the system of record feeds every "
        "engagement system)."))


class PlannedSystem(Content):
    role: str = Field(description="Added only when no current system has this role.")
    name: str = Field(min_length=3)


class RemedyBuilds(Content):
    """What a remedy adds to the target ecosystem (``auditor graph --target``)."""

    system: PlannedSystem | None = None
    feeds: list[PlannedFeed] = Field(default_factory=list)


class Remedy(Content):
    id: str = Field(pattern=r"^R[0-9]{2,3}$")
    title: str
    component: ComponentId
    effort: str = Field(pattern=r"^(S|M|L|XL)$")
    depends_on: list[str] = Field(default_factory=list)
    resolves: list[str] = Field(default_factory=list, description="Rule ids it resolves.")
    kinds: list[str] = Field(default_factory=list, description="Backtracking gap kinds it fixes.")
    description: str = ""
    builds: RemedyBuilds | None = None


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


class QuickWinSettings(Content):
    """When a roadmap item counts as a quick win (besides having no open prerequisite)."""

    efforts: list[str] = Field(default_factory=lambda: ["S"])
    min_share: float = Field(default=0.1, ge=0, le=1, description=(
        "Least share of the client's interactions it must reach …"))
    min_people: int = Field(default=1000, ge=0, description="… or least people it must reach.")


class RoadmapSettings(Content):
    quick_win: QuickWinSettings = Field(default_factory=QuickWinSettings)


class StageMeta(Content):
    level: int = Field(ge=0, le=4)
    name: str = Field(min_length=3)


class TargetStatementMeta(Content):
    text: str = Field(min_length=10, description="A sentence with {slot} fields filled from the audit.")
    otherwise: str | None = Field(default=None, description=(
        "Said instead when a slot the text uses is empty for this client; without it the "
        "statement is left out."))


class ComponentTargets(Content):
    component: ComponentId
    stages: dict[int, list[TargetStatementMeta]] = Field(description="Level 1–4 -> statements.")


class TargetStateCatalogue(Content):
    stages: list[StageMeta] = Field(default_factory=list, description=(
        "Ignored: the stage names come from scoring.yaml, the one maturity path."))
    components: list[ComponentTargets]


class RoadmapSettingsFile(Content):
    roadmap: RoadmapSettings = Field(default_factory=RoadmapSettings)



# --- root causes (``blueprints/root-causes.yaml``) ------------------------------------------
#: Evidence kinds a rule's hits may be anchored on, besides the ids of their key; a system
#: kind may name a role ('system:cdp', or 'system:not-hub' for systems that are neither a
#: system of record nor a CDP, which many findings share by design, or 'system:isolated' for
#: systems that exchange no data with any other) and a data kind a class ('data:status').
ANCHOR_KINDS = ("system", "channel", "touchpoint", "data", "segment", "need", "capability",
                "policy", "team", "skill", "journey", "stage", "metric")
#: Words a headline may use, filled from the lead finding and the root cause's reach.
HEADLINE_FIELDS = ("title", "subject", "subjects", "rule_subjects", "system", "systems", "system_count",
                   "channel", "channels", "data", "touchpoint", "policy", "need", "segment",
                   "capability", "team", "teams", "skill", "journey", "masters", "interactions",
                   "people", "findings", "customer", "customers")
_ANCHOR = r"^(key|rule|remedy|component|(" + "|".join(ANCHOR_KINDS) + r")(:[a-z][a-z-]*)?)$"


class RootCauseRule(Content):
    """How one rule's hits are grouped and, when one leads a root cause, how it is headlined."""

    rule: str = Field(pattern=RULE_ID)
    about: list[str] = Field(default_factory=lambda: ["key"], description=(
        "Anchors: 'key' (the ids in the finding key), 'rule' (every hit of the rule is about "
        "the same thing), 'remedy' (every hit of such rules with the same remedy is one piece "
        "of design work), 'component' (every hit of such rules in the same blueprint component "
        "is one plan, e.g. the skills plan), or evidence kinds such as 'channel', 'system:cdp', "
        "'data:status'."))
    headline: str | None = Field(default=None, description=(
        "Template for a root cause this rule leads, e.g. '{channel} is an island'."))
    advice: str | None = Field(default=None, description=(
        "What to do about a root cause this rule leads, when the lead finding's own "
        "recommendation speaks of one hit only (every unowned system, not the first): a "
        "template with the headline's words."))
    advice_for: Literal["hits", "findings"] = Field(default="hits", description=(
        "When the advice replaces the lead's recommendation: when the root cause holds "
        "several hits of this rule ('hits'), or several findings of any rule ('findings', "
        "for a root cause that is one plan, such as the skills plan)."))

    @field_validator("about")
    @classmethod
    def _anchors(cls, about: list[str]) -> list[str]:
        import re

        for anchor in about:
            if not re.match(_ANCHOR, anchor):
                raise ValueError(f"'{anchor}' is not an anchor: use key, rule, remedy, "
                                 f"component or one of {', '.join(ANCHOR_KINDS)} "
                                 "(optionally 'kind:role')")
        return about

    @field_validator("headline", "advice")
    @classmethod
    def _headline(cls, template: str | None) -> str | None:
        return None if template is None else check_template(template)


class RootCauseCatalogue(Content):
    default_headline: str = Field(default="{title}", description=(
        "Headline when the lead rule has none, or its template cannot be filled."))
    same_work: list[list[ComponentId]] = Field(default_factory=list, description=(
        "Sets of remedy components that are the same kind of work, so their findings may "
        "share a root cause without one remedy depending on the other."))
    rules: list[RootCauseRule] = Field(default_factory=list, description=(
        "In priority order: the first listed rule among a root cause's hits leads it."))

    @field_validator("default_headline")
    @classmethod
    def _default(cls, headline: str) -> str:
        return check_template(headline)


def check_template(text: str) -> str:
    """``text`` if every '{field}' in it is a known headline field (else a ValueError)."""
    from string import Formatter

    for _, name, spec, conversion in Formatter().parse(text):
        if name is None:
            continue
        if name not in HEADLINE_FIELDS or spec or conversion:
            raise ValueError(f"'{{{name}}}' is not a headline field: use "
                             + ", ".join("{" + f + "}" for f in HEADLINE_FIELDS))
    return text

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


# --- severity that fits the client (``blueprints/severity.yaml``) ---------------------------
class SizeBand(Content):
    """A client size band: the first whose limits a client stays within is its band."""

    band: str = Field(pattern=r"^[a-z][a-z-]*$")
    max_interactions: int | None = Field(default=None, ge=0, description=(
        "Most interactions a year over all current channels."))
    max_systems: int | None = Field(default=None, ge=0, description="Most current systems.")


class AdvancedWork(Content):
    """Remedies that call for advanced capabilities, and the severity their findings keep."""

    remedies: list[str] = Field(min_length=1)
    most: dict[str, Severity] = Field(default_factory=dict, description=(
        "Size band -> the highest severity a finding keeps there."))
    foundations: Severity | None = Field(default=None, description=(
        "The highest severity while the client lays foundations."))


class SeverityScaling(Content):
    sizes: list[SizeBand] = Field(default_factory=list)
    foundations_below: float = Field(default=1.5, ge=0, le=4)
    advanced: list[AdvancedWork] = Field(default_factory=list)

    @model_validator(mode="after")
    def _bands_known(self) -> SeverityScaling:
        bands = [b.band for b in self.sizes]
        if len(set(bands)) != len(bands):
            raise ValueError(f"size bands must be unique: {', '.join(bands)}")
        for work in self.advanced:
            unknown = sorted(set(work.most) - set(bands))
            if unknown:
                raise ValueError(f"'most' names unknown size bands: {', '.join(unknown)} "
                                 f"(bands are {', '.join(bands) or 'none'})")
        return self
