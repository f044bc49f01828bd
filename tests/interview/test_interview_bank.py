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
