"""Keeping hand-written comments with the section or item they were written above.

ruamel attaches a full-line comment to whatever *precedes* it: the comment above `inventory:`
becomes a trailing comment of the last answer's last key. When the tool later appends an
answer, the comment stays behind that key and ends up inside `answers:`. Right after loading,
``anchor_comments`` moves every such full-line comment (and the blank lines around it) onto the
node that *follows* it, as a comment before that key or list item; end-of-line comments stay
where they are. From then on appending or removing items cannot separate a comment from the
thing it describes.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import CommentMark
from ruamel.yaml.tokens import CommentToken

Slot = tuple[Any, Any]  # (container, key or index)


def _slots(node: Any) -> Iterator[Slot]:
    """Every key and list item of the document, in the order they are written."""
    if isinstance(node, CommentedMap):
        for key in node:
            yield node, key
            yield from _slots(node[key])
    elif isinstance(node, CommentedSeq):
        for index in range(len(node)):
            yield node, index
            yield from _slots(node[index])


def _post_position(container: Any) -> int:
    # Where ruamel keeps the comment after a value: slot 2 for mapping keys, 0 for list items.
    return 2 if isinstance(container, CommentedMap) else 0


def _entry(container: Any, key: Any) -> list[Any]:
    entry = container.ca.items.setdefault(key, [None, None, None, None])
    while len(entry) < 4:
        entry.append(None)
    return entry


def _split(text: str) -> tuple[str | None, list[tuple[str, int]]]:
    """A trailing comment's end-of-line part, and the full lines after it (text, column)."""
    eol, _, rest = text.partition("\n")
    keep = eol + "\n" if eol.strip() else None
    lines: list[tuple[str, int]] = []
    if rest:
        parts = rest.split("\n")
        if parts and parts[-1] == "":
            parts.pop()
        for line in parts:
            stripped = line.lstrip(" ")
            lines.append((stripped + "\n", len(line) - len(stripped) if stripped else 0))
    return keep, lines


def _first_item_comments(container: Any, key: Any) -> None:
    """A comment above the first item of a list or mapping is kept by ruamel on the list
    itself (and on the key that holds it), so it would stay first whatever item is first;
    give it to that item instead."""
    value = container[key]
    if not isinstance(value, (CommentedMap, CommentedSeq)) or not len(value):
        return
    comment = value.ca.comment
    if not comment or len(comment) < 2 or not comment[1]:
        return
    tokens = list(comment[1])
    comment[1] = None
    entry = container.ca.items.get(key)
    if entry and len(entry) > 3:
        entry[3] = None
    first = next(iter(value)) if isinstance(value, CommentedMap) else 0
    target = _entry(value, first)
    target[1] = tokens + list(target[1] or [])


def anchor_comments(root: Any) -> None:
    """Move full-line comments from the end of the node above them to the node below them."""
    slots = list(_slots(root))
    for container, key in slots:
        _first_item_comments(container, key)
    for i, (container, key) in enumerate(slots):
        entry = container.ca.items.get(key)
        if not entry:
            continue
        pos = _post_position(container)
        token = entry[pos] if len(entry) > pos else None
        if not isinstance(token, CommentToken) or not token.value.partition("\n")[2]:
            continue
        keep, lines = _split(token.value)
        if not lines or i + 1 >= len(slots):
            continue  # nothing after it in the file: it stays at the end
        if keep is None:
            # ruamel needs the newline that ends the line; a bare one keeps the layout.
            entry[pos] = CommentToken("\n", token.start_mark, None) if pos == 2 else None
        else:
            token.value = keep
        target, target_key = slots[i + 1]
        before = [CommentToken(text, CommentMark(col), None) for text, col in lines]
        target_entry = _entry(target, target_key)
        target_entry[1] = before + list(target_entry[1] or [])


def move_item_comments(seq: CommentedSeq, old: dict[Any, Any], origins: list[int | None]) -> None:
    """After rebuilding ``seq``, give item ``i`` the comments ``old`` held for its former
    position ``origins[i]`` (``old`` is a copy of ``seq.ca.items`` taken before)."""
    seq.ca.items.clear()
    for new, origin in enumerate(origins):
        if origin is not None and origin in old:
            entry = list(old[origin])
            if new == 0 and len(entry) > 1 and entry[1]:
                # Now first in its list: the blank lines that separated it from the item
                # above would only separate it from the list's key.
                before = list(entry[1])
                while before and isinstance(before[0], CommentToken) and not before[0].value.strip():
                    before.pop(0)
                entry[1] = before or None
            seq.ca.items[new] = entry
