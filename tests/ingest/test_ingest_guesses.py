"""Guesses from names, in the five built-in languages: what a careful consultant would accept."""

from __future__ import annotations

import pytest

from auditor.catalogue import load_catalogue
from auditor.ingest.archi_map import duplicate_key, is_step_label, name_key
from auditor.ingest.guesses import Guesser


@pytest.fixture(scope="module")
def guesser() -> Guesser:
    catalogue = load_catalogue()
    return Guesser(catalogue.import_vocabulary, ["Acme Finance"], catalogue.products.products)


@pytest.mark.parametrize("kind, name, sheet, detail", [
    # the element type first: a role is staff unless its name says customer
    ("BusinessRole", "Customer representative", "teams", "role"),
    ("BusinessRole", "Claims handler", "teams", "role"),
    ("BusinessRole", "Customer", "segments", "customer-segment"),
    ("BusinessRole", "Insurant", "segments", "customer-segment"),
    ("BusinessRole", "Conseiller clientèle", "teams", "role"),
    ("BusinessRole", "Assuré", "segments", "customer-segment"),
    ("BusinessRole", "Sachbearbeiterin Kundenservice", "teams", "role"),
    ("BusinessRole", "Tomador del seguro", "segments", "customer-segment"),
    # actors: staff words win, then segments; French, Spanish, German, Portuguese too
    ("BusinessActor", "Customer Service", "teams", "team"),
    ("BusinessActor", "Service client", "teams", "team"),
    ("BusinessActor", "Clients particuliers", "segments", "customer-segment"),
    ("BusinessActor", "Courtier", "segments", "partner"),
    ("BusinessActor", "Fournisseurs", "segments", "partner"),
    ("BusinessActor", "Clientes particulares", "segments", "customer-segment"),
    ("BusinessActor", "Atención al cliente", "teams", "team"),
    ("BusinessActor", "Privatkunden", "segments", "customer-segment"),
    ("BusinessActor", "Vertriebspartner", "segments", "partner"),
    ("BusinessActor", "Kundendienst", "teams", "team"),
    ("BusinessActor", "Clientes empresariais", "segments", "customer-segment"),
    ("BusinessActor", "Corretor de seguros", "segments", "partner"),
    ("BusinessActor", "Agence web Pixel", "teams", "agency"),
    # people: a person's name or a one-person role
    ("BusinessActor", "Jean Dupont", "people", ""),
    ("BusinessActor", "Dr. A. Smith", "people", ""),
    ("BusinessActor", "Frau Müller", "people", ""),
    ("BusinessActor", "Chief Marketing Officer", "people", ""),
    ("BusinessActor", "Directeur général", "people", ""),
    ("BusinessActor", "Customer Care Team", "teams", "team"),
    ("BusinessActor", "Jean Dupont SA", "teams", "team"),  # not two capitalised words only
])
def test_actor_placement(guesser: Guesser, kind: str, name: str, sheet: str,
                         detail: str) -> None:
    placement = guesser.actor(kind, name)
    assert placement.sheet == sheet
    if detail:
        assert placement.kind == detail


@pytest.mark.parametrize("name, roles", [
    ("CRM System", ["system-of-record"]),
    ("Système CRM", ["system-of-record"]),
    ("Gestion de la relation client", ["system-of-record"]),
    ("Acme Finance Website", ["system-of-engagement"]),  # the client's name decides nothing
    ("Acme Finance", []),
    ("Finance system", ["erp"]),
    ("Entrepôt de données", ["analytics"]),
    ("Centro de llamadas", ["communications-platform"]),
    ("Kundenportal", ["system-of-engagement"]),
    ("Loja online", ["commerce"]),
    ("Salesforce Service Cloud EU", ["system-of-record", "service-desk"]),  # a known product
    ("Notification hub", []),  # nothing plain: no guess
    ("Scheduler", []),
])
def test_system_roles(guesser: Guesser, name: str, roles: list[str]) -> None:
    product = guesser.product(name)
    expected = list(product.roles) if product is not None else roles
    assert guesser.system_roles(name) == expected == roles


@pytest.mark.parametrize("name, kind", [
    ("Customer agreement", "product"), ("Business plan", None), ("Customer", "identity"),
    ("Adresse postale", "contact-point"), ("Sinistre", "case"), ("Pedido", "transaction"),
    ("Einwilligung", "consent"), ("Apólice", "product"), ("Customer consents", "consent"),
])
def test_data_class(guesser: Guesser, name: str, kind: str | None) -> None:
    assert guesser.data_class(name) == kind


@pytest.mark.parametrize("name, kind", [
    ("Courriel", "email"), ("Téléphone", "phone"), ("Correo postal", "mail"),
    ("Filiale", "in-person"), ("Aplicativo", "app"), ("GIM", None),
])
def test_channel_kind(guesser: Guesser, name: str, kind: str | None) -> None:
    assert guesser.channel_kind(name) == kind


def test_words_decide_only_whole() -> None:
    g = Guesser(load_catalogue().import_vocabulary)
    assert g.system_roles("Posse registry") == []  # 'pos' inside a word is no point of sale
    assert g.system_roles("POS") == ["commerce"]
    assert g.actor("BusinessActor", "Customers").kind == "customer-segment"  # a plural


def test_step_labels_and_name_keys() -> None:
    assert is_step_label("3") and is_step_label("Step 2") and is_step_label("2.b")
    assert not is_step_label("Orders")
    assert name_key("Contrats") == name_key("contrat") == name_key(" CONTRAT ")


def test_duplicate_names_ignore_spacing_punctuation_and_archi_copies() -> None:
    # seen in a real French model: the same ERP typed four ways, and pasted copies
    keys = {duplicate_key(n) for n in ("Odoo (ERP)", "odoo(ERP)", "Odoo  (ERP) (copy)",
                                       "Odoo (ERP) (copie)")}
    assert keys == {"odoo erp"}
    assert duplicate_key("Open ERP") != duplicate_key("ERP")
