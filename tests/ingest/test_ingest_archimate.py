"""ArchiMate import: the real Archisurance model, re-import, Archi's CSV export, bad XML."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from auditor.errors import ImportFileError
from auditor.ingest.archimate import read_model
from auditor.ingest.importer import import_file
from auditor.schema.audit import Audit
from auditor.store.audit_file import load_audit, open_audit, save_audit, validate_file


def _empty() -> Audit:
    return Audit.model_validate({"client": {"name": "Archisurance"}})


def test_archisurance_import_through_the_cli_then_validates(archisurance: Path, empty_audit: Path,
                                                            run_cli) -> None:
    result = run_cli("import", str(archisurance), "--into", str(empty_audit))
    assert result.code == 0, result.err
    # unmapped types are counted, not dropped
    assert "  elements: 9 BusinessProcess, 9 Principle," in result.out
    assert "28 Association" in result.out
    assert "Guessed, to confirm" in result.out
    assert validate_file(empty_audit).ok
    check = run_cli("validate", str(empty_audit))
    assert check.code == 0, check.out + check.err

    audit = load_audit(empty_audit)
    inv, vision = audit.inventory, audit.vision
    assert len(inv.systems) == 10
    names = {s.name for s in inv.systems}
    assert {"CRM System", "Call center application", "Web portal", "Bank System",
            "Financial Application", "Customer Data Access"} <= names
    crm = next(s for s in inv.systems if s.name == "CRM System")
    assert crm.id == "crm-system"
    assert crm.roles == ["system-of-record"] and crm.to_confirm == ["roles"]
    assert crm.origin == "archimate:id-1393"
    unknown_role = next(s for s in inv.systems if s.name == "Bank System")
    # no role found: nothing guessed, and the empty field is marked to confirm
    assert unknown_role.roles == [] and unknown_role.to_confirm == ["roles"]
    assert "roles (none found)" in result.out

    # the model has two BusinessInterfaces called "phone": one channel, both origins kept
    assert sorted(c.name for c in inv.channels) == ["GIM", "e-mail", "mail", "phone"]
    phone = next(c for c in inv.channels if c.name == "phone")
    assert len(phone.origin.split()) == 2
    assert "2 × BusinessInterface 'phone': merged into phone" in result.out
    kinds = {c.id: c.kind for c in inv.channels}
    assert kinds["e-mail"] == "email" and kinds["mail"] == "mail" and kinds["gim"] == "other"
    assert all(c.to_confirm == ["kind"] for c in inv.channels)

    ends = {(f.source, f.target) for f in inv.flows}
    # Serving between components: provider -> consumer
    assert ("crm-system", "web-portal") in ends
    assert ("bank-system", "financial-application") in ends
    assert ("customer-data-access", "call-center-application") in ends
    # derived: CRM System realises the CIS service, which serves Policy Data Management
    assert ("crm-system", "policy-data-management") in ends
    assert len(inv.flows) == 9 and all(f.mode == "unknown" for f in inv.flows)

    assert len(inv.data) == 15  # 4 data objects, 10 business objects, 1 contract
    claims = next(s for s in inv.systems if s.name == "Claim Data Management")
    assert claims.masters == ["damage-claim-data"]  # Access Write
    damage = next(d for d in inv.data if d.id == "damage-claim-data")
    assert damage.data_class == "case" and damage.to_confirm == ["class"]

    segments = {s.name: s.kind for s in vision.segments}
    assert segments == {"Customer": "customer-segment", "Client": "customer-segment",
                        "Insurant": "customer-segment", "Intermediary": "partner",
                        "Customer's Bank": "partner"}
    teams = {t.name: t for t in inv.teams}
    assert len(teams) == 17
    assert teams["Customer Relations"].kind == "team"  # a department, not a customer
    assert teams["Insurer"].kind == "role"
    assert teams["Board"].executive and "executive" in teams["Board"].to_confirm


def test_reimport_updates_instead_of_duplicating(archisurance: Path, empty_audit: Path) -> None:
    doc = open_audit(empty_audit)
    doc.audit = import_file(archisurance, doc.audit).audit
    # The consultant confirms and corrects guesses, and renames an item.
    crm = next(s for s in doc.audit.inventory.systems if s.id == "crm-system")
    crm.roles = ["system-of-record", "service-desk"]
    crm.to_confirm = []
    phone = next(c for c in doc.audit.inventory.channels if c.id == "phone")
    phone.interactions_per_year = 40000
    save_audit(doc)

    doc = open_audit(empty_audit)
    again = import_file(archisurance, doc.audit)
    assert not again.changed
    assert {c.added for c in again.changes.values()} == {0}
    inv = again.audit.inventory
    assert len(inv.systems) == 10 and len(inv.flows) == 9 and len(inv.channels) == 4
    crm = next(s for s in inv.systems if s.id == "crm-system")
    assert crm.roles == ["system-of-record", "service-desk"] and crm.to_confirm == []
    assert next(c for c in inv.channels if c.id == "phone").interactions_per_year == 40000


def test_segment_moved_to_teams_by_the_consultant_stays_there(archisurance: Path) -> None:
    first = import_file(archisurance, _empty()).audit
    plain = first.model_dump(by_alias=True)
    moved = next(s for s in plain["vision"]["segments"] if s["id"] == "intermediary")
    plain["vision"]["segments"].remove(moved)
    plain["inventory"]["teams"].append({"id": "intermediary", "name": "Intermediary",
                                        "kind": "role", "origin": moved["origin"]})
    second = import_file(archisurance, Audit.model_validate(plain))
    assert "intermediary" not in {s.id for s in second.audit.vision.segments}
    assert "intermediary" in {t.id for t in second.audit.inventory.teams}


def _write_archi_csv(model_path: Path, folder: Path, prefix: str = "") -> None:
    """The three files Archi's 'Export Model to CSV' writes, from the same model."""
    model = read_model(model_path)
    folder.mkdir()
    with (folder / f"{prefix}elements.csv").open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(["ID", "Type", "Name", "Documentation", "Specialization"])
        w.writerow(["id-model", "ArchimateModel", "Archisurance", "", ""])
        for e in model.elements.values():
            w.writerow([e.identifier, e.type, e.name, e.documentation, ""])
    with (folder / f"{prefix}relations.csv").open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(["ID", "Type", "Name", "Documentation", "Source", "Target", "Specialization"])
        for r in model.relations:
            w.writerow([r.identifier, f"{r.type}Relationship", r.name, "", r.source, r.target, ""])
    with (folder / f"{prefix}properties.csv").open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(["ID", "Key", "Value"])
        for r in model.relations:
            if r.type == "Access":
                w.writerow([r.identifier, "Access_Type", r.access_type or "Write"])


def test_archi_csv_export_imports_like_the_exchange_file(archisurance: Path,
                                                         tmp_path: Path) -> None:
    _write_archi_csv(archisurance, tmp_path / "archi")
    from_xml = import_file(archisurance, _empty()).audit
    from_folder = import_file(tmp_path / "archi", _empty()).audit
    from_file = import_file(tmp_path / "archi" / "elements.csv", _empty()).audit
    for audit in (from_folder, from_file):
        assert audit.inventory.model_dump() == from_xml.inventory.model_dump()
        assert audit.vision == from_xml.vision


def test_archi_csv_with_prefix_and_semicolons(archisurance: Path, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    _write_archi_csv(archisurance, folder, prefix="Acme-")
    for path in folder.iterdir():  # re-save with Archi's semicolon delimiter option
        rows = list(csv.reader(path.open(encoding="utf-8-sig", newline="")))
        with path.open("w", newline="", encoding="utf-8") as f:
            csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL).writerows(rows)
    result = import_file(folder, _empty())
    assert len(result.audit.inventory.systems) == 10


MODEL_21 = """<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m1">
  <name xml:lang="en">Tiny</name>
  <elements>
    <element identifier="a1" xsi:type="ApplicationComponent">
      <label xml:lang="nl">Webwinkel</label><label xml:lang="en">Web shop</label>
    </element>
    <element identifier="a2" xsi:type="ApplicationComponent">
      <label xml:lang="en">Marketing automation</label>
    </element>
    <element identifier="d1" xsi:type="DataObject"><label>Order</label></element>
    <element identifier="d2" xsi:type="DataObject"><label>Email consent</label></element>
    <element identifier="c1" xsi:type="Capability"><label>Segmentation</label></element>
  </elements>
  <relationships>
    <relationship identifier="r1" source="a1" target="a2" xsi:type="UsedBy"/>
    <relationship identifier="r2" source="a1" target="d1" xsi:type="Access" accessType="Write"/>
    <relationship identifier="r3" source="a2" target="d1" xsi:type="Access" accessType="Read"/>
    <relationship identifier="r4" source="a2" target="d2" xsi:type="Access"/>
    <relationship identifier="r5" source="a2" target="c1" xsi:type="Realization"/>
    <relationship identifier="r6" source="a1" target="a2" xsi:type="Flow"/>
  </relationships>
</model>
"""


def test_archimate_21_namespace_and_access_types(tmp_path: Path) -> None:
    path = tmp_path / "tiny.xml"
    path.write_text(MODEL_21, encoding="utf-8")
    result = import_file(path, _empty())
    inv = result.audit.inventory
    systems = {s.id: s for s in inv.systems}
    assert set(systems) == {"web-shop", "marketing-automation"}  # English label chosen
    assert systems["web-shop"].roles == ["commerce"]
    assert systems["web-shop"].masters == ["order"]  # Write
    assert systems["marketing-automation"].masters == ["email-consent"]  # default is Write
    assert systems["marketing-automation"].capabilities == ["segmentation"]
    assert [c.id for c in inv.capabilities] == ["segmentation"]
    assert [(f.source, f.target) for f in inv.flows] == [("web-shop", "marketing-automation")]
    assert result.unmapped == {"Access read-only (relationship)": 1}


@pytest.mark.parametrize("text, message", [
    ('<?xml version="1.0"?><!DOCTYPE model [<!ENTITY a "aaaa">]><model/>', "DOCTYPE"),
    ("<model><elements>", "not well-formed XML"),
    ('<model xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"/>', "BPMN"),
    ('<archimate:Folder xmlns:archimate="http://www.archimatetool.com/archimate"/>',
     "not a model"),
])
def test_bad_model_files_get_one_clear_line(tmp_path: Path, empty_audit: Path, cli,
                                            text: str, message: str) -> None:
    path = tmp_path / "model.xml"
    path.write_text(text, encoding="utf-8")
    before = empty_audit.read_bytes()
    with pytest.raises(ImportFileError, match=message):
        import_file(path, _empty())
    result = cli("import", str(path), "--into", str(empty_audit))
    assert result.code == 2
    assert "Traceback" not in result.err and message in result.err
    assert empty_audit.read_bytes() == before


MODEL_3X = """<?xml version="1.0" encoding="UTF-8"?>
<model xmlns="http://www.opengroup.org/xsd/archimate/3.0/"
       xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" identifier="m1">
  <name xml:lang="en">Exchange</name>
  <elements>
    <element identifier="c1" xsi:type="ApplicationComponent"><name>Order entry</name>
      <properties>
        <property propertyDefinitionRef="p1"><value xml:lang="en">Sales Ops</value></property>
        <property propertyDefinitionRef="p2"><value xml:lang="en">Phase out</value></property>
        <property propertyDefinitionRef="p3"><value xml:lang="en">42</value></property>
      </properties>
    </element>
    <element identifier="c2" xsi:type="ApplicationComponent"><name>Warehouse</name></element>
    <element identifier="c3" xsi:type="ApplicationComponent"><name>Invoicing</name></element>
    <element identifier="j1" xsi:type="OrJunction"/>
    <element identifier="j2" xsi:type="AndJunction"/>
  </elements>
  <relationships>
    <relationship identifier="r1" source="c1" target="j1" xsi:type="Flow">
      <name xml:lang="en">Orders</name></relationship>
    <relationship identifier="r2" source="j1" target="j2" xsi:type="Flow"/>
    <relationship identifier="r3" source="j2" target="c2" xsi:type="Flow"/>
    <relationship identifier="r4" source="j2" target="c3" xsi:type="Flow"/>
  </relationships>
  <propertyDefinitions>
    <propertyDefinition identifier="p1" type="string">
      <name xml:lang="en">Owner</name></propertyDefinition>
    <propertyDefinition identifier="p2" type="string">
      <name xml:lang="en">Lifecycle</name></propertyDefinition>
    <propertyDefinition identifier="p3" type="number">
      <name xml:lang="en">Users</name></propertyDefinition>
  </propertyDefinitions>
</model>
"""


def test_exchange_format_properties_and_junctions(tmp_path: Path) -> None:
    path = tmp_path / "exchange.xml"
    path.write_text(MODEL_3X, encoding="utf-8")
    result = import_file(path, _empty())
    inv = result.audit.inventory
    entry = next(s for s in inv.systems if s.id == "order-entry")
    assert entry.owners == ["sales-ops"] and entry.lifecycle == "eliminate"
    assert result.unmapped["property 'Users' on systems"] == 1
    flows = {(f.source, f.target): f.data for f in inv.flows}
    assert flows == {("order-entry", "warehouse"): ["orders"],
                     ("order-entry", "invoicing"): ["orders"]}
