"""The assessment: what the analysis concludes (scores, findings, chains, roadmap).

Output models, so they are frozen and serialise to byte-identical JSON for the same audit.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Severity = Literal["low", "medium", "high", "critical"]
SEVERITY_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2, "critical": 3}
ComponentId = Literal["person", "journeys", "skills", "governance", "technologies"]


class Output(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Evidence(Output):
    """The exact things behind a finding: node ids, flow/edge ids, answers ('q8.1/cio')."""

    nodes: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()


class Finding(Output):
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

    @property
    def sort_key(self) -> tuple[int, str, str, str]:
        return (-SEVERITY_RANK[self.severity], self.rule, self.subject, self.message)


class RuleStatus(Output):
    """Whether a rule could be assessed on this audit, and why not."""

    rule: str
    assessed: bool
    reason: str = ""
    findings: int = 0
