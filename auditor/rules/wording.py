"""What a finding's templates read: the names, volumes, notes and products of the case at hand.

The engine fills each rule's rationale and recommendation (Jinja templates in blueprints/) with
``finding_context``: the common values every template may use, plus the rule's own ``facts``.
Shared advice from ``blueprints/wording.yaml`` is then added where it applies: respondents'
notes that carry figures, systems being retired, planned items that would close the gap, and the
product that provides the missing capability. The wording itself is content; this module only
gathers values.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditor.catalogue.wording import render_text
from auditor.graph.keys import skill_key
from auditor.graph.names import display_name, join_words
from auditor.schema.ids import slugify

if TYPE_CHECKING:
    from jinja2 import Template

    from auditor.catalogue import Catalogue
    from auditor.rules.confirmation import Unconfirmed
    from auditor.rules.registry import Hit, RuleContext
    from auditor.schema.audit import Audit
    from auditor.schema.catalogue import RuleMeta

RETIRING = frozenset({"migrate", "eliminate"})
#: Shared advice added to the rationale; the rest goes with the recommendation.
_RATIONALE_ADVICE = ("notes", "unconfirmed", "scaled")
_RECOMMENDATION_ADVICE = ("retiring", "products", "planned", "planned_retiring")
#: What ``_products`` adds to a finding's values.
_PRODUCT_VALUES = frozenset({"capability", "owned", "owned_count", "examples"})
_MAX_NOTES = 2
_MAX_EXAMPLES = 3
_FIGURE = re.compile(r"\d")


@dataclass(frozen=True)
class Filled:
    title: str
    rationale: str
    recommendation: str


_TERM_WORD = re.compile(r"\b([Cc]ustomers?)\b")


def titled(title: str, terms: dict[str, str]) -> str:
    """A rule title in the client's words: titles are short labels shared with the catalogue
    listing, so they keep the default word and take the client's in its place here."""
    def swap(match: re.Match[str]) -> str:
        word = match.group(1)
        key = word.lower()
        replaced = terms.get(key, key)
        return replaced[:1].upper() + replaced[1:] if word[0].isupper() else replaced
    return _TERM_WORD.sub(swap, title)


def retiring_systems(ctx: RuleContext) -> dict[str, str | None]:
    """Systems marked migrate or eliminate -> the id of their successor (None: retire it)."""
    def make() -> dict[str, str | None]:
        # A successor that is itself on its way out takes over nothing: then retire it.
        leaving = {s.id for s in ctx.audit.inventory.systems if s.lifecycle in RETIRING}
        return {s.id: (s.successor if s.successor not in leaving else None)
                for s in ctx.audit.inventory.systems
                if s.lifecycle in RETIRING and s.id in ctx.graph}
    return ctx.cached("wording:retiring", make)


def _notes(audit: Audit, refs: list[tuple[str, str]],
           quote_all: frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Answer notes with a figure in them (any note for the questions in ``quote_all``),
    attributed to the respondent by name and role."""
    if not refs:  # most findings: no note to quote
        return []
    people = {r.id: r for r in audit.respondents}
    found: list[dict[str, str]] = []
    for question, respondent in refs:
        for a in audit.answers:
            if (a.question, a.respondent) != (question, respondent) or not a.note:
                continue
            if question not in quote_all and not _FIGURE.search(a.note):
                continue
            person = people.get(respondent)
            who = person.name if person else respondent
            if person and person.role:
                who = f"{who} ({person.role})"
            found.append({"who": who, "text": a.note.strip(), "question": question})
    found = found[:_MAX_NOTES]
    # One attribution per person, however many of their notes are quoted.
    by_person: dict[str, dict[str, Any]] = {}
    for note in found:
        entry = by_person.setdefault(note["who"], {"who": note["who"], "quotes": []})
        # The sentence supplies its own full stop after the closing quote.
        entry["quotes"].append(note["text"].replace('"', "'").rstrip("."))
    return list(by_person.values())


def _answer_refs(audit: Audit, meta: RuleMeta, hit: Hit) -> list[tuple[str, str]]:
    refs: list[tuple[str, str]] = []
    for question in meta.notes_from:
        refs += sorted((a.question, a.respondent) for a in audit.answers if a.question == question)
    for ref in hit.answers:
        question, _, respondent = ref.partition("/")
        refs.append((question, respondent))
    return list(dict.fromkeys(refs))


def _provides(catalogue: Catalogue, ctx: RuleContext, system: str, capability: str) -> bool:
    g = ctx.graph
    # A system in a role that provides the capability by definition (a CDP resolves
    # identities, a data-quality tool looks after data quality), whatever its product.
    if catalogue.products.capability_roles.get(capability, frozenset()) & set(
            g.nodes[system].get("roles") or ()):
        return True
    for cap in ctx.out_typed(system, "provides"):
        if cap == capability or slugify(str(g.nodes[cap].get("name", ""))) == capability:
            return True
    attrs = g.nodes[system]
    texts = [str(t) for t in (attrs.get("product"), attrs.get("name")) if t]
    for text in texts:
        product = catalogue.products.find(text)
        if product is not None and capability in product.capabilities:
            return True
    # 'Twilio Segment (CDP pilot)' names the catalogue's 'Twilio Segment' with a remark.
    lowered = [t.lower() for t in texts]
    # Asked for every system and capability: the names that provide it, listed once per run.
    providers = ctx.cached(f"wording:providers:{capability}", lambda: tuple(
        p.name.lower() for p in catalogue.products.products if capability in p.capabilities))
    return any(name in t for name in providers for t in lowered)


def owned_providers(ctx: RuleContext, capability: str) -> list[str]:
    """The client's systems, not being retired, that provide ``capability``: by their role,
    the capabilities the audit lists or the catalogue's knowledge of their product. A rule
    naming the tools a client already has uses this list, so its message and its advice name
    the same tools."""
    retiring = retiring_systems(ctx)
    # The same for every finding about this capability: worked out once per analysis.
    return ctx.cached(f"wording:owned:{capability}", lambda: [
        s for s in ctx.nodes_of("system")
        if s not in retiring and _provides(ctx.catalogue, ctx, s, capability)])


def _products(ctx: RuleContext, capability: str | None) -> dict[str, Any]:
    """Owned systems (not being retired) that provide ``capability``, else catalogue examples."""
    if not capability:
        return {"capability": "", "owned": "", "owned_count": 0, "examples": ""}

    def make() -> dict[str, Any]:
        catalogue = ctx.catalogue
        owned = owned_providers(ctx, capability)
        examples = [p.name for p in catalogue.products.products if capability in p.capabilities]
        name = catalogue.products.capability_name(capability)
        return {"capability": name[0].lower() + name[1:] if name[1:2].islower() else name,
                "owned": ctx.names(owned), "owned_count": len(owned),
                "examples": join_words(examples[:_MAX_EXAMPLES], "or")}

    # The same for every finding about the capability (the catalogue's products scanned
    # once per analysis); the caller copies the values out, never changes them.
    found: dict[str, Any] = ctx.cached(("wording:products", capability), make)
    return found


def _channels(ctx: RuleContext, nodes: tuple[str, ...]) -> list[str]:
    kinds = ctx.index.kinds
    found: list[str] = []
    for n in nodes:
        kind = kinds.get(n)
        if kind == "channel":
            found.append(n)
        elif kind == "touchpoint":
            found += ctx.out_typed(n, "uses_channel")
    return list(dict.fromkeys(found))


def item_name(ctx: RuleContext, item: str) -> str:
    """A display name for any inventory id: flows (edges, not nodes) and planned items (absent
    from today's graph) included."""
    if item in ctx.graph:
        return ctx.name(item)
    for flow in ctx.audit.inventory.flows:
        if flow.id == item:
            if flow.name:
                return flow.name
            return f"flow from {_system_name(ctx, flow.source)} to {_system_name(ctx, flow.target)}"
    inv = ctx.audit.inventory
    for section in type(inv).model_fields:
        for entry in getattr(inv, section):
            if getattr(entry, "id", None) == item and getattr(entry, "name", ""):
                return str(entry.name)
    return ctx.name(item)


def _system_name(ctx: RuleContext, system: str) -> str:
    found = next((s for s in ctx.audit.inventory.systems if s.id == system), None)
    return found.name if found else system


def _successor(ctx: RuleContext, system: str | None) -> str:
    return _system_name(ctx, system) if system else ""


def concerned_systems(ctx: RuleContext, hit: Hit) -> list[str]:
    """The systems a finding is about, not those it merely cites: its subject and the ids of
    its key when they are systems, the ends of a flow, the systems that run a touchpoint, and
    those running a channel's touchpoints that the finding cites. A system that is only in the
    evidence (a bystander) is not among them, so advice about it is not repeated on every
    finding."""
    kinds = ctx.index.kinds  # every node's kind: asked for every finding
    found: list[str] = []
    flows = ctx.cached("wording:flows", lambda: {f.id: f for f in ctx.audit.inventory.flows})
    for item in dict.fromkeys(i for i in (hit.subject, *hit.key_ids()) if i):
        kind = kinds.get(item)
        if kind == "system":
            found.append(item)
        elif kind == "touchpoint":
            found += ctx.in_typed(item, "serves")
        elif kind == "channel":
            # A channel is run by many systems; one counts when the finding cites it as the
            # reason (a channel that is an island because of what runs it).
            cited = set(hit.nodes)
            for touchpoint in ctx.in_typed(item, "uses_channel"):
                found += [s for s in ctx.in_typed(touchpoint, "serves") if s in cited]
        elif item in flows:
            found += [flows[item].source, flows[item].target]
    return [s for s in dict.fromkeys(found) if s in kinds]


def finding_context(ctx: RuleContext, meta: RuleMeta, hit: Hit,
                    planned: tuple[str, ...] = (),
                    needed: Collection[str] | None = None) -> dict[str, Any]:
    """Every value a template may read for this finding (documented in docs/gap-analysis.md);
    with ``needed``, only those named there (the names the finding's templates read, see
    ``TemplateReads``): the others can cost thousands of names joined per finding, for
    templates that read two or three values."""
    g = ctx.graph
    kinds = ctx.index.kinds  # a hit may name thousands of nodes: plain dict lookups
    grouped: dict[str | None, list[str]] = {}
    cited: list[tuple[str, ...]] = []  # the hit's nodes in the graph, once worked out

    def hit_nodes() -> tuple[str, ...]:
        if not cited:
            unique = dict.fromkeys(hit.nodes)
            if kinds.keys() >= unique.keys():  # the usual case: every node cited is in the graph
                cited.append(tuple(unique))
            else:  # skills cited by their audit id, or ids the graph lacks
                cited.append(tuple(n if n in kinds else skill_key(n) for n in unique
                                   if n in kinds or skill_key(n) in kinds))
        return cited[0]

    def of_kind(kind: str) -> list[str]:
        # Only the kinds a finding's templates read are listed (one or two of a hit that may
        # cite a thousand nodes of several kinds), each once.
        found = grouped.get(kind)
        if found is None:
            found = grouped[kind] = [n for n in hit_nodes() if kinds[n] == kind]
        return list(found)

    channels: list[list[str]] = []

    def channels_cited() -> list[str]:
        if not channels:
            channels.append(_channels(ctx, hit_nodes()))
        return channels[0]

    def volume() -> int:
        return sum(int(g.nodes[c].get("volume") or 0) for c in channels_cited())

    def share() -> str:
        # Every finding reads the same total: counted once per analysis, not once per finding.
        total = ctx.cached("wording:total-volume", lambda: sum(
            int(g.nodes[c].get("volume") or 0) for c in ctx.nodes_of("channel")))
        part = volume()
        return f"{part / total:.0%}" if part and total else ""

    def remedy() -> str:
        remedy_id = hit.remedy or meta.remedy
        found = ctx.catalogue.remedy(remedy_id) if remedy_id else None
        return found.title if found else ""

    retiring = retiring_systems(ctx)
    values: dict[str, Callable[[], Any]] = {
        "client": lambda: ctx.audit.client.name,
        "subject": lambda: (display_name(g, hit.subject)
                            if hit.subject in g or skill_key(hit.subject) in g else ""),
        "skills": lambda: ctx.names(of_kind("skill")),
        "systems": lambda: ctx.names(of_kind("system")),
        # Advice that hands work to the systems named must not hand it to one on its way out.
        "staying": lambda: ctx.names([s for s in of_kind("system") if s not in retiring]),
        "leaving": lambda: ctx.names([s for s in of_kind("system") if s in retiring]),
        "leaving_count": lambda: sum(1 for s in of_kind("system") if s in retiring),
        "data": lambda: ctx.names(of_kind("data")),
        "channels": lambda: ctx.names(channels_cited()),
        "touchpoints": lambda: ctx.names(of_kind("touchpoint")),
        "teams": lambda: ctx.names(of_kind("team")),
        "volume": lambda: f"{volume():,}" if volume() else "",
        "share": share,
        "remedy": remedy,
        "notes": lambda: _notes(ctx.audit, _answer_refs(ctx.audit, meta, hit),
                                frozenset(meta.notes_from)),
        # (With nothing on its way out, there is nothing to look up.)
        "retiring": lambda: [{"name": ctx.name(s), "lifecycle": g.nodes[s].get("lifecycle"),
                              "successor": _successor(ctx, retiring[s])}
                             for s in concerned_systems(ctx, hit) if s in retiring]
                            if retiring else [],
        "planned": lambda: join_words(item_name(ctx, i) for i in planned),
    }
    context: dict[str, Any] = dict(ctx.terms)
    for key, make in values.items():
        if needed is None or key in needed:
            context[key] = make()
    if needed is None or not _PRODUCT_VALUES.isdisjoint(needed):
        context.update(_products(ctx, hit.facts.get("capability_id", meta.capability)))
    context.update(hit.facts)
    return context


def planned_on_retiring(ctx: RuleContext, items: Sequence[str]) -> list[dict[str, str]]:
    """For each planned item that relies on a system on its way out: its name, how it relies
    on it ('starts from', 'passes through', 'ends in', 'runs on', 'is'), the system's name
    and its successor's (empty: nothing takes over)."""
    if not items:  # most findings: nothing planned relies on a retiring system
        return []
    retiring = retiring_systems(ctx)
    inv = ctx.audit.inventory
    # Indexed once per analysis, not per finding: O(findings x flows) on a large estate.
    flows = ctx.cached("wording:flows-by-id", lambda: {f.id: f for f in inv.flows})
    touchpoints = ctx.cached("wording:touchpoints-by-id",
                             lambda: {t.id: t for t in inv.touchpoints})
    out = []
    for item in items:
        how, system, name = "is", item, item_name(ctx, item)
        if item in flows:
            flow = flows[item]
            how, system = next(((w, e) for w, e in (("starts from", flow.source),
                                                     ("passes through", flow.via),
                                                     ("ends in", flow.target))
                                if e in retiring), ("ends in", flow.target))
            if not flow.name:  # named by its other end, since the sentence names this one
                name = (f"flow from {_system_name(ctx, flow.source)}" if how == "ends in"
                        else f"flow into {_system_name(ctx, flow.target)}")
        elif item in touchpoints and touchpoints[item].systems:
            how, system = "runs on", touchpoints[item].systems[0]
        successor = retiring.get(system)
        out.append({"name": name, "how": how,
                    "system": _system_name(ctx, system),
                    "successor": _successor(ctx, successor)})
    return out


#: A name the values lack (a template may ask ``is defined``).
_ABSENT = object()
#: Values a render's memo key may hold as they are; exact types, since 1, 1.0 and True print
#: differently though they are equal.
_SCALARS = (str, int, float, bool, type(None))


def _frozen(value: Any) -> Any:
    """``value`` as a hashable key (its type included), or _ABSENT when it cannot be one. A
    string stands for itself (every other key is a tuple or _ABSENT, never equal to one)."""
    kind = type(value)
    if kind is str:  # most values: names joined for a sentence
        return value
    if kind in _SCALARS or value is _ABSENT:
        return (kind, value)
    if kind is list or kind is tuple:
        items = tuple(_frozen(v) for v in value)
        return _ABSENT if _ABSENT in items else (kind, items)
    if kind is dict:
        pairs = tuple((k, _frozen(v)) for k, v in value.items())  # in order: templates loop
        return _ABSENT if any(v is _ABSENT for _, v in pairs) else (kind, pairs)
    return _ABSENT


class FindingValues:
    """One finding's values as its templates read them: each value is frozen into a memo key
    once per finding (a finding fills up to nine templates, most reading the same few names),
    and the Jinja context is put together only if one of them has to be rendered (most come
    from the memo). ``globals``: the templates' environment globals, under the values as
    ``Template.render`` puts them (flattened once per run: Jinja's are a ``ChainMap``)."""

    def __init__(self, values: dict[str, Any], globals_: Mapping[str, Any] | None = None) -> None:
        self.values = values
        self._globals: Mapping[str, Any] = globals_ if globals_ is not None else {}
        self._keys: dict[str, Any] = {}
        self._prepared: dict[str, Any] | None = None

    def key(self, names: tuple[str, ...]) -> Any:
        """The memo key of the values of ``names`` (_ABSENT: one of them cannot be a key)."""
        keys = self._keys
        out = []
        for name in names:
            found = keys.get(name, _ABSENT)
            if found is _ABSENT:
                values = self.values
                value = values[name] if name in values else self._globals.get(name, _ABSENT)
                found = keys[name] = _frozen(value)
                if found is _ABSENT:
                    return _ABSENT
            out.append(found)
        return tuple(out)

    def prepared(self) -> dict[str, Any]:
        """The values over the globals, as ``render_text(..., prepared=True)`` reads them."""
        if self._prepared is None:
            self._prepared = dict(self._globals, **self.values)
        return self._prepared


def _rendered(ctx: RuleContext, template: Template, reads: frozenset[str],
              values: FindingValues, where: str) -> str:
    """``render_text`` of ``template`` with ``values``, rendered once per analysis for the same
    values of the names it reads. A template is a function of those values alone (sandboxed,
    it can change nothing), and most findings of a rule get the same advice (mostly none:
    nothing planned, nothing retiring, no notes); at L that is 75,000 renders, each making a
    Jinja context. Values that cannot be a key (objects) are simply rendered."""
    memo: dict[str, tuple[tuple[str, ...], dict[Any, str]]] = ctx.cache.setdefault(
        "wording:rendered", {})
    entry = memo.get(where)
    if entry is None:
        entry = memo[where] = (tuple(sorted(reads)), {})
    names, outputs = entry
    key = values.key(names)
    if key is _ABSENT:
        return render_text(template, values.prepared(), where, prepared=True)
    found = outputs.get(key)
    if found is None:
        found = outputs[key] = render_text(template, values.prepared(), where, prepared=True)
    return found


def _advice(ctx: RuleContext, keys: tuple[str, ...], values: FindingValues) -> str:
    """The shared advice ``keys`` (those the wording has) filled for one finding and joined
    as ``fill`` joins them. Nearly every finding gets the same advice (mostly none), so the
    joined text is kept per run for the values of all the names the advice reads: one memo
    look-up per finding instead of one per advice template."""
    templates = ctx.catalogue.templates
    memo: dict[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...], dict[Any, str]]] = \
        ctx.cache.setdefault("wording:advice", {})
    entry = memo.get(keys)
    if entry is None:
        present = tuple(k for k in keys if k in templates.advice)
        names = frozenset().union(*(templates.reads.advice.get(k, ()) for k in present))
        entry = memo[keys] = (tuple(sorted(names)), present, {})
    names_read, present, outputs = entry
    key = values.key(names_read)
    if key is not _ABSENT:
        found = outputs.get(key)
        if found is not None:
            return found
    parts = (_rendered(ctx, templates.advice[k], templates.reads.advice.get(k, frozenset()),
                       values, f"advice.{k}") for k in present)
    text = " ".join(p for p in parts if p)
    if key is not _ABSENT:
        outputs[key] = text
    return text


def _reads(ctx: RuleContext, rule: str) -> frozenset[str]:
    """Every name the templates of ``rule``'s findings read: its own two and the advice."""
    def make() -> frozenset[str]:
        reads = ctx.catalogue.templates.reads
        return frozenset().union(
            *(reads.rules.get((rule, field), ()) for field in ("rationale", "recommendation")),
            *(reads.advice.get(key, ()) for key in (*_RATIONALE_ADVICE, *_RECOMMENDATION_ADVICE)))
    found: frozenset[str] = ctx.cached(("wording:reads", rule), make)
    return found


def fill(ctx: RuleContext, meta: RuleMeta, hit: Hit, planned: tuple[str, ...] = (),
         unconfirmed: Sequence[Unconfirmed] = (),
         planned_retiring: Sequence[str] = (), *,
         scaled: dict[str, str] | None = None) -> Filled:
    """The rationale and recommendation of one finding, with the shared advice that applies.
    ``scaled`` says how the client's size or maturity lowered the rule's severity ('rated',
    'severity', 'why': size or foundations)."""
    templates = ctx.catalogue.templates
    context = finding_context(ctx, meta, hit, planned, _reads(ctx, meta.id))
    context["planned_retiring"] = planned_on_retiring(ctx, planned_retiring)
    context["scaled"] = scaled or {}
    context["unconfirmed"] = [{"name": item_name(ctx, u.item), "fields": list(u.fields),
                               "flow": u.unknown_flow} for u in unconfirmed]

    # What ``Template.render`` would put under the values (the templates of one environment
    # share its globals).
    first = templates.rules[(meta.id, "rationale")]
    values = FindingValues(context, ctx.cached(("wording:globals", meta.id),
                                               lambda: dict(first.globals)))
    reads = templates.reads

    def text(field: str, advice: tuple[str, ...]) -> str:
        parts = (_rendered(ctx, templates.rules[(meta.id, field)],
                           reads.rules.get((meta.id, field), frozenset()), values,
                           f"{meta.id}.{field}"),
                 _advice(ctx, advice, values))
        return " ".join(p for p in parts if p)

    # The same for every finding of the rule.
    title: str = ctx.cached(("wording:title", meta.id), lambda: titled(meta.title, ctx.terms))
    return Filled(title, text("rationale", _RATIONALE_ADVICE),
                  text("recommendation", _RECOMMENDATION_ADVICE))
