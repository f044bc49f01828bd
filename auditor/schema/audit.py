"""The audit file: everything a consultant captures for one client engagement.

One pydantic model per section. ``extra="forbid"`` everywhere so a typo in a hand-edited
file is an error with a location instead of silently dropped data. References between
items are plain ids here; they are checked separately (``auditor.schema.references``) so
that every dangling reference in a file is reported at once, with its line.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from auditor.schema.ids import slugify, unique_id
from auditor.schema.kinds import ComponentId

SCHEMA_VERSION = 1

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120),
    Field(description="Stable lower-kebab-case id, e.g. 'crm-sales'."),
]
QuestionId = Annotated[
    str,
    StringConstraints(pattern=r"^q[0-9]+(\.[0-9]+)*[a-z]?$|^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$"),
    Field(description="Question id from a question bank, e.g. 'q8.1'."),
]

# --- enumerations (DOMAIN.md §1) -----------------------------------------------------------
SystemRole = Literal[
    "system-of-record",
    "system-of-engagement",
    "cdp",
    "orchestration",
    "marketing-automation",
    "service-desk",
    "commerce",
    "erp",
    "communications-platform",
    "community",
    "analytics",
    "advertising",
    "integration",
    "data-quality",
    "other",
]
SYSTEM_ROLES: tuple[str, ...] = SystemRole.__args__  # type: ignore[attr-defined]

Lifecycle = Literal["tolerate", "invest", "migrate", "eliminate"]
Status = Literal["current", "planned"]
ChannelKind = Literal[
    "web", "email", "sms", "messaging", "phone", "in-person", "social", "community", "video",
    "mail", "paid-media", "app", "other",
]
TouchpointStyle = Literal["broadcast", "one-way-in", "two-way", "participation"]
TouchpointPurpose = Literal["marketing", "fundraising", "commerce", "service", "transactional"]
FlowMode = Literal["real-time", "batch", "manual", "unknown"]
Frequency = Literal["real-time", "hourly", "daily", "weekly", "monthly", "ad-hoc", "unknown"]
Latency = Literal["real-time", "hourly", "daily", "weekly", "monthly"]
DataClass = Literal[
    "identity", "contact-point", "profile", "consent",
    "interaction", "transaction", "case",
    "status", "product", "other",
]
SegmentKind = Literal["customer-segment", "community", "partner", "advocate"]
MetricType = Literal[
    "activity", "financial", "satisfaction", "value", "outcome", "responsiveness", "participation",
]
TeamKind = Literal["team", "role", "agency"]
SkillKind = Literal["technology", "methodology"]
PolicyAction = Literal["suppress", "pause", "cap"]
PolicyTarget = Literal["cross-sell", "promotion", "ads-for-product", "ask", "other"]

#: The five blueprint components (DOMAIN.md §4); targets and findings name them by id.
#: Who a question is written for, and who a respondent is (the interview's --audience).
Audience = Literal["executive", "practitioner", "it"]
AUDIENCES: tuple[str, ...] = Audience.__args__  # type: ignore[attr-defined]
TargetLevel = Annotated[int, Field(ge=0, le=4)]

#: Latency ranks of DOMAIN.md §0: a smaller rank is faster.
LATENCY_RANK: dict[str, int] = {
    "real-time": 0, "hourly": 1, "daily": 2, "weekly": 3, "monthly": 4,
    "ad-hoc": 4, "unknown": 4,
}


class Model(BaseModel):
    """Base for every audit section: unknown keys are errors, values are checked on assignment."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, populate_by_name=True)


def _fill_ids(items: Any, name_keys: tuple[str, ...] = ("name",), joiner: str = " ") -> Any:
    """Give items without an ``id`` one derived from their name, unique within the list.

    Runs before validation on raw data, so the generated id is written back on the next save
    and stays stable from then on.
    """
    if not isinstance(items, list):
        return items
    taken = {item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)}
    for item in items:
        if isinstance(item, dict) and not item.get("id"):
            parts = [str(item[k]) for k in name_keys if isinstance(item.get(k), (str, int))]
            base = slugify(joiner.join(parts)) if parts else ""
            if base:
                item["id"] = unique_id(base, taken)
                taken.add(item["id"])
    return items


class Item(Model):
    """Common fields of every inventory and vision item."""

    id: Id
    name: str = Field(min_length=1, max_length=500)
    description: str | None = None
    status: Status = Field(
        default="current",
        description="'planned' items are ignored by the current-state analysis and used by what-if.",
    )
    origin: str | None = Field(
        default=None,
        description="Where the item came from, e.g. 'archimate:id-1393' for a model import; "
                    "several model elements merged into one item are listed with spaces "
                    "('archimate:id-1 archimate:id-7').")
    to_confirm: list[str] = Field(
        default_factory=list,
        description="Fields an importer guessed and the consultant should confirm. A field "
                    "listed here while it is empty means the importer looked and found nothing "
                    "it could guess with confidence, e.g. 'roles' on a system with no roles: "
                    "no role found.",
    )


# --- engagement ---------------------------------------------------------------------------
class Client(Model):
    name: str = Field(min_length=1, max_length=300)
    industry: str | None = None
    country: str | None = None
    size: str | None = Field(default=None, description="Employees, revenue band or similar.")
    description: str | None = None
    terms: dict[str, str] = Field(
        default_factory=dict,
        description=("Words the client uses for the people it serves, overriding the defaults "
                     "of its industry (blueprints/wording.yaml), e.g. {customer: member, "
                     "customers: members}."))


class Engagement(Model):
    title: str | None = None
    consultant: str | None = None
    firm: str | None = None
    started: date | None = None
    scope: str | None = None
    notes: str | None = None


class Respondent(Model):
    id: Id
    name: str = Field(min_length=1, max_length=300)
    role: str | None = Field(default=None, description="Job title, e.g. 'Head of Service'.")
    department: str | None = None
    audience: Audience | None = Field(default=None, description=(
        "Executive, practitioner or IT: which questions are written for them."))
    email: str | None = None


AnswerValue = int | float | str | list[str] | None


class Answer(Model):
    question: QuestionId
    respondent: Id
    value: AnswerValue = None
    note: str | None = None
    evidence: str | None = None
    not_applicable: bool = False
    reason: str | None = Field(default=None, description="Why the question does not apply.")
    at: datetime | None = None

    @model_validator(mode="after")
    def _reason_for_na(self) -> Answer:
        if self.not_applicable and not self.reason:
            raise ValueError("a 'not applicable' answer needs a reason")
        return self


# --- inventory ----------------------------------------------------------------------------
class System(Item):
    roles: list[SystemRole] = Field(default_factory=list)
    vendor: str | None = None
    product: str | None = None
    lifecycle: Lifecycle | None = None
    successor: Id | None = Field(
        default=None, description="The system that takes over when this one is migrated away.")
    owners: list[Id] = Field(default_factory=list, description="Teams that own the system.")
    capabilities: list[Id] = Field(default_factory=list, description="Capabilities it provides.")
    masters: list[Id] = Field(default_factory=list, description="Data it is authoritative for.")
    requires_skills: list[Id] = Field(
        default_factory=list, description="Skills it needs beyond the defaults of its roles."
    )
    tags: list[str] = Field(
        default_factory=list,
        description="Free labels, e.g. 'criticality: high' read from a model's properties.")
    standalone: bool = Field(default=False, description="Isolated on purpose; not a gap.")
    redundant: bool = Field(default=False, description="Has a fail-over or alternative path.")


class Channel(Item):
    kind: ChannelKind
    interactions_per_year: int | None = Field(
        default=None, ge=0, description="Customer-initiated or two-way interactions a year."
    )


class Touchpoint(Item):
    style: TouchpointStyle
    purpose: TouchpointPurpose | None = None
    channel: Id | None = None
    systems: list[Id] = Field(default_factory=list, description="Systems that run or record it.")
    stage: Id | None = None
    identified: bool | None = Field(default=None, description="Captured against a known person.")


class Flow(Item):
    name: str = Field(default="", max_length=500)  # flows are named by their ends
    source: Id
    target: Id
    data: list[Id] = Field(default_factory=list)
    mode: FlowMode = "unknown"
    frequency: Frequency | None = None
    via: Id | None = Field(default=None, description="Integration system the flow passes through.")

    @property
    def latency_rank(self) -> int:
        """0 real-time … 4 monthly, manual or unknown (DOMAIN.md §0)."""
        if self.mode in ("manual", "unknown"):
            return 4
        if self.mode == "real-time":
            return 0
        return LATENCY_RANK[self.frequency or "unknown"]


class DataAttribute(Model):
    id: Id
    name: str = Field(min_length=1, max_length=500)
    data_class: DataClass | None = Field(default=None, alias="class")
    cim: str | None = None
    survivorship: str | None = None


class DataEntity(Item):
    data_class: DataClass = Field(alias="class")
    subtype: str | None = Field(default=None, description="e.g. 'donation' for a gift.")
    cim: str | None = Field(default=None, description="Cloud Information Model class.")
    survivorship: str | None = Field(
        default=None, description="Rule that settles conflicts between several masters."
    )
    steward: Id | None = Field(default=None, description="Team accountable for its quality.")
    attributes: list[DataAttribute] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _attribute_ids(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _fill_ids(data.get("attributes"))
        return data


class Stage(Model):
    id: Id
    name: str = Field(min_length=1, max_length=500)
    owner: Id | None = None


class Journey(Item):
    scope: str | None = None
    owner: Id | None = None
    stages: list[Stage] = Field(default_factory=list, description="In order.")

    @model_validator(mode="before")
    @classmethod
    def _stage_ids(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _fill_ids(data.get("stages"))
        return data


class SkillHolding(Model):
    skill: Id
    level: int = Field(default=1, ge=0, le=3, description="0 none, 1 basic, 2 solid, 3 expert.")
    people: int | None = Field(
        default=None, ge=0, description="How many people hold it; leave out when unknown.")


class Team(Item):
    kind: TeamKind = "team"
    department: str | None = None
    executive: bool = False
    external: bool = False
    skills: list[SkillHolding] = Field(default_factory=list)


class Skill(Item):
    kind: SkillKind = "technology"


class Metric(Item):
    type: MetricType
    formula: str | None = None
    target: str | None = None
    owner: Id | None = None
    measures: list[Id] = Field(
        default_factory=list, description="Touchpoints, stages, channels or journeys."
    )


class Policy(Item):
    trigger: list[Id] = Field(default_factory=list, description="Data that triggers the rule.")
    action: PolicyAction
    target: PolicyTarget
    window_days: int | None = Field(default=None, ge=0)
    executors: list[Id] = Field(default_factory=list, description="Systems that enforce it.")
    max_latency: Latency | None = None


class Capability(Item):
    shared_ok: bool = Field(default=False, description="Several providers are intended.")
    requires: list[Id] = Field(default_factory=list, description="Data the capability needs.")


_INVENTORY_LISTS = (
    "systems", "channels", "touchpoints", "flows", "data", "journeys", "teams", "skills",
    "metrics", "policies", "capabilities",
)


class Inventory(Model):
    systems: list[System] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    touchpoints: list[Touchpoint] = Field(default_factory=list)
    flows: list[Flow] = Field(default_factory=list)
    data: list[DataEntity] = Field(default_factory=list)
    journeys: list[Journey] = Field(default_factory=list)
    teams: list[Team] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)
    policies: list[Policy] = Field(default_factory=list)
    capabilities: list[Capability] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _generate_ids(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key in _INVENTORY_LISTS:
                if key == "flows":
                    _fill_ids(data.get(key), ("source", "target"), " to ")
                else:
                    _fill_ids(data.get(key))
        return data


# --- vision -------------------------------------------------------------------------------
class Segment(Item):
    kind: SegmentKind = "customer-segment"
    size: int | None = Field(default=None, ge=0)
    defined_by: str | None = None


class Need(Item):
    segment: Id
    channel: Id | None = None
    max_latency: Latency | None = None
    capabilities: list[Id] = Field(default_factory=list)


class Vision(Model):
    segments: list[Segment] = Field(default_factory=list)
    needs: list[Need] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _generate_ids(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _fill_ids(data.get("segments"))
            _fill_ids(data.get("needs"))
        return data


class RoadmapChoices(Model):
    include: list[str] = Field(default_factory=list, description="Remedy ids to add.")
    done: list[str] = Field(default_factory=list, description="Remedy ids already in place.")


#: A finding's key as ``auditor gaps`` shows it: the rule id, then the ids it is about.
FindingKey = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*(:[a-z0-9][a-z0-9+.\-/]*)?$",
                      max_length=600),
    Field(description="A finding's key, e.g. 'PER-06:store' (see 'auditor gaps --json')."),
]


class Dismissal(Model):
    """A finding the consultant has judged: an accepted risk or a false positive."""

    finding: FindingKey
    reason: str = Field(min_length=1, max_length=2000, description="Why it is dismissed.")
    by: str = Field(min_length=1, max_length=300, description="Who decided.")
    at: datetime = Field(description="When it was recorded.")
    until: date | None = Field(default=None,
                               description="After this day the finding shows again.")

    @model_validator(mode="after")
    def _until_after_at(self) -> Dismissal:
        if self.until is not None and self.until < self.at.date():
            raise ValueError(f"'until' ({self.until}) is before the dismissal was recorded "
                             f"({self.at.date()})")
        return self


class Audit(Model):
    schema_version: int = Field(default=SCHEMA_VERSION, ge=1, le=SCHEMA_VERSION)
    client: Client
    engagement: Engagement = Field(default_factory=Engagement)
    respondents: list[Respondent] = Field(default_factory=list)
    answers: list[Answer] = Field(default_factory=list)
    inventory: Inventory = Field(default_factory=Inventory)
    vision: Vision = Field(default_factory=Vision)
    roadmap: RoadmapChoices = Field(default_factory=RoadmapChoices)
    targets: dict[ComponentId, TargetLevel] = Field(default_factory=dict, description=(
        "The maturity level (0–4) the client aims for, per blueprint component id."))
    dismissals: list[Dismissal] = Field(
        default_factory=list,
        description="Findings dismissed by the consultant, with who, when, why and until when.")

    @model_validator(mode="before")
    @classmethod
    def _respondent_ids(cls, data: Any) -> Any:
        if isinstance(data, dict):
            _fill_ids(data.get("respondents"))
        return data

    def answer_for(self, question: str, respondent: str) -> Answer | None:
        for answer in self.answers:
            if answer.question == question and answer.respondent == respondent:
                return answer
        return None
