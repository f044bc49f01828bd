"""An ArchiMate model -> inventory rows (the mapping is documented in docs/import-export.md).

| ArchiMate                                         | audit                                     |
|---------------------------------------------------|-------------------------------------------|
| ApplicationComponent                              | system (roles guessed: a known product,   |
|                                                   |   else words of the name)                 |
| BusinessInterface                                 | channel (kind guessed from the name)      |
| DataObject, BusinessObject, Contract              | data entity (class guessed)               |
| BusinessActor, BusinessRole                       | team, segment, or a respondent-to-be      |
| Capability                                        | capability                                |
| Serving / Flow / Triggering between components,   | flow source -> target, mode unknown; the  |
|   directly or through Junctions (And, Or)         |   relationships' names are its data       |
| component realises a service / has an interface   |                                           |
|   that serves another component                   | flow (derived)                            |
| Access (Write, ReadWrite) component -> data       | the system masters the data               |
| Realization component -> Capability               | the system provides the capability        |
| properties (owner, vendor, lifecycle, criticality) | owners, vendor, lifecycle, tags           |

Ids are slugs of the names; the ArchiMate identifier is kept in ``origin`` (``archimate:id-1``)
so that importing the model again finds and updates the same items. Elements of the same type
and name are one item unless ``keep_duplicates``. Everything else is counted as not imported,
never dropped silently.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from auditor.catalogue import load_catalogue
from auditor.catalogue.vocabulary import PropertyRule, Vocabulary
from auditor.ingest.archi_flows import SOURCE_PREFIX, Flow, FlowMapping, is_step_label
from auditor.ingest.archi_properties import PropertyFields, name_key
from auditor.ingest.archimate import ArchiModel, Element, Relation
from auditor.ingest.columns import SHEET_BY_NAME
from auditor.ingest.guesses import ActorPlacement, Guesser, fold, tokens, words
from auditor.ingest.records import Batch, Guess, MapOptions, Origin, Record
from auditor.schema.audit import Audit
from auditor.schema.ids import slugify

__all__ = ["SOURCE_PREFIX", "duplicate_key", "is_step_label", "model_batch", "name_key",
           "origins"]

ELEMENT_SHEETS = {
    "ApplicationComponent": "systems",
    "BusinessInterface": "channels",
    "DataObject": "data",
    "BusinessObject": "data",
    "Contract": "data",
    "BusinessActor": "actors",  # teams, segments or people
    "BusinessRole": "actors",
    "Capability": "capabilities",
}
NO_GUESS = "(none found)"
_COPY = re.compile(r"\s*\((?:copy|copie|kopie|copia)\)\s*$", re.I)


def duplicate_key(name: str) -> str:
    """Names of the same thing: words only, and Archi's '(copy)' suffix of pasted elements off.

    'Odoo (ERP)', 'odoo(ERP)' and 'Odoo (ERP) (copy)' all name one system.
    """
    return " ".join(tokens(_COPY.sub("", name)))


def origins(value: str | None) -> list[str]:
    """The element identifiers an item's ``origin`` names (several after a merge)."""
    return [o for o in (value or "").split() if o.startswith(SOURCE_PREFIX)]


class _Mapper(FlowMapping, PropertyFields):
    def __init__(self, model: ArchiModel, audit: Audit, source: str, options: MapOptions,
                 vocabulary: Vocabulary) -> None:
        self.model = model
        self.audit = audit
        self.options = options
        self.vocabulary = vocabulary
        self.guesser = Guesser(vocabulary, _proper_names(model, audit),
                               load_catalogue().products.products)
        self.batch = Batch(source=source)
        self.by_source: dict[str, tuple[str, str]] = {}
        self.taken: dict[str, str] = {}
        self.names: dict[tuple[str, str], str] = {}  # (sheet, folded name) -> id
        for sheet in ("systems", "channels", "data", "teams", "capabilities", "segments",
                      "skills", "touchpoints", "journeys", "metrics", "policies", "needs"):
            spec = SHEET_BY_NAME[sheet]
            for item in getattr(getattr(audit, spec.section), spec.key):
                self.taken[item.id] = sheet
                self.names.setdefault((sheet, name_key(item.name)), item.id)
                for origin in origins(item.origin):
                    self.by_source[origin] = (sheet, item.id)
        for item_id, where in _nested_ids(audit):
            self.taken.setdefault(item_id, where)
        self.ids: dict[str, tuple[str, str]] = {}  # element identifier -> (sheet, id)
        self.values: dict[str, dict[str, Any]] = {}  # representative identifier -> row values
        self.extra: list[tuple[str, dict[str, Any], str]] = []  # (sheet, values, label)
        self.new: set[str] = set()
        self.claimed: set[tuple[str, str]] = set()
        self.sourced: set[tuple[str, str]] = set(self.by_source.values())
        self.used_relations: set[int] = set()
        self.flow_ids = {f.id for f in audit.inventory.flows}
        self.flow_by_ends = {(f.source, f.target): f.id for f in audit.inventory.flows}
        self.flows: dict[tuple[str, str], Flow] = {}
        self.people: dict[str, dict[str, Any]] = {}  # identifier -> respondent values
        self._number_of: dict[int, int] = {}
        self._keys: dict[str, PropertyRule] = {}  # folded property key -> its rule
        for rule in vocabulary.properties:
            for listed in rule.keys:
                self._keys.setdefault(words(listed).strip(), rule)
        self._rules: dict[str, PropertyRule | None] = {}
        self._owners: list[tuple[dict[str, Any], list[str]]] = []

    # --- elements -------------------------------------------------------------------------
    def elements(self) -> None:
        groups: dict[tuple[str, str], list[Element]] = {}
        for element in self.model.elements.values():
            if element.type == "Junction":
                continue  # not an item: flows are followed through it
            if element.type not in ELEMENT_SHEETS:
                self.batch.unmapped[f"{element.type} (element)"] += 1
                continue
            key = (element.type, duplicate_key(element.name)) if tokens(element.name) else \
                (element.type, "\0" + element.identifier)
            groups.setdefault(key, []).append(element)
        for group in groups.values():
            if len(group) > 1:
                self._duplicates(group)
            else:
                self.element(group)

    def _duplicates(self, group: list[Element]) -> None:
        if self.options.keep_duplicates:
            for element in group:
                self.element([element])
            ids = ", ".join(self.ids[e.identifier][1] for e in group)
            self.batch.duplicates.append(f"{len(group)} × {group[0].type} '{group[0].name}': "
                                         f"kept apart as {ids}")
            return
        self.element(group)
        where = self.ids.get(group[0].identifier)
        into = f"merged into {where[1]}" if where else "one respondent-to-be"
        self.batch.duplicates.append(f"{len(group)} × {group[0].type} '{group[0].name}': {into}")

    def element(self, group: list[Element]) -> None:
        element = group[0]
        target = ELEMENT_SHEETS[element.type]
        name = element.name or f"{element.type} {element.identifier}"
        placement = self.guesser.actor(element.type, name) if target == "actors" else None
        sheet = placement.sheet if placement else target
        found = next((self.by_source[SOURCE_PREFIX + e.identifier] for e in group
                      if SOURCE_PREFIX + e.identifier in self.by_source), None)
        if sheet == "people":
            if found is None or found[0] not in ("teams", "segments"):
                self._person(group, name)
                return
            sheet = found[0]  # the consultant keeps it as a team or segment
        moved = target == "actors" and found is not None and found[0] in ("teams", "segments")
        if found and (found[0] == sheet or moved):
            sheet, item_id = found
        else:
            item_id = self._new_id(name, sheet)
            if self.taken.get(item_id) != sheet:
                self.new.add(element.identifier)
            self.taken[item_id] = sheet
        for member in group:
            self.ids[member.identifier] = (sheet, item_id)
        self.claimed.add((sheet, item_id))
        self.names.setdefault((sheet, name_key(name)), item_id)
        values: dict[str, Any] = {
            "id": item_id, "name": name,
            "origin": " ".join(SOURCE_PREFIX + e.identifier for e in group)}
        documentation = "\n\n".join(dict.fromkeys(e.documentation for e in group
                                                  if e.documentation))
        if documentation:
            values["description"] = documentation
        same_sheet = placement is not None and sheet == placement.sheet
        guessed = self._guess(sheet, element, name, placement if same_sheet else None, values)
        if sheet == "systems":
            guessed += self._properties(group, values)
        elif any(e.properties for e in group):
            for e in group:
                for key, _ in e.properties:
                    self.batch.unmapped[f"property '{key}' on {sheet}"] += 1
        if guessed:
            values["to_confirm"] = guessed
            if element.identifier in self.new:
                for f in guessed:
                    self.batch.guesses.append(Guess(sheet, item_id, name, f, _show(values.get(f))))
        self.values[element.identifier] = values

    def _guess(self, sheet: str, element: Element, name: str,
               placement: ActorPlacement | None, values: dict[str, Any]) -> list[str]:
        if sheet == "systems":
            product = self.guesser.product(name)
            values["roles"] = self.guesser.system_roles(name)
            if product is not None:
                values["vendor"] = product.vendor
                values["product"] = product.name
                return ["roles", "vendor", "product"]
            return ["roles"]  # empty roles listed here: no role found
        if sheet == "channels":
            values["kind"] = self.guesser.channel_kind(name) or "other"
            return ["kind"]
        if sheet == "data":
            values["class"] = self.guesser.data_class(name) or "other"
            return ["class"]
        if sheet == "segments":
            values["kind"] = placement.kind if placement else "customer-segment"
            return ["kind"]
        if sheet == "teams":
            default = "role" if element.type == "BusinessRole" else "team"
            values["kind"] = placement.kind if placement else default
            if placement is not None and placement.executive:
                values["executive"] = True
                return ["kind", "executive"]
            return ["kind"]
        return []

    def _person(self, group: list[Element], name: str) -> None:
        """A named person (or a one-person role such as CEO): a respondent-to-be."""
        element = group[0]
        values: dict[str, Any] = {"name": name}
        role = self._held_role(group)
        if role:
            values["role"] = role
        elif not self.guesser.is_person(name):
            values["role"] = name
        for member in group:
            self.people[member.identifier] = values
        self.batch.respondents.append(values)
        known = {fold(r.name) for r in self.audit.respondents}
        if fold(name) not in known:
            self.batch.guesses.append(Guess("respondents", slugify(name) or element.identifier,
                                            name, "person", "respondent-to-be"))

    def _held_role(self, group: list[Element]) -> str:
        ids = {e.identifier for e in group}
        for rel in self.model.relations:
            if rel.type == "Assignment" and rel.source in ids:
                target = self.model.elements.get(rel.target)
                if target is not None and target.type == "BusinessRole":
                    return target.name
        return ""

    def _data_named(self, name: str, rel: Relation) -> str:
        """The data entity a flow's name stands for, matched by name, created when missing."""
        found = self.names.get(("data", name_key(name)))
        if found:
            return found
        item_id = self._new_id(name, "data")
        self.taken[item_id] = "data"
        self.claimed.add(("data", item_id))
        self.names[("data", name_key(name))] = item_id
        kind = self.guesser.data_class(name) or "other"
        values = {"id": item_id, "name": name, "class": kind, "to_confirm": ["class"],
                  "description": "Named by a flow in the ArchiMate model."}
        self.extra.append(("data", values, f"data '{name}' carried by {rel.identifier}"))
        self.batch.guesses.append(Guess("data", item_id, name, "class", kind))
        return item_id

    def _new_id(self, name: str, sheet: str) -> str:
        base = slugify(name.replace("'", "").replace("\u2019", "")) or "item"
        candidate, n = base, 1
        while True:
            owner = self.taken.get(candidate)
            if owner is None or owner == sheet and (sheet, candidate) not in self.claimed \
                    and (sheet, candidate) not in self.sourced:
                return candidate
            n += 1
            candidate = f"{base}-{n}"

    def batch_records(self) -> Batch:
        batch = self.batch
        kinds: list[str] = []
        for identifier, values in self.values.items():
            sheet_name = self.ids[identifier][0]
            element = self.model.elements[identifier]
            label = f"{element.type} '{values['name']}' ({identifier})"
            self._record(sheet_name, values, label, kinds)
        for sheet_name, values, label in self.extra:
            self._record(sheet_name, values, label, kinds)
        for flow in self.flows.values():
            values = self._flow_values(flow)
            origin = Origin(self.model.file, label=f"flow {flow.source} → {flow.target}")
            batch.records.append(Record(
                SHEET_BY_NAME["flows"], values["id"], values, origin, present=frozenset(values),
                weak=frozenset({"name", "description", "mode"}),
                union=frozenset({"data"}) & frozenset(values)))
            if "flows" not in kinds:
                kinds.append("flows")
        batch.sheets = kinds
        return batch

    def _record(self, sheet_name: str, values: dict[str, Any], label: str,
                kinds: list[str]) -> None:
        origin = Origin(self.model.file, label=label)
        weak = {"roles", "kind", "class", "executive", "to_confirm", "vendor", "product",
                "lifecycle"} & set(values)
        self.batch.records.append(Record(
            SHEET_BY_NAME[sheet_name], values["id"], values, origin,
            present=frozenset(values), weak=frozenset(weak),
            union=frozenset({"masters", "capabilities", "owners", "tags"}) & frozenset(values)))
        if sheet_name not in kinds:
            kinds.append(sheet_name)


def model_batch(model: ArchiModel, audit: Audit, source: str,
                options: MapOptions | None = None) -> Batch:
    """The rows an ArchiMate model stands for, with counts of what has no counterpart."""
    mapper = _Mapper(model, audit, source, options or MapOptions(),
                     load_catalogue().import_vocabulary)
    mapper.elements()
    mapper.resolve_owners()
    mapper.relations()
    mapper.batch.unmapped = Counter(dict(sorted(
        mapper.batch.unmapped.items(),
        key=lambda kv: ("(relationship" in kv[0], "read-only" in kv[0], "property" in kv[0],
                        -kv[1], kv[0]))))
    if not model.elements:
        mapper.batch.notes.append("the model has no elements")
    if model.views:
        mapper.batch.notes.append(f"{model.views} view{'s' if model.views != 1 else ''} "
                                  "(diagrams, sketches, canvases) skipped: only elements "
                                  "and relationships are imported")
    return mapper.batch_records()


def _proper_names(model: ArchiModel, audit: Audit) -> list[str]:
    """Names whose words must not decide a guess: the client's and the model's own."""
    names = [audit.client.name]
    if model.name and len(tokens(model.name)) <= 4:
        names.append(model.name)
    return [n for n in names if n]


def _nested_ids(audit: Audit) -> list[tuple[str, str]]:
    out = [(a.id, "attributes") for d in audit.inventory.data for a in d.attributes]
    out += [(s.id, "stages") for j in audit.inventory.journeys for s in j.stages]
    return out


def _show(value: Any) -> str:
    if value in (None, [], ""):
        return NO_GUESS
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value).lower() if isinstance(value, bool) else str(value)
