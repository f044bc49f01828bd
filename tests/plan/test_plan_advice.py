"""Advice a consultant signs: the roadmap and the blueprint in names, dismissals respected,
retiring systems named only where they are the subject, plans that rely on them not counted."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console

from auditor.analysis.assess import analyse
from auditor.store.audit_file import load_audit

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
E_AUDITS = ("e1-harbour-pine", "e2-lakeside-university", "e3-riverbend-food-bank")
REMEDY_ID = re.compile(r"\bR\d{2}\b")


@pytest.mark.parametrize("command", ["roadmap", "blueprint", "gaps"])
def test_plan_text_names_remedies_by_title_never_by_id(run_cli: Callable, command: str) -> None:
    for name in E_AUDITS:
        result = run_cli(command, str(EXAMPLES / f"{name}.audit.yaml"))
        assert result.code == 0, result.err
        assert not REMEDY_ID.findall(result.out), (name, REMEDY_ID.findall(result.out)[:5])
        assert all(len(line) <= 80 for line in result.out.splitlines())


def test_roadmap_text_leads_with_titles_and_keeps_ids_in_json(run_cli: Callable) -> None:
    path = str(EXAMPLES / "e3-riverbend-food-bank.audit.yaml")
    out = run_cli("roadmap", path).out
    assert "  Appoint an executive sponsor and a steering group high" in out
    assert '"remedy": "R01"' in run_cli("roadmap", path, "--json").out


def test_demo_phase_table_lists_titles() -> None:
    from auditor.cli.plan_view import render_phase_table

    plan = analyse(load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")).assessment.roadmap
    assert plan is not None
    buffer = io.StringIO()
    render_phase_table(plan, Console(file=buffer, width=200, no_color=True))
    text = buffer.getvalue()
    assert not REMEDY_ID.findall(text)
    assert "Name owners for systems, stages and data" in text


def _dismissing(name: str, keys: list[str]):
    """The audit with ``keys`` dismissed (recorded today, no end date)."""
    import datetime as dt

    from auditor.schema.audit import Dismissal

    audit = load_audit(EXAMPLES / f"{name}.audit.yaml")
    audit.dismissals = [Dismissal(finding=k, reason="Accepted risk for this year", by="Ruth",
                                  at=dt.datetime(2026, 1, 5, 9, 0)) for k in keys]
    return audit


def test_dismissed_findings_count_nowhere_in_the_roadmap_or_the_blueprint() -> None:
    before = analyse(load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")).assessment
    assert before.roadmap is not None and before.blueprint is not None
    segmentation = before.roadmap.item("R14")
    assert segmentation is not None
    assert [w.key for w in segmentation.why] == ["TEC-05:segmentation"]
    whatsapp = before.roadmap.item("R04")
    assert whatsapp is not None and "whatsapp" in whatsapp.reach.channels

    gone = ["TEC-05:segmentation", "GOV-03:whatsapp"]
    after = analyse(_dismissing("e1-harbour-pine", gone)).assessment
    plan, blueprint = after.roadmap, after.blueprint
    assert plan is not None and blueprint is not None
    # The findings are still there for the gap list to show as dismissed ...
    assert set(gone) <= {f.key for f in after.findings}
    assert plan.dismissed == tuple(sorted(gone))
    # ... but a remedy whose only problem was dismissed drops out,
    assert plan.item("R14") is None or not plan.item("R14").why  # type: ignore[union-attr]
    # no item cites a dismissed finding, and reach counts only what stands.
    cited = {k for c in after.root_causes for k in c.findings}
    assert not cited & set(gone)
    for item in plan.items:
        assert not {w.key for w in item.why} & set(gone), item.remedy
    metrics = plan.item("R04")
    assert metrics is not None and metrics.why
    assert "whatsapp" not in metrics.reach.channels
    assert metrics.reach.interactions_per_year != whatsapp.reach.interactions_per_year
    # The blueprint's "holding it down" no longer names them either, nor do the scores.
    for comp in blueprint.components:
        assert not {r.key for r in comp.maturity.holding_down} & set(gone), comp.component
    held = {k for c in before.scores.components if c.evidenced for k in c.evidenced.holding}
    assert held & set(gone)
    for comp in after.scores.components:
        assert not set(comp.evidenced.holding if comp.evidenced else ()) & set(gone)


def test_a_dismissal_that_ran_out_counts_again() -> None:
    import datetime as dt

    audit = _dismissing("e1-harbour-pine", ["TEC-05:segmentation"])
    audit.dismissals[0].until = dt.date(2026, 3, 1)
    later = analyse(audit, as_of=dt.date(2026, 3, 2)).assessment.roadmap
    sooner = analyse(audit, as_of=dt.date(2026, 3, 1)).assessment.roadmap
    assert later is not None and sooner is not None
    assert later.item("R14") is not None and later.dismissed == ()
    assert sooner.item("R14") is None and sooner.dismissed == ("TEC-05:segmentation",)


def _e1_with_plans():
    """E1 retiring its VIP spreadsheet in favour of the webshop, with two planned flows into the
    helpdesk: one from the spreadsheet (relies on what is going), one from the webshop."""
    from auditor.schema.audit import Flow

    audit = load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")
    sheet = next(s for s in audit.inventory.systems if s.id == "vip-sheet")
    sheet.lifecycle, sheet.successor = "eliminate", "shop"
    audit.inventory.flows += [
        Flow(id="vip-sheet-to-helpdesk", name="VIP flag feed", source="vip-sheet",
             target="helpdesk", data=["vip-flag"], mode="batch", status="planned"),
        Flow(id="shop-to-helpdesk", source="shop", target="helpdesk", data=["order"],
             mode="real-time", status="planned"),
    ]
    return audit


def test_a_planned_flow_from_a_retiring_system_does_not_close_the_gap() -> None:
    findings = {f.key: f for f in analyse(_e1_with_plans()).assessment.findings}
    vip = findings["BKT-MISSING-FLOW:helpdesk+vip-flag+vip-sheet"]
    assert vip.planned == ()
    assert vip.planned_retiring == ("vip-sheet-to-helpdesk",)
    assert "would close this gap" not in vip.recommendation
    assert ("The planned VIP flag feed starts from VIP spreadsheet, which is being replaced "
            "by Webshop") in vip.recommendation
    # A planned flow from a system that stays still closes its gap, and says so.
    order = findings["BKT-MISSING-FLOW:helpdesk+order+shop"]
    assert order.planned == ("shop-to-helpdesk",) and order.planned_retiring == ()
    assert "would close this gap" in order.recommendation


def test_the_target_ecosystem_does_not_count_a_plan_from_a_retiring_system() -> None:
    plan = analyse(_e1_with_plans()).assessment.roadmap
    assert plan is not None
    feeds = [a for a in plan.additions if a.kind == "flow" and a.target == "helpdesk"]
    # The VIP flag still has to reach the helpdesk: from the webshop that takes over.
    assert any("vip-flag" in a.data and a.source != "vip-sheet" for a in feeds), feeds


def _group_of(causes, key: str) -> set[str]:
    return next(set(c.findings) for c in causes if key in c.findings)


def test_an_ad_platform_that_also_hosts_comments_does_not_merge_the_two_issues() -> None:
    """E1 with its Instagram comments answered in the ads platform (which the webshop feeds):
    the comments nobody records and the ad rule that cannot work are two root causes."""
    audit = load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")
    comments = next(t for t in audit.inventory.touchpoints if t.id == "instagram-comments")
    comments.systems = ["ads"]
    a = analyse(audit).assessment
    ads = _group_of(a.root_causes, "JRN-01:no-ads-after-purchase")
    assert "TEC-10:ads" in ads
    assert not any(k.startswith("JRN-03:") for k in ads), ads


def test_a_touchpoint_on_an_island_system_joins_that_system_root_cause() -> None:
    """E1's helpdesk exchanges no data: the support touchpoints it runs are off the map because
    of it, so they stay with it."""
    a = analyse(load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")).assessment
    helpdesk = _group_of(a.root_causes, "TEC-08:helpdesk")
    assert {"JRN-03:support-email", "JRN-03:whatsapp-support"} <= helpdesk


def test_a_prerequisite_in_place_says_briefly_what_needs_it() -> None:
    from auditor.cli.plan_view import render_roadmap

    plan = analyse(load_audit(EXAMPLES / "e1-harbour-pine.audit.yaml")).assessment.roadmap
    assert plan is not None and len(plan.items) > 3
    buffer = io.StringIO()
    render_roadmap("Harbour & Pine", plan, Console(file=buffer, width=80, no_color=True))
    text = " ".join(buffer.getvalue().split())
    assert ("Appoint an executive sponsor and a steering group (in place; needed by every "
            "item on the roadmap)") in text
