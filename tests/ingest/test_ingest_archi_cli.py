"""Model imports as a consultant runs them: unchanged re-imports, Windows CSV, round trips,
a summary that fits a screen, and vocabulary a consultant extends with --content."""

from __future__ import annotations

import csv
import os
from pathlib import Path

from auditor.store.audit_file import load_audit

DATA = Path(__file__).resolve().parent / "data" / "archi"
ACME = DATA / "acme.archimate"


def _stamp(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), os.stat(path).st_mtime_ns


def test_reimport_of_an_unchanged_model_touches_neither_file_nor_backup(empty_audit: Path,
                                                                        cli) -> None:
    first = cli("import", str(ACME), "--into", str(empty_audit))
    assert first.code == 0, first.err
    backup = empty_audit.with_name(empty_audit.name + ".bak")
    before, before_bak = _stamp(empty_audit), _stamp(backup)
    again = cli("import", str(ACME), "--into", str(empty_audit))
    assert again.code == 0, again.err
    assert "Unchanged: the audit file was not rewritten." in again.out
    assert _stamp(empty_audit) == before and _stamp(backup) == before_bak


def _windows_csv_export(folder: Path) -> None:
    """Archi's CSV export as Windows writes it: CRLF rows and CRLF inside quoted cells."""
    folder.mkdir()
    rows = {
        "elements.csv": [["ID", "Type", "Name", "Documentation", "Specialization"],
                         ["m", "ArchimateModel", "Acme", "", ""],
                         ["c1", "ApplicationComponent", "CRM", "Line one\r\nLine two \r\n", ""],
                         ["c2", "ApplicationComponent", "Web portal", "Public site", ""],
                         ["a1", "BusinessActor", "Clients", "Retail\r\nand business", ""]],
        "relations.csv": [["ID", "Type", "Name", "Documentation", "Source", "Target",
                           "Specialization"],
                          ["r1", "FlowRelationship", "Orders", "Sent\r\nnightly", "c1", "c2", ""]],
        "properties.csv": [["ID", "Key", "Value"], ["c1", "Owner", "Sales\r\nops"]],
    }
    for name, content in rows.items():
        with (folder / name).open("w", newline="", encoding="cp1252") as handle:
            csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(content)


def test_windows_csv_export_reimports_unchanged(empty_audit: Path, tmp_path: Path, cli) -> None:
    _windows_csv_export(tmp_path / "export")
    first = cli("import", str(tmp_path / "export"), "--into", str(empty_audit))
    assert first.code == 0, first.err
    audit = load_audit(empty_audit)
    crm = next(s for s in audit.inventory.systems if s.id == "crm")
    assert crm.description == "Line one\nLine two"
    assert audit.inventory.flows[0].data == ["orders"]
    assert crm.owners == ["sales-ops"]
    assert next(t for t in audit.inventory.teams if t.id == "sales-ops").name == "Sales ops"
    backup = empty_audit.with_name(empty_audit.name + ".bak")
    before, before_bak = _stamp(empty_audit), _stamp(backup)
    again = cli("import", str(tmp_path / "export"), "--into", str(empty_audit))
    assert again.code == 0, again.err
    assert "Unchanged" in again.out
    assert _stamp(empty_audit) == before and _stamp(backup) == before_bak


def test_import_export_import_is_a_no_op(empty_audit: Path, tmp_path: Path, cli) -> None:
    assert cli("import", str(ACME), "--into", str(empty_audit)).code == 0
    before = empty_audit.read_bytes()
    exported = cli("export", str(empty_audit), "-o", str(tmp_path / "inventory.xlsx"))
    assert exported.code == 0, exported.err
    again = cli("import", str(tmp_path / "inventory.xlsx"), "--into", str(empty_audit))
    assert again.code == 0, again.err
    assert "Unchanged" in again.out
    assert empty_audit.read_bytes() == before
    # and the model once more, after the round trip
    model = cli("import", str(ACME), "--into", str(empty_audit))
    assert "Unchanged" in model.out and empty_audit.read_bytes() == before


def test_summary_groups_guesses_and_lists_them_all_on_request(empty_audit: Path, cli) -> None:
    short = cli("import", str(ACME), "--into", str(empty_audit), "--dry-run")
    assert short.code == 0, short.err
    lines = short.out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Guessed, to confirm"))
    groups = lines[start + 1:lines.index("  (every one: --show-guesses)")]
    counts = [int(line.split()[0]) for line in groups]
    assert counts == sorted(counts)  # the unusual ones first
    assert "     4 teams: kind team" in groups
    assert "     2 systems: roles (none found) (Notification hub, Legacy mainframe)" in groups
    assert "     3 respondents: person respondent-to-be (Jean Dupont, Mme Martin, CEO)" in groups
    assert len(lines) < 60
    full = cli("import", str(ACME), "--into", str(empty_audit), "--dry-run", "--show-guesses")
    assert "         service-client (Service client)" in full.out
    assert "every one: --show-guesses" not in full.out


def test_vocabulary_is_content_a_consultant_extends(empty_audit: Path, tmp_path: Path,
                                                    run_cli) -> None:
    cli = run_cli  # a fresh process each time: --content must not outlive the command
    model = tmp_path / "nl.archimate"
    model.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<archimate:model '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xmlns:archimate="http://www.archimatetool.com/archimate" name="NL" id="m">\n'
        '<folder name="Business" id="f" type="business">\n'
        '<element xsi:type="archimate:BusinessActor" name="Zakelijke klanten" id="a1"/>\n'
        '<element xsi:type="archimate:ApplicationComponent" name="Klantportaal" id="c1"/>\n'
        '</folder>\n</archimate:model>\n', encoding="utf-8")
    plain = cli("import", str(model), "--into", str(empty_audit), "--dry-run")
    assert "1 team: kind team (Zakelijke klanten)" in plain.out
    content = tmp_path / "content" / "blueprints"
    content.mkdir(parents=True)
    (content / "import-vocabulary-nl.yaml").write_text(
        "language: nl\nsegments:\n  customer-segment: [klant, klanten]\n"
        "system_roles:\n  system-of-engagement: [klantportaal]\n", encoding="utf-8")
    dutch = cli("--content", str(tmp_path / "content"), "import", str(model), "--into",
                str(empty_audit), "--dry-run")
    assert dutch.code == 0, dutch.err
    assert "1 segment: kind customer-segment (Zakelijke klanten)" in dutch.out
    assert "1 system: roles system-of-engagement (Klantportaal)" in dutch.out
    (content / "import-vocabulary-nl.yaml").write_text(
        "language: nl\nsegments:\n  klanten: [klant]\n", encoding="utf-8")
    bad = cli("--content", str(tmp_path / "content"), "import", str(model), "--into",
              str(empty_audit), "--dry-run")
    assert bad.code != 0 and "import-vocabulary-nl.yaml:3" in bad.err
    assert "Traceback" not in bad.err
