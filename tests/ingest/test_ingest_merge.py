"""Merging rows by id: added / updated / unchanged, blanks keep, --replace, --dry-run."""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.errors import ImportFileError
from auditor.ingest.importer import import_file
from auditor.store.audit_file import load_audit


def test_new_ids_added_existing_updated_field_by_field(make_workbook, harbour: Path) -> None:
    audit = load_audit(harbour)
    path = make_workbook({
        "systems": [
            ["id", "name", "Roles", "Vendor ", "#comment"],
            ["shop", "Shop", "commerce, system-of-record", None, "blank vendor keeps Shopify"],
            ["esp", "ESP v2", "Marketing automation; System of engagement", "Acme", None],
            [None, "  New CRM  ", "system of record", None, None],
        ],
        "channels": [["id", "Interactions per year"], ["web", "130,000"]],
        "team-skills": [["team", "skill", "level"], ["marketing", "campaign-ops", 3],
                        ["marketing", "workflow-admin", None]],
    })
    result = import_file(path, audit)
    systems = {s.id: s for s in result.audit.inventory.systems}
    assert systems["shop"].vendor == "Shopify"  # empty cell: unchanged
    assert systems["shop"].roles == ["commerce", "system-of-record"]
    assert systems["esp"].name == "ESP v2" and systems["esp"].vendor == "Acme"
    assert systems["esp"].product == "+Mailer Pro"  # column absent: unchanged
    assert systems["new-crm"].name == "New CRM" and systems["new-crm"].roles == ["system-of-record"]
    assert [s.id for s in result.audit.inventory.systems][-1] == "new-crm"
    web = next(c for c in result.audit.inventory.channels if c.id == "web")
    assert web.interactions_per_year == 130000 and web.kind == "web"
    marketing = next(t for t in result.audit.inventory.teams if t.id == "marketing")
    assert [(h.skill, h.level) for h in marketing.skills] == [("campaign-ops", 3),
                                                             ("workflow-admin", 1)]
    changes = result.changes
    assert (changes["systems"].added, changes["systems"].updated,
            changes["systems"].unchanged) == (1, 1, 1)
    assert (changes["channels"].updated, changes["team-skills"].added,
            changes["team-skills"].updated) == (1, 1, 1)
    assert len(result.audit.inventory.systems) == len(audit.inventory.systems) + 1
    lines = "\n".join(result.summary_lines())
    assert "systems" in lines and "team-skills" in lines


def test_replace_removes_what_the_file_lacks_and_clears_blanks(make_workbook, harbour: Path
                                                                ) -> None:
    audit = load_audit(harbour)
    path = make_workbook({"skills": [["id", "name", "kind", "description"],
                                     ["campaign-ops", "Campaign operations", None, None],
                                     ["commerce-ops", "Commerce operations", None, None],
                                     ["workflow-admin", "Workflow admin", None, None],
                                     ["sql", "SQL", "technology", "new"]]})
    merged = import_file(path, audit)
    assert merged.changes["skills"].removed == 0
    kept = next(s for s in merged.audit.inventory.skills if s.id == "campaign-ops")
    assert kept.kind == "methodology"
    replaced = import_file(path, audit, replace=True)
    assert replaced.changes["skills"].removed == 0 and replaced.changes["skills"].updated == 1
    skill = next(s for s in replaced.audit.inventory.skills if s.id == "campaign-ops")
    assert skill.kind == "technology"  # the blank cell cleared it back to the default

    fewer = make_workbook({"skills": [["id", "name"], ["campaign-ops", "Campaign operations"],
                                      ["commerce-ops", "Commerce"],
                                      ["workflow-admin", "Workflow admin"]],
                           "capabilities": [["id", "name"], ["forum", "Forum"]]},
                          name="fewer.xlsx")
    # replacing the capabilities leaves systems and needs pointing at nothing: refused, and
    # the problems point into the audit file (the rows that refer are not in the workbook)
    with pytest.raises(ImportFileError) as caught:
        import_file(fewer, audit, replace=True)
    where = {(p.dotted_path, p.message) for p in caught.value.problems}
    assert ("inventory.systems[0].capabilities[0]", "unknown capability 'segmentation'") in where
    assert ("vision.needs[0].capabilities[0]", "unknown capability 'segmentation'") in where


def test_dry_run_writes_nothing_and_real_run_saves(make_workbook, harbour: Path, run_cli) -> None:
    path = make_workbook({"skills": [["id", "name"], ["sql", "SQL"]]})
    before = harbour.read_bytes()
    dry = run_cli("import", str(path), "--into", str(harbour), "--dry-run")
    assert dry.code == 0, dry.err
    assert "dry run" in dry.out and "skills" in dry.out
    assert harbour.read_bytes() == before
    real = run_cli("import", str(path), "--into", str(harbour))
    assert real.code == 0, real.err
    assert "Saved" in real.out
    assert "sql" in {s.id for s in load_audit(harbour).inventory.skills}
    assert harbour.with_name(harbour.name + ".bak").read_bytes() == before
    assert b"# Fixture for the import/export tests" in harbour.read_bytes()  # comments kept


def test_single_csv_with_kind_semicolons_and_windows_encoding(tmp_path: Path, harbour: Path,
                                                              run_cli) -> None:
    path = tmp_path / "from-client.csv"
    path.write_bytes("id;name;kind\nsql;Données SQL;technology\n".encode("cp1252"))
    unnamed = run_cli("import", str(path), "--into", str(harbour))
    assert unnamed.code == 2 and "--kind" in unnamed.err
    result = import_file(path, load_audit(harbour), kind="skills")
    assert next(s for s in result.audit.inventory.skills if s.id == "sql").name == "Données SQL"


def test_ids_derived_from_names_avoid_other_kinds(make_workbook, harbour: Path) -> None:
    # 'shop' is a system; a channel named Shop must not take its id
    path = make_workbook({"channels": [["name", "kind"], ["Shop", "in-person"], ["Shop", "web"]]})
    result = import_file(path, load_audit(harbour))
    assert [c.id for c in result.audit.inventory.channels][-2:] == ["shop-2", "shop-3"]
    again = import_file(path, result.audit)  # the same file again: updates, no duplicates
    assert again.changes["channels"].added == 0 and again.changes["channels"].unchanged == 2
