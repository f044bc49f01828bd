"""Severity levels and blueprint component ids, shared by findings, roadmaps and blueprints."""

from __future__ import annotations

from typing import Literal

Severity = Literal["low", "medium", "high", "critical"]
SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high", "critical")
SEVERITY_RANK: dict[str, int] = {s: rank for rank, s in enumerate(SEVERITIES)}
ComponentId = Literal["person", "journeys", "skills", "governance", "technologies"]
COMPONENT_IDS: tuple[str, ...] = ComponentId.__args__  # type: ignore[attr-defined]
