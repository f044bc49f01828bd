"""Remedies (``blueprints/remedies*.yaml``): what the roadmap is built from.

Checked on load like every other content file: each ``depends_on`` names a remedy, and the
dependencies form no cycle (the roadmap orders phases by them, so a cycle would leave it
without a first step). References to rules are checked against the rule metadata by the
catalogue, which has both.
"""

from __future__ import annotations

from collections.abc import Iterable

from auditor.content import ContentFile, load_model, merge_by_id
from auditor.errors import ContentError
from auditor.problems import Problem, did_you_mean
from auditor.schema.catalogue import Remedy, RemedyCatalogue, RuleMeta


def read_remedies(files: list[ContentFile]) -> tuple[Remedy, ...]:
    remedies = tuple(sorted(merge_by_id(load_model(cf.path, RemedyCatalogue).remedies
                                        for cf in files), key=lambda r: r.id))
    where = ", ".join(str(cf.path) for cf in files) or "blueprints/remedies.yaml"
    known = {r.id for r in remedies}
    problems = [Problem(path=(r.id, "depends_on"), file=where,
                        message=f"depends on unknown remedy '{dep}'{did_you_mean(dep, sorted(known))}")
                for r in remedies for dep in r.depends_on if dep not in known]
    if problems:
        raise ContentError("some remedies depend on remedies that do not exist", problems=problems)
    cycle = find_cycle(remedies)
    if cycle:
        raise ContentError(
            f"the remedies depend on each other in a circle: {' → '.join(cycle)}",
            hint=f"Remove one of these depends_on entries in {where}, so the roadmap has a "
                 f"first step.")
    return remedies


def find_cycle(remedies: Iterable[Remedy]) -> list[str]:
    """One dependency cycle as [a, b, …, a], or [] when there is none (depth-first search)."""
    deps = {r.id: sorted(r.depends_on) for r in remedies}
    state: dict[str, int] = {}  # 1 on the current path, 2 finished
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for dep in deps.get(node, ()):
            if state.get(dep) == 1:
                return path[path.index(dep):] + [dep]
            if dep not in state:
                found = visit(dep)
                if found:
                    return found
        path.pop()
        state[node] = 2
        return []

    for node in sorted(deps):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return []


def check_rule_references(remedies: Iterable[Remedy], rules: Iterable[RuleMeta]) -> None:
    """Each remedy resolves rules that exist, and each rule's remedy exists."""
    rule_ids = sorted(m.id for m in rules)
    remedy_ids = sorted(r.id for r in remedies)
    problems = [Problem(path=(r.id, "resolves"), file="blueprints/remedies*.yaml",
                        message=f"resolves unknown rule '{rid}'{did_you_mean(rid, rule_ids)}")
                for r in remedies for rid in r.resolves if rid not in rule_ids]
    problems += [Problem(path=(m.id, "remedy"), file="blueprints/rules*.yaml",
                         message=f"names unknown remedy '{m.remedy}'"
                                 f"{did_you_mean(m.remedy, remedy_ids)}")
                 for m in rules if m.remedy and m.remedy not in remedy_ids]
    # A threshold may name the remedy of some of a rule's hits (PER-02's consent_remedy).
    problems += [Problem(path=(m.id, "thresholds", key), file="blueprints/rules*.yaml",
                         message=f"names unknown remedy '{value}'"
                                 f"{did_you_mean(str(value), remedy_ids)}")
                 for m in rules for key, value in sorted(m.thresholds.items())
                 if key.endswith("_remedy") and value not in remedy_ids]
    if problems:
        raise ContentError("rules and remedies refer to each other wrongly", problems=problems)
