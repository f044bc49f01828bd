"""Gap rules: YAML metadata (blueprints/rules*.yaml) + one registered check function each.

A check receives a ``RuleContext`` (graph, audit, thresholds) and yields ``Hit``s; the engine
turns hits into ``Finding``s using the metadata. Checks never read globals, so tests call them
on any small audit with the catalogue passed in. Metadata and functions are cross-checked at load: a rule id with no
function, or a function with no metadata, is a ContentError.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from auditor.graph.index import GraphIndex
from auditor.graph.names import display_name, join_words
from auditor.graph.traverse import HUB_ROLES
from auditor.schema.assessment import Severity

if TYPE_CHECKING:
    import networkx as nx

    from auditor.catalogue import Catalogue
    from auditor.schema.audit import Audit
    from auditor.schema.backtrack import BacktrackResult


def index_key(graph: nx.MultiDiGraph) -> tuple[str, int]:
    """Where a run's cache keeps the index of ``graph`` (one per graph: today's, and each
    planned ecosystem the rules compare against)."""
    return ("graph-index", id(graph))


@dataclass(frozen=True)
class Hit:
    """One occurrence of a rule's condition. ``severity`` overrides the rule's default."""

    message: str
    subject: str = ""
    nodes: tuple[str, ...] = ()
    edges: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    severity: Severity | None = None
    remedy: str | None = None  # overrides the rule's default remedy (e.g. per capability)
    #: The ids that make this problem this problem (the finding's key); the subject by default.
    #: A rule that can hit one subject several times names what tells the hits apart.
    key: tuple[str, ...] = ()
    #: Values the rule's rationale and recommendation templates may read besides the common
    #: ones (names of what is involved, figures); see docs/gap-analysis.md.
    facts: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def key_ids(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.key))) if self.key else ((self.subject,) if self.subject else ())


class NotAssessed(Exception):
    """Raised by a check when the audit lacks what it needs; reported, never a silent pass."""


@dataclass
class RuleContext:
    """What a check may read: the audit, its graph, the content catalogue, the one backtracking
    trace of this analysis, and the rule's own thresholds."""

    audit: Audit
    graph: nx.MultiDiGraph
    catalogue: Catalogue
    backtracking: BacktrackResult
    thresholds: dict[str, Any] = field(default_factory=dict)
    cache: dict[Any, Any] = field(default_factory=dict)
    #: The client's words for the people it serves ('customer' -> 'supporter').
    terms: dict[str, str] = field(default_factory=dict)
    #: ``index`` once found, so the many lookups of one rule skip the cache.
    _index: GraphIndex | None = field(default=None, init=False, repr=False, compare=False)

    def _known_names(self) -> dict[str, str]:
        # Findings name the same systems and data again and again (over a million times on
        # the L benchmark estate): each name is worked out once per analysis.
        known: dict[str, str] = self.cache.setdefault(("display-names", id(self.graph)), {})
        return known

    def name(self, node: str) -> str:
        """The display name of ``node`` for a sentence."""
        known = self._known_names()
        found = known.get(node)
        if found is None:
            found = known[node] = display_name(self.graph, node)
        return found

    def names(self, nodes: Iterable[str], conjunction: str = "and") -> str:
        """Display names of ``nodes`` joined for a sentence ('A, B and C'; past eight names,
        'A, B, …, G and 34 more': ``join_words``)."""
        known, g = self._known_names(), self.graph
        words: dict[str, None] = {}
        for node in nodes:  # ``name`` inlined: a finding may list thousands of nodes
            found = known.get(node)
            if found is None:
                found = known[node] = display_name(g, node)
            words[found] = None
        return join_words(words, conjunction)

    @property
    def index(self) -> GraphIndex:
        """Nodes by kind and neighbours by edge type of ``graph``, built once per analysis."""
        found = self._index
        if found is not None and found.graph is self.graph:
            return found
        key = index_key(self.graph)
        found = self.cache.get(key)
        if found is None or found.graph is not self.graph:
            found = self.cache[key] = GraphIndex(self.graph)
        self._index = found
        return found

    def nodes_of(self, kind: str) -> list[str]:
        """``traverse.nodes_of`` answered from the index."""
        return self.index.nodes_of(kind)

    def in_typed(self, node: str, etype: str) -> list[str]:
        """``traverse.in_typed`` answered from the index."""
        return self.index.in_typed(node, etype)

    def out_typed(self, node: str, etype: str) -> list[str]:
        """``traverse.out_typed`` answered from the index."""
        return self.index.out_typed(node, etype)

    def masters_of(self, datum: str) -> list[str]:
        """``traverse.masters_of`` answered from the index: the systems mastering ``datum``,
        or its entity."""
        g, index = self.graph, self.index
        found = set(index.in_typed(datum, "masters"))
        entity = g.nodes[datum].get("entity") if datum in g else None
        if entity and entity != datum and entity in g:
            found.update(index.in_typed(entity, "masters"))
        return sorted(found)

    def systems_with_role(self, *roles: str) -> list[str]:
        """``traverse.systems_with_role`` answered from the index."""
        wanted, nodes = set(roles), self.graph.nodes
        return [s for s in self.index.nodes_of("system")
                if wanted.intersection(nodes[s].get("roles", ()))]

    def hubs(self) -> list[str]:
        """``traverse.hubs`` answered from the index: systems of record and CDPs."""
        return self.systems_with_role(*HUB_ROLES)

    def question(self, question_id: str) -> str:
        """How a sentence names a question: its short title from the bank, never its id."""
        return self.catalogue.question_name(question_id)

    def term(self, key: str) -> str:
        """The client's word for ``key`` ('customers' -> 'supporters'); the key itself if unset."""
        return self.terms.get(key, key)

    def cached(self, key: Any, make: Callable[[], Any]) -> Any:
        """Memoise projections shared by several rules within one analysis."""
        if key not in self.cache:
            self.cache[key] = make()
        return self.cache[key]

    def threshold(self, name: str, default: Any) -> Any:
        return self.thresholds.get(name, default)


CheckFunc = Callable[[RuleContext], Iterable[Hit]]
RULES: dict[str, CheckFunc] = {}


def rule(rule_id: str) -> Callable[[CheckFunc], CheckFunc]:
    """Register ``func`` as the condition of ``rule_id``."""

    def register(func: CheckFunc) -> CheckFunc:
        if rule_id in RULES and RULES[rule_id] is not func:
            raise ValueError(f"rule {rule_id} registered twice")
        RULES[rule_id] = func
        return func

    return register
