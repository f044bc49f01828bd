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

from auditor.graph.names import display_name, join_words
from auditor.schema.assessment import Severity

if TYPE_CHECKING:
    import networkx as nx

    from auditor.catalogue import Catalogue
    from auditor.schema.audit import Audit
    from auditor.schema.backtrack import BacktrackResult


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

    def name(self, node: str) -> str:
        """The display name of ``node`` for a sentence."""
        # Findings name the same systems and data again and again (over a million times on
        # the L benchmark estate): each name is worked out once per analysis.
        known: dict[str, str] = self.cache.setdefault(("display-names", id(self.graph)), {})
        found = known.get(node)
        if found is None:
            found = known[node] = display_name(self.graph, node)
        return found

    def names(self, nodes: Iterable[str], conjunction: str = "and") -> str:
        """Display names of ``nodes`` joined for a sentence ('A, B and C')."""
        return join_words(dict.fromkeys(self.name(n) for n in nodes), conjunction)

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
