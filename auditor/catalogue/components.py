"""The five blueprint components and the score caps (``blueprints/components*.yaml``,
``blueprints/score-caps*.yaml``)."""

from __future__ import annotations

from auditor.content import ContentFile, load_model, merge_by_id
from auditor.schema.catalogue import (
    Component,
    ComponentCatalogue,
    ScoreCapCatalogue,
    ScoreCapRule,
)


def read_components(files: list[ContentFile]) -> tuple[Component, ...]:
    """Components in file order; a later file's component with the same id replaces it."""
    return tuple(merge_by_id(load_model(cf.path, ComponentCatalogue).components for cf in files))


def read_caps(files: list[ContentFile]) -> tuple[ScoreCapRule, ...]:
    return tuple(cap for cf in files for cap in load_model(cf.path, ScoreCapCatalogue).caps)
