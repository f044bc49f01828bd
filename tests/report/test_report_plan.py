"""The report carries the assessment's root causes, blueprint and roadmap: the executive
summary leads with root causes and fits on one page, each component shows its current and
target state, the roadmap is laid out by phase, the ecosystem diagram colours only what root
causes are about, and the RACI appendix names people's teams, not ids."""

from __future__ import annotations

import re
from html import unescape

from report_helpers import render

from auditor.render.dot_source import SEVERITY_COLOURS
from auditor.render.scene import Highlights
from auditor.schema.audit import Audit

FILLS = {fill for fill, _ in SEVERITY_COLOURS.values()}


def flat(text: str) -> str:
    return " ".join(text.split())


def plain(html: str) -> str:
    return flat(unescape(re.sub(r"<[^>]+>", " ", html)))


def section(html: str, sid: str) -> str:
    return html.split(f'id="sec-{sid}"', 1)[1].split('<section id="sec-', 1)[0]


def test_executive_summary_leads_with_root_causes_on_one_page(demo_report):
    a = demo_report.assessment
    assert len(a.root_causes) >= 5
    summary_pages = [p for p in demo_report.pages if flat(p.splitlines()[0]).endswith(
        "Executive summary") or "Executive summary" in p.splitlines()[0]]
    assert len(summary_pages) == 1, "the executive summary must fit on one page"
    page = flat(summary_pages[0])
    # the most severe root cause leads, in the client's names, with its reach and remedy
    first = a.root_causes[0]
    assert flat(first.headline) in page
    assert first.remedy_title and flat(first.remedy_title) in page
    for cause in a.root_causes[:5]:
        assert flat(cause.headline)[:60] in page
    assert "Our recommendation" in page and "The next 90 days" in page
    plan = a.roadmap
    assert plan is not None and plan.next_90_days
    for remedy in plan.next_90_days:
        item = plan.item(remedy)
        assert item is not None and flat(item.title) in page
    # current vs target per component
    for comp in a.scores.components:
        assert comp.name in page
    # no rule ids or remedy ids in what the CEO reads
    assert not re.search(r"\b(?:PER|JRN|SKL|GOV|TEC|BKT|CON)-\d", page)
    assert not re.search(r"\bR\d{2}\b", page)


def test_components_show_root_causes_blueprint_and_target_state(demo_report):
    html = demo_report.text("html")
    a = demo_report.assessment
    assert a.blueprint is not None
    text = plain(section(html, "components"))
    for cause in a.root_causes:
        assert flat(cause.headline) in text
    for comp in a.blueprint.components:
        for fact in comp.facts:
            assert flat(fact.text) in text
        for statement in comp.target_state:
            assert flat(statement.text) in text
        assert comp.maturity.target_stage and comp.maturity.target_stage in text
    # every finding sits under exactly one root cause, as a filterable list item
    assert html.count('class="finding"') == len(a.findings)
    assert html.count('class="root-cause"') == len(a.root_causes)


def test_roadmap_section_lays_out_every_phase_and_item(demo_report):
    html = demo_report.text("html")
    plan = demo_report.assessment.roadmap
    assert plan is not None
    text = plain(section(html, "roadmap"))
    for phase in plan.phases:
        assert f"Phase {phase.number}" in text
    for item in plan.items:
        assert flat(item.title) in text
        assert f'id="roadmap-{item.remedy}"' in html
    # root causes link to the roadmap item that resolves them
    for cause in demo_report.assessment.root_causes:
        if cause.remedy and plan.item(cause.remedy):
            assert f'href="#roadmap-{cause.remedy}"' in html
    md = demo_report.text("md")
    assert "## The roadmap" in md and "### Phase 1" in md


def node_fills(svg: str) -> dict[str, set[str]]:
    """Node id (the <title> Graphviz writes) -> the fills of its shapes."""
    out: dict[str, set[str]] = {}
    for block in re.findall(r'<g id="[^"]*node\d+" class="node">(.*?)</g>\s*</g>', svg, re.S):
        title = re.search(r"<title>(.*?)</title>", block, re.S)
        if title:
            out[unescape(title.group(1))] = set(re.findall(r'fill="(#[0-9a-f]{6})"', block))
    return out


def test_diagram_colours_only_what_root_causes_are_about(demo_report):
    a = demo_report.assessment
    html = demo_report.text("html")
    current = section(html, "ecosystem").split('class="target-ecosystem"', 1)[0]
    fills = node_fills(current)
    systems = {s.id for s in demo_report.audit.inventory.systems}
    subjects = {s for c in a.root_causes for s in c.subjects}
    evidence_only = {n for f in a.findings for n in f.evidence.nodes} & systems - subjects
    assert evidence_only, "the demo must have a system named only as evidence for this test"
    coloured = {n for n, f in fills.items() if f & FILLS and n in systems}  # not the legend
    assert coloured, "root-cause subjects are coloured"
    assert coloured <= subjects
    assert not coloured & evidence_only
    # the text says how many systems are coloured
    assert f"Only the {len(coloured)} systems" in plain(current)


def test_highlights_from_root_causes_skip_dismissed_ones(demo_report):
    a = demo_report.assessment
    cause = a.root_causes[0]
    kept = [f for f in a.findings if f.key not in cause.findings]
    lit = Highlights.from_root_causes(a.root_causes, kept)
    others = {s for c in a.root_causes[1:] for s in c.subjects}
    for subject in set(cause.subjects) - others:
        assert subject not in lit.subjects
    assert set(lit.subjects) == others


def test_target_ecosystem_is_drawn_beside_the_current_one(demo_report):
    plan = demo_report.assessment.roadmap
    assert plan is not None and plan.additions
    html = demo_report.text("html")
    target = section(html, "ecosystem").split('class="target-ecosystem"', 1)[1]
    titles = {unescape(t) for t in re.findall(r"<title>(.*?)</title>", target)}
    added = [p for p in plan.additions if p.kind == "system"]
    assert added
    for system in added:
        # drawn as itself, or, on a large estate split by role, inside its role's box
        assert system.id in titles or f"group:{system.roles[0]}" in titles, system.id
    # a role nobody has today (the new system's) appears only in the target
    current = section(html, "ecosystem").split('class="target-ecosystem"', 1)[0]
    new_roles = [f"group:{p.roles[0]}" for p in added if f"group:{p.roles[0]}" in titles]
    assert all(f"<title>{role}</title>" not in current for role in new_roles)
    # ids stay unique on a page with two drawings
    ids = re.findall(r' id="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    assert (demo_report.folder / "ecosystem-target.svg").is_file()


def test_raci_appendix_names_teams(demo_report):
    a = demo_report.assessment
    assert a.blueprint is not None
    gov = a.blueprint.component("governance")
    assert gov is not None and gov.governance is not None and gov.governance.raci
    team_names = {t.id: t.name for t in demo_report.audit.inventory.teams}
    text = plain(section(demo_report.text("html"), "raci"))
    for row in gov.governance.raci:
        assert flat(row.name) in text
        for team in row.accountable:
            assert team_names.get(team, team) in text
    assert "nobody" in text or all(r.accountable for r in gov.governance.raci)


def test_root_cause_with_every_finding_dismissed_leaves_the_report(demo_report, tmp_path):
    a = demo_report.assessment
    cause = next(c for c in a.root_causes if len(c.findings) == 1)
    data = demo_report.audit.model_dump(by_alias=True, exclude_none=True)
    data["dismissals"] = [{"finding": cause.findings[0], "by": "Ruth Castellano",
                           "reason": "Accepted risk for this year",
                           "at": "2026-11-20T10:00:00"}]
    out = render(Audit.model_validate(data), tmp_path, ("html",))
    html = out.text("html")
    assert flat(cause.headline) not in plain(section(html, "components"))
    assert flat(cause.headline) not in plain(section(html, "summary"))
    assert html.count('class="root-cause"') == len(a.root_causes) - 1


def test_headline_recommendation_resolves_the_most_weighted_by_severity(demo_report):
    from auditor.analysis.assess import analyse
    from auditor.render.report.theme import default_theme
    from auditor.render.report.view import build_view

    view = build_view(analyse(demo_report.audit), default_theme())
    plan = demo_report.assessment.roadmap
    assert plan is not None
    weight = {"low": 1, "medium": 2, "high": 3, "critical": 4}
    expected = {i.remedy: sum(weight[r.severity] for r in i.why) for i in plan.items}
    headline = view.summary.headline
    assert headline is not None
    assert expected[headline.remedy] == max(expected.values())
    assert headline.title in demo_report.text("html").split('id="sec-summary"', 1)[1]


def test_a_large_ecosystem_is_split_into_legible_views(demo_report):
    from auditor.analysis.assess import analyse
    from auditor.render.report.ecosystem import PRINTABLE_SYSTEMS, draw_ecosystem
    from auditor.render.scene import primary_role

    analysis = analyse(demo_report.audit)
    analysis_graph = analysis.graph
    systems = [s for s in demo_report.audit.inventory.systems if s.status != "planned"]
    assert len(systems) > PRINTABLE_SYSTEMS, "the demo is meant to be a large estate"
    eco = draw_ecosystem(analysis)
    assert eco.aggregated and eco.drawings[0].kind == "overview"
    subjects = {s for c in analysis.assessment.root_causes for s in c.subjects}
    concerned = {primary_role(analysis_graph.nodes[s]) for s in subjects
                 if s in analysis_graph and analysis_graph.nodes[s].get("kind") == "system"}
    details = {d.group for d in eco.drawings if d.kind == "detail"}
    assert details == concerned  # the roles that hold a root cause's subject, and only those
