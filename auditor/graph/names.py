"""Display names for sentences a person reads: ids stay in evidence and JSON, names go in prose.

Every node of the ecosystem graph carries the ``name`` of its inventory item. These helpers turn
ids into those names and join them the way a sentence would ("Zendesk, Five9 and Marketo").
They live in the graph layer so rules, the analysis and renderers share one wording of a list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from auditor.catalogue.wording import capital, join_words, with_article
from auditor.graph.keys import SKILL_PREFIX, skill_key

__all__ = ["capital", "display_name", "display_names", "join_words", "with_article"]

if TYPE_CHECKING:
    import networkx as nx

#: Node kinds whose names are common nouns ("Email address"), lower-cased inside a sentence.
_COMMON_NOUN_KINDS = frozenset({"data", "capability", "skill"})


def common_noun(name: str) -> str:
    """'Email address' -> 'email address'; names with other capitals ('WhatsApp message', 'NPS',
    'Parts & Service quote') are proper nouns or acronyms and keep their case."""
    words = name.split(" ")
    first, rest = words[0], words[1:]
    # Any other capital ("Parts & Service quote") marks a proper name: keep it as written.
    if any(c.isupper() for w in rest for c in w):
        return name
    if len(first) > 1 and first[0].isupper() and first[1:] == first[1:].lower():
        return first[0].lower() + name[1:]
    return name


def display_name(g: nx.MultiDiGraph, node: str) -> str:
    """The name a reader knows ``node`` by; its id (hyphens as spaces) when the graph has none.

    Skills may be given by audit id or by graph key (``skill:<id>``)."""
    key = node if node in g or node.startswith(SKILL_PREFIX) else skill_key(node)
    if key not in g:
        key = node
    attrs = g.nodes[key] if key in g else {}
    name = str(attrs.get("name") or "").strip()
    if not name:
        return node.removeprefix(SKILL_PREFIX).replace("-", " ")
    if attrs.get("kind") in _COMMON_NOUN_KINDS:
        return common_noun(name)
    return name


def display_names(g: nx.MultiDiGraph, nodes: Iterable[str], conjunction: str = "and") -> str:
    """The display names of ``nodes`` (duplicates dropped, order kept) joined for a sentence."""
    return join_words(dict.fromkeys(display_name(g, n) for n in nodes), conjunction)
