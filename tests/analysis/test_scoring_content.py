"""Scoring is content: blueprints/scoring.yaml is validated on load and can be overridden."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from auditor.analysis.assess import assess
from auditor.catalogue import load_catalogue
from auditor.content import packaged_root, set_overrides
from auditor.errors import ContentError
from auditor.store.audit_file import load_audit

E1 = Path(__file__).parents[2] / "examples" / "e1-harbour-pine.audit.yaml"
BUILTIN = (packaged_root() / "blueprints" / "scoring.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_overrides() -> Iterator[None]:
    yield
    set_overrides([])


def _override(tmp_path: Path, text: str) -> None:
    (tmp_path / "blueprints").mkdir(exist_ok=True)
    (tmp_path / "blueprints" / "scoring.yaml").write_text(text, encoding="utf-8")
    set_overrides([tmp_path])


def test_builtin_scoring_has_five_stages_and_signatures_for_every_level() -> None:
    scoring = load_catalogue().scoring
    assert [s.name for s in scoring.stages] == [
        "Inward-facing record-keeping", "Listening", "Self-service", "Conversation",
        "Community and participation"]
    assert {s.level for s in scoring.signatures} == {1, 2, 3, 4}
    # Each of the nine questions has evidence at every level 1-4.
    for q in (f"q{n}" for n in range(1, 10)):
        assert {s.level for s in scoring.signatures if q in s.questions} == {1, 2, 3, 4}, q


def test_a_negative_weight_is_refused_with_its_line(tmp_path: Path) -> None:
    _override(tmp_path, BUILTIN.replace("high: 0.25", "high: -0.25"))
    with pytest.raises(ContentError) as err:
        load_catalogue().scoring
    text = str(err.value)
    assert "scoring.yaml" in text and "cannot be negative" in text and "high" in text


def test_requires_must_name_the_items(tmp_path: Path) -> None:
    _override(tmp_path, BUILTIN.replace('requires: "Name an owning team for {items}."',
                                        'requires: "Name an owning team."'))
    with pytest.raises(ContentError) as err:
        load_catalogue().scoring
    assert "must contain {items}" in str(err.value)


def test_unknown_questions_and_checks_are_content_errors(tmp_path: Path) -> None:
    _override(tmp_path, BUILTIN.replace("questions: [q6]\n    shows: The teams",
                                        "questions: [q66]\n    shows: The teams"))
    with pytest.raises(ContentError) as err:
        load_catalogue().scoring
    assert "'skills-listed' names unknown question(s) q66" in str(err.value)

    _override(tmp_path, BUILTIN.replace("id: skills-listed", "id: skills-listted"))
    with pytest.raises(ContentError) as err:
        assess(load_audit(E1))
    assert "signature(s) with no check: skills-listted" in str(err.value)


def test_an_override_changes_names_and_weights(tmp_path: Path) -> None:
    changed = (BUILTIN.replace("name: Listening", "name: Hearing")
               .replace("max_penalty: 1.0", "max_penalty: 0.0"))
    _override(tmp_path, changed)
    person = next(c for c in assess(load_audit(E1)).scores.components if c.component == "person")
    # With no penalty E1's Person keeps what the evidence reaches (1), now called Hearing.
    assert (person.evidenced.level, person.evidenced.stage) == (1.0, "Hearing")
    assert person.stage == "Hearing"  # the self-rated 1.0 is named from the same file
