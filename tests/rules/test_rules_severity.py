"""Severity variants of the PER/JRN rules that one fixture per rule cannot show."""

from __future__ import annotations

from typing import Any

from auditor.analysis.assess import assess
from auditor.schema.audit import Audit


def _audit(inventory: dict[str, Any], answers: list[tuple[str, str, Any]] = ()) -> Audit:
    respondents = sorted({r for _, r, _ in answers})
    return Audit.model_validate({
        "client": {"name": "Severity"},
        "respondents": [{"id": r, "name": r} for r in respondents],
        "answers": [{"question": q, "respondent": r, "value": v} for q, r, v in answers],
        "inventory": inventory,
    })


def _identity_masters(count: int, fed_to_cdp: int) -> dict[str, Any]:
    systems = [{"id": f"s{i}", "name": f"S{i}", "roles": ["commerce"], "masters": ["person"]}
               for i in range(count)]
    systems.append({"id": "cdp", "name": "CDP", "roles": ["cdp"]})
    flows = [{"source": f"s{i}", "target": "cdp", "data": ["person"], "mode": "real-time"}
             for i in range(fed_to_cdp)]
    return {"systems": systems, "flows": flows,
            "data": [{"id": "person", "name": "Person", "class": "identity"}]}


def _only(audit: Audit, rule: str) -> list:
    """The findings of ``rule``; the rule must have been assessed, so that "no findings" in a
    silent case means the rule looked and found nothing, not that it never ran."""
    assessment = assess(audit, only={rule})
    status = assessment.rule_status(rule)
    assert status is not None and status.assessed, f"{rule} was not assessed: {status}"
    return [f for f in assessment.findings if f.rule == rule]


def test_per01_critical_when_many_masters_and_little_coverage() -> None:
    (finding,) = _only(_audit(_identity_masters(4, 1)), "PER-01")
    assert finding.severity == "critical"
    assert "CDP receives identity data from 1 of them" in finding.message


def test_per01_high_when_the_cdp_covers_two_of_four() -> None:
    (finding,) = _only(_audit(_identity_masters(4, 2)), "PER-01")
    assert finding.severity == "high"
    assert "not from S2 and S3" in finding.message


def test_per01_critical_when_duplicates_are_reported_high() -> None:
    audit = _audit(_identity_masters(2, 1), [("q8.3", "cio", 25), ("q8.3", "cmo", 30)])
    (finding,) = _only(audit, "PER-01")
    assert finding.severity == "critical"
    assert finding.evidence.answers == ("q8.3/cio", "q8.3/cmo")


def test_per01_silent_when_every_master_reaches_the_resolver() -> None:
    assert _only(_audit(_identity_masters(4, 4)), "PER-01") == []


def test_per03_critical_when_bounces_are_high() -> None:
    audit = _audit({"systems": [{"id": "crm", "name": "CRM"}]},
                   [("q8.1", "cmo", 1), ("q8.3b", "cmo", 12)])
    (finding,) = _only(audit, "PER-03")
    assert finding.severity == "critical"
    assert finding.evidence.answers == ("q8.1/cmo", "q8.3b/cmo")
    assert finding.message == ("Respondents rate keeping person data clean at 1 of 4; "
                               "measured bounced addresses at 12%.")


def test_per03_silent_when_rated_above_the_threshold() -> None:
    audit = _audit({"systems": [{"id": "crm", "name": "CRM"}]}, [("q8.1", "cmo", 2)])
    assert _only(audit, "PER-03") == []


def test_jrn01_rule_without_executor_is_critical() -> None:
    audit = _audit({
        "systems": [{"id": "crm", "name": "CRM", "masters": ["case"]}],
        "data": [{"id": "case", "name": "Case", "class": "case"}],
        "policies": [{"id": "pause", "name": "Pause", "trigger": ["case"], "action": "pause",
                      "target": "promotion"}]})
    (finding,) = _only(audit, "JRN-01")
    assert finding.severity == "critical" and "no system applies it" in finding.message


def test_jrn01_without_window_only_needs_a_route() -> None:
    audit = _audit({
        "systems": [{"id": "crm", "name": "CRM", "masters": ["case"]},
                    {"id": "esp", "name": "ESP"}],
        "data": [{"id": "case", "name": "Case", "class": "case"}],
        "flows": [{"source": "crm", "target": "esp", "data": ["case"], "mode": "manual"}],
        "policies": [{"id": "pause", "name": "Pause", "trigger": ["case"], "action": "pause",
                      "target": "promotion", "executors": ["esp"]}]})
    assert _only(audit, "JRN-01") == []


def test_attribute_flow_counts_for_the_entity_route() -> None:
    """A flow of the whole entity carries its attributes: JRN-05 on an attribute is satisfied."""
    audit = _audit({
        "systems": [{"id": "erp", "name": "ERP", "masters": ["order"]},
                    {"id": "shop", "name": "Shop", "roles": ["system-of-record"]}],
        "data": [{"id": "order", "name": "Order", "class": "transaction",
                  "attributes": [{"id": "order-status", "name": "Status", "class": "status"}]}],
        "touchpoints": [{"id": "page", "name": "Page", "style": "one-way-in", "systems": ["shop"]}],
        "flows": [{"source": "erp", "target": "shop", "data": ["order"], "mode": "real-time"}]})
    assert _only(audit, "JRN-05") == []
