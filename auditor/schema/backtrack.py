"""The result of backtracking (DOMAIN.md §5): from what a segment needs back to the data flows.

Output models: frozen, every collection a tuple in a fixed order, so the same audit always
serialises to byte-identical JSON.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, computed_field, model_validator

from auditor.schema.output import Output

LinkKind = Literal["capability", "data", "flow", "touchpoint", "skill"]
LinkStatus = Literal["ok", "partial", "missing"]
GapKind = Literal[
    "missing-capability", "missing-data", "missing-flow", "too-slow", "missing-touchpoint",
    "missing-skill",
]
BuildKind = Literal[
    "new-capability", "new-master", "new-flow", "extend-flow", "faster-flow", "new-touchpoint",
    "new-skill",
]

#: Gap kinds in the order a chain is walked (capability first, skills last); used for sorting.
GAP_ORDER: tuple[str, ...] = (
    "missing-capability", "missing-data", "missing-flow", "too-slow", "missing-touchpoint",
    "missing-skill",
)
BUILD_ORDER: tuple[str, ...] = (
    "new-capability", "new-master", "new-flow", "extend-flow", "faster-flow", "new-touchpoint",
    "new-skill",
)
LATENCY_NAMES: tuple[str, ...] = ("real-time", "hourly", "daily", "weekly", "monthly")


def latency_name(rank: int | None) -> str:
    """'daily' for 2; 'any speed' when no limit was given."""
    return "any speed" if rank is None else LATENCY_NAMES[rank]


class Link(Output):
    """One link of a chain, and whether it holds.

    ``partial`` means the link works in part: the data arrives but too late, or it arrives from
    one of its masters while another master's copy never reaches the provider.
    """

    kind: LinkKind
    status: LinkStatus
    gap: GapKind | None = None
    system: str | None = Field(default=None, description="The system this link is about.")
    datum: str | None = None
    source: str | None = Field(default=None, description="The master the data comes from.")
    path: tuple[str, ...] = Field(default=(), description="Systems from source to provider.")
    flows: tuple[str, ...] = Field(default=(), description="Flow ids along the path.")
    latency: int | None = Field(default=None, description="Latency rank of the path (slowest hop).")
    channel: str | None = None
    touchpoint: str | None = None
    skills: tuple[str, ...] = Field(default=(), description="Skills the owners lack (skill links).")
    detail: str = Field(default="", description="The exact missing piece, in words.")

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class Candidate(Output):
    """A provider that was considered for a capability, with the number of links it leaves open."""

    system: str
    gaps: int
    hub: bool


class Chain(Output):
    """need → capability → providing system → data → flow path → master, for one capability."""

    segment: str
    need: str
    capability: str
    provider: str | None = Field(default=None, description="The chosen providing system.")
    candidates: tuple[Candidate, ...] = Field(
        default=(), description="Every provider considered, best first.")
    max_latency: int | None = None
    channel: str | None = None
    links: tuple[Link, ...]

    @model_validator(mode="before")
    @classmethod
    def _derived_status(cls, data: Any) -> Any:
        # ``status`` is written to JSON for readers but always recomputed from the links.
        if isinstance(data, dict) and "status" in data:
            data = {k: v for k, v in data.items() if k != "status"}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> LinkStatus:
        """The weakest link: missing, else partial, else ok (the chain closes)."""
        if any(link.status == "missing" for link in self.links):
            return "missing"
        if any(link.status == "partial" for link in self.links):
            return "partial"
        return "ok"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.segment, self.need, self.capability)


class BuildItem(Output):
    """Something to build so that chains close, deduplicated on (kind, target)."""

    kind: BuildKind
    target: str = Field(description="What gets built: a capability, datum, flow 'a->b', etc.")
    source: str | None = Field(default=None, description="Where data would come from.")
    system: str | None = Field(default=None, description="The system that receives or changes.")
    data: tuple[str, ...] = ()
    latency: int | None = Field(default=None, description="Strictest latency any need asks for.")
    capabilities: tuple[str, ...] = Field(default=(), description="Capabilities it serves.")
    channel: str | None = None
    skills: tuple[str, ...] = ()
    flows: tuple[str, ...] = Field(default=(), description="Existing flows to extend or speed up.")
    unblocks: tuple[str, ...] = Field(description="Need ids this item helps to close.")
    remedy: str | None = None
    after: tuple[str, ...] = Field(
        default=(), description="Targets of other items that must be built first.")
    summary: str = ""


class ChainChange(Output):
    """A chain whose status differs between the current state and the what-if state."""

    segment: str
    need: str
    capability: str
    before: LinkStatus | None = Field(description="None when the chain only exists in what-if.")
    after: LinkStatus


class BacktrackResult(Output):
    chains: tuple[Chain, ...]
    to_build: tuple[BuildItem, ...]
    what_if: bool = False
    segment: str | None = Field(default=None, description="The segment asked for, if any.")
    unspecified_needs: tuple[str, ...] = Field(
        default=(), description="Needs that name no capability yet, so cannot be traced.")
    changes: tuple[ChainChange, ...] = Field(
        default=(), description="With what-if: chains that close or improve on planned items.")
