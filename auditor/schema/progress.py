"""Progress between audits (``auditor compare``) and across a portfolio (``auditor benchmark``).

Output models: frozen, tuples in a fixed order, byte-identical JSON for the same inputs.
Items are matched by id only: a renamed id shows as removed plus added, and names shared by a
removed and an added item are listed as possible renames for the consultant to confirm.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from auditor.schema.assessment import AuditStamp
from auditor.schema.kinds import Severity
from auditor.schema.output import Output


# --- compare --------------------------------------------------------------------------------
class ScoreDelta(Output):
    """One question's or component's score in both audits; deltas are after minus before."""

    id: str
    name: str
    before: float | None = None
    after: float | None = None
    delta: float | None = None
    self_before: float | None = Field(default=None, description="Self-rating before caps.")
    self_after: float | None = None
    self_delta: float | None = None


class FindingChange(Output):
    key: str
    rule: str
    title: str
    component: str
    severity: Severity = Field(description="Its severity in the audit where it appears (after, "
                                           "if in both).")
    severity_before: Severity | None = None
    message: str


class InventoryChange(Output):
    """Items of one inventory list added and removed, matched by id."""

    kind: str = Field(description="systems, channels, flows, teams…")
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    added_names: tuple[str, ...] = ()
    removed_names: tuple[str, ...] = ()


class SystemChange(Output):
    system: str
    name: str
    field: Literal["roles", "lifecycle", "owners"]
    before: tuple[str, ...] = ()
    after: tuple[str, ...] = ()


class PossibleRename(Output):
    kind: str
    removed: str
    added: str
    name: str


class ChainDelta(Output):
    segment: str
    need: str
    capability: str
    name: str = Field(description="The need's name.")
    before: str | None = Field(description="ok, partial, missing; None when new.")
    after: str | None = Field(description="None when the need is gone.")


class RoadmapProgress(Output):
    done: tuple[str, ...] = Field(default=(), description=(
        "Items of the earlier roadmap that the later one no longer needs, or marks as done."))
    remaining: tuple[str, ...] = ()
    new: tuple[str, ...] = ()
    titles: dict[str, str] = Field(default_factory=dict)


class Comparison(Output):
    before: AuditStamp
    after: AuditStamp
    client_before: str
    client_after: str
    questions: tuple[ScoreDelta, ...] = ()
    components: tuple[ScoreDelta, ...] = ()
    overall: ScoreDelta
    root_causes_resolved: tuple[str, ...] = ()
    root_causes_new: tuple[str, ...] = ()
    root_causes_persisting: tuple[str, ...] = ()
    findings_resolved: tuple[FindingChange, ...] = ()
    findings_new: tuple[FindingChange, ...] = ()
    findings_persisting: tuple[FindingChange, ...] = ()
    inventory: tuple[InventoryChange, ...] = ()
    systems_changed: tuple[SystemChange, ...] = ()
    possible_renames: tuple[PossibleRename, ...] = ()
    chains_closed: tuple[ChainDelta, ...] = ()
    chains_opened: tuple[ChainDelta, ...] = Field(default=(), description=(
        "Chains that closed before and no longer do, or new chains that are open."))
    chains_still_open: tuple[ChainDelta, ...] = ()
    roadmap: RoadmapProgress = Field(default_factory=RoadmapProgress)


# --- benchmark ------------------------------------------------------------------------------
class Standing(Output):
    """One client's value on one measure, and where it stands among the others."""

    client: str = Field(description="The client's label: its name with --names, else 'Client A'…")
    value: float | None = None
    rank: int | None = Field(default=None, description="1 is the highest; ties share a rank.")
    of: int = Field(default=0, description="Clients with a value on this measure.")


class Distribution(Output):
    n: int
    median: float | None = None
    q1: float | None = None
    q3: float | None = None
    low: float | None = None
    high: float | None = None


class Measure(Output):
    """A question, a component or the overall level, across the portfolio."""

    id: str
    name: str
    kind: Literal["question", "component", "overall"]
    all: Distribution
    by_industry: dict[str, Distribution] = Field(default_factory=dict, description=(
        "Only industries with enough clients to compare without naming one."))
    standings: tuple[Standing, ...] = ()


class BenchmarkClient(Output):
    label: str
    industry: str | None = None
    fingerprint: str
    source: str = Field(description="The file it was read from, with --names; else ''.")


class Benchmark(Output):
    clients: tuple[BenchmarkClient, ...]
    measures: tuple[Measure, ...]
    named: bool = False
    min_industry: int = Field(description="Clients an industry needs before it is shown apart.")
