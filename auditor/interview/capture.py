"""Inventory capture: the "add another system?" loops of inventory questions.

A question whose fields include the item's name (or, for flows, its ends) is an *add* loop:
name an item to add it, or name an existing one to change it. A question without those fields
*walks* the existing items and asks its fields for each (e.g. "who owns each journey?").

Field prompts follow the audit model's types: enumerations become lists, references offer
the ids already captured (Tab completes them), and a new name typed into a reference adds that
item on the spot, asking only what the model requires. Every finished item is saved at once.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ValidationError
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding

from auditor.catalogue.products import Products
from auditor.interview.prompts import Nav, Prompt
from auditor.schema.audit import Audit, SkillHolding, Stage
from auditor.schema.collections import (
    ITEM_NOUNS,
    MODELS,
    REFERENCES,
    VALUE_NOTES,
    VIRTUAL_FIELDS,
    ids_of,
    items,
    replace_items,
)
from auditor.schema.ids import slugify, unique_id
from auditor.schema.questionnaire import ItemField, Question
from auditor.schema.references import node_ids

Asker = Callable[[Prompt], Any]

#: Lists a reference may add to on the spot, with the fields to ask for a new item.
_ADDABLE: dict[str, tuple[str, ...]] = {
    "teams": (), "skills": (), "capabilities": (), "segments": (), "systems": (),
    "data": ("data_class",), "channels": ("kind",),
}
_LEVELS = [("0 none", 0), ("1 basic", 1), ("2 solid", 2), ("3 expert", 3)]


@dataclass(frozen=True)
class Shape:
    kind: Literal["choice", "choices", "bool", "int", "text", "ref", "refs", "stages", "skills"]
    optional: bool
    options: tuple[str, ...] = ()
    target: str | None = None
    default: Any = None


def field_shape(collection: str, name: str) -> Shape:
    """How to ask ``name`` of a ``collection`` item, read from the audit model's annotation."""
    if (collection, name) == ("journeys", "stages"):
        return Shape("stages", True)
    if (collection, name) == ("teams", "skills"):
        return Shape("skills", True, target="skills")
    if (collection, name) in VIRTUAL_FIELDS:
        return Shape("refs", True, target=VIRTUAL_FIELDS[(collection, name)])
    info = MODELS[collection].model_fields[name]
    annotation, optional = _strip_none(info.annotation)
    target = REFERENCES.get((collection, name))
    origin = typing.get_origin(annotation)
    if origin is list:
        (inner,) = typing.get_args(annotation)
        inner = _strip_annotated(inner)
        if typing.get_origin(inner) is Literal:
            return Shape("choices", True, tuple(typing.get_args(inner)))
        return Shape("refs" if target else "text", True, target=target)
    annotation = _strip_annotated(annotation)
    if typing.get_origin(annotation) is Literal:
        # Only a field that accepts None offers "(not set)"; one with a default uses it.
        return Shape("choice", optional, tuple(typing.get_args(annotation)),
                     default=None if info.is_required() else info.default)
    if annotation is bool:
        return Shape("bool", False)
    if annotation is int:
        return Shape("int", optional)
    if target:
        return Shape("ref", optional, target=target)
    return Shape("text", optional or not info.is_required())


def _strip_none(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin is typing.Union or origin is types.UnionType:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return annotation, False


def _strip_annotated(annotation: Any) -> Any:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


class Capture:
    """Runs capture loops against one audit; ``save`` is called after every finished item."""

    def __init__(self, audit: Audit, out: Console, ask: Asker, save: Callable[[], None],
                 catalogue: Callable[[], Products]) -> None:
        self.audit = audit
        self.out = out
        self.ask = ask
        self.save = save
        self._catalogue_loader = catalogue
        self._catalogue: Products | None = None

    @property
    def catalogue(self) -> Products:
        if self._catalogue is None:
            self._catalogue = self._catalogue_loader()
        return self._catalogue

    # --- the loops ------------------------------------------------------------------------
    def run(self, question: Question, show_help: Callable[[], None]) -> list[str] | Nav:
        """Capture items for ``question``; the ids it covered, or the navigation key used."""
        assert question.collection is not None
        collection = question.collection
        noun = question.item or ITEM_NOUNS[collection]
        names = {f.field for f in question.fields}
        adds = "name" in names or (collection == "flows" and "source" in names)
        self._list_existing(collection, noun)
        self.out.print(Padding("[muted]Tab completes names already captured"
                               + (" and known products" if collection == "systems" else "")
                               + "; separate several with commas; a new name is added.[/muted]",
                               (0, 0, 0, 2)))
        if not adds:
            return self._walk(question, collection, noun, show_help)
        touched: list[str] = []
        first = True
        while True:
            existing = items(self.audit, collection)
            if first:
                message = (f"Add or change {_a(noun)}?" if existing else f"Add {_a(noun)}?")
                reply = self.ask(Prompt("confirm", message, default=not existing, nav=True))
            else:
                reply = self.ask(Prompt("confirm", f"Add another {noun}?", default=False))
            if reply is Nav.HELP:
                show_help()
                continue
            if isinstance(reply, Nav):
                return reply
            if not reply:
                break
            first = False
            item_id = self._add_or_change(question, collection, noun)
            if item_id and item_id not in touched:
                touched.append(item_id)
        return touched or [item.id for item in items(self.audit, collection)]

    def _walk(self, question: Question, collection: str, noun: str,
              show_help: Callable[[], None]) -> list[str] | Nav:
        existing = items(self.audit, collection)
        if not existing:
            self.out.print(f"  [muted]No {collection} captured yet, so there is nothing to ask "
                           f"here. Add them in the {collection} section.[/muted]")
            return []
        what = f"the {noun}" if len(existing) == 1 else f"the {len(existing)} {collection}"
        reply = self.ask(Prompt("confirm", f"Go through {what}?", default=True, nav=True))
        while reply is Nav.HELP:
            show_help()
            reply = self.ask(Prompt("confirm", f"Go through {what}?", default=True, nav=True))
        if isinstance(reply, Nav):
            return reply
        if not reply:
            return [item.id for item in existing]
        for index, item in enumerate(existing):
            self.out.print(f"  [id]{escape(item.id)}[/id] {escape(_title(item))}")
            values = item.model_dump(exclude_unset=False)
            for f in question.fields:
                values[f.field] = self._ask_field(
                    collection, f, self._current(collection, item.id, f.field, values))
            self._store(collection, values, index)
        return [item.id for item in existing]

    def _list_existing(self, collection: str, noun: str) -> None:
        existing = items(self.audit, collection)
        if not existing:
            return
        shown = ", ".join(f"{_title(i)}" for i in existing[:12])
        more = f" and {len(existing) - 12} more" if len(existing) > 12 else ""
        self.out.print(Padding(f"[muted]Already captured ({len(existing)}):[/muted] "
                               f"{escape(shown)}{more}", (0, 0, 0, 2)))

    def _add_or_change(self, question: Question, collection: str, noun: str) -> str | None:
        existing = items(self.audit, collection)
        fields = list(question.fields)
        values: dict[str, Any]
        if collection == "flows":
            values = {}
            index = None
        else:
            name = self._ask_name(collection, noun, existing)
            if name is None:
                return None
            index = _find(existing, name)
            if index is not None:
                values = existing[index].model_dump()
                self.out.print(f"  Changing {noun} [id]{escape(values['id'])}[/id]; "
                               "Enter keeps each value.")
            else:
                values = {"id": self._new_id(name), "name": name}
                if collection == "systems":
                    self._prefill_product(values, name)
            fields = [f for f in fields if f.field != "name"]
        for f in fields:
            values[f.field] = self._ask_field(
                collection, f, self._current(collection, values.get("id"), f.field, values))
        if collection == "flows":
            index = next((i for i, fl in enumerate(existing)
                          if fl.source == values.get("source") and fl.target == values.get("target")), None)
            if index is not None:
                values = {**existing[index].model_dump(), **values}
            else:
                taken = {fl.id for fl in existing}
                values["id"] = unique_id(f"{values['source']}-to-{values['target']}", taken)
        return self._store(collection, values, index)

    def _ask_name(self, collection: str, noun: str, existing: list[Any]) -> str | None:
        words = [i.name for i in existing] + [i.id for i in existing]
        if collection == "systems":
            words += self.catalogue.names()
        reply = self.ask(Prompt("text", f"{noun.capitalize()} name", completions=words,
                                instruction="(empty to stop)"))
        text = (reply or "").strip()
        return text or None

    def _prefill_product(self, values: dict[str, Any], name: str) -> None:
        product = self.catalogue.find(name)
        if product is None:
            return
        values.update(vendor=product.vendor, product=product.name, roles=list(product.roles))
        values["capabilities"] = [self._ensure("capabilities", cap,
                                               self.catalogue.capability_name(cap))
                                  for cap in product.capabilities]
        self.out.print(Padding(f"[ok]Known product:[/ok] {escape(product.name)} "
                               f"({escape(product.vendor)}). Its usual roles and capabilities "
                               "are filled in; change them to fit how the client uses it.",
                               (0, 0, 0, 2)))

    def _store(self, collection: str, values: dict[str, Any], index: int | None) -> str | None:
        model = MODELS[collection]
        virtual = {name: values.pop(name) for (c, name) in VIRTUAL_FIELDS
                   if c == collection and name in values}
        try:
            item: Any = model.model_validate(values)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in first["loc"])
            self.out.print(f"  [bad]Not saved:[/bad] {escape(where)}: {escape(first['msg'])}")
            return None
        current = items(self.audit, collection)
        if index is None:
            current.append(item)
        else:
            current[index] = item
        replace_items(self.audit, collection, current)
        if "mastered_by" in virtual:
            self._set_masters(str(item.id), virtual["mastered_by"] or [])
        self.save()
        self.out.print(f"  [ok]Saved[/ok] {ITEM_NOUNS[collection]} [id]{escape(item.id)}[/id]")
        return str(item.id)

    def _set_masters(self, data_id: str, systems: list[str]) -> None:
        """Make exactly ``systems`` master ``data_id`` (the answer to "which systems create it?")."""
        updated = []
        for system in items(self.audit, "systems"):
            masters = [m for m in system.masters if m != data_id]
            if system.id in systems:
                masters.append(data_id)
            updated.append(system.model_copy(update={"masters": masters})
                           if masters != system.masters else system)
        replace_items(self.audit, "systems", updated)

    def _current(self, collection: str, item_id: str | None, name: str, values: dict[str, Any]) -> Any:
        if (collection, name) == ("data", "mastered_by"):
            return [s.id for s in items(self.audit, "systems") if item_id in s.masters]
        return values.get(name)

    # --- fields ---------------------------------------------------------------------------
    def _ask_field(self, collection: str, f: ItemField, current: Any) -> Any:
        shape = field_shape(collection, f.field)
        text = f.text
        if shape.kind == "choice":
            choices: list[tuple[str, str | None]] = [(_labelled(o), o) for o in shape.options]
            if shape.optional:
                choices.append(("(not set)", None))
            fallback = shape.default if shape.default in shape.options else shape.options[0]
            default = current if current in shape.options else (None if shape.optional else fallback)
            return self.ask(Prompt("select", text, choices=choices, default=default))
        if shape.kind == "choices":
            return self.ask(Prompt("checkbox", text, choices=[(_labelled(o), o) for o in shape.options],
                                   default=list(current or [])))
        if shape.kind == "bool":
            return bool(self.ask(Prompt("confirm", text, default=bool(current))))
        if shape.kind == "int":
            reply = self.ask(Prompt("text", text, default="" if current is None else current,
                                    check=_int_check(shape.optional)))
            cleaned = str(reply).strip().replace(",", "").replace("_", "")
            return int(cleaned) if cleaned else None
        if shape.kind == "text":
            reply = self.ask(Prompt("text", text, default=current or "",
                                    check=None if shape.optional else _required))
            return reply.strip() or None
        if shape.kind in ("ref", "refs"):
            assert shape.target is not None
            return self._ask_refs(text, shape, current)
        if shape.kind == "stages":
            return self._ask_stages(text, current)
        return self._ask_skills(text, current)

    def _ask_refs(self, text: str, shape: Shape, current: Any) -> Any:
        target = shape.target or ""
        known = ids_of(self.audit, target)
        many = shape.kind == "refs"
        default = ", ".join(current or []) if many else (current or "")
        addable = target in _ADDABLE

        def check(reply: str) -> str | None:
            parts = _parts(reply)
            if not parts and not shape.optional:
                return "an answer is needed here"
            if not many and len(parts) > 1:
                return "just one, please"
            unknown = [p for p in parts if self._match_id(target, p) is None]
            if unknown and not addable:
                names = ", ".join(known[:8]) or "none yet"
                return f"unknown: {', '.join(unknown)} (known: {names})"
            return None

        while True:
            reply = self.ask(Prompt("text", text, default=default, completions=known,
                                    comma_separated=many, check=check))
            resolved = self._resolve(target, _parts(reply))
            if resolved is not None:
                break
            default = reply  # a new name was declined: let them correct what they typed
        ids = []
        for part, found in resolved:
            ids.append(found if found is not None else self._add_referenced(target, part))
        ids = list(dict.fromkeys(ids))
        return ids if many else (ids[0] if ids else None)

    def _resolve(self, target: str, parts: list[str]) -> list[tuple[str, str | None]] | None:
        """Each typed part with the id it means, None for a new item the user agreed to add;
        None overall when they declined to add one (a typo, most likely)."""
        resolved: list[tuple[str, str | None]] = []
        for part in parts:
            found = self._match_id(target, part)
            if found is None:
                found = self._unique_start(target, part)
                if found is not None:
                    self.out.print(Padding(f"[muted]'{escape(part)}' taken as "
                                           f"[id]{escape(found)}[/id][/muted]", (0, 0, 0, 2)))
            if found is None:
                noun = ITEM_NOUNS.get(target, target)
                if not self.ask(Prompt("confirm", f"'{part}' is not captured yet. "
                                                  f"Add it as a new {noun}?", default=True)):
                    return None
            resolved.append((part, found))
        return resolved

    def _unique_start(self, target: str, text: str) -> str | None:
        """The one id or name starting with ``text`` ("super" for super-fans), if only one."""
        slug = slugify(text)
        if not slug or target not in MODELS:
            return None
        hits = {str(i.id) for i in items(self.audit, target)
                if str(i.id).startswith(slug) or (getattr(i, "name", "") or "").lower()
                .startswith(text.strip().lower())}
        return hits.pop() if len(hits) == 1 else None

    def _ask_stages(self, text: str, current: Any) -> list[dict[str, Any]]:
        stages = [Stage.model_validate(s) if isinstance(s, dict) else s for s in current or []]
        reply = self.ask(Prompt("text", text, default=", ".join(s.name for s in stages)))
        by_name = {s.name.lower(): s for s in stages}
        taken = set(node_ids(self.audit))
        result = []
        for name in _parts(reply):
            stage = by_name.get(name.lower())
            if stage is None:
                stage_id = unique_id(slugify(name) or "stage", taken)
                stage = Stage(id=stage_id, name=name)
            taken.add(stage.id)
            result.append(stage)
        if result and ids_of(self.audit, "teams"):
            owner_shape = Shape("ref", True, target="teams")
            for i, stage in enumerate(result):
                owner = self._ask_refs(f"Owner of stage '{stage.name}'", owner_shape, stage.owner)
                result[i] = stage.model_copy(update={"owner": owner})
        return [s.model_dump() for s in result]

    def _ask_skills(self, text: str, current: Any) -> list[dict[str, Any]]:
        held = {h.skill: h for h in (SkillHolding.model_validate(x) if isinstance(x, dict) else x
                                     for x in current or [])}
        chosen = self._ask_refs(text, Shape("refs", True, target="skills"), list(held))
        result = []
        for skill in chosen:
            old = held.get(skill) or SkillHolding(skill=skill)
            level = self.ask(Prompt("select", f"Level of '{skill}'", choices=_LEVELS,
                                    default=old.level))
            people = self.ask(Prompt("text", f"People who hold '{skill}'",
                                     default=old.people if old.people is not None else 1,
                                     check=_int_check(False)))
            result.append({"skill": skill, "level": level, "people": int(str(people).strip())})
        return result

    # --- ids --------------------------------------------------------------------------------
    def _match_id(self, target: str, text: str) -> str | None:
        known = ids_of(self.audit, target)
        if text in known:
            return text
        slug = slugify(text)
        if slug in known:
            return slug
        if target in MODELS:
            hit = _find(items(self.audit, target), text)
            if hit is not None:
                return str(items(self.audit, target)[hit].id)
        return None

    def _new_id(self, name: str) -> str:
        return unique_id(slugify(name) or "item", set(node_ids(self.audit)))

    def _ensure(self, collection: str, item_id: str, name: str) -> str:
        """``item_id`` in ``collection``, added with ``name`` if it is not there yet."""
        if item_id in ids_of(self.audit, collection):
            return item_id
        new = MODELS[collection].model_validate({"id": item_id, "name": name})
        replace_items(self.audit, collection, [*items(self.audit, collection), new])
        return item_id

    def _add_referenced(self, target: str, name: str) -> str:
        """Add an item named in a reference, asking only for the fields its model requires."""
        values: dict[str, Any] = {"id": self._new_id(name), "name": name}
        if target == "systems":
            self._prefill_product(values, name)
        for required in _ADDABLE[target]:
            values[required] = self._ask_field(
                target, ItemField(field=required,
                                  text=f"'{name}' is new. What kind of {ITEM_NOUNS[target]} is it?"),
                None)
        item: Any = MODELS[target].model_validate(values)
        replace_items(self.audit, target, [*items(self.audit, target), item])
        self.out.print(f"  [ok]Added[/ok] {ITEM_NOUNS[target]} [id]{escape(item.id)}[/id]")
        return str(item.id)


def _title(item: BaseModel) -> str:
    name = getattr(item, "name", "") or ""
    if not name and hasattr(item, "source"):
        return f"{item.source} → {item.target}"  # type: ignore[attr-defined]
    return str(name)


def _a(noun: str) -> str:
    return f"an {noun}" if noun[:1] in "aeiou" else f"a {noun}"


def _labelled(value: str) -> str:
    note = VALUE_NOTES.get(value)
    return f"{value} — {note}" if note else value


def _find(existing: list[Any], text: str) -> int | None:
    key = text.strip().lower()
    slug = slugify(text)
    for i, item in enumerate(existing):
        if item.id in (key, slug) or (getattr(item, "name", "") or "").lower() == key:
            return i
    return None


def _parts(reply: Any) -> list[str]:
    return [p.strip() for p in str(reply or "").split(",") if p.strip()]


def _required(text: str) -> str | None:
    return None if text.strip() else "an answer is needed here"


def _int_check(optional: bool) -> Callable[[str], str | None]:
    def check(text: str) -> str | None:
        cleaned = text.strip().replace(",", "").replace("_", "")
        if not cleaned:
            return None if optional else "a whole number is needed"
        return None if cleaned.isdigit() else f"'{text.strip()}' is not a whole number"
    return check
