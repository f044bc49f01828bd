"""The blueprint: the five components (Person, Journeys, Skills, People & governance,
Technologies), each with its current state as facts, its maturity against a target, what
holds it down, the target state for the client's next stage and the recommendations.

Output models: frozen, tuples in a fixed order, byte-identical JSON for the same audit. Ids
stay in the fields; ``text`` and ``headline`` fields are sentences with names.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from auditor.schema.kinds import ComponentId
from auditor.schema.output import Output
from auditor.schema.roadmap import Reason

#: The slots a target-state statement in ``blueprints/target-states.yaml`` may use. Each is
#: filled from the audit by ``auditor.analysis.target_slots`` (a test keeps the two in step).
TARGET_SLOTS: tuple[str, ...] = (
    "hub", "records", "engagement", "person_masters", "unresolved_masters", "conflicting_data",
    "consent_masters", "senders", "busy_channels", "conversation_systems", "status_sources",
    "journeys", "unowned_stages", "unmeasured_stages", "participation", "skill_gaps",
    "key_person_skills", "agency_systems", "sponsor", "unowned_systems", "duplicates",
    "manual_feeds", "integration", "orchestrator", "retiring", "advertising",
)


class Fact(Output):
    """One observation about the current state, as a sentence, with the ids it rests on."""

    topic: str
    text: str
    items: tuple[str, ...] = ()

    @field_validator("text")
    @classmethod
    def _sentence(cls, text: str) -> str:
        # A sentence may open with a common noun ('email marketing consent is mastered...').
        return text[:1].upper() + text[1:]


# --- Person ---------------------------------------------------------------------------------
class AttributeRow(Output):
    """A row of the attribute × system matrix."""

    datum: str
    name: str
    data_class: str
    masters: tuple[str, ...] = ()
    copies: tuple[str, ...] = Field(default=(), description="Systems that receive it by a flow.")
    conflict: bool = Field(default=False, description=(
        "Several masters and no survivorship rule to settle between them."))
    survivorship: str | None = None
    steward: str | None = None


class ConsentReach(Output):
    datum: str
    name: str
    masters: tuple[str, ...] = ()
    senders_reached: tuple[str, ...] = ()
    senders_missed: tuple[str, ...] = Field(default=(), description=(
        "Systems that send broadcasts and never receive this consent."))


class PersonState(Output):
    attributes: tuple[AttributeRow, ...] = ()
    identity_masters: tuple[str, ...] = ()
    resolvers: tuple[str, ...] = Field(default=(), description="CDPs or identity-resolution providers.")
    unresolved: tuple[str, ...] = Field(default=(), description=(
        "Identity masters whose records reach no resolver."))
    identity_resolved: bool = False
    consent: tuple[ConsentReach, ...] = ()


# --- Journeys -------------------------------------------------------------------------------
class StageRow(Output):
    journey: str
    stage: str
    name: str
    owner: str | None = None
    touchpoints: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    systems: tuple[str, ...] = ()
    metrics: tuple[str, ...] = ()
    gaps: tuple[Literal["no-owner", "no-measure", "no-touchpoint"], ...] = ()


class JourneysState(Output):
    stages: tuple[StageRow, ...] = ()
    journeys_without_owner: tuple[str, ...] = ()
    touchpoints_off_stage: tuple[str, ...] = ()
    segments_without_journey: tuple[str, ...] = Field(default=(), description=(
        "Segments whose needs name no channel or capability served by a journey's touchpoints."))


# --- Skills ---------------------------------------------------------------------------------
class SkillHeld(Output):
    skill: str
    team: str
    level: int
    people: int | None = Field(default=None, description="None when the team's head-count is unknown.")


class SystemSkills(Output):
    system: str
    owners: tuple[str, ...] = ()
    required: tuple[str, ...] = ()
    held: tuple[SkillHeld, ...] = ()
    missing: tuple[str, ...] = ()


class KeyPersonRisk(Output):
    skill: str
    team: str
    systems: tuple[str, ...] = Field(default=(), description="Owned systems that need it.")


class SkillsState(Output):
    systems: tuple[SystemSkills, ...] = ()
    key_person_risks: tuple[KeyPersonRisk, ...] = ()


# --- People & governance ---------------------------------------------------------------------
class RaciRow(Output):
    """Responsible, accountable, consulted, informed for one system, journey, datum or metric,
    derived from the inventory (owners, stewards, stage owners, who serves or receives what)."""

    kind: Literal["system", "journey", "data", "metric"]
    item: str
    name: str
    responsible: tuple[str, ...] = ()
    accountable: tuple[str, ...] = ()
    consulted: tuple[str, ...] = ()
    informed: tuple[str, ...] = ()


class GovernanceState(Output):
    sponsor_level: float | None = Field(default=None, description="Median answer to q7.1.")
    executives: tuple[str, ...] = Field(default=(), description="Executive teams or roles.")
    raci: tuple[RaciRow, ...] = ()
    unowned: tuple[str, ...] = Field(default=(), description="Systems, journeys, data or metrics with no owner.")


# --- Technologies ----------------------------------------------------------------------------
class RoleSystems(Output):
    role: str
    systems: tuple[str, ...]


class LifecycleSystems(Output):
    lifecycle: str = Field(description="TIME decision, or 'unset'.")
    systems: tuple[str, ...]


class Duplicate(Output):
    capability: str
    name: str
    providers: tuple[str, ...]


class TechnologiesState(Output):
    by_role: tuple[RoleSystems, ...] = ()
    by_lifecycle: tuple[LifecycleSystems, ...] = ()
    duplicates: tuple[Duplicate, ...] = ()
    systems: int = 0
    connections: int = Field(default=0, description="Pairs of systems linked by a flow.")
    density: float | None = Field(default=None, description="Connections per system.")
    manual_feeds: tuple[str, ...] = Field(default=(), description="Flow ids moved by hand.")
    isolated: tuple[str, ...] = ()


# --- the component --------------------------------------------------------------------------
class Maturity(Output):
    current: float | None = Field(default=None, description="The component's score (0–4).")
    self_rated: float | None = None
    evidenced: float | None = None
    stage: str | None = Field(default=None, description="Name of the stage reached.")
    target: int | None = None
    target_stage: str | None = None
    target_source: Literal["audit", "next-stage"] = Field(default="next-stage", description=(
        "'audit' when the client set the target, else the stage after the current one."))
    holding_down: tuple[Reason, ...] = Field(default=(), description=(
        "Root causes (or, without them, findings) of this component, most severe first."))


class TargetStatement(Output):
    level: int
    stage: str
    text: str
    items: tuple[str, ...] = Field(default=(), description="Ids the statement names.")


class Recommendation(Output):
    remedy: str
    title: str
    phase: int | None = None
    text: str


class ComponentBlueprint(Output):
    component: ComponentId
    name: str
    facts: tuple[Fact, ...] = ()
    person: PersonState | None = None
    journeys: JourneysState | None = None
    skills: SkillsState | None = None
    governance: GovernanceState | None = None
    technologies: TechnologiesState | None = None
    maturity: Maturity = Field(default_factory=Maturity)
    target_state: tuple[TargetStatement, ...] = ()
    recommendations: tuple[Recommendation, ...] = ()


class Blueprint(Output):
    components: tuple[ComponentBlueprint, ...] = ()

    def component(self, component_id: str) -> ComponentBlueprint | None:
        return next((c for c in self.components if c.component == component_id), None)
