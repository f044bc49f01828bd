"""Severity that fits the client (blueprints/severity.yaml): a finding calling for an advanced
capability keeps a lower severity at a small client, or one still laying foundations."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.analysis.assess import assess
from auditor.answers import level_of
from auditor.catalogue import load_catalogue
from auditor.content import set_overrides
from auditor.errors import ContentError
from auditor.rules.severity import client_scale
from auditor.schema.audit import Audit, System, Touchpoint
from auditor.store.audit_file import load_audit

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def _e1_with_five_senders() -> Audit:
    """Harbour & Pine (two shops and a webshop) with three more tools that each decide on
    their own when to send promotions: five deciding systems, so TEC-03 fires and, by its
    own count of senders, would be high."""
    audit = load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")
    for sid, name, channel in (("sms-tool", "SMS tool", "web"), ("push-tool", "App push", "web"),
                               ("mailer", "Postcard mailer", "store")):
        audit.inventory.systems.append(System(id=sid, name=name, roles=["system-of-engagement"]))
        audit.inventory.touchpoints.append(Touchpoint(
            id=f"{sid}-promos", name=f"{name} promotions", style="broadcast",
            purpose="marketing", channel=channel, systems=[sid]))
    return audit


def test_the_examples_fall_into_their_bands() -> None:
    scaling = load_catalogue().severity_scaling
    scales = {name: client_scale(load_audit(EXAMPLES / f"{name}.audit.yaml"), scaling)
              for name in ("e1-harbour-pine", "e2-lakeside-university",
                           "e3-riverbend-food-bank")}
    assert {n: s.band for n, s in scales.items()} == {
        "e1-harbour-pine": "small", "e2-lakeside-university": "small",
        "e3-riverbend-food-bank": "small"}
    # The food bank rates itself 1 of 4 (median): it is laying foundations; the others are not.
    assert [n for n, s in scales.items() if s.foundations] == ["e3-riverbend-food-bank"]


def test_no_high_for_an_orchestration_layer_at_a_two_shop_retailer() -> None:
    tec03 = next(f for f in assess(_e1_with_five_senders()).findings if f.rule == "TEC-03")
    assert tec03.severity == "medium" and tec03.scaled_from == "high"
    assert ("At Harbour & Pine's size this counts as medium rather than high"
            in tec03.rationale)


def test_the_same_gap_stays_high_at_scale() -> None:
    audit = _e1_with_five_senders()
    for channel in audit.inventory.channels:
        channel.interactions_per_year = (channel.interactions_per_year or 0) * 25
    tec03 = next(f for f in assess(audit).findings if f.rule == "TEC-03")
    assert tec03.severity == "high" and tec03.scaled_from is None
    assert "rather than" not in tec03.rationale


def test_a_community_forum_is_not_urgent_for_a_small_retailer() -> None:
    findings = {f.key: f for f in assess(load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")).findings}
    forum = findings["BKT-MISSING-CAPABILITY:community-forum"]
    assert forum.severity == "medium" and forum.scaled_from == "high"
    # Core gaps keep their severity whatever the size: reconciling identities is not advanced.
    assert findings["PER-01:individual"].severity == "high"
    assert findings["PER-01:individual"].scaled_from is None


def test_foundations_cap_advanced_work_at_a_client_of_any_size() -> None:
    audit = _e1_with_five_senders()
    for channel in audit.inventory.channels:
        channel.interactions_per_year = (channel.interactions_per_year or 0) * 25
    for answer in audit.answers:
        if level_of(answer) is not None:  # every rubric answer rated 0: nothing in place yet
            answer.value = 0
    tec03 = next(f for f in assess(audit).findings if f.rule == "TEC-03")
    assert tec03.severity == "medium" and tec03.scaled_from == "high"
    assert "While Harbour & Pine is still laying its foundations" in tec03.rationale


@pytest.mark.parametrize(("change", "message"), [
    ("remedies: [R12]", "unknown remedy 'R21'"),
    ("most: {small: medium, mid: high}", "unknown size bands: tiny"),
])
def test_bad_scaling_content_is_a_located_error(tmp_path: Path, change: str,
                                                message: str) -> None:
    text = (ROOT / "blueprints" / "severity.yaml").read_text(encoding="utf-8")
    broken = change.replace("R12", "R21") if "R12" in change else change.replace("small", "tiny")
    assert change in text
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "severity.yaml").write_text(text.replace(change, broken, 1),
                                                           encoding="utf-8")
    set_overrides([tmp_path])
    try:
        with pytest.raises(ContentError) as info:
            load_catalogue().severity_scaling  # noqa: B018
    finally:
        set_overrides([])
    assert message in str(info.value) and "severity.yaml" in str(info.value)
