"""Relationships -> flows, mastered data and provided capabilities, for the model mapping.

A flow is what moves between two systems: every Serving, Flow or Triggering relationship
between two ApplicationComponents, directly or through Junctions (And, Or, chained), plus the
flows derived where a component realises a service (or has an interface) that serves another
component. All relationships between the same two systems make one flow, whose ``data`` is
what they carry: their names (matched to data entities, created when missing; sequence labels
such as "3" are not data), data objects associated with them, and data the source writes and
the target reads.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from auditor.ingest.archimate import ArchiModel, Element, Relation
from auditor.ingest.guesses import tokens
from auditor.ingest.records import Batch
from auditor.schema.ids import slugify

SOURCE_PREFIX = "archimate:"
_WRITES = ("write", "readwrite")
_READS = ("read", "readwrite", "access")
_PROVIDED = ("ApplicationService", "ApplicationInterface")
_FLOWING = ("Flow", "Triggering", "Serving")
_STEP_WORDS = {"step", "stap", "etape", "paso", "schritt", "passo", "fase", "phase"}


def is_step_label(name: str) -> bool:
    """'4', '2.1', 'Step 3', '(b)': a sequence label on a flow, not the data it carries.

    Real models number their flows to tell a story on a view; such labels name no data.
    """
    words_ = [w for w in tokens(name) if w not in _STEP_WORDS]
    return all(w.isdigit() or len(w) == 1 for w in words_)


@dataclass
class Flow:
    source: str  # item ids
    target: str
    relations: list[Relation] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    data: list[str] = field(default_factory=list)  # data item ids
    via: Element | None = None  # derived through this service or interface


class FlowMapping:
    """The relationship half of the model mapping (mixed into the mapper, which owns the state)."""

    model: ArchiModel
    batch: Batch
    ids: dict[str, tuple[str, str]]
    values: dict[str, dict[str, Any]]
    flows: dict[tuple[str, str], Flow]
    used_relations: set[int]
    flow_ids: set[str]
    flow_by_ends: dict[tuple[str, str], str]
    _number_of: dict[int, int]
    _data_named: Callable[[str, Relation], str]  # the mapper's: find or create a data entity

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
            flow = self.flows[(source_id, target_id)] = Flow(source_id, target_id, via=via)
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

    def _flow_values(self, flow: Flow) -> dict[str, Any]:
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



def _unique(base: str, taken: set[str]) -> str:
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate
