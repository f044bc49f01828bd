"""Long appendix tables in the PDF: the first rows (reports/report.yaml: pdf_table_rows and
pdf_matrix_columns), then a sentence with how many more there are and where every one is
listed. The HTML report keeps every row; a small estate's PDF is not shortened."""

from __future__ import annotations

import html as html_text
import re
import sys
from pathlib import Path

import yaml
from report_helpers import REPO, REPORT_DATE, pdf_text

from auditor.analysis.assess import analyse
from auditor.render.report.catalogue import load_pdf_limits
from auditor.render.report.html import render_html
from auditor.render.report.print_tables import shorten_tables
from auditor.render.report.theme import default_theme
from auditor.render.report.view import build_view

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "diagram"))
from diagram_synthetic import synthetic_ecosystem

E3 = REPO / "examples" / "e3-riverbend-food-bank.audit.yaml"


def plain(document: str) -> str:
    """The document's text with tags dropped (inline code without a gap) and white space
    folded."""
    inline = re.sub(r"</?code>", "", document)
    return " ".join(html_text.unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def content_with(tmp_path: Path, **settings: int) -> Path:
    """A ``--content`` folder whose reports/report.yaml is the packaged one with ``settings``."""
    layout = yaml.safe_load((REPO / "reports" / "report.yaml").read_text(encoding="utf-8"))
    layout.update(settings)
    folder = tmp_path / "content" / "reports"
    folder.mkdir(parents=True)
    (folder / "report.yaml").write_text(yaml.safe_dump(layout), encoding="utf-8")
    return folder.parent


def test_large_estate_prints_the_first_rows_and_says_how_many_more():
    rows, columns, _ = load_pdf_limits()
    assert rows is not None and columns is not None  # the packaged report.yaml sets both
    analysis = analyse(synthetic_ecosystem(200))
    view = build_view(analysis, default_theme(), REPORT_DATE)
    flows, holders = view.inventory.flows, view.person_data.systems
    assert len(flows) > rows and len(holders) > columns  # the estate is large enough to cut

    printed = shorten_tables(view, rows, columns)
    assert printed.inventory.flows == flows[:rows]  # the table's own order, first rows
    assert printed.person_data.systems == holders[:columns]  # the largest holders first
    assert all(len(r.cells) == columns for r in printed.person_data.rows)
    assert printed.left_out == {"flows": len(flows) - rows,
                                "person-data-systems": len(holders) - columns}
    assert printed.inventory.systems == view.inventory.systems  # short tables stay whole

    pdf = plain(render_html(printed, "pdf"))
    assert (f"… and {len(flows) - rows} more data flows, {len(flows)} in all: the HTML report "
            "lists every one, and auditor export writes them all to a workbook.") in pdf
    assert (f"… and {len(holders) - columns} more systems that hold person data, "
            f"{len(holders)} in all: the HTML report lists every one, and the assessment JSON "
            "(auditor report --format json) holds them all.") in pdf
    last = flows[rows]  # the first row left out of the PDF is in the HTML report
    page = render_html(view, "html")
    assert "in all: the HTML report" not in plain(page)
    assert page.count("<tr") - render_html(printed, "html").count("<tr") == len(flows) - rows
    assert html_text.escape(last.source) in page


def test_report_yaml_limits_shorten_a_real_pdf(run_cli, tmp_path):
    """Through the command, with a consultant's report.yaml that prints 3 rows of each table
    and 2 systems of the matrix: the PDF says what it left out; the HTML report does not."""
    content = content_with(tmp_path, pdf_table_rows=3, pdf_matrix_columns=2)
    r = run_cli("--content", str(content), "report", str(E3), "-o", "out", "-f", "pdf,html")
    assert r.code == 0, r.err
    text = " ".join(" ".join(pdf_text(tmp_path / "out" / "report.pdf")).split())
    from auditor.store.audit_file import load_audit

    inventory = load_audit(E3).inventory
    flows, systems = len(inventory.flows), len(inventory.systems)
    assert flows > 3 and systems > 3
    assert f"and {flows - 3} more data flows, {flows} in all" in text
    assert f"and {systems - 3} more systems, {systems} in all" in text
    assert "more systems that hold person data" in text
    page = plain((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    assert "in all: the HTML report" not in page
    for system in inventory.systems:
        assert system.name in page


def test_a_small_estate_prints_every_row(demo_report):
    text = " ".join(" ".join(demo_report.pages).split())
    assert "in all: the HTML report" not in text
    rows, _, _ = load_pdf_limits()
    assert rows is not None and len(demo_report.audit.inventory.flows) <= rows


def test_on_screen_only_the_person_data_matrix_keeps_its_largest_holders(run_cli, tmp_path):
    """HTML and Markdown list every row, but a matrix of every system holding person data
    (200 MB of HTML at 2,400 systems) keeps the ``matrix_columns`` largest holders and says
    where the others are, without sending the reader to itself."""
    layout = yaml.safe_load((REPO / "reports" / "report.yaml").read_text(encoding="utf-8"))
    assert layout["matrix_columns"] >= layout["pdf_matrix_columns"]  # a screen is wider
    content = content_with(tmp_path, matrix_columns=2)
    r = run_cli("--content", str(content), "report", str(E3), "-o", "out", "-f", "html,md")
    assert r.code == 0, r.err

    from auditor.store.audit_file import load_audit

    view = build_view(analyse(load_audit(E3)), default_theme(), REPORT_DATE)
    holders = view.person_data.systems
    assert len(holders) > 2
    said = (f"… and {len(holders) - 2} more systems that hold person data, {len(holders)} in "
            "all: the assessment JSON (auditor report --format json) holds them all.")
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert said in plain(page) and "the HTML report lists every one" not in plain(page)
    matrix = page[page.index('<table class="matrix">'):]
    matrix = matrix[:matrix.index("</table>")]
    assert matrix.count('class="matrix-system"') == 2
    assert [html_text.escape(h) in matrix for h in holders] == [True, True] + [False] * (
        len(holders) - 2)
    for system in load_audit(E3).inventory.systems:  # every row of the inventory stays
        assert html_text.escape(system.name) in page
    markdown = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert " ".join(said.replace("(auditor", "(`auditor").replace("json)", "json`)").split()) \
        in " ".join(markdown.split())


def test_a_cause_resting_on_many_findings_lists_the_lead_and_the_most_severe_in_the_pdf():
    _, _, limit = load_pdf_limits()
    assert limit is not None  # the packaged report.yaml sets it
    analysis = analyse(synthetic_ecosystem(200))
    view = build_view(analysis, default_theme(), REPORT_DATE)
    causes = [r for c in view.components for r in c.root_causes]
    long = [r for r in causes if len(r.findings) > limit + 2]
    assert long, "the estate has a cause resting on more findings than the PDF lists"

    printed = shorten_tables(view, None, None, limit)
    cut = {r.key: r for c in printed.components for r in c.root_causes}
    for r in causes:
        p = cut[r.key]
        if r not in long:
            assert p == r
            continue
        assert len(p.findings) == limit and p.more == len(r.findings) - limit
        assert p.findings[0] == r.findings[0]  # the finding the headline is about
        rank = {"low": 0, "medium": 1, "high": 2, "critical": 3}
        worst = sorted((rank[f.severity] for f in r.findings[1:]), reverse=True)
        assert sorted((rank[f.severity] for f in p.findings[1:]), reverse=True) == \
            worst[:limit - 1]
        order = [r.findings.index(f) for f in p.findings]
        assert order == sorted(order)  # in the list's own order

    pdf = plain(render_html(printed, "pdf"))
    first = next(r for r in long)
    assert (f"The {len(first.findings):,} findings behind it (here the one the headline is "
            f"about and the {limit - 1} most severe):") in pdf
    assert (f"… and {len(first.findings) - limit:,} more findings behind this cause: the HTML "
            "report lists every one") in pdf
    page = plain(render_html(view, "html"))  # on screen, every finding
    assert "more findings behind this cause" not in page
    assert f"The {len(first.findings):,} findings behind it:" in page


def test_a_raci_cell_of_many_teams_names_twelve_in_print_and_every_one_on_screen():
    from dataclasses import replace

    from auditor.render.report.plan import RaciView
    from auditor.store.audit_file import load_audit

    view = build_view(analyse(load_audit(E3)), default_theme(), REPORT_DATE)
    teams = tuple(f"Team <{i}>" for i in range(1, 31))  # client text: escaped either way
    hub = RaciView("system", "Customer hub", teams[:2], (), teams, teams[:14])
    view = replace(view, raci=(hub, *view.raci))

    printed = plain(render_html(view, "pdf"))
    named = ", ".join(teams[:12])
    assert f"Customer hub {', '.join(teams[:2])} nobody {named} and 18 more " \
           f"{', '.join(teams[:14])} " in printed  # 14 names are listed, not "2 more"
    on_screen = plain(render_html(view, "html"))
    assert f"nobody {', '.join(teams)} {', '.join(teams[:14])}" in on_screen
    assert "&lt;30&gt;" in render_html(view, "html") and "<30>" not in render_html(view, "html")
