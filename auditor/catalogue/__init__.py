"""One catalogue: every piece of content the analysis and the interview read, loaded once.

Question banks, the product catalogue, rule metadata, components, score caps, remedies, the
root-cause settings and the backtracking settings all come from the content folders
(``questionnaires/``, ``blueprints/``, with a consultant's ``--content`` laid over them). ``load_catalogue()`` returns one
``Catalogue`` per set of content files; each part is parsed and validated the first time it is
asked for, so the interview never pays for the rules and ``auditor --help`` pays for nothing.
The catalogue is passed down (the rule context carries it); no check reads content from globals.

Validated parts are also kept between runs in the user's cache, keyed by the content files'
paths, modification times and sizes (``auditor.catalogue.compiled``): a command parses the YAML
only after the content changed.
"""

from __future__ import annotations

from functools import cached_property

from auditor.catalogue.banks import read_banks
from auditor.catalogue.compiled import CompiledParts, cache_dir, fingerprint
from auditor.catalogue.components import read_caps, read_components
from auditor.catalogue.products import Products, read_products
from auditor.catalogue.remedies import check_rule_references, read_remedies
from auditor.catalogue.root_causes import RootCauseSettings, read_root_causes
from auditor.catalogue.rules import read_rules
from auditor.catalogue.scoring import read_scoring
from auditor.catalogue.settings import BacktrackSettings, settings_from_rules
from auditor.catalogue.severity import read_severity_scaling
from auditor.catalogue.targets import TargetStates, read_roadmap_settings, read_target_states
from auditor.catalogue.vocabulary import Vocabulary, read_vocabulary
from auditor.catalogue.wording import Templates, load_templates, read_wording, template_code
from auditor.content import ContentFile, content_files
from auditor.schema.catalogue import (
    Component,
    Remedy,
    RoadmapSettings,
    RuleMeta,
    ScoreCapRule,
    ScoringCatalogue,
    SeverityScaling,
    Wording,
)
from auditor.schema.questionnaire import Question, QuestionBank, Section

__all__ = ["Catalogue", "load_catalogue"]


class Catalogue:
    """The effective content of one run; parts load lazily, once."""

    def __init__(self, questionnaires: list[ContentFile], blueprints: list[ContentFile],
                 stamps: tuple[str, ...] | None = None) -> None:
        self._questionnaires = questionnaires
        self._blueprints = blueprints
        self._stamps = stamps if stamps is not None else _stamps(questionnaires, blueprints)

    @cached_property
    def compiled(self) -> CompiledParts:
        """The parts kept in the user's cache for exactly these content files."""
        return CompiledParts(fingerprint(self._stamps), cache_dir())

    def _blueprint_files(self, prefix: str) -> list[ContentFile]:
        return [cf for cf in self._blueprints if cf.path.name.startswith(prefix)]

    # --- question banks -------------------------------------------------------------------
    @cached_property
    def banks(self) -> tuple[QuestionBank, ...]:
        return self.compiled.get("banks", lambda: read_banks(self._questionnaires))

    @cached_property
    def questions(self) -> dict[str, Question]:
        """All questions of the loaded banks by id, in run order."""
        return {q.id: q for bank in self.banks for q in bank.questions()}

    def question_name(self, question_id: str) -> str:
        """How a sentence names a question: its short title from the bank ('executive
        sponsorship'), else its text in quotes; an id no bank knows stays as it is."""
        q = self.questions.get(question_id)
        if q is None:
            return question_id
        return q.short or f"'{q.text.rstrip('?')}'"

    @cached_property
    def sections(self) -> dict[str, tuple[QuestionBank, Section]]:
        """Every section by id, with the bank it belongs to."""
        return {s.id: (bank, s) for bank in self.banks for s in bank.sections}

    @cached_property
    def rubric_questions(self) -> dict[str, tuple[str, list[str]]]:
        """Audit question id ('q8') -> (title, its rubric sub-question ids), in bank order."""
        out: dict[str, tuple[str, list[str]]] = {}
        for section_id, (_, section) in self.sections.items():
            rubric = [q.id for q in section.questions if q.type == "rubric"]
            if rubric:
                key = (section.question or section_id).lower()
                title, known = out.get(key, (section.title, []))
                out[key] = (title, known + rubric)
        return out

    # --- blueprints -----------------------------------------------------------------------
    @cached_property
    def products(self) -> Products:
        files = [cf for cf in self._blueprints if "products" in cf.path.name]
        return self.compiled.get("products", lambda: read_products(files))

    @cached_property
    def import_vocabulary(self) -> Vocabulary:
        """The words model imports guess from, and their property mapping."""
        return self.compiled.get("import vocabulary",
                                 lambda: read_vocabulary(self._blueprint_files("import-")))

    @cached_property
    def rules(self) -> tuple[RuleMeta, ...]:
        """Rule metadata sorted by id (cross-checked with the check functions by the engine)."""
        return self.compiled.get("rules", lambda: read_rules(self._blueprint_files("rules")))

    @cached_property
    def components(self) -> tuple[Component, ...]:
        """The five blueprint components, in file order."""
        return self.compiled.get(
            "components", lambda: read_components(self._blueprint_files("components")))

    @cached_property
    def caps(self) -> tuple[ScoreCapRule, ...]:
        return self.compiled.get("caps", lambda: read_caps(self._blueprint_files("score-caps")))

    @cached_property
    def scoring(self) -> ScoringCatalogue:
        """Stages, evidence weights and stage signatures (``blueprints/scoring.yaml``)."""
        return self.compiled.get("scoring", lambda: read_scoring(
            self._blueprint_files("scoring"), set(self.rubric_questions)))

    def stage(self, level: float) -> str:
        """The name of the stage a level has reached (2.7 -> stage 2)."""
        whole = max(0, min(4, int(level)))
        return self.scoring.stages[whole].name

    @cached_property
    def remedies(self) -> tuple[Remedy, ...]:
        def build() -> tuple[Remedy, ...]:
            remedies = read_remedies(self._blueprint_files("remedies"))
            check_rule_references(remedies, self.rules)
            return remedies

        return self.compiled.get("remedies", build)

    @cached_property
    def wording(self) -> Wording:
        """The client's terms by industry and the advice sentences findings share."""
        return self.compiled.get("wording", lambda: read_wording(self._blueprint_files("wording")))

    @cached_property
    def templates(self) -> Templates:
        """Every rule's rationale and recommendation, and the shared advice, compiled.

        Their code is kept in the compiled cache (keyed by the content files, which hold every
        template source); a template with a syntax error is reported on every run, since
        content that does not compile is never stored."""
        return load_templates(self.compiled.get(
            "template code", lambda: template_code(self.rules, self.wording)))

    @cached_property
    def target_states(self) -> TargetStates:
        """Stage names and the target-state statements per component and level.

        The stage names are the scoring stages (``scoring.yaml``): one path, named once, so the
        score and the blueprint can never call a level by two names."""
        def build() -> TargetStates:
            states = read_target_states(self._blueprint_files("target-states"))
            states.stages = {s.level: s.name for s in self.scoring.stages}
            return states

        return self.compiled.get("target states", build)

    @cached_property
    def roadmap_settings(self) -> RoadmapSettings:
        return self.compiled.get("roadmap settings",
                                 lambda: read_roadmap_settings(self._blueprint_files("roadmap")))

    @cached_property
    def backtracking(self) -> BacktrackSettings:
        """BKT-* thresholds and SKL-01's role-default skills, read from the rule metadata."""
        return settings_from_rules(self.rules)

    @cached_property
    def severity_scaling(self) -> SeverityScaling:
        """Which findings keep a lower severity at a small or still-foundational client."""
        return self.compiled.get("severity scaling", lambda: read_severity_scaling(
            self._blueprint_files("severity"), self.remedies))

    @cached_property
    def root_causes(self) -> RootCauseSettings:
        """How findings are grouped into root causes: anchors, lead priority, headlines."""
        return self.compiled.get("root causes", lambda: read_root_causes(
            self._blueprint_files("root-causes"), self.rules))

    def rule(self, rule_id: str) -> RuleMeta | None:
        return self._rule_index.get(rule_id)

    @cached_property
    def _rule_index(self) -> dict[str, RuleMeta]:
        return {m.id: m for m in self.rules}

    def component(self, component_id: str) -> Component | None:
        return next((c for c in self.components if c.id == component_id), None)

    def remedy(self, remedy_id: str) -> Remedy | None:
        return self._remedy_index.get(remedy_id)

    @cached_property
    def _remedy_index(self) -> dict[str, Remedy]:
        # Asked twice for every finding (its remedy's title); the first of an id, as a scan.
        index: dict[str, Remedy] = {}
        for r in self.remedies:
            index.setdefault(r.id, r)
        return index


_cache: dict[tuple[str, ...], Catalogue] = {}


def load_catalogue() -> Catalogue:
    """The catalogue for the content folders as they are now.

    The same object is returned while no content file changes (path and modification time of
    every file), so a long-lived process such as a test session or a notebook sees edits.
    """
    questionnaires = content_files("questionnaires")
    blueprints = content_files("blueprints")
    key = _stamps(questionnaires, blueprints)
    if key not in _cache:
        _cache.clear()
        _cache[key] = Catalogue(questionnaires, blueprints, key)
    return _cache[key]


def _stamps(*groups: list[ContentFile]) -> tuple[str, ...]:
    """Path, modification time and size of every content file: changes when any is edited."""
    stamps = []
    for cf in (cf for group in groups for cf in group):
        stat = cf.path.stat()
        stamps.append(f"{cf.relative}={cf.path}:{stat.st_mtime_ns}:{stat.st_size}")
    return tuple(stamps)
