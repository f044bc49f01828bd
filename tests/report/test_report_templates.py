"""Templates are content: a consultant's --content folder can extend the built-in report,
and its templates run in a sandbox with located errors."""

from __future__ import annotations

from pathlib import Path

from report_helpers import REPO

E1 = REPO / "examples" / "e1-harbour-pine.audit.yaml"


def overlay(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "content"
    for name, text in files.items():
        path = root / "reports" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def test_override_extends_the_builtin_report(run_cli, tmp_path):
    root = overlay(tmp_path, {
        "templates/report.html.j2": (
            '{% extends "default:report.html.j2" %}'
            '{% block after_sections %}<p class="closing">With thanks to {{ view.cover.client }}'
            '</p>{% endblock %}'),
        "templates/sections/glossary.html.j2": "<p>Our own glossary.</p>",
    })
    r = run_cli("--content", str(root), "report", str(E1), "-o", "out", "-f", "html")
    assert r.code == 0, r.err
    html = (tmp_path / "out" / "report.html").read_text()
    assert '<p class="closing">With thanks to Harbour &amp; Pine' in html
    assert "<p>Our own glossary.</p>" in html
    assert 'id="sec-summary"' in html  # the rest is the built-in report


def test_override_can_reorder_and_drop_sections(run_cli, tmp_path):
    root = overlay(tmp_path, {"report.yaml": (
        "sections:\n  - {id: components, title: Findings first}\n"
        "  - {id: summary, title: Summary}\n")})
    r = run_cli("--content", str(root), "report", str(E1), "-o", "out", "-f", "html")
    assert r.code == 0, r.err
    html = (tmp_path / "out" / "report.html").read_text()
    assert html.index('id="sec-components"') < html.index('id="sec-summary"')
    assert 'id="sec-maturity"' not in html


def test_unsafe_template_is_stopped_by_the_sandbox(run_cli, tmp_path):
    root = overlay(tmp_path, {"templates/sections/glossary.html.j2":
                              "{{ view.__class__.__init__.__globals__ }}"})
    r = run_cli("--content", str(root), "report", str(E1), "-o", "out", "-f", "html")
    assert r.code == 2 and "Traceback" not in r.err
    assert "sandbox" in r.err
    assert not (tmp_path / "out" / "report.html").exists()


def test_templates_cannot_reach_the_file_system(run_cli, tmp_path):
    root = overlay(tmp_path, {"templates/sections/glossary.html.j2":
                              "{{ view.theme.folder.joinpath('secret.txt').read_text() }}"})
    (tmp_path / "theme.yaml").write_text("consultancy: Northgate\n")
    (tmp_path / "secret.txt").write_text("do not print me")
    r = run_cli("--content", str(root), "report", str(E1), "-o", "out", "-f", "html",
                "--theme", "theme.yaml")
    assert r.code == 2 and "sandbox" in r.err and "do not print me" not in r.out + r.err


def test_broken_template_names_its_file_and_line(run_cli, tmp_path):
    root = overlay(tmp_path, {"templates/sections/glossary.html.j2": "<p>\n{% if %}</p>"})
    r = run_cli("--content", str(root), "report", str(E1), "-o", "out", "-f", "html")
    assert r.code == 2 and "Traceback" not in r.err
    assert "glossary.html.j2:2" in r.err


def test_bad_section_list_is_a_located_content_error(run_cli, tmp_path):
    root = overlay(tmp_path, {"report.yaml": "sections:\n  - {id: summary, titel: x}\n"})
    r = run_cli("--content", str(root), "report", str(E1), "-o", "out", "-f", "html")
    assert r.code == 2
    assert "report.yaml:2" in r.err and "titel" in r.err
