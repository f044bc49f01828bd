"""Invariants of the blueprint catalogue: rules, components, remedies and score caps fit together."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import pytest

from auditor.catalogue import load_catalogue
from auditor.content import content_files, load_model, set_overrides
from auditor.errors import ContentError
from auditor.rules.engine import checked_rules
from auditor.rules.registry import RULES
from auditor.schema.catalogue import RemedyCatalogue, RuleCatalogue

BACKTRACKING_KINDS = {"missing-capability", "missing-data", "missing-flow", "too-slow",
                      "missing-touchpoint", "missing-skill"}


def _remedies():
    files = [cf for cf in content_files("blueprints") if cf.path.name.startswith("remedies")]
    return [r for cf in files for r in load_model(cf.path, RemedyCatalogue).remedies]


def test_rule_ids_are_unique_across_files() -> None:
    ids = [r.id for cf in content_files("blueprints") if cf.path.name.startswith("rules")
           for r in load_model(cf.path, RuleCatalogue).rules]
    assert [i for i, n in Counter(ids).items() if n > 1] == []


def test_domain_catalogue_is_complete() -> None:
    """The 35 rules of DOMAIN.md §4 all exist, next to the contradiction rules."""
    ids = {m.id for m in checked_rules(load_catalogue())}
    expected = ({f"PER-0{i}" for i in range(1, 8)} | {f"JRN-0{i}" for i in range(1, 9)}
                | {f"GOV-0{i}" for i in range(1, 7)} | {f"SKL-0{i}" for i in range(1, 4)}
                | {f"TEC-{i:02d}" for i in range(1, 12)})
    assert len(expected) == 35
    assert expected <= ids
    assert len({i for i in ids if i.startswith("CON-")}) >= 4


def test_every_metadata_entry_has_a_function_and_back() -> None:
    metas = checked_rules(load_catalogue())
    assert {m.id for m in metas} == set(RULES)


def test_components_exist_and_prefixes_match() -> None:
    components = {c.id: c for c in load_catalogue().components}
    assert set(components) == {"person", "journeys", "skills", "governance", "technologies"}
    prefixes = {c.prefix: c.id for c in components.values()}
    for meta in checked_rules(load_catalogue()):
        prefix = meta.id.split("-")[0]
        # Cross-cutting families (contradictions, backtracking) choose their component per rule.
        if prefix in prefixes:
            assert meta.component == prefixes[prefix], meta.id


def test_component_questions_are_rubric_questions() -> None:
    scored = set(load_catalogue().rubric_questions)
    for comp in load_catalogue().components:
        assert comp.questions, comp.id
        assert set(comp.questions) <= scored, comp.id
    listed = [q for c in load_catalogue().components for q in c.questions]
    assert sorted(listed) == sorted(scored), "each scored question belongs to one component"


def test_referenced_remedies_exist_and_list_the_rule() -> None:
    remedies = {r.id: r for r in _remedies()}
    rule_ids = {m.id for m in checked_rules(load_catalogue())}
    for meta in checked_rules(load_catalogue()):
        if meta.remedy is not None:
            assert meta.remedy in remedies, f"{meta.id} -> unknown remedy {meta.remedy}"
            assert meta.id in remedies[meta.remedy].resolves, (
                f"{meta.remedy} does not list {meta.id} in resolves")
    for remedy in remedies.values():
        assert set(remedy.resolves) <= rule_ids, remedy.id
        assert set(remedy.depends_on) <= set(remedies), remedy.id
        assert set(remedy.kinds) <= BACKTRACKING_KINDS, remedy.id


def test_remedies_match_domain_table() -> None:
    ids = sorted(r.id for r in _remedies())
    assert ids == [f"R{i:02d}" for i in range(1, 17)]
    covered = {k for r in _remedies() for k in r.kinds}
    assert covered == BACKTRACKING_KINDS


def test_remedy_graph_is_acyclic() -> None:
    d = nx.DiGraph()
    for r in _remedies():
        d.add_node(r.id)
        d.add_edges_from((dep, r.id) for dep in r.depends_on)
    assert nx.is_directed_acyclic_graph(d), nx.find_cycle(d)
    # Identity resolution must come before orchestration (DOMAIN.md §6).
    assert nx.has_path(d, "R09", "R12")


def test_score_caps_name_real_rules_and_questions() -> None:
    rule_ids = {m.id for m in checked_rules(load_catalogue())}
    questions = set(load_catalogue().rubric_questions)
    caps = load_catalogue().caps
    assert {(c.question, c.rule) for c in caps} >= {
        ("q9", "TEC-01"), ("q8", "PER-03"), ("q3", "PER-06"), ("q4", "JRN-01"), ("q7", "GOV-01")}
    for cap in caps:
        assert cap.rule in rule_ids and cap.question in questions


def test_rule_texts_are_our_own_and_complete() -> None:
    for meta in checked_rules(load_catalogue()):
        assert meta.rationale.strip() and meta.recommendation.strip(), meta.id
        assert re.match(r"^[A-Z]", meta.title), meta.id


def test_unknown_need_is_a_content_error(tmp_path: Path) -> None:
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "rules-person-journeys.yaml").write_text(
        (Path(__file__).parents[2] / "blueprints" / "rules-person-journeys.yaml")
        .read_text(encoding="utf-8").replace("needs: [data]", "needs: [dta]", 1),
        encoding="utf-8")
    set_overrides([tmp_path])
    try:
        with pytest.raises(ContentError) as info:
            checked_rules(load_catalogue())
        assert "'dta' is not a known input" in str(info.value)
    finally:
        set_overrides([])


def test_metadata_without_function_is_a_content_error(tmp_path: Path) -> None:
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "rules-extra.yaml").write_text(
        "rules:\n  - id: PER-99\n    title: Orphan rule\n    component: person\n"
        "    severity: low\n    rationale: nothing implements this one\n"
        "    recommendation: write the function or drop the entry\n", encoding="utf-8")
    set_overrides([tmp_path])
    try:
        with pytest.raises(ContentError) as info:
            checked_rules(load_catalogue())
        assert "PER-99" in str(info.value) and "no registered check function" in str(info.value)
    finally:
        set_overrides([])


def test_docs_mention_every_rule() -> None:
    """docs/gap-analysis.md cannot silently fall behind the catalogue (BKT-* live in their own guide)."""
    text = (Path(__file__).parents[2] / "docs" / "gap-analysis.md").read_text(encoding="utf-8")
    families = {"GOV": range(1, 7), "SKL": range(1, 4), "TEC": range(1, 12)}
    missing = []
    for meta in checked_rules(load_catalogue()):
        prefix, _, number = meta.id.partition("-")
        if prefix == "BKT":
            continue
        # Families documented as a range ("GOV-01 … GOV-06") count when the id is inside it.
        if prefix in families and number.isdigit() and int(number) in families[prefix]:
            continue
        if meta.id not in text:
            missing.append(meta.id)
    assert missing == []


def _override_remedies(tmp_path: Path, edit: Callable[[str], str]) -> None:
    (tmp_path / "blueprints").mkdir(exist_ok=True)
    builtin = Path(__file__).parents[2] / "blueprints" / "remedies.yaml"
    (tmp_path / "blueprints" / "remedies.yaml").write_text(
        edit(builtin.read_text(encoding="utf-8")), encoding="utf-8")
    set_overrides([tmp_path])


def test_a_remedy_cycle_is_a_content_error_naming_the_cycle(tmp_path: Path) -> None:
    # R01 <- R02 already; make R01 depend on R03, which depends on R02: R01 → R03 → R02 → R01.
    _override_remedies(tmp_path, lambda text: text.replace(
        "    depends_on: []\n    resolves: [GOV-01, GOV-06, CON-06]",
        "    depends_on: [R03]\n    resolves: [GOV-01, GOV-06, CON-06]", 1))
    try:
        with pytest.raises(ContentError) as info:
            checked_rules(load_catalogue())
        assert "in a circle: R01 → R03 → R02 → R01" in str(info.value)
    finally:
        set_overrides([])


def test_a_dependency_on_an_unknown_remedy_is_located(tmp_path: Path) -> None:
    _override_remedies(tmp_path, lambda text: text.replace(
        "    depends_on: [R01]\n", "    depends_on: [R1]\n", 1))
    try:
        with pytest.raises(ContentError) as info:
            checked_rules(load_catalogue())
        assert "depends on unknown remedy 'R1'" in str(info.value)
    finally:
        set_overrides([])


def test_a_threshold_naming_an_unknown_remedy_is_located(tmp_path: Path) -> None:
    """PER-02 gives consent its own remedy through a threshold; a typo there is caught on load."""
    (tmp_path / "blueprints").mkdir()
    builtin = Path(__file__).parents[2] / "blueprints" / "rules-person-journeys.yaml"
    text = builtin.read_text(encoding="utf-8")
    assert "consent_remedy: R08" in text
    (tmp_path / "blueprints" / "rules-person-journeys.yaml").write_text(
        text.replace("consent_remedy: R08", "consent_remedy: R8"), encoding="utf-8")
    set_overrides([tmp_path])
    try:
        with pytest.raises(ContentError) as info:
            checked_rules(load_catalogue())
        said = str(info.value) + "".join(f"\n{p}" for p in info.value.problems)
        assert "names unknown remedy 'R8'" in said and "consent_remedy" in said
    finally:
        set_overrides([])
