"""Root causes: every finding under exactly one, deterministic, in names, with reach; the demo's
root causes against a golden file; E3 reviewed; a hostile audit where everything is retired."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.analysis.assess import analyse, assess
from auditor.analysis.root_causes import anchors_of
from auditor.catalogue import load_catalogue
from auditor.content import set_overrides
from auditor.errors import ContentError
from auditor.schema.assessment import SEVERITY_RANK, Assessment
from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit

REPO = Path(__file__).parents[2]
EXAMPLES = REPO / "examples"
DEMO = EXAMPLES / "demo.audit.yaml"
E3 = EXAMPLES / "e3-riverbend-food-bank.audit.yaml"
GOLDEN = Path(__file__).parent / "data" / "demo-root-causes.json"
FIXTURES = sorted((REPO / "tests" / "rules" / "fixtures").glob("*/fire.audit.yaml"))
#: Set to rewrite the golden file after a deliberate change (then review the diff).
UPDATE = os.environ.get("AUDITOR_UPDATE_GOLDEN") == "1"


def _partition_holds(assessment: Assessment) -> None:
    listed = [k for c in assessment.root_causes for k in c.findings]
    assert sorted(listed) == sorted(f.key for f in assessment.findings)
    assert len(listed) == len(set(listed))


def _ids(audit: Audit) -> set[str]:
    """Inventory and vision ids whose display name differs from the id."""
    inv, vis = audit.inventory, audit.vision
    items = [*inv.systems, *inv.channels, *inv.touchpoints, *inv.data, *inv.journeys,
             *inv.teams, *inv.metrics, *inv.policies, *inv.capabilities, *vis.segments,
             *vis.needs]
    return {i.id for i in items if i.name and i.name != i.id and "-" in i.id}


# --- the demo ------------------------------------------------------------------------------
def test_demo_root_causes_match_the_golden_file() -> None:
    assessment = assess(load_audit(DEMO))
    got = [c.model_dump(mode="json") for c in assessment.root_causes]
    text = json.dumps(got, indent=2, ensure_ascii=False) + "\n"
    if UPDATE:
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_demo_has_at_most_15_root_causes_each_finding_under_one() -> None:
    assessment = assess(load_audit(DEMO))
    # The unrecorded Facebook group no longer rides along with the ad-suppression rule through
    # the ad platform (tests/plan/test_plan_advice.py holds that rule); it joins the missing
    # community it stands in for.
    assert 5 <= len(assessment.root_causes) <= 15
    ads = next(c for c in assessment.root_causes if c.key == "JRN-01:no-ads-after-plan-purchase")
    assert not any(k.startswith("JRN-03:") for k in ads.findings)
    assert len(assessment.root_causes) < len(assessment.findings)
    _partition_holds(assessment)
    severities = [SEVERITY_RANK[c.severity] for c in assessment.root_causes]
    assert severities == sorted(severities, reverse=True)
    for cause in assessment.root_causes:
        worst = max(SEVERITY_RANK[f.severity] for f in assessment.findings
                    if f.key in cause.findings)
        assert SEVERITY_RANK[cause.severity] == worst
        assert cause.findings[0] == cause.lead == cause.key


def test_demo_whatsapp_is_one_root_cause_with_its_reach() -> None:
    assessment = assess(load_audit(DEMO))
    whatsapp = [c for c in assessment.root_causes
                if any(k.startswith(("PER-06:whatsapp", "TEC-08:whatsapp-business"))
                       for k in c.findings)]
    assert len(whatsapp) == 1
    cause = whatsapp[0]
    assert cause.headline.startswith("WhatsApp is an island: 175,000 interactions a year")
    assert cause.reach is not None and cause.reach.interactions_per_year == 175_000
    assert {"PER-06:whatsapp", "TEC-06:whatsapp-business", "TEC-08:whatsapp-business",
            "JRN-03:whatsapp-dispatch"} <= set(cause.findings)
    assert cause.remedy_title and cause.remedy_title in load_catalogue().remedy(
        cause.remedy or "").title  # type: ignore[union-attr]
    # Unmeasured conversations are another piece of work (metrics), said separately.
    assert not any(k.startswith("GOV-03") for k in cause.findings)


# Read as the client's CEO would: what belongs to one issue, and what must stay apart.
DEMO_TOGETHER = [
    # Purchases that never reach the systems contacting people, and ad platforms that report
    # nothing back: the plan-ads rule that cannot fire, LinkedIn with no rule to leave buyers
    # out, Mailchimp hearing of no purchase, results that never return. One marketing loop.
    ("JRN-01:no-ads-after-plan-purchase", "JRN-02:linkedin-ads"),
    ("JRN-01:no-ads-after-plan-purchase", "JRN-10:mailchimp"),
    ("JRN-02:linkedin-ads", "TEC-10:meta-business"),
    # Every sender that misses opt-outs recorded elsewhere, ad audiences uploaded without
    # consent, and consent with two masters: one consent fix.
    ("PER-05:hubspot", "PER-05:marketo"), ("PER-05:marketo", "PER-05:mailchimp"),
    ("PER-05:hubspot", "PER-08:meta-business"), ("PER-08:meta-business", "PER-08:linkedin-ads"),
    ("PER-05:hubspot", "PER-02:email-consent"),
    # One skills plan, the agency that alone runs two ad platforms included.
    ("SKL-01:linkedin-ads", "SKL-02:erp-admin"), ("SKL-01:linkedin-ads", "SKL-03:google-ads"),
    ("SKL-03:google-ads", "SKL-03:meta-business"),
    # The email address with two masters and the quote kept apart: the person data model.
    ("PER-02:email-address", "PER-07:parts-quote"),
    # The forum nobody provides and the customer-run Facebook group nothing records.
    ("BKT-MISSING-CAPABILITY:community-forum", "JRN-03:homeowners-facebook-group"),
    # Feedback collected in Qualtrics that reaches neither the record nor a team.
    ("JRN-03:post-visit-survey", "JRN-11:qualtrics"),
    # Hand-kept feeds, and the workbook fed by them.
    ("TEC-09:hubspot-to-d365", "TEC-09:renewals-sheet-to-marketo"),
    ("TEC-09:renewals-sheet-to-marketo", "PER-04:renewals-sheet"),
    # No orchestration and nothing that sees every send: one decision point to add.
    ("TEC-03", "TEC-12"),
    # Unmeasured conversations: one measurement practice.
    ("GOV-03:whatsapp", "GOV-03:social"),
]
DEMO_APART = [
    ("GOV-03:whatsapp", "PER-06:whatsapp"),            # metrics vs integration
    ("GOV-03:whatsapp", "BKT-MISSING-CAPABILITY:community-forum"),
    ("PER-05:hubspot", "TEC-09:renewals-sheet-to-marketo"),  # consent vs hand-kept feeds
    ("PER-03:q8.1", "PER-01:customer-number"),         # quality process vs identity matching
    ("JRN-05:part-order-status", "PER-06:whatsapp"),
    ("TEC-05:bulk-email", "TEC-03"),                   # duplicate tools vs orchestration
    # Sending to people who opted out is a privacy risk, not a suppression rule that misfires.
    ("PER-08:meta-business", "JRN-01:no-ads-after-plan-purchase"),
    # An agency holding the ad accounts is a skills and ownership gap, not a data flow.
    ("SKL-03:google-ads", "JRN-01:no-ads-after-plan-purchase"),
    ("PER-02:email-consent", "PER-02:email-address"),  # consent vs the data model
    ("JRN-10:mailchimp", "PER-05:mailchimp"),          # purchases vs consent, one sender
]


def test_demo_root_causes_group_what_a_reader_would_group() -> None:
    assessment = assess(load_audit(DEMO))
    where = {k: c.key for c in assessment.root_causes for k in c.findings}
    for a, b in DEMO_TOGETHER:
        assert a in where and b in where, (a, b)
        assert where[a] == where[b], (a, b)
    for a, b in DEMO_APART:
        assert a in where and b in where, (a, b)
        assert where[a] != where[b], (a, b)


def test_headlines_use_names_not_ids() -> None:
    for path in (DEMO, *sorted(EXAMPLES.glob("e*.audit.yaml"))):
        audit = load_audit(path)
        ids = _ids(audit)
        for cause in assess(audit).root_causes:
            words = set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", cause.headline))
            assert not words & ids, (path.name, cause.headline)
            assert "{" not in cause.headline


# --- determinism --------------------------------------------------------------------------
def test_root_cause_json_is_identical_across_processes(tmp_path: Path) -> None:
    code = ("import sys, json; from auditor.store.audit_file import load_audit; "
            "from auditor.analysis.assess import assess; "
            "a = assess(load_audit(sys.argv[1])); "
            "print(json.dumps([c.model_dump(mode='json') for c in a.root_causes]))")
    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        proc = subprocess.run([sys.executable, "-c", code, str(DEMO)], capture_output=True,
                              text=True, env=env, cwd=tmp_path, timeout=120)
        assert proc.returncode == 0, proc.stderr
        outputs.append(proc.stdout)
    assert outputs[0] == outputs[1] and json.loads(outputs[0])


def test_every_fixture_partitions_its_findings() -> None:
    for path in FIXTURES:
        _partition_holds(assess(load_audit(path)))


# --- E3 reviewed --------------------------------------------------------------------------
# Pairs a reader would keep together, and pairs a reader would keep apart (why, in the report).
E3_TOGETHER = [
    # The email platform neither hears from the donor CRM nor reports back; consent for the
    # postal appeal lives on the email side; the email channel's interactions stay there.
    ("TEC-01:esp", "TEC-02:esp"), ("TEC-01:esp", "PER-06:email"),
    ("TEC-01:esp", "PER-05:postal-appeal"),
    # Gifts and tickets kept away from the conversations: one person data model to write.
    ("PER-07:gift", "PER-07:ticket"), ("PER-07:gift", "PER-07:online-gift"),
    # Consent with two masters is the consent the donor CRM sends without.
    ("PER-02:email-consent", "PER-05:dcrm+opt-out"),
    # The email platform hears of no gift, so the pause after a gift cannot work there.
    ("JRN-01:pause-asks-after-gift", "JRN-10:esp"),
    # Ticketing and volunteer systems run the website and the gala outside the donor CRM.
    ("PER-06:web", "JRN-03:volunteer-signup"), ("PER-06:web", "TEC-08:vol"),
    ("PER-06:web", "PER-06:in-person"),
    # One skills plan.
    ("SKL-01:dcrm", "SKL-02:platform-admin"),
]
E3_APART = [
    ("TEC-01:esp", "PER-01:supporter"),    # connecting two systems is not resolving identity
    ("PER-03:q8.1", "PER-02:email-consent"),  # quality process vs consent
    ("PER-02:email-consent", "PER-07:gift"),  # consent vs where gifts are kept
    ("GOV-04:vol", "PER-06:web"),             # who owns a system vs integrating it
    ("GOV-01", "GOV-02"),                  # a sponsor vs the metrics
    ("TEC-03", "TEC-01:esp"),              # orchestration is a later, separate layer
    ("JRN-05:tax-receipt-status", "TEC-01:esp"),
]


def test_e3_root_causes_group_what_a_reader_would_group() -> None:
    assessment = assess(load_audit(E3))
    _partition_holds(assessment)
    where = {k: c.key for c in assessment.root_causes for k in c.findings}
    checked = 0
    for a, b in E3_TOGETHER:
        if a in where and b in where:
            assert where[a] == where[b], (a, b)
            checked += 1
    for a, b in E3_APART:
        if a in where and b in where:
            assert where[a] != where[b], (a, b)
            checked += 1
    assert checked >= 10
    # 19 since the unowned volunteer system is its own (governance) issue, no longer folded
    # into the website island it runs.
    assert len(assessment.root_causes) <= 19 and len(assessment.root_causes) < len(
        assessment.findings) * 0.6


# --- hostile input ------------------------------------------------------------------------
def test_everything_eliminated_does_not_crash_and_reads_sensibly() -> None:
    raw = load_audit(DEMO).model_dump(by_alias=True)
    for system in raw["inventory"]["systems"]:
        system["lifecycle"] = "eliminate"
    # Client text that looks like a template or markup must come out as written.
    hostile = "WhatsApp {title} [bold]app[/bold]"
    for channel in raw["inventory"]["channels"]:
        if channel["id"] == "whatsapp":
            channel["name"] = hostile
    analysis = analyse(Audit.model_validate(raw))
    assessment = analysis.assessment
    _partition_holds(assessment)
    assert assessment.root_causes
    for cause in assessment.root_causes:
        assert cause.headline.replace(hostile, "") and "{" not in cause.headline.replace(
            hostile, "")
        assert cause.recommendation
    led = [c for c in assessment.root_causes if c.lead.startswith("PER-06:whatsapp")]
    assert all(c.headline.startswith(f"{hostile} is an island") for c in led)


def test_no_findings_no_root_causes() -> None:
    assessment = assess(Audit.model_validate({"client": {"name": "Empty"}}))
    assert assessment.findings == () and assessment.root_causes == ()


# --- the content ------------------------------------------------------------------------
def test_every_root_cause_entry_names_a_rule_and_fills_its_headline() -> None:
    catalogue = load_catalogue()
    settings = catalogue.root_causes
    rules = {m.id for m in catalogue.rules}
    assert {e.rule for e in settings.rules} <= rules
    # Entries are unique, so the priority order is unambiguous.
    assert len({e.rule for e in settings.rules}) == len(settings.rules)


def test_anchors_follow_the_content() -> None:
    analysis = analyse(load_audit(DEMO))
    settings = analysis.catalogue.root_causes
    by_key = {f.key: f for f in analysis.assessment.findings}
    assert anchors_of(by_key["PER-06:whatsapp"], analysis.graph, settings) >= {"whatsapp"}
    # 'system:not-hub' leaves the record out; GOV-03 is anchored on its remedy and channel.
    assert "salesforce" not in anchors_of(by_key["TEC-09:renewals-sheet-to-marketo"],
                                          analysis.graph, settings)
    assert anchors_of(by_key["GOV-03:social"], analysis.graph, settings) == {
        "remedy:R04", "social"}


@pytest.mark.parametrize("entry, expected", [
    ("- {rule: PER-06, about: [colour]}", "'colour' is not an anchor"),
    ("- {rule: PER-06, headline: '{channel} has {colour}'}", "'{colour}' is not a headline"),
    ("- {rule: PER-6, about: [key]}", "PER-6"),
    ("- {rule: PER-66, about: [key]}", "unknown rule 'PER-66'"),
])
def test_bad_root_cause_content_is_a_located_error(tmp_path: Path, entry: str,
                                                   expected: str) -> None:
    folder = tmp_path / "mine" / "blueprints"
    folder.mkdir(parents=True)
    (folder / "root-causes-extra.yaml").write_text(f"rules:\n  {entry}\n", encoding="utf-8")
    set_overrides([tmp_path / "mine"])
    try:
        with pytest.raises(ContentError) as caught:
            load_catalogue().root_causes  # noqa: B018 - loading is the test
    finally:
        set_overrides([])
    text = str(caught.value) + "".join(f"\n{p}" for p in caught.value.problems)
    assert expected in text
    assert "root-causes-extra.yaml" in text


def test_an_override_rewords_headlines_in_place_and_falls_back(tmp_path: Path) -> None:
    folder = tmp_path / "mine" / "blueprints"
    folder.mkdir(parents=True)
    (folder / "root-causes-extra.yaml").write_text(
        "rules:\n"
        "  - {rule: JRN-05, headline: '{data} is invisible to {people} people'}\n"
        "  - {rule: PER-06, headline: '{channel} is lost: {interactions} a year, {team}'}\n",
        encoding="utf-8")
    set_overrides([tmp_path / "mine"])
    try:
        assessment = assess(load_audit(DEMO))
    finally:
        set_overrides([])
    heads = {c.key: c.headline for c in assessment.root_causes}
    # Replaced in place: JRN-05 still leads its root cause, now with the override's words.
    assert heads["JRN-05:part-order-status"] == "Back-ordered part status is invisible to 2,300 people"
    # PER-06's new template needs a team the finding does not name: the default is used.
    assert heads["PER-06:whatsapp"] == "A busy channel is not captured against the person: WhatsApp"


def test_dismissed_findings_leave_their_root_cause(run_cli, demo_copy: Path) -> None:
    for key in ("TEC-05:segmentation", "TEC-08:whatsapp-business"):
        r = run_cli("dismiss", str(demo_copy), key, "--reason", "Accepted for now", "--by", "Ruth")
        assert r.code == 0, r.err
    data = json.loads(run_cli("gaps", str(demo_copy), "--json").out)
    keys = {k for c in data["root_causes"] for k in c["findings"]}
    assert "TEC-05:segmentation" not in keys and "TEC-08:whatsapp-business" not in keys
    assert keys == {f["key"] for f in data["findings"]}
    whatsapp = next(c for c in data["root_causes"] if c["key"] == "PER-06:whatsapp")
    assert "TEC-06:whatsapp-business" in whatsapp["findings"]
    # The segmentation root cause had only the dismissed finding: it is not shown.
    assert "TEC-05:segmentation" not in {c["key"] for c in data["root_causes"]}


def test_headlines_use_the_clients_words() -> None:
    from auditor.analysis.root_causes import find_root_causes

    analysis = analyse(load_audit(E3))
    causes = find_root_causes(analysis.assessment.findings, analysis.graph, analysis.catalogue,
                              {"customer": "supporter", "customers": "supporters"})
    heads = {c.key: c.headline for c in causes}
    assert heads["PER-01:supporter"].startswith("Supporter records are created in Donor CRM")
    assert "supporter record" in heads["TEC-01:esp"]
    assert not any("customer" in h.lower() for h in heads.values())


def test_a_missing_flow_into_an_ad_platform_joins_the_suppression_rule_it_serves() -> None:
    """Harbour & Pine: 'No ads for what was just bought' cannot fire, and the in-store sale
    never reaches the ad platform that must apply it. One real issue, said once."""
    from auditor.store.audit_file import load_audit

    causes = assess(load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")).root_causes
    holding = [c for c in causes if "JRN-01:no-ads-after-purchase" in c.findings]
    assert len(holding) == 1
    assert "BKT-MISSING-FLOW:ads+pos+pos-sale" in holding[0].findings


def test_no_place_to_take_part_and_no_community_forum_are_one_gap() -> None:
    """Harbour & Pine has no participation touchpoint and no system for the super-fans'
    forum: one participation channel settles both, so a reader sees one root cause."""
    from auditor.store.audit_file import load_audit

    causes = assess(load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")).root_causes
    holding = [c for c in causes if "JRN-07:touchpoints" in c.findings]
    assert len(holding) == 1
    assert "BKT-MISSING-CAPABILITY:community-forum" in holding[0].findings


def test_unowned_systems_are_one_decision_with_advice_for_all_of_them() -> None:
    """Archisurance (Archi's own example model, tests/data): ten systems without an owner are
    one governance issue, said once with advice naming them all, not ten root causes; and the
    web portal's own integration gap stays apart from who owns it."""
    from auditor.ingest.importer import import_file

    model = Path(__file__).parents[1] / "data" / "archimate" / "archi" / "Archisurance.archimate"
    client = Audit.model_validate({"client": {"name": "Archisurance"}})
    assessment = assess(import_file(model, client).audit)
    _partition_holds(assessment)
    owners = [c for c in assessment.root_causes if c.lead.startswith("GOV-04:")]
    assert len(owners) == 1
    (cause,) = owners
    unowned = [k for k in cause.findings if k.startswith("GOV-04:")]
    assert len(unowned) == len(cause.findings) == 10
    # A headline stays a headline: four names, then how many more.
    assert cause.headline == ("No team owns Bank System, Call center application, Claim Data "
                              "Management, CRM System and 6 more")
    assert cause.recommendation.startswith(
        "Name an accountable team for each of Bank System, Call center application")
    portal = next(c for c in assessment.root_causes if c.lead.startswith("TEC-01:"))
    assert not any(k.startswith("GOV-04:") for k in portal.findings)
    assert len(assessment.root_causes) == 4


def test_a_single_finding_keeps_its_own_recommendation() -> None:
    """The root-cause advice speaks for several hits; alone, a finding's own advice (with its
    retiring and product notes) is the better one."""
    assessment = assess(load_audit(E3))
    cause = next(c for c in assessment.root_causes if c.lead == "GOV-04:vol")
    finding = next(f for f in assessment.findings if f.key == "GOV-04:vol")
    assert cause.findings == ("GOV-04:vol",) and cause.recommendation == finding.recommendation


def test_advice_speaks_for_every_sender_of_the_consent_root_cause() -> None:
    """Five senders miss consent recorded elsewhere: what to do names them all, not only the
    lead's HubSpot; E3's one sender keeps its own, more precise advice (record postal
    opt-outs)."""
    demo = assess(load_audit(DEMO))
    consent = next(c for c in demo.root_causes if c.key == "PER-05:hubspot")
    assert consent.recommendation.startswith(
        "Carry consent and opt-out changes, at least daily, from wherever they are recorded to "
        "HubSpot (Parts & Service), Mailchimp (installations team), Marketo Engage, Mention Me "
        "referrals and Trustpilot reviews")
    e3 = assess(load_audit(E3))
    postal = next(c for c in e3.root_causes if c.key == "PER-05:dcrm+opt-out")
    assert postal.recommendation.startswith("Record opt-outs for post in one place")


def test_the_skills_plan_gets_advice_for_all_its_gaps() -> None:
    """One SKL-01 leads six skills findings of four rules: the advice is the plan's, not the
    first gap's ('Train Parts & Service ... LinkedIn Campaign Manager needs')."""
    demo = assess(load_audit(DEMO))
    skills = next(c for c in demo.root_causes if c.key == "SKL-01:linkedin-ads")
    assert len(skills.findings) == 6
    assert skills.recommendation == (
        "Write one skills plan for these 6 gaps: train, hire or contract each missing skill, "
        "starting with paid media for LinkedIn Campaign Manager, and record who holds each one.")
