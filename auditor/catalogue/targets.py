"""Target states per component and stage (``blueprints/target-states*.yaml``) and the roadmap
settings (``blueprints/roadmap*.yaml``).

A target-state statement is a sentence with ``{slot}`` fields that the blueprint fills from
the client's audit ("Zendesk and WhatsApp feed the Segment profile"). Slots are checked on
load against the names the analysis can fill, so a typo is a located content error rather
than a sentence with a hole in it.
"""

from __future__ import annotations

import string

from auditor.content import ContentFile, load_model
from auditor.errors import ContentError
from auditor.problems import Problem, did_you_mean
from auditor.schema.blueprint import TARGET_SLOTS
from auditor.schema.catalogue import (
    ComponentTargets,
    RoadmapSettings,
    RoadmapSettingsFile,
    StageMeta,
    TargetStateCatalogue,
)


class TargetStates:
    """Stage names by level, and the statements of each component at each level."""

    def __init__(self, stages: list[StageMeta], components: list[ComponentTargets]) -> None:
        self.stages = {s.level: s.name for s in stages}
        self.components: dict[str, ComponentTargets] = {c.component: c for c in components}

    def stage_name(self, level: int) -> str:
        return self.stages.get(level, f"level {level}")


def slots_of(text: str) -> list[str]:
    """The ``{slot}`` names a statement uses, in order."""
    return [name for _, name, _, _ in string.Formatter().parse(text) if name]


def read_target_states(files: list[ContentFile]) -> TargetStates:
    stages: dict[int, StageMeta] = {}
    components: dict[str, ComponentTargets] = {}
    problems: list[Problem] = []
    for cf in files:
        loaded = load_model(cf.path, TargetStateCatalogue)
        stages.update({s.level: s for s in loaded.stages})
        for ci, comp in enumerate(loaded.components):
            components[comp.component] = comp  # a later file replaces a component whole
            for level, statements in comp.stages.items():
                if not 1 <= level <= 4:
                    problems.append(Problem(path=("components", ci, "stages", level),
                                            file=str(cf.path),
                                            message="levels run from 1 to 4"))
                for si, st in enumerate(statements):
                    for field in ("text", "otherwise"):
                        for slot in slots_of(getattr(st, field) or ""):
                            if slot not in TARGET_SLOTS:
                                problems.append(Problem(
                                    path=("components", ci, "stages", level, si, field),
                                    file=str(cf.path),
                                    message=f"unknown slot '{{{slot}}}'"
                                            f"{did_you_mean(slot, sorted(TARGET_SLOTS))}"))
    if problems:
        raise ContentError("some target-state statements cannot be filled", problems=problems,
                           hint="Slots are listed in blueprints/README.md.")
    # Stage names come from scoring.yaml (the catalogue sets them), which checks all five.
    return TargetStates(sorted(stages.values(), key=lambda s: s.level),
                        sorted(components.values(), key=lambda c: c.component))


def read_roadmap_settings(files: list[ContentFile]) -> RoadmapSettings:
    """The last file wins (a consultant's override replaces the built-in settings)."""
    settings = RoadmapSettings()
    for cf in files:
        settings = load_model(cf.path, RoadmapSettingsFile).roadmap
    return settings
