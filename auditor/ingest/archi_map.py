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
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from auditor.ingest.archimate import ArchiModel, Element, Relation
from auditor.ingest.columns import SHEET_BY_NAME
from auditor.ingest.guesses import ActorPlacement, Guesser, fold, tokens, words
from auditor.ingest.records import Batch, Guess, MapOptions, Origin, Record
from auditor.ingest.vocabulary import PropertyRule, Vocabulary, load_vocabulary
from auditor.schema.audit import Audit
from auditor.schema.ids import slugify

SOURCE_PREFIX = "archimate:"
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
_WRITES = ("write", "readwrite")
_READS = ("read", "readwrite", "access")
_PROVIDED = ("ApplicationService", "ApplicationInterface")
_FLOWING = ("Flow", "Triggering", "Serving")
_SPLIT_OWNERS = re.compile(r"\s*(?:[;,/]| & | and | et | und | y | e )\s*")
NO_GUESS = "(none found)"
_KEY_PARTS = re.compile(r"\s+-\s+|[:/|]")


def name_key(name: str) -> str:
    """Names that mean the same item: case, accents and a plural ignored ('Contrats' = 'contrat')."""
    return " ".join(t[:-1] if len(t) > 3 and t.endswith(("s", "x")) else t for t in tokens(name))


_STEP_WORDS = {"step", "stap", "etape", "paso", "schritt", "passo", "fase", "phase"}


def is_step_label(name: str) -> bool:
    """'4', '2.1', 'Step 3', '(b)': a sequence label on a flow, not the data it carries.

    Real models number their flows to tell a story on a view; such labels name no data.
    """
    words_ = [w for w in tokens(name) if w not in _STEP_WORDS]
    return all(w.isdigit() or len(w) == 1 for w in words_)


def origins(value: str | None) -> list[str]:
    """The element identifiers an item's ``origin`` names (several after a merge)."""
    return [o for o in (value or "").split() if o.startswith(SOURCE_PREFIX)]


@dataclass
class _Flow:
    source: str  # item ids
    target: str
    relations: list[Relation] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)  # data item ids
    via: Element | None = None  # derived through this service or interface


class _Mapper:
    def __init__(self, model: ArchiModel, audit: Audit, source: str, options: MapOptions,
                 vocabulary: Vocabulary) -> None:
        self.model = model
        self.audit = audit
        self.options = options
        self.vocabulary = vocabulary
        self.guesser = Guesser(vocabulary, _proper_names(model, audit), _products())
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
        self.flows: dict[tuple[str, str], _Flow] = {}
        self.people: dict[str, dict[str, Any]] = {}  # identifier -> respondent values
        self._number_of: dict[int, int] = {}
        self._keys: dict[str, PropertyRule] = {}  # folded property key -> its rule
        for rule in vocabulary.properties:
            for listed in rule.keys:
                self._keys.setdefault(words(listed).strip(), rule)
        self._rules: dict[str, PropertyRule | None] = {}

    # --- elements -------------------------------------------------------------------------
    def elements(self) -> None:
        groups: dict[tuple[str, str], list[Element]] = {}
        for element in self.model.elements.values():
            if element.type == "Junction":
                continue  # not an item: flows are followed through it
            if element.type not in ELEMENT_SHEETS:
                self.batch.unmapped[f"{element.type} (element)"] += 1
                continue
            key = (element.type, fold(element.name)) if element.name else \
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

    # --- properties -----------------------------------------------------------------------
    def _properties(self, group: list[Element], values: dict[str, Any]) -> list[str]:
        guessed: list[str] = []
        for element in group:
            for key, value in element.properties:
                rule = self._rule(key)
                if rule is None or not value:
                    self.batch.unmapped[f"property '{key}' on systems"] += 1
                    continue
                if rule.field == "owners":
                    owners = values.setdefault("owners", [])
                    for owner in _SPLIT_OWNERS.split(value):
                        team = self._team_named(owner) if owner.strip() else None
                        if team and team not in owners:
                            owners.append(team)
                elif rule.field == "vendor":
                    if "vendor" not in values or "vendor" in guessed:
                        values["vendor"] = value
                elif rule.field == "lifecycle":
                    time = _lifecycle(rule, value)
                    if time is None:
                        self.batch.unmapped[f"property '{key}' value '{value}' "
                                            "(no lifecycle match)"] += 1
                    else:
                        values["lifecycle"] = time
                        if "lifecycle" not in guessed:
                            guessed.append("lifecycle")
                elif rule.field == "tags":
                    tag = (rule.tag or "{value}").replace("{value}", value)
                    tags = values.setdefault("tags", [])
                    if tag not in tags:
                        tags.append(tag)
        return guessed

    def _rule(self, key: str) -> PropertyRule | None:
        """The mapping for a property key: the whole key, or one part of 'Component - Vendor'."""
        if key not in self._rules:
            parts = [words(key).strip(), *(words(p).strip() for p in _KEY_PARTS.split(key))]
            self._rules[key] = next((self._keys[p] for p in parts if p in self._keys), None)
        return self._rules[key]

    def _team_named(self, name: str) -> str:
        """The team called ``name`` in the model or the audit, created when there is none."""
        name = " ".join(name.split())
        found = self.names.get(("teams", name_key(name)))
        if found:
            return found
        item_id = self._new_id(name, "teams")
        self.taken[item_id] = "teams"
        self.claimed.add(("teams", item_id))
        self.names[("teams", name_key(name))] = item_id
        kind = "role" if self.guesser.is_person(name) else "team"  # one person: a role
        values = {"id": item_id, "name": name, "kind": kind, "to_confirm": ["kind"],
                  "description": "Named as an owner in the ArchiMate model's properties."}
        self.extra.append(("teams", values, f"owner '{name}'"))
        self.batch.guesses.append(Guess("teams", item_id, name, "kind", kind))
        return item_id

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

    # --- relationships --------------------------------------------------------------------
    def relations(self) -> None:
        model = self.model
        providers: dict[str, list[str]] = defaultdict(list)
        masters: dict[str, list[str]] = defaultdict(list)
        writes: dict[str, set[str]] = defaultdict(set)
        reads: dict[str, set[str]] = defaultdict(set)
        provides: dict[str, list[str]] = defaultdict(list)
        leaving: dict[str, list[int]] = defaultdict(list)  # junction -> relations out of it
        read_only = 0
        by_ends: dict[tuple[str, str], list[int]] = defaultdict(list)
        numbers = {rel.identifier: number for number, rel in enumerate(model.relations)}
        carried: dict[str, list[str]] = defaultdict(list)  # relationship id -> data element ids
        for number, rel in enumerate(model.relations):
            by_ends[(rel.source, rel.target)].append(number)
            source = model.elements.get(rel.source)
            if source is not None and source.type == "Junction" and rel.type in _FLOWING:
                leaving[source.identifier].append(number)
            if rel.type == "Association":  # a flow associated with the data it carries
                for a, b in ((rel.source, rel.target), (rel.target, rel.source)):
                    if a in numbers and self.ids.get(b, ("", ""))[0] == "data":
                        carried[a].append(b)
                        self.used_relations.add(number)
        for number, rel in enumerate(model.relations):
            source = model.elements.get(rel.source)
            target = model.elements.get(rel.target)
            if source is None or target is None:
                continue
            s_sheet = self.ids.get(source.identifier, ("", ""))[0]
            t_sheet = self.ids.get(target.identifier, ("", ""))[0]
            if rel.type in _FLOWING and s_sheet == "systems" and t_sheet == "systems":
                if self._flow(source, target, [rel]):
                    self.used_relations.add(number)
            elif rel.type in _FLOWING and s_sheet == "systems" and target.type == "Junction":
                self._through_junction(source, [rel], target, leaving, {target.identifier})
            elif rel.type == "Access" and s_sheet == "systems" and t_sheet == "data":
                access = (rel.access_type or "Write").lower()
                data_id = self.ids[target.identifier][1]
                if access in _WRITES:
                    masters[source.identifier].append(data_id)
                    writes[self.ids[source.identifier][1]].add(data_id)
                    self.used_relations.add(number)
                else:
                    read_only += 1
                if access in _READS:
                    reads[self.ids[source.identifier][1]].add(data_id)
            elif rel.type == "Realization" and s_sheet == "systems" and t_sheet == "capabilities":
                provides[source.identifier].append(self.ids[target.identifier][1])
                self.used_relations.add(number)
            elif source.type == "ApplicationComponent" and target.type in _PROVIDED and \
                    rel.type in ("Realization", "Assignment", "Composition"):
                providers[target.identifier].append(source.identifier)
        for number, rel in enumerate(model.relations):
            service = model.elements.get(rel.source)
            consumer = model.elements.get(rel.target)
            if rel.type != "Serving" or service is None or consumer is None \
                    or service.type not in _PROVIDED or consumer.type != "ApplicationComponent":
                continue
            for provider_id in providers.get(service.identifier, []):
                provider = model.elements[provider_id]
                if self._flow(provider, consumer, [rel], via=service):
                    self.used_relations.add(number)
                    self.used_relations.update(by_ends[(provider_id, service.identifier)])
        self._flow_data(carried, writes, reads)
        for identifier, data_ids in masters.items():
            values = self.values[self._representative(identifier)]
            values["masters"] = list(dict.fromkeys([*values.get("masters", []), *data_ids]))
        for identifier, capability_ids in provides.items():
            values = self.values[self._representative(identifier)]
            values["capabilities"] = list(dict.fromkeys(
                [*values.get("capabilities", []), *capability_ids]))
        unmapped = Counter(r.type for i, r in enumerate(model.relations)
                           if i not in self.used_relations)
        if read_only:
            unmapped["Access"] -= read_only
            self.batch.unmapped["Access read-only (relationship)"] += read_only
        for kind, count in sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0])):
            if count > 0:
                self.batch.unmapped[f"{kind} (relationship)"] += count

    def _through_junction(self, source: Element, path: list[Relation], junction: Element,
                          leaving: dict[str, list[int]], seen: set[str]) -> None:
        """Follow And and Or junctions to every component the path reaches."""
        for number in leaving.get(junction.identifier, []):
            rel = self.model.relations[number]
            target = self.model.elements.get(rel.target)
            if target is None:
                continue
            if target.type == "Junction" and target.identifier not in seen:
                self._through_junction(source, [*path, rel], target, leaving,
                                       seen | {target.identifier})
            elif self.ids.get(target.identifier, ("", ""))[0] == "systems":
                if self._flow(source, target, [*path, rel]):
                    self.used_relations.update(self._numbers([*path, rel]))

    def _numbers(self, rels: list[Relation]) -> list[int]:
        if not self._number_of:
            self._number_of.update({id(r): i for i, r in enumerate(self.model.relations)})
        return [self._number_of[id(r)] for r in rels]

    def _representative(self, identifier: str) -> str:
        """The element whose row carries the item (the first of merged duplicates)."""
        if identifier in self.values:
            return identifier
        target = self.ids[identifier]
        return next(k for k in self.values if self.ids[k] == target)

    def _flow(self, source: Element, target: Element, rels: list[Relation],
              via: Element | None = None) -> bool:
        source_id = self.ids[source.identifier][1]
        target_id = self.ids[target.identifier][1]
        if source_id == target_id:
            return False
        flow = self.flows.get((source_id, target_id))
        if flow is None:
            flow = self.flows[(source_id, target_id)] = _Flow(source_id, target_id, via=via)
        elif via is None:
            flow.via = None  # a direct relationship says more than a derived one
        for rel in rels:
            if rel not in flow.relations:
                flow.relations.append(rel)
            if rel.name and via is None:
                flow.names.append(rel.name)
        return True

    def _flow_data(self, carried: dict[str, list[str]], writes: dict[str, set[str]],
                   reads: dict[str, set[str]]) -> None:
        """What each flow carries: relationship names, associated data, written then read."""
        for flow in self.flows.values():
            data: list[str] = []
            for rel in flow.relations:
                if rel.name and flow.via is None and not is_step_label(rel.name):
                    data.append(self._data_named(rel.name, rel))
                data += [self.ids[e][1] for e in carried.get(rel.identifier, [])]
            shared = writes.get(flow.source, set()) & reads.get(flow.target, set())
            data += sorted(shared)
            flow.data = list(dict.fromkeys(data))

    # --- output ---------------------------------------------------------------------------
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

    def _flow_values(self, flow: _Flow) -> dict[str, Any]:
        key = (flow.source, flow.target)
        flow_id = self.flow_by_ends.get(key) or _unique(slugify(f"{flow.source} to {flow.target}"),
                                                         self.flow_ids)
        self.flow_ids.add(flow_id)
        rels = flow.relations
        if flow.via is not None:
            source_name = self.values[self._representative_of(flow.source)]["name"]
            target_name = self.values[self._representative_of(flow.target)]["name"]
            note = (f"Derived from ArchiMate: {source_name} provides '{flow.via.name}', which "
                    f"serves {target_name} ({rels[0].identifier}).")
        elif len(rels) == 1:
            note = f"From ArchiMate: {rels[0].type} relationship {rels[0].identifier}."
        else:
            types = ", ".join(dict.fromkeys(r.type for r in rels))
            note = f"From ArchiMate: {len(rels)} relationships ({types})."
            if any(self.model.elements.get(r.target, Element("", "", "")).type == "Junction"
                   for r in rels):
                note = note[:-1] + ", through junctions."
        values: dict[str, Any] = {"id": flow_id, "source": flow.source, "target": flow.target,
                                  "description": note, "mode": "unknown",
                                  "origin": " ".join(SOURCE_PREFIX + r.identifier for r in rels)}
        names = list(dict.fromkeys(flow.names))
        if len(names) == 1:
            values["name"] = names[0]
        if flow.data:
            values["data"] = flow.data
        return values

    def _representative_of(self, item_id: str) -> str:
        return next(k for k, v in self.values.items() if v["id"] == item_id
                    and self.ids[k][0] == "systems")


def model_batch(model: ArchiModel, audit: Audit, source: str,
                options: MapOptions | None = None) -> Batch:
    """The rows an ArchiMate model stands for, with counts of what has no counterpart."""
    mapper = _Mapper(model, audit, source, options or MapOptions(), load_vocabulary())
    mapper.elements()
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


def _products() -> list[Any]:
    """The product catalogue's products, parsed once per version of its files."""
    from auditor.content import content_files

    stamps = []
    for cf in content_files("blueprints"):
        if "products" in cf.path.name:
            stat = cf.path.stat()
            stamps.append((str(cf.path), stat.st_mtime_ns, stat.st_size))
    return _catalogue(tuple(stamps))


@lru_cache(maxsize=4)
def _catalogue(stamps: tuple[tuple[str, int, int], ...]) -> list[Any]:
    from auditor.interview.products import load_catalogue

    return list(load_catalogue().products) if stamps else []


def _lifecycle(rule: PropertyRule, value: str) -> str | None:
    text = words(value).strip()
    for time, listed in rule.values.items():
        if any(words(v).strip() == text for v in listed):
            return time
    return None


def _nested_ids(audit: Audit) -> list[tuple[str, str]]:
    out = [(a.id, "attributes") for d in audit.inventory.data for a in d.attributes]
    out += [(s.id, "stages") for j in audit.inventory.journeys for s in j.stages]
    return out


def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _show(value: Any) -> str:
    if value in (None, [], ""):
        return NO_GUESS
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value).lower() if isinstance(value, bool) else str(value)
