"""Severity that fits the client: a finding that calls for an advanced capability keeps a
lower severity at a small client, or at one still laying its foundations
(``blueprints/severity.yaml``; docs/gap-analysis.md, "Severity that fits the client")."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.answers import level_of
from auditor.schema.kinds import SEVERITY_RANK, Severity

if TYPE_CHECKING:
    from auditor.rules.registry import RuleContext
    from auditor.schema.audit import Audit
    from auditor.schema.catalogue import SeverityScaling


@dataclass(frozen=True)
class ClientScale:
    """What the scaling reads about a client: its size band and whether it lays foundations."""

    band: str | None
    interactions: int
    systems: int
    maturity: float | None  # median self-rated level over every answered rubric question
    foundations: bool


def client_scale(audit: Audit, scaling: SeverityScaling) -> ClientScale:
    inv = audit.inventory
    interactions = sum(c.interactions_per_year or 0 for c in inv.channels
                       if getattr(c, "status", "current") != "planned")
    systems = sum(1 for s in inv.systems if getattr(s, "status", "current") != "planned")
    band = None
    for size in scaling.sizes:
        if ((size.max_interactions is None or interactions <= size.max_interactions)
                and (size.max_systems is None or systems <= size.max_systems)):
            band = size.band
            break
    levels = [lv for lv in (level_of(a) for a in audit.answers) if lv is not None]
    maturity = float(statistics.median(levels)) if levels else None
    return ClientScale(band=band, interactions=interactions, systems=systems, maturity=maturity,
                       foundations=maturity is not None and maturity < scaling.foundations_below)


def scaled(ctx: RuleContext, severity: Severity, remedy: str | None) -> tuple[Severity, str]:
    """``severity``, no higher than what the client's size and maturity allow for ``remedy``,
    and what lowered it: 'size', 'foundations', or '' when nothing did."""
    if remedy is None:
        return severity, ""
    scaling = ctx.catalogue.severity_scaling
    scale: ClientScale = ctx.cached("severity:scale", lambda: client_scale(ctx.audit, scaling))
    ceiling, why = severity, ""
    for work in scaling.advanced:
        if remedy not in work.remedies:
            continue
        caps = [(work.most.get(scale.band) if scale.band else None, "size"),
                (work.foundations if scale.foundations else None, "foundations")]
        for cap, reason in caps:
            if cap is not None and SEVERITY_RANK[cap] < SEVERITY_RANK[ceiling]:
                ceiling, why = cap, reason
    return ceiling, why
