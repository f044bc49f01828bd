"""The built-in banks and catalogue, and a consultant's own bank laid over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.catalogue import load_catalogue
from auditor.content import set_overrides
from auditor.errors import ContentError

#: Every sub-question DOMAIN.md §2 lists; scoring and the gap rules read these ids.
DOMAIN_IDS = """1.1 1.2 1.3 1.4 2.1 2.2 2.3 2.4 3.1 3.2 3.3 3.4 4.1 4.2 4.3 4.4 4.5 5.1 5.2 5.3 5.4
6.1 6.2 6.3 6.4 7.1 7.2 7.3 7.4 8.1 8.2 8.3 8.4 9.1 9.2 9.3 9.4""".split()
RUBRIC_IDS = "1.1 2.1 2.4 3.2 3.4 4.1 5.3 5.4 6.3 7.1 7.2 7.3 8.1 9.3 9.4".split()


def test_every_domain_sub_question_is_in_the_bank_with_its_type() -> None:
    index = load_catalogue().questions
    assert {f"q{i}" for i in DOMAIN_IDS} <= set(index)
    for i in RUBRIC_IDS:
        q = index[f"q{i}"]
        assert q.type == "rubric" and [lv.level for lv in q.levels] == [0, 1, 2, 3, 4]
        assert "score" in q.feeds
    assert index["q6.4"].option("none") is not None and index["q6.4"].option("none").exclusive
    assert index["q7.4"].type == "text"
    assert index["q3.1"].type == "inventory" and index["q3.1"].collection == "channels"


def test_every_question_has_help_and_evidence_and_feeds() -> None:
    for q in load_catalogue().questions.values():
        assert q.help and q.evidence and q.feeds, q.id


def test_banks_run_in_order_with_unique_sections() -> None:
    banks = load_catalogue().banks
    assert [b.id for b in banks] == ["nine-questions", "inventory", "vision"]
    sections = [s.id for b in banks for s in b.sections]
    assert len(sections) == len(set(sections))


def test_catalogue_covers_every_product_the_seed_names() -> None:
    catalogue = load_catalogue().products
    for name in ["Salesforce Sales Cloud", "Service Cloud", "Marketing Cloud", "Experience Cloud",
                 "HubSpot", "Dynamics 365", "Marketo", "Pardot", "Zoho One", "SugarCRM", "SAP CX",
                 "Oracle CX", "AEM", "Pega", "Verint", "Thunderhead", "Creatio", "Five9", "Twilio",
                 "8x8", "WhatsApp", "Informatica", "Tibco", "Zoom", "Microsoft Teams", "Slack",
                 "Kaltura", "Segment", "Zendesk", "Shopify", "Khoros", "Google Ads"]:
        assert catalogue.find(name) is not None, name
    assert catalogue.find("sfmc").roles == ["system-of-engagement", "marketing-automation"]


def _write_bank(folder: Path, body: str) -> Path:
    (folder / "questionnaires").mkdir(parents=True, exist_ok=True)
    path = folder / "questionnaires" / "retail.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = """\
id: retail
title: Retail extras
order: 15
sections:
  - id: stores
    title: Stores
    questions:
      - id: retail.1
        type: choice
        text: How many stores report sales daily?
        feeds: [report]
        options:
          - {value: all, label: All of them}
          - {value: some, label: Some}
      - id: retail.2
        type: number
        text: How many loyalty members?
        when:
          - {question: retail.1, equals: all}
"""


def test_a_consultants_bank_is_added_and_validated(tmp_path: Path) -> None:
    _write_bank(tmp_path, GOOD)
    set_overrides([tmp_path])
    assert [b.id for b in load_catalogue().banks] == ["nine-questions", "retail", "inventory", "vision"]
    assert load_catalogue().questions["retail.2"].when[0].holds("all", True)

    _write_bank(tmp_path, GOOD.replace("type: choice", "type: choose")
                .replace("equals: all", "equals: all, includes: x"))
    with pytest.raises(ContentError) as err:
        load_catalogue().banks
    text = str(err.value)
    assert "retail.yaml:9:15" in text and "'choose' is not a valid type; did you mean 'choice'?" in text
    assert "retail.yaml:19:13" in text and "exactly one of" in text


def test_cross_bank_problems_are_reported(tmp_path: Path) -> None:
    _write_bank(tmp_path, GOOD.replace("id: retail.2", "id: q8.1")
                .replace("question: retail.1,", "question: nowhere.1,"))
    set_overrides([tmp_path])
    with pytest.raises(ContentError) as err:
        load_catalogue().banks
    text = str(err.value)
    assert "question 'q8.1' is also in bank 'nine-questions'" in text
    assert "condition on unknown question 'nowhere.1'" in text


def test_an_override_file_replaces_the_builtin_one(tmp_path: Path) -> None:
    path = _write_bank(tmp_path, GOOD.replace("id: retail\n", "id: vision\n"))
    path.rename(path.with_name("vision.yaml"))
    set_overrides([tmp_path])
    banks = {b.id: b for b in load_catalogue().banks}
    assert [s.id for s in banks["vision"].sections] == ["stores"]


def test_every_audit_question_rests_on_two_rated_sub_questions() -> None:
    rubric = load_catalogue().rubric_questions
    assert sorted(rubric) == [f"q{n}" for n in range(1, 10)]
    for qid, (_, subs) in rubric.items():
        assert len(subs) >= 2, (qid, subs)


def test_new_topics_have_rated_sub_questions() -> None:
    index = load_catalogue().questions
    topics = {"q1.5": "agreed", "q1.6": "advertising", "q4.6": "how often", "q4.7": "help each other",
              "q5.5": "feedback", "q6.5": "same customer goals", "q6.6": "changes",
              "q7.5": "strategy", "q8.5": "corrects"}
    for qid, words in topics.items():
        assert index[qid].type == "rubric" and words in index[qid].text, qid


def test_every_question_names_its_audience() -> None:
    bank = next(b for b in load_catalogue().banks if b.id == "nine-questions")
    for q in bank.questions():
        assert q.audience, q.id
    # Each audience has questions of its own, and the rubric ones cover all three.
    rubric = [q for q in bank.questions() if q.type == "rubric"]
    for audience in ("executive", "practitioner", "it"):
        assert any(audience in q.audience for q in rubric), audience


def test_the_executive_path_takes_twenty_minutes_and_skips_the_inventory() -> None:
    from auditor.interview.session import path_minutes, plan

    steps = plan(audience="executive")
    assert path_minutes(steps) <= 20
    assert not [s.question.id for s in steps if s.question.type in ("inventory", "number")]
    ids = [s.question.id for s in steps]
    # The sponsor, the strategy, community and the targets are on it; record counts are not.
    assert {"q7.1", "q7.5", "q4.7", "target.person"} <= set(ids)
    assert "q1.3" not in ids and "q8.3b" not in ids
    # Every one of the nine questions is asked at least once on the short path.
    assert {i.split(".")[0] for i in ids if i.startswith("q")} == {f"q{n}" for n in range(1, 10)}


def test_one_condition_per_level_in_the_reworded_rubrics() -> None:
    index = load_catalogue().questions
    # q1.1's levels answer how two records are recognised as one customer.
    assert "matched" in index["q1.1"].level(3).description  # type: ignore[union-attr]
    # q6.3's labels say what their descriptions say ("Often" is often, "Mostly" is most).
    for lv in index["q6.3"].levels[1:]:
        stem = lv.label.split(",")[0].split()[0].lower()[:4]
        assert stem in lv.description.lower(), (lv.label, lv.description)
    for qid in ("q4.1", "q7.1", "q9.3"):
        top = index[qid].level(4)
        assert top is not None and " and " not in top.description, (qid, top.description)


def test_a_target_question_needs_a_component(tmp_path: Path) -> None:
    _write_bank(tmp_path, GOOD.replace("type: number", "type: target"))
    set_overrides([tmp_path])
    with pytest.raises(ContentError) as err:
        load_catalogue().banks
    assert "retail.yaml:" in str(err.value) and "a target question needs 'component'" in str(err.value)
