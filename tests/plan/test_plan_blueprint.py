"""The five-component blueprint: current state, maturity, target state, recommendations."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from auditor.analysis.assess import analyse, assess
from auditor.analysis.blueprint import busy_channels
from auditor.analysis.current_state import journeys_state, person_state, skills_state, technologies_state
from auditor.analysis.target_slots import SlotFiller
from auditor.catalogue import load_catalogue
from auditor.content import set_overrides
from auditor.errors import ContentError
from auditor.schema.blueprint import TARGET_SLOTS, Blueprint
from auditor.store.audit_file import load_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _blueprint(name: str) -> Blueprint:
    found = assess(load_audit(EXAMPLES / f"{name}.audit.yaml")).blueprint
    assert found is not None
    return found


def test_five_components_in_catalogue_order() -> None:
    bp = _blueprint("demo")
    assert [c.component for c in bp.components] == [
        "person", "journeys", "skills", "governance", "technologies"]
    assert [c.name for c in bp.components][3] == "People & governance"


def test_person_matrix_identity_and_consent_on_e1() -> None:
    person = _blueprint("e1-harbour-pine").component("person")
    assert person is not None and person.person is not None
    rows = {r.datum: r for r in person.person.attributes}
    assert rows["individual"].masters == ("helpdesk", "pos", "shop")
    assert rows["individual"].conflict  # three masters, no survivorship rule
    assert set(rows["individual"].copies) == {"esp", "vip-sheet"}
    assert rows["email-consent"].masters == ("esp", "shop") and rows["email-consent"].conflict
    assert not person.person.identity_resolved and person.person.resolvers == ()
    texts = [f.text for f in person.facts]
    assert ("Person records are created in Helpdesk, Point of sale and Webshop and nothing "
            "resolves them into one identity.") in texts


def test_consent_that_misses_a_sender_is_named_on_e3() -> None:
    person = _blueprint("e3-riverbend-food-bank").component("person")
    assert person is not None and person.person is not None
    consent = {c.datum: c for c in person.person.consent}["email-consent"]
    assert "dcrm" in consent.senders_missed  # the postal appeal's system never gets consent
    assert any("never reaches Donor CRM" in f.text for f in person.facts)


def test_journey_stages_with_their_gaps_on_e1() -> None:
    journeys = _blueprint("e1-harbour-pine").component("journeys")
    assert journeys is not None and journeys.journeys is not None
    stages = {r.stage: r for r in journeys.journeys.stages}
    assert list(stages) == ["discover", "buy", "deliver", "support"]
    assert stages["support"].owner == "ops"
    assert set(stages["support"].systems) == {"helpdesk"}
    assert "no-measure" in stages["support"].gaps
    assert "instagram-comments" in stages["discover"].touchpoints
    assert journeys.journeys.journeys_without_owner == ()  # the founder owns it


def test_skills_and_key_person_risks_on_e3() -> None:
    skills = _blueprint("e3-riverbend-food-bank").component("skills")
    assert skills is not None and skills.skills is not None
    by_system = {r.system: r for r in skills.skills.systems}
    assert "data-modelling" in by_system["dcrm"].missing
    risks = {(k.skill, k.team) for k in skills.skills.key_person_risks}
    assert ("campaign-ops", "comms") in risks


def test_governance_raci_on_e1() -> None:
    gov = _blueprint("e1-harbour-pine").component("governance")
    assert gov is not None and gov.governance is not None
    raci = {(r.kind, r.item): r for r in gov.governance.raci}
    journey = next(r for (kind, _), r in raci.items() if kind == "journey")
    assert journey.accountable == ("founder",)
    assert "ops" in journey.responsible
    assert raci["system", "ads"].accountable == ("agency",)
    assert gov.governance.sponsor_level == 3
    assert gov.governance.executives == ("founder",)


def test_technologies_roles_duplicates_and_manual_feeds_on_e1() -> None:
    tech = _blueprint("e1-harbour-pine").component("technologies")
    assert tech is not None and tech.technologies is not None
    t = tech.technologies
    assert {d.capability: d.providers for d in t.duplicates}["segmentation"] == (
        "esp", "shop", "vip-sheet")
    assert len(t.manual_feeds) == 2
    assert t.isolated == ("helpdesk",)
    assert "Point of sale → Email service provider" in " ".join(f.text for f in tech.facts)


def test_maturity_targets_the_next_stage_and_names_what_holds_it_down() -> None:
    journeys = _blueprint("e1-harbour-pine").component("journeys")
    assert journeys is not None
    m = journeys.maturity
    assert (m.current, m.stage, m.target, m.target_stage, m.target_source) == (
        2.0, "Self-service", 3, "Conversation", "next-stage")
    assert m.holding_down[0].severity == "critical"  # the case rule that cannot fire
    assert all(s.level == 3 for s in journeys.target_state)


def test_target_state_is_filled_from_the_audit() -> None:
    journeys = _blueprint("e1-harbour-pine").component("journeys")
    assert journeys is not None
    texts = [s.text for s in journeys.target_state]
    assert ("Helpdesk and Point of sale feed the Webshop profile, so a conversation carries on "
            "when the customer changes channel.") in texts
    for comp in _blueprint("demo").components:
        for st in comp.target_state:
            assert not re.search(r"[{}]", st.text), st.text
            assert st.text[0].isupper()


def test_target_state_never_builds_on_a_system_being_retired() -> None:
    retiring = {"HubSpot (Parts & Service)", "WhatsApp Business app (dispatch phones)",
                "Renewals & Lapsed workbook", "Mailchimp (installations team)",
                "Landlord portfolio tracker (Google Sheet)"}
    for comp in _blueprint("demo").components:
        for st in comp.target_state:
            if "retired" in st.text:
                continue
            assert not any(name in st.text for name in retiring), st.text


def test_every_slot_is_filled_by_the_analysis() -> None:
    analysis = analyse(load_audit(EXAMPLES / "demo.audit.yaml"))
    g = analysis.graph
    settings = analysis.catalogue.backtracking
    person, _ = person_state(g)
    journeys, _ = journeys_state(g)
    skills, _ = skills_state(g, dict(settings.role_skills), settings.min_skill_level)
    tech, _ = technologies_state(g)
    slots = SlotFiller(g, person, journeys, skills, tech, busy_channels(g)).fill()
    assert sorted(slots) == sorted(TARGET_SLOTS)


def test_an_unknown_slot_is_a_located_content_error(tmp_path: Path) -> None:
    builtin = Path(__file__).resolve().parents[2] / "blueprints" / "target-states.yaml"
    (tmp_path / "blueprints").mkdir()
    (tmp_path / "blueprints" / "target-states.yaml").write_text(
        builtin.read_text(encoding="utf-8").replace("{hub} shares", "{hubb} shares", 1),
        encoding="utf-8")
    set_overrides([tmp_path])
    try:
        with pytest.raises(ContentError) as info:
            load_catalogue().target_states  # noqa: B018
    finally:
        set_overrides([])
    text = str(info.value)
    assert "unknown slot '{hubb}'; did you mean 'hub'?" in text
    assert "target-states.yaml" in text


def test_recommendations_are_the_components_roadmap_items_with_their_phase() -> None:
    tech = _blueprint("demo").component("technologies")
    assert tech is not None
    recs = {r.remedy: r for r in tech.recommendations}
    assert {"R07", "R12", "R14"} <= set(recs)
    assert recs["R07"].phase == 3
    assert "its work moves to Zendesk Suite" in recs["R07"].text


def test_blueprint_cli_text_component_filter_and_json(run_cli: Callable) -> None:
    path = str(EXAMPLES / "e1-harbour-pine.audit.yaml")
    result = run_cli("blueprint", path)
    assert result.code == 0, result.err
    for heading in ("Person", "Journeys", "Skills", "People & governance", "Technologies"):
        assert f"\n{heading} ─" in result.out
    assert all(len(line) <= 80 for line in result.out.splitlines())
    only = run_cli("blueprint", path, "--component", "person")
    assert "\nPerson ─" in only.out and "Journeys ─" not in only.out
    data = json.loads(run_cli("blueprint", path, "--json", "--component", "skills").out)
    assert [c["component"] for c in data["blueprint"]["components"]] == ["skills"]
