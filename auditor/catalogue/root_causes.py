"""How findings are grouped into root causes (``blueprints/root-causes*.yaml``).

Each entry names a rule, what its hits are about (their anchors) and the headline of a root
cause it leads; the order of the entries is the lead priority. A later file's entry for the
same rule replaces the earlier one in its place (so rewording a headline does not change the
priority); entries for rules not listed before go last. Entries must name rules
that exist; rules without an entry are anchored on their finding key and rank last.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from auditor.content import ContentFile, load_model
from auditor.errors import ContentError
from auditor.problems import Problem, did_you_mean
from auditor.schema.catalogue import RootCauseCatalogue, RootCauseRule, RuleMeta


@dataclass(frozen=True)
class RootCauseSettings:
    default_headline: str
    rules: tuple[RootCauseRule, ...]
    same_work: tuple[frozenset[str], ...] = ()

    def same_kind_of_work(self, a: str, b: str) -> bool:
        """Whether remedy components ``a`` and ``b`` are in one ``same_work`` set."""
        return a == b or any(a in s and b in s for s in self.same_work)

    def entry(self, rule_id: str) -> RootCauseRule:
        """The entry for ``rule_id``, or the default (anchored on its key, no headline)."""
        return self._index.get(rule_id) or RootCauseRule(rule=rule_id)

    def priority(self, rule_id: str) -> int:
        """Lead priority: position in the file, unlisted rules after every listed one."""
        return self._order.get(rule_id, len(self._order))

    @cached_property
    def _index(self) -> dict[str, RootCauseRule]:
        return {e.rule: e for e in self.rules}

    @cached_property
    def _order(self) -> dict[str, int]:
        return {e.rule: i for i, e in enumerate(self.rules)}


def read_root_causes(files: list[ContentFile], rules: tuple[RuleMeta, ...]) -> RootCauseSettings:
    merged: dict[str, RootCauseRule] = {}
    default = RootCauseCatalogue().default_headline
    same_work: tuple[frozenset[str], ...] = ()
    # Built-in files first, so a consultant's file refines them whatever it is called.
    for cf in sorted(files, key=lambda cf: not cf.builtin):
        loaded = load_model(cf.path, RootCauseCatalogue)
        if "default_headline" in loaded.model_fields_set:
            default = loaded.default_headline
        if "same_work" in loaded.model_fields_set:
            same_work = tuple(frozenset(s) for s in loaded.same_work)
        for entry in loaded.rules:
            merged[entry.rule] = entry  # a dict keeps the first position of a key
    known = sorted(m.id for m in rules)
    where = ", ".join(str(cf.path) for cf in files) or "blueprints/root-causes.yaml"
    problems = [Problem(path=("rules", entry.rule), file=where,
                        message=f"names unknown rule '{entry.rule}'"
                                f"{did_you_mean(entry.rule, known)}")
                for entry in merged.values() if entry.rule not in set(known)]
    if problems:
        raise ContentError("the root-cause settings name rules that do not exist",
                           hint="Correct or remove the entries below.", problems=problems)
    return RootCauseSettings(default, tuple(merged.values()), same_work)
