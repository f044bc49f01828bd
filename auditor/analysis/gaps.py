"""The gap list as the ``gaps`` command and the demo present it: filtered, as root causes (each
with the findings beneath it) and grouped by component and rule, most severe first, plus the
rules that could not be assessed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from auditor.schema.assessment import (
    SEVERITIES,
    SEVERITY_RANK,
    Assessment,
    Finding,
    RootCause,
    RuleStatus,
)


@dataclass(frozen=True)
class RuleGroup:
    rule: str
    title: str
    severity: str  # the most severe of its findings
    rationale: str
    recommendation: str
    remedy: str | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True)
class ComponentGroup:
    component: str
    name: str
    rules: tuple[RuleGroup, ...]


@dataclass(frozen=True)
class GapList:
    client: str
    groups: tuple[ComponentGroup, ...]
    not_assessed: tuple[RuleStatus, ...]
    filters: dict[str, Any] = field(default_factory=dict)
    root_causes: tuple[RootCause, ...] = ()
    #: Points for discussion (stakeholders far apart), listed apart from the findings.
    discussion: tuple[Finding, ...] = ()

    @property
    def findings(self) -> list[Finding]:
        return [f for c in self.groups for r in c.rules for f in r.findings]

    def counts(self) -> dict[str, int]:
        seen = Counter(f.severity for f in self.findings)
        return {s: seen[s] for s in reversed(SEVERITIES) if seen[s]}

    def reaches(self, severity: str) -> bool:
        """Whether any listed finding is at least ``severity`` (for ``--fail-on``)."""
        floor = SEVERITY_RANK[severity]
        return any(SEVERITY_RANK[f.severity] >= floor for f in self.findings)

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "filters": self.filters,
            "counts": self.counts(),
            "root_causes": [c.model_dump(mode="json") for c in self.root_causes],
            "findings": [f.model_dump(mode="json") for f in self.findings],
            "not_assessed": [{"rule": s.rule, "reason": s.reason} for s in self.not_assessed],
            "discussion": [f.model_dump(mode="json") for f in self.discussion],
        }


def gap_list(assessment: Assessment, min_severity: str | None = None,
             components: list[str] | None = None) -> GapList:
    """Group ``assessment``'s findings: components by their most severe finding (then blueprint
    order), rules by their most severe finding (then id), findings most severe first."""
    floor = SEVERITY_RANK[min_severity] if min_severity else 0
    wanted = set(components or [])
    # Blueprint order and names, as scored (the assessment carries them; nothing is reloaded).
    order = {c.component: (i, c.name) for i, c in enumerate(assessment.scores.components)}
    chosen = [f for f in assessment.findings
              if SEVERITY_RANK[f.severity] >= floor and (not wanted or f.component in wanted)]
    groups = []
    for comp in sorted({f.component for f in chosen}, key=lambda c: (
            -max(SEVERITY_RANK[f.severity] for f in chosen if f.component == c),
            order.get(c, (99, c))[0])):
        in_comp = [f for f in chosen if f.component == comp]
        rules = []
        for rule_id in sorted({f.rule for f in in_comp}, key=lambda r: (
                -max(SEVERITY_RANK[f.severity] for f in in_comp if f.rule == r), r)):
            found = sorted((f for f in in_comp if f.rule == rule_id), key=lambda f: f.sort_key)
            first = found[0]
            rules.append(RuleGroup(rule_id, first.title, first.severity, first.rationale,
                                   first.recommendation, first.remedy, tuple(found)))
        groups.append(ComponentGroup(comp, order.get(comp, (99, comp))[1], tuple(rules)))
    skipped = tuple(s for s in assessment.rules if not s.assessed)
    filters = {"min_severity": min_severity, "components": sorted(wanted)}
    return GapList(assessment.client, tuple(groups), skipped, filters,
                   listed_causes(assessment.root_causes, {f.key for f in chosen}),
                   discussion=assessment.discussion)


def listed_causes(causes: tuple[RootCause, ...], listed: set[str]) -> tuple[RootCause, ...]:
    """The root causes with a listed finding beneath them, each showing only those findings
    (so filters apply to both views alike); severity, headline and reach stay as analysed."""
    out = []
    for cause in causes:
        kept = tuple(k for k in cause.findings if k in listed)
        if kept:
            out.append(cause if kept == cause.findings else cause.model_copy(update={"findings": kept}))
    return tuple(out)


class _Graded(Protocol):
    @property
    def severity(self) -> str: ...


GradedT = TypeVar("GradedT", bound=_Graded)


def lead_and_worst(findings: Sequence[GradedT], limit: int) -> tuple[GradedT, ...]:
    """At most ``limit`` of a root cause's ``findings`` (lead first): the one its headline is
    about and the most severe of the others, in the list's own order. A list at most two longer
    than ``limit`` is kept whole: two findings read faster than a sentence about them. The
    terminal and the PDF both show a long list this way."""
    if len(findings) <= limit + 2:
        return tuple(findings)
    lead, *rest = findings
    # Stable: among findings of one severity the first ones are kept.
    worst = sorted(range(len(rest)), key=lambda i: -SEVERITY_RANK[rest[i].severity])
    return (lead, *(rest[i] for i in sorted(worst[:limit - 1])))
