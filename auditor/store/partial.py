"""What is left of an audit that does not validate, so the rest of it can still be checked.

``validate`` reports every problem of a file in one run. pydantic stops at the structure, so the
parts that failed are set aside (a bad value is dropped and its field falls back to the default;
an item missing a required field is removed whole) and the remainder is validated again, then
checked for references and answers. Ids of removed items are remembered, so a reference to a
broken item is not reported as dangling on top of the real problem, and list positions are
mapped back to the file's, so every problem points at the right line.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from auditor.problems import Problem
from auditor.schema.audit import Audit

#: Lists whose items' ids other items refer to, by the pool name ``check_references`` uses.
_POOLS = {("respondents",): "respondents", ("vision", "segments"): "segments",
          ("vision", "needs"): "needs"}


class Positions:
    """Maps list indexes of the pruned data back to the positions in the file."""

    def __init__(self, data: Any) -> None:
        self.data = data
        self.kept: dict[int, list[int]] = {}  # id(list) -> original index of each item left

    def pop(self, container: list[Any], index: int) -> Any:
        kept = self.kept.setdefault(id(container), list(range(len(container))))
        kept.pop(index)
        return container.pop(index)

    def original(self, problem: Problem) -> Problem:
        node: Any = self.data
        path: list[str | int] = []
        for part in problem.path:
            if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
                kept = self.kept.get(id(node))
                path.append(kept[part] if kept else part)
                node = node[part]
            else:
                path.append(part)
                node = node.get(part) if isinstance(node, dict) and isinstance(part, str) else None
        return Problem(path=tuple(path), message=problem.message)


def without_broken(plain: Any, exc: ValidationError, rounds: int = 6
                    ) -> tuple[Audit, dict[str, set[str]], Positions] | None:
    """The audit with every part that failed validation removed, the ids removed with them
    (by list name), and the way back to the file's positions. None when the damage is too
    central to check anything else (no client)."""
    data = copy.deepcopy(plain)
    known: dict[str, set[str]] = {}
    positions = Positions(data)
    for _ in range(rounds):
        cuts: list[tuple[Any, Any, tuple[str, ...]]] = []
        for err in exc.errors(include_url=False):
            cut = _cut_for(data, tuple(err["loc"]))
            if cut is None:
                return None
            cuts.append(cut)
        _apply(cuts, known, positions)
        try:
            return Audit.model_validate(data), known, positions
        except ValidationError as again:
            exc = again
        except RecursionError:
            return None
    return None


def _cut_for(data: Any, loc: tuple[Any, ...]) -> tuple[Any, Any, tuple[str, ...]] | None:
    """(container, key, keys above) to remove for the error at ``loc``; None if impossible."""
    trail: list[tuple[Any, Any]] = []  # (container, key) from the top down
    node = data
    complete = True
    for part in loc:
        if isinstance(node, dict) and isinstance(part, str) and part in node:
            trail.append((node, part))
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            trail.append((node, part))
            node = node[part]
        elif isinstance(part, str) and not isinstance(node, (dict, list)):
            continue  # a union member's name in the location: the value itself is wrong
        else:
            complete = False
            break
    if complete and trail and trail[-1][1] != "client":
        container, key = trail[-1]
        return container, key, _keys(trail[:-1])
    # A required field is missing: set the whole item holding it aside.
    for depth in range(len(trail) - 1, -1, -1):
        container, key = trail[depth]
        if isinstance(container, list):
            return container, key, _keys(trail[:depth])
    return None


def _keys(trail: list[tuple[Any, Any]]) -> tuple[str, ...]:
    return tuple(k for _, k in trail if isinstance(k, str))


def _apply(cuts: list[tuple[Any, Any, tuple[str, ...]]], known: dict[str, set[str]],
           positions: Positions) -> None:
    """Remove the cuts, list items from the back so the other indexes stay right."""
    by_list: dict[int, tuple[list[Any], set[int], tuple[str, ...]]] = {}
    for container, key, above in cuts:
        if isinstance(container, list):
            by_list.setdefault(id(container), (container, set(), above))[1].add(key)
        else:
            container.pop(key, None)
    for container, indexes, above in by_list.values():
        pool = _POOLS.get(above, above[-1] if above else "")
        for index in sorted(indexes, reverse=True):
            item = positions.pop(container, index)
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                known.setdefault(pool, set()).add(item["id"])
