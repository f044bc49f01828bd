"""Wording content: the client's terms (``blueprints/wording.yaml``) and the finding templates.

A rule's rationale and recommendation are Jinja templates, filled per finding with the names,
volumes and notes of the case at hand (``auditor.rules.wording`` builds what they read). They
are compiled once per catalogue in a sandboxed environment with strict undefined names, so a
template cannot reach Python internals, and a typo in a field name is an error, not a blank.
Output is plain text (renderers escape it for their medium), so autoescape is off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from auditor.content import ContentFile, load_model
from auditor.errors import AuditFileError, ContentError
from auditor.problems import Problem
from auditor.schema.catalogue import RuleMeta, Wording

if TYPE_CHECKING:
    from jinja2 import Template

    from auditor.schema.audit import Client

#: The rule fields that are templates.
TEMPLATE_FIELDS = ("rationale", "recommendation")


# --- sentence helpers (plain strings; shared by the templates, the rules and renderers) -------
def capital(text: str) -> str:
    """``text`` with its first letter upper-cased, for the start of a sentence; the rest is kept
    ('WhatsApp' must not become 'Whatsapp', as Jinja's ``capitalize`` would make it)."""
    return text[:1].upper() + text[1:]


#: Items a sentence names: past this, it names the first seven and counts the rest ('a, b, …,
#: g and 34 more'). On a large estate one sentence could otherwise name hundreds of touchpoints
#: or teams; the ids stay in the evidence and the blueprint's items.
NAMED = 8


def join_words(words: Iterable[str], conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c' (empty string for nothing); past ``NAMED`` items,
    'a, b, c, d, e, f, g and 34 more'."""
    listed = [w for w in words if w]
    if len(listed) > NAMED:
        listed = [*listed[:NAMED - 1], f"{len(listed) - NAMED + 1} more"]
    if len(listed) <= 1:
        return listed[0] if listed else ""
    return f"{', '.join(listed[:-1])} {conjunction} {listed[-1]}"


def with_article(phrase: str) -> str:
    """'an identity resolution product', 'a community forum product' (by the first letter)."""
    if not phrase:
        return phrase
    first = phrase[0].lower()
    vowel = first in "aeio" or (first == "u" and not phrase.lower().startswith(("us", "un")))
    return f"{'an' if vowel else 'a'} {phrase}"


def read_wording(files: list[ContentFile]) -> Wording:
    """The effective wording: a later file (a ``--content`` override) replaces the built-in one."""
    if not files:
        raise ContentError("no wording file found (blueprints/wording.yaml)",
                           hint="Reinstall auditor, or check your --content folder.")
    return [load_model(cf.path, Wording) for cf in files][-1]


_CUSTOMER_WORD = re.compile(r"\b([Cc])ustomer(s?)\b")


def in_client_words(text: str, terms: dict[str, str]) -> str:
    """``text`` written with the client's word for 'customer(s)' ('supporters' at a food
    bank), for content sentences that say 'customer' in plain words; a capital stays one."""
    def swap(m: re.Match[str]) -> str:
        word = terms.get("customers" if m.group(2) else "customer")
        if not word:
            return m.group(0)
        return capital(word) if m.group(1) == "C" else word

    return _CUSTOMER_WORD.sub(swap, text)


def terms_for(client: Client, wording: Wording) -> dict[str, str]:
    """The words for this client: defaults, then its industry's, then its own ``terms``."""
    terms = dict(wording.terms)
    industry = (client.industry or "").lower()
    for choice in wording.industries:
        if any(word.lower() in industry for word in choice.match):
            terms.update(choice.terms)
            break
    unknown = sorted(set(client.terms) - set(wording.terms))
    if unknown:
        raise AuditFileError(
            f"client.terms has keys the wording does not know: {', '.join(unknown)}",
            hint=f"Use any of: {', '.join(sorted(wording.terms))}.")
    terms.update(client.terms)
    return terms


def _environment() -> Any:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(undefined=StrictUndefined, autoescape=False,
                               trim_blocks=True, lstrip_blocks=True)
    # 'cap' starts a sentence without lower-casing the rest (Jinja's 'capitalize' would turn
    # 'WhatsApp' into 'Whatsapp'); 'a' adds the indefinite article.
    env.filters["cap"] = capital
    env.filters["a"] = with_article
    return env


@dataclass(frozen=True)
class Templates:
    """Compiled templates: per rule and field, and the shared advice by name."""

    rules: dict[tuple[str, str], Template]
    advice: dict[str, Template]
    #: The names each template reads (``reads.rules[(rule, field)]``, ``reads.advice[key]``).
    reads: TemplateReads


@dataclass(frozen=True)
class TemplateReads:
    """The names each template reads from its context, as Jinja's own analysis of the
    template finds them (``jinja2.meta.find_undeclared_variables``). A finding's values are
    many (names of every system, channel and touchpoint it cites: thousands on a large
    estate) and most templates read two or three: only those are worked out. A name a
    template reads is always among these, so nothing it needs is left out (and a missing
    one would be an error, never a blank)."""

    rules: dict[tuple[str, str], frozenset[str]]
    advice: dict[str, frozenset[str]]


@dataclass(frozen=True)
class TemplateCode:
    """Every template as marshalled Python code, the form kept in the compiled content cache.

    Jinja's lexer, parser and code generator cost more than the whole analysis of a typical
    audit (about 60 ms for 117 templates); loading their code costs about 2 ms. It is what
    Jinja's own bytecode cache stores, keyed here by the fingerprint of the content files and
    of the Python and package versions (``auditor.catalogue.compiled``).
    """

    rules: dict[tuple[str, str], bytes]
    advice: dict[str, bytes]
    reads: TemplateReads


def template_code(rules: tuple[RuleMeta, ...], wording: Wording) -> TemplateCode:
    """Compile every template to marshalled code; all syntax errors at once, as one error."""
    import marshal

    from jinja2 import TemplateSyntaxError, meta

    env = _environment()
    problems: list[Problem] = []
    compiled: dict[tuple[str, str], bytes] = {}
    advice: dict[str, bytes] = {}
    reads = TemplateReads({}, {})

    def compile_one(source: str, path: tuple[str, ...],
                    file: str) -> tuple[bytes, frozenset[str]] | None:
        try:
            tree = env.parse(source)  # parsed once, for its code and for the names it reads
            return (marshal.dumps(env.compile(tree)),
                    frozenset(meta.find_undeclared_variables(tree)))
        except TemplateSyntaxError as exc:
            problems.append(Problem(path=path, file=file,
                                    message=f"template line {exc.lineno}: {exc.message}"))
            return None

    for rule in rules:
        for name in TEMPLATE_FIELDS:
            done = compile_one(getattr(rule, name), (rule.id, name), "blueprints/rules*.yaml")
            if done is not None:
                compiled[(rule.id, name)], reads.rules[(rule.id, name)] = done
    for key, source in sorted(wording.advice.items()):
        done = compile_one(source, ("advice", key), "blueprints/wording.yaml")
        if done is not None:
            advice[key], reads.advice[key] = done
    if problems:
        raise ContentError("some finding templates do not compile", problems=problems,
                           hint="Templates use Jinja syntax: {{ name }}, {% if … %}…{% endif %}.")
    return TemplateCode(compiled, advice, reads)


def load_templates(code: TemplateCode) -> Templates:
    """Templates ready to render from their compiled code, in the sandboxed environment."""
    import marshal

    env = _environment()

    def load(data: bytes) -> Template:
        return env.template_class.from_code(env, marshal.loads(data), env.make_globals(None))

    return Templates({key: load(data) for key, data in code.rules.items()},
                     {key: load(data) for key, data in code.advice.items()}, code.reads)


def render_text(template: Template, context: dict[str, Any], where: str, *,
                prepared: bool = False) -> str:
    """Fill ``template``; a name it reads that the context lacks is a located content error.
    Whitespace is collapsed: YAML folding and template blocks leave stray line breaks.
    ``prepared``: ``context`` already holds the template's globals under the values (what
    ``Template.render`` puts together, copying every value twice, on each call: a finding
    fills up to nine templates with the same values, see ``auditor.rules.wording``) and is
    read as it is. A template's own assignments go to its own Jinja context, never into
    ``context``."""
    from jinja2 import TemplateError

    try:
        if prepared:
            # What ``render`` does after copying the context (Jinja's documented shared mode).
            text = "".join(template.root_render_func(template.new_context(context, shared=True)))
        else:
            text = template.render(context)
    except TemplateError as exc:
        raise ContentError(f"the template {where} cannot be filled: {exc}",
                           hint="Use only the names listed in docs/gap-analysis.md "
                                "(\"What a template can say\").") from None
    return " ".join(text.split())
