"""What a finding says: names not ids, the client's own terms, advice filled for the case, no
training for systems on their way out, what a plan closes, and disagreements for discussion."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import pytest

from auditor import content
from auditor.analysis.assess import assess
from auditor.catalogue import load_catalogue
from auditor.errors import AuditFileError, ContentError
from auditor.graph.build import build_graph
from auditor.catalogue.wording import NAMED
from auditor.rules.registry import RuleContext
from auditor.schema.assessment import Finding
from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BLUEPRINTS = Path(__file__).resolve().parents[2] / "blueprints"


def _texts(f: Finding) -> str:
    return f"{f.message} {f.rationale} {f.recommendation}"


@pytest.fixture
def demo() -> Audit:
    # Tests change the audit (every system eliminated, a successor named): each loads its own.
    return load_audit(EXAMPLES / "demo.audit.yaml")


def test_sentences_name_items_and_ids_stay_in_the_evidence(demo: Audit) -> None:
    assessment = assess(demo)
    inv = demo.inventory
    # Ids that read as ids in prose (a hyphen or a digit); plain words like 'email' may be both.
    ids = {i.id for section in (inv.systems, inv.data, inv.touchpoints, inv.policies, inv.teams)
           for i in section if re.search(r"[-0-9]", i.id)}
    ids |= {r.id for r in demo.respondents}
    for f in (*assessment.findings, *assessment.discussion):
        said = _texts(f)
        leaked = sorted(i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", said))
        assert not leaked, (f.key, leaked, said)
    whatsapp = next(f for f in assessment.findings if f.key == "PER-06:whatsapp")
    assert "WhatsApp Business app (dispatch phones)" in whatsapp.message
    assert "whatsapp-business" in whatsapp.evidence.nodes
    assert all(not re.search(r"\bR\d\d\b", _texts(f)) for f in assessment.findings)
    assert whatsapp.remedy == "R10" and whatsapp.remedy_title.startswith("Bring service")


def test_advice_is_filled_per_finding(demo: Audit) -> None:
    findings = {f.key: f for f in assess(demo).findings}
    quality = findings["PER-03:q8.1"]
    # the duplicate rate and the note behind it, and the tool the client already owns
    assert "14.5%" in quality.message
    assert "Sample of 2,000 Salesforce contacts" in quality.rationale
    # three systems the client owns provide data quality (the verb agrees with them): one by
    # its catalogue product (Boomi), one by its role (Loqate), one by the capability the audit
    # lists (Salesforce); the message and the advice name the same three. One system provides
    # identity resolution.
    owned = ("Boomi integration platform, Loqate address validation and Salesforce Sales Cloud")
    assert f"{owned} already provide data quality" in quality.recommendation
    assert f"although {owned} have data-quality features" in quality.message
    assert ("Twilio Segment (CDP pilot) already provides identity resolution"
            in findings["PER-01:customer-number"].recommendation)
    busy = findings["PER-06:whatsapp"]
    # 175,000 of the 1,260,500 interactions a year on all channels: 13.9%
    assert "175,000 interactions a year (14% of all)" in busy.rationale
    twins = [f for f in findings.values() if f.rule == "PER-02"]
    assert len({f.rationale for f in twins}) == len(twins) > 1


def test_terms_follow_the_industry_and_the_audit() -> None:
    food_bank = assess(load_audit(EXAMPLES / "e3-riverbend-food-bank.audit.yaml"))
    said = " ".join(f"{f.message} {f.rationale}" for f in food_bank.findings)
    assert "supporters" in said and not re.search(r"\bcustomers?\b", said)
    harbour = load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")
    harbour.client.terms = {"customer": "guest", "customers": "guests"}
    said = " ".join(f"{f.message} {f.rationale}" for f in assess(harbour).findings)
    # The client's own item names stay as written (E1 has a data item called "Customer").
    for d in harbour.inventory.data:
        said = said.replace(d.name.lower(), "").replace(d.name, "")
    assert "guests" in said and not re.search(r"\bcustomers?\b", said)


def test_an_unknown_term_is_an_audit_error() -> None:
    audit = Audit.model_validate({"client": {"name": "X", "terms": {"clients": "patrons"}}})
    with pytest.raises(AuditFileError) as caught:
        assess(audit)
    assert "clients" in caught.value.message and "customers" in (caught.value.hint or "")


def test_hostile_every_system_eliminated(demo: Audit) -> None:
    for system in demo.inventory.systems:
        system.lifecycle = "eliminate"
    findings = assess(demo).findings
    rules = {f.rule for f in findings}
    # No training for systems on their way out, and nothing to connect an isolated one to.
    assert not rules & {"SKL-01", "SKL-02", "TEC-08"}
    assert findings
    for f in findings:
        assert "Train " not in f.recommendation and "Cross-train" not in f.recommendation
    retiring = [f for f in findings if 'is marked "eliminate"' in f.recommendation]
    assert len(retiring) > 10
    # each points to the successor the audit names, or says to retire it
    assert all("retire it" in f.recommendation or "takes over from it" in f.recommendation
               for f in retiring)
    # No owned product is offered: everything is being retired.
    assert not any("already provides" in f.recommendation for f in findings)


def test_a_successor_is_named(demo: Audit) -> None:
    whatsapp = next(s for s in demo.inventory.systems if s.id == "whatsapp-business")
    whatsapp.successor = "zendesk"
    finding = next(f for f in assess(demo).findings if f.key == "PER-06:whatsapp")
    assert "close the gap in Zendesk Suite, which takes over from it" in finding.recommendation


def test_findings_a_plan_closes_say_so(demo: Audit) -> None:
    findings = {f.key: f for f in assess(demo).findings}
    status = findings["JRN-05:part-order-status"]
    assert status.planned == ("d365-to-zendesk",)
    assert ("Once live, the planned flow from Dynamics 365 Finance & Supply Chain to Zendesk "
            "Suite would close this gap") in status.recommendation
    forum = findings["BKT-MISSING-CAPABILITY:community-forum"]
    assert forum.planned == ("experience-cloud",)
    assert "Brightwell Homeowners Community (Experience Cloud)" in forum.recommendation
    assert findings["PER-06:whatsapp"].planned == ()
    # With the plans counted in, nothing is 'closed by a plan' any more.
    assert not any(f.planned for f in assess(
        load_audit(EXAMPLES / "demo.audit.yaml"), include_planned=True).findings)


def test_disagreements_are_for_discussion(demo: Audit) -> None:
    assessment = assess(demo)
    assert not any(f.rule == "GOV-05" for f in assessment.findings)
    assert {f.subject for f in assessment.discussion} >= {"q3.4"}
    q34 = next(f for f in assessment.discussion if f.subject == "q3.4")
    assert "Helen Achebe (Chief Marketing Officer) 3" in q34.message
    assert assessment.rule_status("GOV-05").assessed


def test_a_broken_template_is_a_located_content_error(tmp_path: Path) -> None:
    override = tmp_path / "content" / "blueprints"
    override.mkdir(parents=True)
    text = (BLUEPRINTS / "rules-person-journeys.yaml").read_text(encoding="utf-8")
    broken = text.replace("{{ creators }} each create", "{{ creators each create", 1)
    assert broken != text
    (override / "rules-person-journeys.yaml").write_text(broken, encoding="utf-8")
    content.set_overrides([tmp_path / "content"])
    try:
        with pytest.raises(ContentError) as caught:
            load_catalogue().templates  # noqa: B018
    finally:
        content.set_overrides([])
    assert any(p.path[:2] == ("PER-01", "rationale") for p in caught.value.problems)


def test_retiring_advice_only_where_the_system_is_the_subject() -> None:
    """E3 with its email platform being migrated to the donor CRM: the findings about the
    email platform say so; those that only cite it beside their own subject do not."""
    audit = load_audit(EXAMPLES / "e3-riverbend-food-bank.audit.yaml")
    esp = next(s for s in audit.inventory.systems if s.id == "esp")
    esp.lifecycle, esp.successor = "migrate", "dcrm"
    findings = assess(audit).findings
    advised = {f.key for f in findings if f"{esp.name} is marked \"migrate\"" in f.recommendation}
    about = {f.key for f in findings if f.subject == "esp"}
    cited_only = {f.key for f in findings if "esp" in f.evidence.nodes
                  and f.subject not in ("esp", "email")  # the email channel runs on it
                  and "esp" not in f.key.partition(":")[2].split("+")}
    assert about and about <= advised
    assert cited_only and not cited_only & advised, cited_only & advised
    for f in findings:
        if f.key in advised:
            assert "close the gap in Donor CRM" in f.recommendation or \
                "which takes over from it" in f.recommendation


def test_orchestration_advice_hands_no_work_to_a_system_on_its_way_out() -> None:
    """TEC-03 names the senders that should carry out the orchestrator's decisions: a sender
    marked migrate or eliminate is told to stay out, not to take part."""
    from pathlib import Path

    from auditor.analysis.assess import assess
    from auditor.store.audit_file import load_audit

    audit = load_audit(Path(__file__).resolve().parents[2] / "examples" / "demo.audit.yaml")
    finding = next(f for f in assess(audit).findings if f.rule == "TEC-03")
    leaving = [s.name for s in audit.inventory.systems
               if s.lifecycle in ("migrate", "eliminate") and s.id in finding.evidence.nodes]
    assert leaving, "the demo has senders on their way out"
    doing, _, left_out = finding.recommendation.partition("; leave ")
    for name in leaving:
        assert name not in doing and name in left_out


def test_a_long_list_names_the_first_items_and_counts_the_rest(synthetic: ModuleType) -> None:
    # The benchmarks' small synthetic estate has findings about dozens of touchpoints.
    audit = Audit.model_validate(synthetic.ecosystem(synthetic.SIZES["S"]))
    ctx = RuleContext(audit=audit, graph=build_graph(audit), catalogue=load_catalogue(),
                      backtracking=None)  # type: ignore[arg-type]
    systems = [s.id for s in audit.inventory.systems][:NAMED + 5]
    names = [ctx.name(s) for s in systems]
    assert ctx.names(systems[:NAMED]) == f"{', '.join(names[:NAMED - 1])} and {names[NAMED - 1]}"
    assert ctx.names(systems) == f"{', '.join(names[:NAMED - 1])} and 6 more"
    assert ctx.names(systems, "or") == f"{', '.join(names[:NAMED - 1])} or 6 more"

    # End to end: a sentence stays a sentence, the evidence keeps every id.
    assessment = assess(audit)
    counted = [f for f in assessment.findings if re.search(r" and \d+ more\b", f.message)]
    assert counted
    for f in counted:
        more = sum(int(n) for n in re.findall(r" and (\d+) more\b", f.message))
        assert len(f.evidence.nodes) + len(f.evidence.edges) > more, f.message
    # So do the blueprint's target statements (the executive summary quotes them).
    assert assessment.blueprint
    stated = [s for c in assessment.blueprint.components for s in c.target_state
              if (match := re.search(r" and (\d+) more\.$", s.text))
              and len(s.items) == NAMED - 1 + int(match.group(1))]
    assert stated
