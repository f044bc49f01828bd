"""Answers the banks promise to use are read: record counts and identifiers (CON-01), quality
dimensions (CON-05), the evidence of sponsorship (CON-06), tracked measures (GOV-02)."""

from __future__ import annotations

from typing import Any

from auditor.analysis.assess import assess
from auditor.schema.audit import Audit

ONE_SYSTEM = {"systems": [{"id": "crm", "name": "CRM", "roles": ["system-of-record"],
                           "masters": ["person"]}],
              "data": [{"id": "person", "name": "Person", "class": "identity"}]}


def _audit(answers: list[dict[str, Any]], inventory: dict[str, Any] | None = None) -> Audit:
    return Audit.model_validate({
        "client": {"name": "Acme"},
        "respondents": [{"id": "cmo", "name": "CMO"}, {"id": "cio", "name": "CIO"}],
        "answers": answers, "inventory": inventory or ONE_SYSTEM})


def _hits(audit: Audit, rule: str) -> list[Any]:
    return [f for f in assess(audit, only={rule}).findings if f.rule == rule]


def test_con01_reads_records_against_people_and_identifiers() -> None:
    claim = {"question": "q1.1", "respondent": "cmo", "value": 3}
    # One system, so identity is not split; the answers alone contradict the claim.
    assert _hits(_audit([claim]), "CON-01") == []
    counts = [claim, {"question": "q1.3", "respondent": "cio", "value": 300000},
              {"question": "q1.3b", "respondent": "cio", "value": 200000}]
    (hit,) = _hits(_audit(counts), "CON-01")
    assert "300,000 customer records for about 200,000 people" in hit.message
    assert {"q1.3/cio", "q1.3b/cio", "q1.1/cmo"} <= set(hit.evidence.answers)
    close = [claim, {"question": "q1.3", "respondent": "cio", "value": 210000},
             {"question": "q1.3b", "respondent": "cio", "value": 200000}]
    assert _hits(_audit(close), "CON-01") == []
    unlinked = [claim, {"question": "q1.4", "respondent": "cio", "value": ["none"]}]
    (hit,) = _hits(_audit(unlinked), "CON-01")
    assert "no identifier links a person" in hit.message and "q1.4/cio" in hit.evidence.answers


def test_con05_reads_the_dimensions_measured() -> None:
    inventory = {**ONE_SYSTEM, "systems": [{**ONE_SYSTEM["systems"][0],
                                            "roles": ["system-of-record", "data-quality"]}]}
    claim = {"question": "q8.1", "respondent": "cio", "value": 3}
    assert _hits(_audit([claim], inventory), "CON-05") == []
    none = [claim, {"question": "q8.2", "respondent": "cmo", "value": ["none"]}]
    (hit,) = _hits(_audit(none, inventory), "CON-05")
    # The sentence names the question by its short title; the id stays in the evidence.
    assert ("CIO rates keeping person data clean at 3, describing a managed data-quality "
            "process, yet CMO says no quality dimension is measured.") == hit.message
    assert "q8.2/cmo" in hit.evidence.answers
    # Two respondents: the verb agrees.
    both = [*none, {"question": "q8.2", "respondent": "cio", "value": ["none"]}]
    (hit,) = _hits(_audit(both, inventory), "CON-05")
    assert "yet CIO and CMO say no quality dimension is measured." in hit.message
    measured = [claim, {"question": "q8.2", "respondent": "cmo", "value": ["uniqueness"]}]
    assert _hits(_audit(measured, inventory), "CON-05") == []


def test_con06_quotes_the_evidence_offered() -> None:
    inventory = {**ONE_SYSTEM, "teams": [{"id": "board", "name": "Board", "executive": True}]}
    answers = [{"question": "q7.1", "respondent": "cmo", "value": 4},
               {"question": "q7.4", "respondent": "cmo", "value": "A budget line for 2027"},
               {"question": "q7.4", "respondent": "cio", "not_applicable": True,
                "reason": "Not on the board"}]
    (hit,) = _hits(_audit(answers, inventory), "CON-06")
    assert 'CMO cites: "A budget line for 2027".' in hit.message
    assert "q7.4/cmo" in hit.evidence.answers and "q7.4/cio" not in hit.evidence.answers


def test_gov02_quotes_measures_respondents_say_they_track() -> None:
    inventory = {**ONE_SYSTEM, "metrics": [{"id": "opens", "name": "Open rate",
                                            "type": "activity"}]}
    answers = [{"question": "q5.2", "respondent": "cmo", "value": ["retention", "effort"]},
               {"question": "q5.2", "respondent": "cio", "value": ["none"]}]
    (hit,) = _hits(_audit(answers, inventory), "GOV-02")
    assert "CMO names retention, effort as tracked, but no such metric is recorded" in hit.message
    assert "q5.2" not in hit.message
    assert hit.evidence.answers == ("q5.2/cmo",)


def test_jrn10_quotes_how_many_hold_several_products() -> None:
    """q2.3 (the share holding more than one product) says how often an offer blind to
    purchases reaches someone who already holds it; JRN-10 quotes it and cites the answers."""
    from pathlib import Path

    from auditor.store.audit_file import load_audit

    fixture = Path(__file__).parent / "fixtures" / "JRN-10" / "fire.audit.yaml"
    base = load_audit(fixture)
    (plain,) = _hits(base, "JRN-10")
    assert "more than one product" not in plain.message and plain.evidence.answers == ()
    data = base.model_dump(mode="json", exclude_none=True)
    data["respondents"] = [{"id": "fundraising", "name": "Head of fundraising"}]
    data["answers"] = [{"question": "q2.3", "respondent": "fundraising", "value": 35}]
    (hit,) = _hits(Audit.model_validate(data), "JRN-10")
    assert hit.message.endswith(
        "Respondents put the supporters who hold more than one product or service at 35%: "
        "what they already hold should shape what they are offered.")
    assert hit.evidence.answers == ("q2.3/fundraising",)
    assert "q2.3" not in hit.message
