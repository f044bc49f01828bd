"""Who is answering: matching ``--respondent`` to a stakeholder in the audit, or adding one."""

from __future__ import annotations

from auditor.errors import InputNeededError, UserError
from auditor.problems import did_you_mean
from auditor.schema.audit import Audit, Respondent
from auditor.schema.ids import slugify, unique_id


def find_respondent(audit: Audit, text: str) -> Respondent | None:
    """The respondent whose id, name or role is ``text`` (case-insensitive), if exactly one."""
    key = text.strip().lower()
    if not key:
        return None
    for attr in ("id", "name", "role"):
        hits = [r for r in audit.respondents if (getattr(r, attr) or "").strip().lower() == key]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            names = ", ".join(f"{r.id} ({r.name})" for r in hits)
            raise UserError(f"'{text}' matches several respondents: {names}",
                            hint="Use the respondent's id instead.")
    slug = slugify(text)
    exact = next((r for r in audit.respondents if r.id == slug), None)
    if exact is not None:
        return exact
    # "dana" for Dana Ortiz: a first name is how people are named in a workshop. Only a
    # single match counts, so two Danas never get mixed up.
    starts = [r for r in audit.respondents
              if slug and (r.id.startswith(slug + "-") or r.name.lower().split()[0] == key)]
    return starts[0] if len(starts) == 1 else None


def known_respondents(audit: Audit) -> str:
    if not audit.respondents:
        return "there are no respondents in this audit yet"
    return "known respondents: " + "; ".join(
        f"{r.id} ({r.name}{', ' + r.role if r.role else ''})" for r in audit.respondents)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def require_respondent(audit: Audit, text: str | None, *, action: str,
                       add: bool = False, audit_path: str = "AUDIT") -> Respondent:
    """The respondent named by ``text``, or an error listing who is known (no prompting).

    With ``add``, an unknown ``text`` becomes a new respondent of that name instead.
    """
    if text is None:
        if len(audit.respondents) == 1:
            return audit.respondents[0]
        raise InputNeededError(f"say who is answering: --respondent is needed to {action}",
                               hint=_sentence(known_respondents(audit)))
    found = find_respondent(audit, text)
    if found is None and add and text.strip():
        return add_respondent(audit, text)
    if found is None:
        pool = [r.id for r in audit.respondents] + [r.name for r in audit.respondents]
        raise InputNeededError(
            f"'{text}' is not a respondent of this audit{did_you_mean(text, pool)}",
            hint=_sentence(known_respondents(audit))
            + f" To add them, pass --add-respondent, or first run: auditor respondent add "
              f"{_quoted(audit_path)} {_quoted(text)}.")
    return found


def _quoted(text: str) -> str:
    return f'"{text}"' if any(ch in text for ch in " '\"$") else text


def add_respondent(audit: Audit, name: str, role: str | None = None,
                   department: str | None = None) -> Respondent:
    """Add a stakeholder with an id derived from the name (unique in the audit)."""
    if not name.strip():
        raise UserError("a respondent needs a name", hint='Example: auditor respondent add '
                        '"Dana Ortiz" --role "Head of Service"')
    twin = next((r for r in audit.respondents if r.name.strip().lower() == name.strip().lower()), None)
    if twin is not None:
        raise UserError(f"'{name.strip()}' is already a respondent of this audit (id {twin.id})",
                        hint=f"Use --respondent {twin.id}; give a new person a distinct name.")
    base = slugify(name) or "respondent"
    respondent = Respondent(id=unique_id(base, {r.id for r in audit.respondents}),
                            name=name.strip(), role=role or None, department=department or None)
    audit.respondents = [*audit.respondents, respondent]
    return respondent
