"""An ArchiMate model -> inventory rows (the mapping is documented in docs/import-export.md).

| ArchiMate                                         | audit                                     |
|---------------------------------------------------|-------------------------------------------|
| ApplicationComponent                              | system (roles guessed from the name)      |
| BusinessInterface                                 | channel (kind guessed from the name)      |
| DataObject, BusinessObject, Contract              | data entity (class guessed)               |
| BusinessActor, BusinessRole                       | team, or segment for customer-like names  |
| Capability                                        | capability                                |
| Serving / Flow between two components             | flow provider -> consumer, mode unknown   |
| component realises a service / has an interface   |                                           |
|   that serves another component                   | flow (derived)                            |
| Access (Write, ReadWrite) component -> data       | the system masters the data               |
| Realization component -> Capability               | the system provides the capability        |

Ids are slugs of the names; the ArchiMate identifier is kept in ``origin`` (``archimate:id-1``)
so that importing the model again finds and updates the same items. Everything else is counted
as not imported, never dropped silently.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from auditor.ingest import guesses
from auditor.ingest.archimate import ArchiModel, Element, Relation
from auditor.ingest.columns import SHEET_BY_NAME
from auditor.ingest.records import Batch, Origin, Record
from auditor.schema.audit import Audit
from auditor.schema.ids import slugify

SOURCE_PREFIX = "archimate:"
ELEMENT_SHEETS = {
    "ApplicationComponent": "systems",
    "BusinessInterface": "channels",
    "DataObject": "data",
    "BusinessObject": "data",
    "Contract": "data",
    "BusinessActor": "actors",  # teams or segments
    "BusinessRole": "actors",
    "Capability": "capabilities",
}
_WRITES = ("write", "readwrite")
_PROVIDED = ("ApplicationService", "ApplicationInterface")


class _Mapper:
    def __init__(self, model: ArchiModel, audit: Audit, source: str) -> None:
        self.model = model
        self.audit = audit
        self.batch = Batch(source=source)
        self.by_source: dict[str, tuple[str, str]] = {}
        self.taken: dict[str, str] = {}
        for sheet in ("systems", "channels", "data", "teams", "capabilities", "segments",
                      "skills", "touchpoints", "journeys", "metrics", "policies", "needs"):
            spec = SHEET_BY_NAME[sheet]
            for item in getattr(getattr(audit, spec.section), spec.key):
                self.taken[item.id] = sheet
                if item.origin and item.origin.startswith(SOURCE_PREFIX):
                    self.by_source[item.origin] = (sheet, item.id)
        for item_id, where in _nested_ids(audit):
            self.taken.setdefault(item_id, where)
        self.ids: dict[str, tuple[str, str]] = {}  # element identifier -> (sheet, id)
        self.values: dict[str, dict[str, Any]] = {}  # element identifier -> row values
        self.new: set[str] = set()
        self.claimed: set[tuple[str, str]] = set()
        self.sourced: set[tuple[str, str]] = set(self.by_source.values())
        self.used_relations: set[int] = set()
        self.flow_ids = {f.id for f in audit.inventory.flows}
        self.flow_by_ends = {(f.source, f.target): f.id for f in audit.inventory.flows}
        self._flows: dict[tuple[str, str], dict[str, Any]] = {}

    # --- elements -------------------------------------------------------------------------
    def element(self, element: Element) -> None:
        target = ELEMENT_SHEETS.get(element.type)
        if target is None:
            self.batch.unmapped[f"{element.type} (element)"] += 1
            return
        name = element.name or f"{element.type} {element.identifier}"
        placement = guesses.actor_placement(name) if target == "actors" else (target, "")
        sheet = placement[0]
        found = self.by_source.get(SOURCE_PREFIX + element.identifier)
        moved = target == "actors" and found is not None and found[0] in ("teams", "segments")
        if found and (found[0] == sheet or moved):
            sheet, item_id = found
        else:
            item_id = self._new_id(name, sheet)
            if self.taken.get(item_id) != sheet:
                self.new.add(element.identifier)
            self.taken[item_id] = sheet
        self.ids[element.identifier] = (sheet, item_id)
        self.claimed.add((sheet, item_id))
        values: dict[str, Any] = {"id": item_id, "name": name,
                                  "origin": SOURCE_PREFIX + element.identifier}
        if element.documentation:
            values["description"] = element.documentation
        hint = placement[1] if sheet == placement[0] else ""  # the consultant moved it
        guessed = self._guess(sheet, element, name, hint, values)
        if guessed:
            values["to_confirm"] = guessed
            if element.identifier in self.new:
                shown = ", ".join(f"{f} {_show(values[f])}" for f in guessed)
                self.batch.guesses.append(f"{sheet} {item_id}: {shown}")
        self.values[element.identifier] = values

    def _guess(self, sheet: str, element: Element, name: str, hint: str,
               values: dict[str, Any]) -> list[str]:
        if sheet == "systems":
            roles = guesses.system_roles(name)
            if roles:
                values["roles"] = roles
                return ["roles"]
            return []
        if sheet == "channels":
            values["kind"] = guesses.channel_kind(name)
            return ["kind"]
        if sheet == "data":
            values["class"] = guesses.data_class(name)
            return ["class"]
        if sheet == "segments":
            values["kind"] = hint or "customer-segment"
            return ["kind"]
        if sheet == "teams":
            values["kind"] = hint or ("role" if element.type == "BusinessRole" else "team")
            if guesses.is_executive(name):
                values["executive"] = True
                return ["kind", "executive"]
            return ["kind"]
        return []

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
        flows: dict[tuple[str, str], dict[str, Any]] = {}
        providers: dict[str, list[str]] = defaultdict(list)
        masters: dict[str, list[str]] = defaultdict(list)
        provides: dict[str, list[str]] = defaultdict(list)
        read_only = 0
        by_ends: dict[tuple[str, str], list[int]] = defaultdict(list)
        for number, rel in enumerate(model.relations):
            by_ends[(rel.source, rel.target)].append(number)
        for number, rel in enumerate(model.relations):
            source = model.elements.get(rel.source)
            target = model.elements.get(rel.target)
            if source is None or target is None:
                continue
            s_sheet = self.ids.get(source.identifier, ("", ""))[0]
            t_sheet = self.ids.get(target.identifier, ("", ""))[0]
            if rel.type in ("Serving", "Flow") and s_sheet == t_sheet == "systems" \
                    and source.type == target.type == "ApplicationComponent":
                if self._flow(flows, source, target, rel, None):
                    self.used_relations.add(number)
            elif rel.type == "Access" and s_sheet == "systems" and t_sheet == "data":
                if (rel.access_type or "Write").lower() in _WRITES:
                    masters[source.identifier].append(self.ids[target.identifier][1])
                    self.used_relations.add(number)
                else:
                    read_only += 1
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
                if self._flow(flows, provider, consumer, rel, service):
                    self.used_relations.add(number)
                    self.used_relations.update(by_ends[(provider_id, service.identifier)])
        for identifier, data_ids in masters.items():
            self.values[identifier]["masters"] = list(dict.fromkeys(data_ids))
        for identifier, capability_ids in provides.items():
            self.values[identifier]["capabilities"] = list(dict.fromkeys(capability_ids))
        self._flows = flows
        unmapped = Counter(r.type for i, r in enumerate(model.relations)
                           if i not in self.used_relations)
        if read_only:
            unmapped["Access"] -= read_only
            self.batch.unmapped["Access read-only (relationship: no effect)"] += read_only
        for kind, count in sorted(unmapped.items(), key=lambda kv: (-kv[1], kv[0])):
            if count > 0:
                self.batch.unmapped[f"{kind} (relationship)"] += count

    def _flow(self, flows: dict[tuple[str, str], dict[str, Any]], source: Element,
              target: Element, rel: Relation, via: Element | None) -> bool:
        source_id = self.ids[source.identifier][1]
        target_id = self.ids[target.identifier][1]
        if source_id == target_id:
            return False
        key = (source_id, target_id)
        if key in flows:
            return True
        flow_id = self.flow_by_ends.get(key) or _unique(slugify(f"{source_id} to {target_id}"),
                                                         self.flow_ids)
        self.flow_ids.add(flow_id)
        if via is None:
            note = f"From ArchiMate: {rel.type} relationship {rel.identifier}."
        else:
            note = (f"Derived from ArchiMate: {source.name} provides '{via.name}', which "
                    f"serves {target.name} ({rel.identifier}).")
        values: dict[str, Any] = {"id": flow_id, "source": source_id, "target": target_id,
                                  "description": note, "mode": "unknown",
                                  "origin": SOURCE_PREFIX + rel.identifier}
        if rel.name:
            values["name"] = rel.name
        flows[key] = values
        return True

    # --- output ---------------------------------------------------------------------------
    def batch_records(self) -> Batch:
        batch = self.batch
        kinds: list[str] = []
        for identifier, values in self.values.items():
            sheet_name = self.ids[identifier][0]
            element = self.model.elements[identifier]
            label = f"{element.type} '{values['name']}' ({identifier})"
            origin = Origin(self.model.file, label=label)
            weak = {"roles", "kind", "class", "executive", "to_confirm"} & set(values)
            batch.records.append(Record(
                SHEET_BY_NAME[sheet_name], values["id"], values, origin,
                present=frozenset(values), weak=frozenset(weak),
                union=frozenset({"masters", "capabilities"}) & frozenset(values)))
            if sheet_name not in kinds:
                kinds.append(sheet_name)
        for values in self._flows.values():
            origin = Origin(self.model.file, label=f"flow {values['source']} → {values['target']}")
            batch.records.append(Record(
                SHEET_BY_NAME["flows"], values["id"], values, origin, present=frozenset(values),
                weak=frozenset({"name", "description", "mode"})))
            if "flows" not in kinds:
                kinds.append("flows")
        batch.sheets = kinds
        return batch


def model_batch(model: ArchiModel, audit: Audit, source: str) -> Batch:
    """The rows an ArchiMate model stands for, with counts of what has no counterpart."""
    mapper = _Mapper(model, audit, source)
    for element in model.elements.values():
        mapper.element(element)
    mapper.relations()
    mapper.batch.unmapped = Counter(dict(sorted(
        mapper.batch.unmapped.items(),
        key=lambda kv: ("(relationship" in kv[0], "read-only" in kv[0], -kv[1], kv[0]))))
    if not model.elements:
        mapper.batch.notes.append("the model has no elements")
    return mapper.batch_records()


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
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value).lower()
