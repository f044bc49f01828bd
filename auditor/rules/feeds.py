"""Every answer that is asked is used: each ``feeds:`` entry of a question bank names a
consumer that exists and reads that question.

- ``score``: the question is a rubric sub-question that scoring reads (its section belongs to
  one of the nine audit questions);
- ``rule:ID``: the rule exists and reads the question, because its metadata names it (in
  ``needs`` as ``answers:<id>``, in ``notes_from`` whose notes its advice quotes, or as a
  threshold value its check function reads by key), or
  its check function names the question itself; for a question that captures inventory, the
  rule needs the list the question fills (``needs: [teams]``) or its check reads nodes of
  that kind;
- ``inventory:path`` / ``vision:path``: the audit file has that field;
- ``targets:COMPONENT``: the answer is the client's target level for that blueprint
  component, kept in the audit's ``targets`` section (scores and the blueprint read it);
- ``report``: a report template under ``reports/`` names the question.

``feed_problems`` lists the entries nothing reads, so a bank that promises a use it does not
have fails its test (and a consultant's own bank can be checked the same way).
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from auditor.problems import Problem
from auditor.schema.audit import Audit

if TYPE_CHECKING:
    from auditor.catalogue import Catalogue
    from auditor.schema.questionnaire import Question


def feed_problems(catalogue: Catalogue, report_texts: list[str]) -> list[Problem]:
    """One problem per ``feeds:`` entry that names no consumer reading the question."""
    from auditor.rules.engine import import_rule_modules
    from auditor.rules.registry import RULES

    import_rule_modules()
    scored = {q for _, subs in catalogue.rubric_questions.values() for q in subs}
    problems = []
    for bank in catalogue.banks:
        for question in bank.questions():
            for feed in question.feeds:
                why = _unread(feed, question, catalogue, scored, RULES, report_texts)
                if why:
                    problems.append(Problem(path=(question.id, "feeds"), message=f"{feed}: {why}"))
    return problems


def _unread(feed: str, question: Question, catalogue: Catalogue, scored: set[str],
            checks: dict[str, Any], report_texts: list[str]) -> str:
    qid = question.id
    if feed == "score":
        return "" if qid in scored else "scoring reads only the rubric sub-questions"
    if feed == "report":
        return "" if any(qid in text for text in report_texts) else \
            "no report template quotes this question"
    kind, _, target = feed.partition(":")
    if kind == "targets":
        from auditor.schema.kinds import COMPONENT_IDS

        return "" if target in COMPONENT_IDS and "targets" in Audit.model_fields else \
            f"'{target}' is not a blueprint component"
    if kind in ("inventory", "vision"):
        return "" if _has_field(kind, target) else f"the audit file has no field {kind}.{target}"
    meta = catalogue.rule(target)
    if meta is None or target not in checks:
        return f"there is no rule {target}"
    needs = {alt for need in meta.needs for alt in need.split("|")}
    if f"answers:{qid}" in needs or qid in getattr(meta, "notes_from", ()):
        return ""
    source = inspect.getsource(checks[target])
    if question.type == "inventory" and question.collection and (
            question.collection in needs or _reads_collection(question.collection, needs, source)):
        return ""
    if f'"{qid}"' in source:
        return ""
    for key, value in meta.thresholds.items():
        if qid in set(_strings(value)) and f'"{key}"' in source:
            return ""
    return f"rule {target} does not read {qid}"


#: Needs that read a collection without naming it.
_NEEDS_READING = {"stages": "journeys", "owners": "journeys", "channel-volumes": "channels"}


def _reads_collection(collection: str, needs: set[str], source: str) -> bool:
    """Whether a check reads ``collection``: a need that reads it, or graph nodes of its kind
    named in the check (``ctx.nodes_of("metric")``)."""
    if any(_NEEDS_READING.get(n) == collection for n in needs):
        return True
    kind = {"capabilities": "capability", "policies": "policy", "data": "data"}.get(
        collection, collection.rstrip("s"))
    # Edges that carry the collection's items into the graph ("measures" for metrics).
    words = {kind, *_EDGES.get(collection, ())}
    return any(f'"{w}"' in source for w in words)


_EDGES = {"metrics": ("measures",), "teams": ("owns", "staffed_by"), "policies": ("enforces",),
          "capabilities": ("provides",), "touchpoints": ("serves",)}


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


def _has_field(section: str, dotted: str) -> bool:
    """Whether ``section.dotted`` (e.g. inventory, 'systems.masters') is a field of the audit."""
    from typing import get_args

    from pydantic import BaseModel

    model: Any = Audit
    for name in [section, *dotted.split(".")]:
        fields = model.model_fields
        if name not in fields:
            return False
        annotation = fields[name].annotation
        # list[System] -> System; plain fields end the walk.
        inner = [a for a in (annotation, *get_args(annotation))
                 if isinstance(a, type) and issubclass(a, BaseModel)]
        model = inner[0] if inner else None
        if model is None and name != dotted.split(".")[-1]:
            return False
    return True


def report_texts(root: Path) -> list[str]:
    """The text of every report template under ``root`` (the reports/ content folder)."""
    if not root.is_dir():
        return []
    return [p.read_text(encoding="utf-8", errors="replace") for p in sorted(root.rglob("*"))
            if p.is_file() and p.suffix in (".j2", ".html", ".md", ".jinja", ".txt")]
