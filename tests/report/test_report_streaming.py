"""The HTML report is written piece by piece (a large estate's report is hundreds of
megabytes): the file is the very document ``render_html`` gives, and a template that fails
half-way leaves no file behind."""

from __future__ import annotations

from report_helpers import REPO, REPORT_DATE

from auditor.analysis.assess import analyse
from auditor.render.report.html import html_bytes, render_html
from auditor.render.report.theme import default_theme
from auditor.render.report.view import build_view
from auditor.store.audit_file import load_audit

E1 = REPO / "examples" / "e1-harbour-pine.audit.yaml"


def test_pieces_make_the_same_document():
    view = build_view(analyse(load_audit(E1)), default_theme(), REPORT_DATE)
    whole = render_html(view, "html").encode("utf-8")
    pieces = list(html_bytes(view, "html", chunk=2000))
    assert len(pieces) > 10 and b"".join(pieces) == whole


def test_a_template_failing_half_way_leaves_no_file(run_cli, tmp_path):
    root = tmp_path / "content" / "reports" / "templates" / "sections"
    root.mkdir(parents=True)
    # The glossary comes last: most of the document has been written when it fails.
    (root / "glossary.html.j2").write_text("{{ view.no_such_part.anything }}")
    r = run_cli("--content", str(tmp_path / "content"), "report", str(E1), "-o", "out",
                "-f", "html")
    assert r.code == 2, r.err
    assert "glossary.html.j2:1" in r.err and "no_such_part" in r.err
    assert "Traceback" not in r.err
    assert list((tmp_path / "out").iterdir()) == []  # no report, no temporary file
