"""Archi's own files in: .archimate (plain, zipped), coArchi folders, and what real models hold.

The fixtures under tests/ingest/data/archi/ were written by hand for these tests, in the
layouts Archi and its collaboration plug-in save: duplicate names, named flows, junction
paths (And, Or, chained), triggering, properties, people, French names, a sketch and a canvas.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from auditor.errors import ImportFileError
from auditor.ingest.importer import import_file
from auditor.schema.audit import Audit

DATA = Path(__file__).resolve().parent / "data" / "archi"
ACME = DATA / "acme.archimate"
COARCHI = DATA / "coarchi-acme"


def _client(name: str = "Acme Finance") -> Audit:
    return Audit.model_validate({"client": {"name": name}})


@pytest.fixture(scope="module")
def acme() -> Audit:
    return import_file(ACME, _client()).audit


def test_same_type_same_name_elements_become_one_item(acme: Audit) -> None:
    crm = [s for s in acme.inventory.systems if s.name == "Système CRM"]
    assert len(crm) == 1  # three components, one written with a decomposed accent and spaces
    assert crm[0].origin == "archimate:c-crm1 archimate:c-crm2 archimate:c-crm3"
    assert crm[0].description == "Ventes.\n\nService après-vente."  # documentation joined
    clients = [s for s in acme.vision.segments if s.name == "Client"]
    assert len(clients) == 1 and clients[0].description == (
        "Particuliers et professionnels.\n\nVu par le centre de contact.")
    # and the analysis sees one hub: every flow of the three copies starts at the one item
    assert {f.source for f in acme.inventory.flows if f.source == "systeme-crm"} == {"systeme-crm"}
    assert len([f for f in acme.inventory.flows if f.source == "systeme-crm"]) == 3


def test_duplicates_are_reported_and_kept_apart_on_request() -> None:
    merged = import_file(ACME, _client())
    assert "3 × ApplicationComponent 'Système CRM': merged into systeme-crm" in merged.duplicates
    apart = import_file(ACME, _client(), keep_duplicates=True)
    names = [s.id for s in apart.audit.inventory.systems if s.name == "Système CRM"]
    assert names == ["systeme-crm", "systeme-crm-2", "systeme-crm-3"]
    assert any("kept apart as systeme-crm, systeme-crm-2, systeme-crm-3" in d
               for d in apart.duplicates)


def test_flows_carry_the_data_their_relationships_name(acme: Audit) -> None:
    flows = {(f.source, f.target): f for f in acme.inventory.flows}
    # three named Flow relationships between the same two systems: one flow, two data
    orders = flows[("boutique-en-ligne", "erp-finance")]
    assert orders.data == ["commandes", "paiements"]  # "commandes " is the same as "Commandes"
    assert orders.origin == "archimate:r-f1 archimate:r-f2 archimate:r-f3"
    data = {d.id: d for d in acme.inventory.data}
    assert data["commandes"].name == "Commandes" and data["commandes"].data_class == "transaction"
    assert data["commandes"].to_confirm == ["class"]
    # a data object associated with an unnamed flow
    assert flows[("systeme-crm", "acme-finance-website")].data == ["client-2"]
    # a flow name matched to an existing data object instead of a new one
    assert flows[("systeme-crm", "salesforce-marketing-cloud")].data == ["profil-client"]
    # named triggering, plus the data one system writes and the other reads
    assert flows[("facturation", "notification-hub")].data == ["facture-emise", "facture"]


def test_junction_paths_and_triggering_become_flows(acme: Audit) -> None:
    ends = {(f.source, f.target) for f in acme.inventory.flows}
    assert ("systeme-crm", "salesforce-marketing-cloud") in ends  # through an And junction
    assert ("systeme-crm", "entrepot-de-donnees") in ends
    assert ("erp-finance", "facturation") in ends  # triggering through two Or junctions
    assert ("facturation", "notification-hub") in ends  # triggering, direct
    assert ("entrepot-de-donnees", "legacy-mainframe") in ends  # serving
    assert len(ends) == 7
    chained = next(f for f in acme.inventory.flows if f.target == "facturation")
    assert "through junctions" in (chained.description or "")


def test_text_is_normalised(acme: Audit) -> None:
    shop = next(s for s in acme.inventory.systems if s.id == "boutique-en-ligne")
    assert shop.description == "Ligne 1\nLigne 2"  # CRLF and trailing spaces gone


def test_properties_fill_owners_vendor_lifecycle_and_tags(acme: Audit) -> None:
    systems = {s.id: s for s in acme.inventory.systems}
    shop = systems["boutique-en-ligne"]
    assert shop.owners == ["equipe-e-commerce"] and shop.vendor == "Acme Soft"
    assert shop.lifecycle == "tolerate" and "lifecycle" in shop.to_confirm  # "En production"
    assert shop.tags == ["criticality: Haute"]
    erp = systems["erp-finance"]
    assert erp.lifecycle == "eliminate"
    assert erp.owners == ["jean-dupont", "direction-financiere", "service-client"]
    teams = {t.id: t for t in acme.inventory.teams}
    assert teams["equipe-e-commerce"].name == "Équipe e-commerce"  # created for the owner
    assert teams["jean-dupont"].kind == "role"  # a person's name owns it: a one-person role
    assert systems["systeme-crm"].tags == ["criticality: High"]


def test_unmapped_property_keys_are_counted() -> None:
    result = import_file(ACME, _client())
    assert result.unmapped["property 'Centre de coût' on systems"] == 1


def test_people_become_respondents_to_be(acme: Audit) -> None:
    people = {r.name: r for r in acme.respondents}
    assert set(people) == {"Jean Dupont", "Mme Martin", "CEO"}
    assert people["Jean Dupont"].role == "Responsable financier"  # the role assigned in the model
    assert people["CEO"].role == "CEO"
    team_names = {t.name for t in acme.inventory.teams}
    assert not {"Mme Martin", "CEO"} & team_names


def test_guesses_a_careful_consultant_accepts(acme: Audit) -> None:
    segments = {s.name: s.kind for s in acme.vision.segments}
    assert segments == {"Clients particuliers": "customer-segment", "Client": "customer-segment",
                        "Courtier partenaire": "partner", "Assuré": "customer-segment"}
    teams = {t.name: t for t in acme.inventory.teams}
    assert teams["Service client"].kind == "team"
    assert teams["Customer representative"].kind == "role"  # staff, not a customer segment
    assert teams["Conseiller clientèle"].kind == "role"
    assert teams["Comité de direction"].executive
    systems = {s.name: s for s in acme.inventory.systems}
    assert systems["Acme Finance Website"].roles == ["system-of-engagement"]  # not erp
    assert systems["Salesforce Marketing Cloud"].vendor == "Salesforce"  # a known product
    assert systems["Notification hub"].roles == [] and systems["Notification hub"].to_confirm == [
        "roles"]  # no role found, and said so
    data = {d.name: d.data_class for d in acme.inventory.data}
    assert data["Business plan"] == "other"
    assert data["Customer agreement"] == "product"
    channels = {c.name: c.kind for c in acme.inventory.channels}
    assert channels == {"Courriel": "email", "Agence": "in-person", "Téléphone": "phone"}


def test_views_sketches_and_canvases_are_skipped_not_fatal() -> None:
    result = import_file(ACME, _client())
    assert any(n.startswith("3 views") for n in result.notes)


def test_zipped_archi4_archive_reads_like_the_plain_file(tmp_path: Path, acme: Audit) -> None:
    archive = tmp_path / "acme.archimate"
    text = ACME.read_text(encoding="utf-8").replace('version="5.0.0"', 'version="4.9.0"')
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("model.xml", text)
        z.writestr("images/0f1e2d.png", b"\x89PNG\r\n\x1a\n")
    zipped = import_file(archive, _client()).audit
    assert zipped.inventory == acme.inventory and zipped.vision == acme.vision


def test_an_archi_file_named_xml_is_read_too(tmp_path: Path, acme: Audit) -> None:
    renamed = tmp_path / "export.xml"
    renamed.write_bytes(ACME.read_bytes())
    assert import_file(renamed, _client()).audit.inventory == acme.inventory


@pytest.mark.parametrize("folder", [COARCHI, COARCHI / "model"])
def test_coarchi_folder(folder: Path) -> None:
    result = import_file(folder, _client("Acme"))
    inv = result.audit.inventory
    systems = {s.id: s for s in inv.systems}
    assert set(systems) == {"portail-client", "crm-ventes"}
    assert systems["portail-client"].origin == "archimate:id-c2 archimate:id-c3"
    crm = systems["crm-ventes"]
    assert crm.description == "Comptes, contacts et opportunités.\nUtilisé par les commerciaux."
    assert crm.vendor == "Acme Logiciels"
    # an owner the model defines in a file read later is that team, not a new one
    assert crm.owners == ["direction-commerciale", "gestionnaire-de-compte"]
    assert [t.id for t in inv.teams if t.name == "Gestionnaire de compte"] == [
        "gestionnaire-de-compte"]
    assert crm.masters == ["contrat"] and crm.capabilities == ["gestion-des-comptes"]
    # the Or junction fans out to both copies of the portal: one flow, named data matched
    assert [(f.source, f.target, f.data) for f in inv.flows] == [
        ("crm-ventes", "portail-client", ["contrat"])]
    assert [s.kind for s in result.audit.vision.segments] == ["customer-segment"]
    assert any(n.startswith("3 views") for n in result.notes)


def test_coarchi2_repository_folder(tmp_path: Path, acme: Audit) -> None:
    repo = tmp_path / "repo"
    (repo / "images").mkdir(parents=True)
    (repo / "model.archimate").write_bytes(ACME.read_bytes())  # coArchi 2 keeps it at the root
    assert import_file(repo, _client()).audit.inventory == acme.inventory


def test_archi_files_that_are_not_models_get_one_clear_line(tmp_path: Path) -> None:
    archive = tmp_path / "broken.archimate"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("images/a.png", b"png")
    with pytest.raises(ImportFileError, match="without a model.xml"):
        import_file(archive, _client())
    folder = tmp_path / "repo" / "model"
    folder.mkdir(parents=True)
    (folder / "folder.xml").write_text(
        '<archimate:ArchimateModel xmlns:archimate="http://www.archimatetool.com/archimate" '
        'name="x" id="m"/>', encoding="utf-8")
    (folder / "notes.xml").write_text("<notes/>", encoding="utf-8")
    with pytest.raises(ImportFileError, match="notes.xml: not an Archi model file"):
        import_file(tmp_path / "repo", _client())
    bogus = tmp_path / "bogus.archimate"  # Archi's own compatibility test: a foreign namespace
    bogus.write_text('<?xml version="1.0"?><archimate:model '
                     'xmlns:archimate="http://www.archimatetool.com/Bogus" name="x"/>',
                     encoding="utf-8")
    with pytest.raises(ImportFileError, match="not a model Archi can have saved"):
        import_file(bogus, _client())
    empty = tmp_path / "nothing"
    empty.mkdir()
    with pytest.raises(ImportFileError, match="no inventory CSV files and no model") as caught:
        import_file(empty, _client())
    assert "coArchi" in (caught.value.hint or "")


ARCHI_FILES = Path(__file__).resolve().parents[1] / "data" / "archimate" / "archi"


def _summary(audit: Audit) -> dict[str, object]:
    """What the analysis uses, by name: ids depend on the order elements come in (a segment
    and a data object both called "Customer" share out 'customer' and 'customer-2'), and the
    exchange export prefixes identifiers with 'id-'."""
    inv = audit.inventory
    names = {i.id: i.name for i in [*inv.systems, *inv.data]}
    return {
        "systems": sorted((s.name, tuple(s.roles), tuple(sorted(names[m] for m in s.masters)))
                          for s in inv.systems),
        "channels": sorted((c.name, c.kind) for c in inv.channels),
        "flows": sorted((names[f.source], names[f.target], tuple(names[d] for d in f.data))
                        for f in inv.flows),
        "data": sorted((d.name, d.data_class) for d in inv.data),
        "teams": sorted((t.name, t.kind, t.executive) for t in inv.teams),
        "segments": sorted((s.name, s.kind) for s in audit.vision.segments),
    }


def test_archis_own_archisurance_file_imports_like_the_exchange_file(archisurance: Path) -> None:
    native = import_file(ARCHI_FILES / "Archisurance.archimate", _client("Archisurance"))
    exchange = import_file(archisurance, _client("Archisurance"))
    assert _summary(native.audit) == _summary(exchange.audit)
    crm = next(s for s in native.audit.inventory.systems if s.id == "crm-system")
    assert crm.origin == "archimate:1393"
    assert any(n.startswith("17 views") for n in native.notes)


def test_a_zip_archive_saved_by_archi_is_read() -> None:
    result = import_file(ARCHI_FILES / "model_zipped.archimate", _client("Zip"))
    assert not result.changed  # the test model holds two views with pictures, no elements
    assert result.notes == ["the model has no elements",
                            "2 views (diagrams, sketches, canvases) skipped: only elements "
                            "and relationships are imported"]
