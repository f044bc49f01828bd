"""`auditor report` as a user runs it: formats, errors, determinism, the published schema."""

from __future__ import annotations

import json

from report_helpers import REPO

from auditor.render.report.json_export import assessment_json_schema

E1 = REPO / "examples" / "e1-harbour-pine.audit.yaml"


def test_report_writes_the_chosen_formats(run_cli, tmp_path):
    r = run_cli("report", str(E1), "-o", "out", "--format", "md,json", "--date", "2026-01-31")
    assert r.code == 0, r.err
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == ["assessment.json", "ecosystem-target.svg", "ecosystem.svg", "report.md"]
    assert "Wrote" in r.out and "report.md" in r.out
    md = (tmp_path / "out" / "report.md").read_text()
    assert "31 January 2026" in md and "Harbour & Pine" in md


def test_assessment_json_is_identical_across_runs_and_matches_the_schema(run_cli, tmp_path):
    outputs = []
    for name in ("a", "b"):
        r = run_cli("report", str(E1), "-o", name, "-f", "json")
        assert r.code == 0, r.err
        outputs.append((tmp_path / name / "assessment.json").read_bytes())
    assert outputs[0] == outputs[1]
    data = json.loads(outputs[0])
    schema = assessment_json_schema()
    assert set(schema["required"]) <= set(data)
    assert set(data) <= set(schema["properties"])


def test_published_schema_is_up_to_date():
    published = json.loads((REPO / "docs" / "assessment.schema.json").read_text())
    assert published == assessment_json_schema(), (
        "docs/assessment.schema.json is stale: auditor schema --of assessment > "
        "docs/assessment.schema.json")


def test_bad_options_are_clear_errors(run_cli, tmp_path):
    r = run_cli("report", str(E1), "-f", "pdf,docx")
    assert r.code == 2 and "unknown report format 'docx'" in r.err
    r = run_cli("report", str(E1), "--date", "2026-13-01")
    assert r.code == 2 and "'2026-13-01' is not a date" in r.err
    r = run_cli("report", "missing.audit.yaml")
    assert r.code == 2 and "missing.audit.yaml does not exist" in r.err
    (tmp_path / "file").write_text("x")
    r = run_cli("report", str(E1), "-o", "file", "-f", "json")
    assert r.code == 2 and "cannot create the output folder" in r.err
    assert "Traceback" not in r.err


def test_heavy_libraries_load_only_when_rendering():
    import subprocess
    import sys

    code = ("import sys\nimport auditor.cli.report, auditor.render.report\n"
            "print([m for m in ('weasyprint', 'networkx') if m in sys.modules])")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]"


def test_report_command_has_help(run_cli):
    r = run_cli("report", "--help")
    assert r.code == 0 and "--theme" in r.out and "--format" in r.out
    assert all(len(line) <= 80 for line in r.out.splitlines())


def test_empty_audit_gives_a_short_honest_report(run_cli, tmp_path):
    r = run_cli("report", str(REPO / "examples" / "new.audit.yaml"), "-o", "out",
                "-f", "html,md", "--json")
    assert r.code == 0, r.err
    files = json.loads(r.out)["files"]
    assert [f["format"] for f in files] == ["html", "md"]
    html = (tmp_path / "out" / "report.html").read_text()
    assert "No audit question has been rated yet" in html
    # sections without data are left out rather than printed empty
    for absent in ("maturity", "alignment", "ecosystem", "backtracking", "inventory"):
        assert f'id="sec-{absent}"' not in html
    assert 'id="sec-components"' in html and 'id="sec-glossary"' in html
