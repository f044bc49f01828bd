"""The CLI shell as a user meets it: new, validate, schema, show, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from auditor import __version__


def test_help_lists_commands_and_fits_80_columns(run_cli):
    r = run_cli("--help")
    assert r.code == 0
    for command in ("new", "validate", "schema", "show", "demo"):
        assert command in r.out
    assert max(len(line) for line in r.out.splitlines()) <= 80


def test_version(run_cli):
    r = run_cli("--version")
    assert r.code == 0 and r.out.strip() == f"auditor {__version__}"


def test_new_then_validate_then_show(run_cli, tmp_path: Path):
    r = run_cli("new", "Acme Retail", "-o", "acme.audit.yaml", "--consultant", "R. Vega")
    assert r.code == 0, r.err
    text = (tmp_path / "acme.audit.yaml").read_text()
    assert "name: Acme Retail" in text and "schema_version: 1" in text
    assert "consultant: R. Vega" in text
    for section in ("respondents:", "answers:", "inventory:", "vision:", "systems:"):
        assert section in text
    assert run_cli("validate", "acme.audit.yaml").code == 0
    shown = run_cli("show", "acme.audit.yaml")
    assert shown.code == 0 and "Acme Retail" in shown.out and "systems" in shown.out


def test_new_refuses_to_overwrite(run_cli, tmp_path: Path):
    target = tmp_path / "acme.audit.yaml"
    target.write_text("precious: data\n")
    r = run_cli("new", "Acme", "-o", "acme.audit.yaml")
    assert r.code == 2
    assert "already exists" in r.err and "--force" in r.err
    assert target.read_text() == "precious: data\n"


BAD = """\
client:
  name: Broken Co
inventory:
  systems:
    - id: crm
      name: CRM
      roles: [crm]
      ownr: [sales]
  channels:
    - id: web
      name: Web
      kind: webb
"""

DANGLING = """\
client:
  name: Dangling Co
respondents:
  - {id: cio, name: Pat, role: CIO}
answers:
  - {question: q8.1, respondent: cmo, value: 2}
inventory:
  systems:
    - {id: crm, name: CRM, roles: [system-of-record], owners: [sales]}
    - {id: esp, name: ESP, roles: [marketing-automation]}
    - {id: crm, name: Second CRM}
  channels:
    - {id: whatsapp, name: WhatsApp, kind: messaging}
  touchpoints:
    - {id: chat, name: Chat, style: two-way, channel: whatsap, systems: [crm]}
  flows:
    - {source: crm, target: espp, data: [person]}
"""


def test_validate_reports_every_structure_problem_with_location(run_cli, tmp_path: Path):
    (tmp_path / "bad.yaml").write_text(BAD)
    r = run_cli("validate", "bad.yaml")
    assert r.code == 2
    lines = r.out.splitlines()
    assert any(l.startswith("bad.yaml:7:15: inventory.systems[0].roles[0]:") and
               "did you mean 'system-of-record'" in l for l in lines), r.out
    assert any(l.startswith("bad.yaml:8:7: inventory.systems[0].ownr: unknown field 'ownr'")
               and "did you mean 'owners'" in l for l in lines), r.out
    assert any(l.startswith("bad.yaml:12:13: inventory.channels[0].kind:") and "'web'" in l
               for l in lines), r.out
    assert "Traceback" not in r.out + r.err


def test_validate_reports_every_dangling_reference(run_cli, tmp_path: Path):
    (tmp_path / "dangling.yaml").write_text(DANGLING)
    r = run_cli("validate", "dangling.yaml", "--json")
    assert r.code == 2
    problems = json.loads(r.out)["problems"]
    messages = {(p["path"], p["message"]) for p in problems}
    paths = {p["path"] for p in problems}
    assert "answers[0].respondent" in paths
    assert "inventory.systems[0].owners[0]" in paths
    assert "inventory.systems[2].id" in paths  # duplicate id
    assert any(m.startswith("unknown channel 'whatsap'; did you mean 'whatsapp'")
               for _, m in messages)
    assert any(p == "inventory.flows[0].target" and "did you mean 'esp'" in m for p, m in messages)
    assert any(p == "inventory.flows[0].data[0]" for p, _ in messages)
    flow_target = next(p for p in problems if p["path"] == "inventory.flows[0].target")
    assert flow_target["line"] == 17


def test_errors_are_one_clean_message_not_a_traceback(run_cli, tmp_path: Path):
    cases = {
        "missing.yaml": None,
        "binary.yaml": b"\x00\x01\x02garbage",
        "latin1.yaml": "client:\n  name: Caf\xe9\n".encode("latin-1"),
        "badyaml.yaml": b"client:\n  name: [unclosed\n",
        "list.yaml": b"- just\n- a list\n",
        "empty.yaml": b"",
    }
    for name, content in cases.items():
        if content is not None:
            (tmp_path / name).write_bytes(content)
        r = run_cli("validate", name)
        assert r.code == 2, (name, r.out, r.err)
        assert "Traceback" not in r.err, (name, r.err)
        assert r.err.startswith("Error:"), (name, r.err)
    assert "latin1.yaml:2: not valid UTF-8" in run_cli("validate", "latin1.yaml").err
    assert "badyaml.yaml:3:1: not valid YAML" in run_cli("validate", "badyaml.yaml").err


def test_schema_is_json_schema_of_the_audit(run_cli):
    r = run_cli("schema")
    assert r.code == 0
    schema = json.loads(r.out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"client", "inventory", "answers"} <= set(schema["properties"])
    assert "system-of-record" in r.out


def test_unknown_command_is_a_usage_error(run_cli):
    r = run_cli("frobnicate")
    assert r.code == 2 and "Traceback" not in r.err


def test_debug_shows_the_traceback(run_cli):
    r = run_cli("--debug", "validate", "nope.yaml")
    assert r.code != 0 and "Traceback" in r.err


def test_no_color_means_no_escape_codes(run_cli, tmp_path: Path):
    (tmp_path / "bad.yaml").write_text(BAD)
    r = run_cli("validate", "bad.yaml", env={"NO_COLOR": "1", "FORCE_COLOR": ""})
    assert "\x1b[" not in r.out + r.err


def test_heavy_libraries_stay_out_of_start_up():
    """Not a timing test: the import graph of `auditor --help` must not pull in heavy libraries."""
    import subprocess
    import sys

    code = ("import sys\nimport auditor.cli as c\n"
            "heavy = [m for m in ('networkx', 'weasyprint', 'openpyxl', 'questionary', 'graphviz')"
            " if m in sys.modules]\nprint(heavy)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert r.stdout.strip() == "[]", r.stdout


def test_an_internal_error_is_one_plain_line_not_a_traceback(
        monkeypatch, capsys, demo_audit_path: Path) -> None:
    """A bug still gets a short, readable report: exit 70, the exception's last line shown as
    text (brackets included), no markup tags and no traceback."""
    import auditor.store.audit_file
    from auditor.cli import console, main

    def broken(*args, **kwargs):
        raise RuntimeError("boom in [section]")

    monkeypatch.setattr(auditor.store.audit_file, "load_audit", broken)
    monkeypatch.setenv("NO_COLOR", "1")
    saved = console.out, console.err
    console.refresh()
    try:
        code = main(["show", str(demo_audit_path)])
    finally:
        console.out, console.err = saved
    err = capsys.readouterr().err
    assert code == 70
    assert "RuntimeError: boom in [section]" in err
    assert "[muted]" not in err and "Traceback" not in err
