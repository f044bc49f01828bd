"""Model properties -> system fields, as ``blueprints/import-properties.yaml`` says.

Owners become team ids (the team of that name, created when missing), vendor is copied,
lifecycle values are translated to TIME (tolerate, invest, migrate, eliminate) and marked to
confirm, criticality becomes a tag. Keys match whole or by one part ("Component - Vendor");
every key or value the mapping does not know is counted for the summary.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from auditor.catalogue.vocabulary import PropertyRule
from auditor.ingest.archimate import Element
from auditor.ingest.guesses import Guesser, tokens, words
from auditor.ingest.records import Batch, Guess

_SPLIT_OWNERS = re.compile(r"\s*(?:[;,/]| & | and | et | und | y | e )\s*")
_KEY_PARTS = re.compile(r"\s+-\s+|[:/|]")


class PropertyFields:
    """The property half of the model mapping (mixed into the mapper, which owns the state)."""

    batch: Batch
    guesser: Guesser
    names: dict[tuple[str, str], str]
    taken: dict[str, str]
    claimed: set[tuple[str, str]]
    extra: list[tuple[str, dict[str, Any], str]]
    _keys: dict[str, PropertyRule]
    _rules: dict[str, PropertyRule | None]
    _owners: list[tuple[dict[str, Any], list[str]]]  # a system's row, the owner names it lists
    _new_id: Callable[[str, str], str]  # the mapper's: a free id for a name in a sheet

    def _properties(self, group: list[Element], values: dict[str, Any]) -> list[str]:
        guessed: list[str] = []
        for element in group:
            for key, value in element.properties:
                rule = self._rule(key)
                if rule is None or not value:
                    self.batch.unmapped[f"property '{key}' on systems"] += 1
                    continue
                if rule.field == "owners":
                    # resolved once every element is placed: the owner may be a team the
                    # model defines further down
                    self._owners.append((values, [o for o in _SPLIT_OWNERS.split(value)
                                                  if o.strip()]))
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

    def resolve_owners(self) -> None:
        """Owner names -> team ids, now that the model's own teams have theirs."""
        for values, names in self._owners:
            owners = values.setdefault("owners", [])
            for name in names:
                team = self._team_named(name)
                if team not in owners:
                    owners.append(team)

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



def name_key(name: str) -> str:
    """Names of the same item: case, accents, a plural ignored ('Contrats' is 'contrat')."""
    return " ".join(t[:-1] if len(t) > 3 and t.endswith(("s", "x")) else t for t in tokens(name))


def _lifecycle(rule: PropertyRule, value: str) -> str | None:
    text = words(value).strip()
    for time, listed in rule.values.items():
        if any(words(v).strip() == text for v in listed):
            return time
    return None
