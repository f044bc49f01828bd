"""pydantic errors -> problems a consultant can act on ("did you mean …", field names)."""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from auditor.problems import PathPart, Problem, did_you_mean

#: Words consultants (and other tools) use for our enumerated values.
SYNONYMS: dict[str, str] = {
    "crm": "system-of-record",
    "sor": "system-of-record",
    "record": "system-of-record",
    "soe": "system-of-engagement",
    "engagement": "system-of-engagement",
    "esp": "marketing-automation",
    "map": "marketing-automation",
    "marketing": "marketing-automation",
    "helpdesk": "service-desk",
    "help-desk": "service-desk",
    "ticketing": "service-desk",
    "ecommerce": "commerce",
    "e-commerce": "commerce",
    "back-office": "erp",
    "ccaas": "communications-platform",
    "contact-center": "communications-platform",
    "ipaas": "integration",
    "esb": "integration",
    "middleware": "integration",
    "bi": "analytics",
    "ads": "advertising",
    "realtime": "real-time",
    "real time": "real-time",
    "manually": "manual",
    "two way": "two-way",
    "one-way": "one-way-in",
    "inbound": "one-way-in",
    "outbound": "broadcast",
}

_NOUNS = {
    "roles": "system role",
    "mode": "flow mode",
    "frequency": "frequency",
    "style": "touchpoint style",
    "purpose": "touchpoint purpose",
    "class": "data class",
    "lifecycle": "lifecycle (TIME)",
    "status": "status",
    "max_latency": "latency",
}


def problems_from_validation(exc: ValidationError, root: type[BaseModel]) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        path = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        problems.append(Problem(path=path, message=_message(err, path, root)))
    return problems


def _message(err: Any, path: tuple[PathPart, ...], root: type[BaseModel]) -> str:
    kind = err["type"]
    value = err.get("input")
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(err.get("ctx", {}).get("expected", "")))
        field = next((p for p in reversed(path) if isinstance(p, str)), "value")
        noun = _NOUNS.get(field, field.replace("_", " "))
        hint = _suggest(value, allowed)
        listing = ", ".join(allowed) if len(allowed) <= 8 else ", ".join(allowed[:8]) + ", …"
        return f"{_show(value)} is not a valid {noun}{hint} (one of: {listing})"
    if kind == "extra_forbidden":
        extra = str(path[-1]) if path else "?"
        known = _fields_at(root, path[:-1])
        return f"unknown field '{extra}'{did_you_mean(extra, known)}"
    if kind == "missing":
        return f"missing required field '{path[-1]}'" if path else "missing required field"
    if kind == "string_pattern_mismatch" and path and path[-1] == "finding":
        return (f"{_show(value)} is not a finding key: write it as 'auditor gaps --json' "
                "shows it, e.g. 'PER-06:store'")
    if kind == "string_pattern_mismatch" and path and path[-1] in ("id", "segment", "source", "target"):
        return f"{_show(value)} is not a valid id: use lower-case words joined by '-', e.g. 'crm-sales'"
    if kind == "string_pattern_mismatch":
        return f"{_show(value)} is not a valid id: use lower-case words joined by '-'"
    msg = str(err.get("msg", "invalid value"))
    msg = msg.removeprefix("Value error, ")
    return f"{msg} (got {_show(value)})" if kind.endswith(("_type", "_parsing")) else msg


def _suggest(value: Any, allowed: list[str]) -> str:
    if isinstance(value, str):
        synonym = SYNONYMS.get(value.strip().lower())
        if synonym in allowed:
            return f"; did you mean '{synonym}'?"
    return did_you_mean(value, allowed)


def _show(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _fields_at(root: type[BaseModel], path: tuple[PathPart, ...]) -> list[str]:
    """Field names (as written in the file) of the model found at ``path`` below ``root``."""
    model: Any = root
    for part in path:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        if field is None:
            return []
        model = _unwrap(field.annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [f.alias or n for n, f in model.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    """list[X] / X | None / Annotated[X, …] -> X, for walking down to a nested model."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (list, tuple, set) or origin is typing.Union or origin is types.UnionType:
            models = [a for a in typing.get_args(annotation)
                      if isinstance(a, type) and issubclass(a, BaseModel) or typing.get_origin(a) is not None]
            if not models:
                return None
            annotation = models[0]
        else:
            return annotation
