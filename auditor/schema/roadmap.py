"""The roadmap (DOMAIN.md §6): remedies ordered into phases by what each depends on.

Output models: frozen, every collection a tuple in a fixed order, so the same audit always
serialises to byte-identical JSON. Ids stay in the fields a machine reads; every sentence a
person reads (``summary``, ``headline``, ``evidence``) is written with names.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from auditor.schema.kinds import ComponentId, Severity
from auditor.schema.output import Output


class Reason(Output):
    """Something an item resolves: a root cause, or a finding while root causes are absent."""

    kind: Literal["root-cause", "finding"]
    key: str = Field(description="The root cause's or finding's stable key.")
    headline: str
    severity: Severity
    component: ComponentId


class Unblocked(Output):
    """A need of a segment (backtracking) that this item helps to meet."""

    need: str
    name: str
    segment: str
    segment_name: str


class Reach(Output):
    """Who an item reaches: interactions a year on the channels concerned, people in the
    segments whose needs it unblocks. None when the audit does not say."""

    interactions_per_year: int | None = None
    share: float | None = Field(default=None, description=(
        "Those interactions as a share of every interaction the audit counts (0–1)."))
    people: int | None = None
    channels: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()


class Succession(Output):
    """A system the roadmap does not invest in (TIME migrate/eliminate), and what replaces it."""

    system: str
    name: str
    lifecycle: str
    successor: str | None = None
    successor_name: str | None = None
    basis: str = Field(default="", description=(
        "How the successor was found: named in the audit, or the current system sharing its "
        "roles."))


class RoadmapItem(Output):
    remedy: str
    title: str
    component: ComponentId
    phase: int = Field(description="1 is the first phase.")
    effort: str
    severity: Severity | None = Field(default=None, description=(
        "The most severe problem it resolves; None when it is only there as a prerequisite "
        "or because the audit asks for it."))
    included: Literal["findings", "to-build", "audit", "prerequisite"] = Field(description=(
        "Why it is on the roadmap: findings or backtracking gaps it resolves, the audit's "
        "roadmap.include, or a prerequisite of another item that is not known to be in place."))
    why: tuple[Reason, ...] = ()
    unblocks: tuple[Unblocked, ...] = ()
    systems: tuple[str, ...] = Field(default=(), description=(
        "Systems it invests in or changes (never one marked migrate or eliminate)."))
    system_names: tuple[str, ...] = ()
    retiring: tuple[Succession, ...] = Field(default=(), description=(
        "Systems it touches that are being migrated or eliminated, with their successors."))
    owner: str | None = Field(default=None, description="Suggested owning team (id).")
    owner_name: str | None = None
    owner_basis: str = ""
    reach: Reach = Field(default_factory=Reach)
    after: tuple[str, ...] = Field(default=(), description=(
        "Roadmap items directly before this one (the transitive reduction of the order)."))
    quick_win: bool = False
    summary: str = Field(default="", description="One sentence for a reader, with names.")


class PlannedItem(Output):
    """A system or flow the roadmap adds to the ecosystem (drawn by ``graph --target``)."""

    kind: Literal["system", "flow"]
    id: str
    name: str
    remedy: str = Field(description="The roadmap item that adds it.")
    roles: tuple[str, ...] = ()
    capabilities: tuple[str, ...] = ()
    source: str | None = None
    target: str | None = None
    data: tuple[str, ...] = ()


class RoadmapPhase(Output):
    number: int
    items: tuple[str, ...] = Field(description="Remedy ids, most severe first, then by id.")


class Prerequisite(Output):
    """A remedy that selected items depend on but that is not itself on the roadmap."""

    remedy: str
    title: str
    status: Literal["in-place", "done"]
    evidence: tuple[str, ...] = Field(default=(), description="Why it counts as in place.")
    needed_by: tuple[str, ...] = ()


class Roadmap(Output):
    phases: tuple[RoadmapPhase, ...] = ()
    items: tuple[RoadmapItem, ...] = Field(default=(), description="In phase order.")
    quick_wins: tuple[str, ...] = ()
    next_90_days: tuple[str, ...] = Field(default=(), description=(
        "What to start first: quick wins, then the rest of the first phase by severity."))
    prerequisites: tuple[Prerequisite, ...] = ()
    done: tuple[str, ...] = Field(default=(), description="Remedies the audit marks as done.")
    uncovered: tuple[str, ...] = Field(default=(), description=(
        "Finding keys no remedy addresses (for discussion rather than for the plan)."))
    dismissed: tuple[str, ...] = Field(default=(), description=(
        "Keys of findings the consultant dismissed (in force on the day of the analysis): no "
        "item is selected for them, cites them or counts their reach."))
    additions: tuple[PlannedItem, ...] = Field(default=(), description=(
        "New systems and flows of the target ecosystem, in roadmap order."))

    def item(self, remedy: str) -> RoadmapItem | None:
        return next((i for i in self.items if i.remedy == remedy), None)
