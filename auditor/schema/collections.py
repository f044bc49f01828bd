"""The lists a capture loop fills, and which of their fields point at other lists.

The audit model knows field types; what it cannot say is which list an id field refers to.
That knowledge lives here once, for capture prompts (autocompletion, checkboxes) and for
validating the ``fields`` of inventory questions in a bank.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from auditor.schema.audit import (
    Audit,
    Capability,
    Channel,
    DataEntity,
    Flow,
    Journey,
    Metric,
    Need,
    Policy,
    Segment,
    Skill,
    System,
    Team,
    Touchpoint,
)

MODELS: dict[str, type[BaseModel]] = {
    "systems": System, "channels": Channel, "touchpoints": Touchpoint, "flows": Flow,
    "data": DataEntity, "journeys": Journey, "teams": Team, "skills": Skill, "metrics": Metric,
    "policies": Policy, "capabilities": Capability, "segments": Segment, "needs": Need,
}

#: (collection, field) -> the collection its ids come from. "stages" are journey stages.
REFERENCES: dict[tuple[str, str], str] = {
    ("systems", "owners"): "teams",
    ("systems", "capabilities"): "capabilities",
    ("systems", "masters"): "data",
    ("systems", "requires_skills"): "skills",
    ("touchpoints", "channel"): "channels",
    ("touchpoints", "systems"): "systems",
    ("touchpoints", "stage"): "stages",
    ("flows", "source"): "systems",
    ("flows", "target"): "systems",
    ("flows", "via"): "systems",
    ("flows", "data"): "data",
    ("data", "steward"): "teams",
    ("journeys", "owner"): "teams",
    ("metrics", "owner"): "teams",
    ("metrics", "measures"): "measurable",
    ("policies", "trigger"): "data",
    ("policies", "executors"): "systems",
    ("capabilities", "requires"): "data",
    ("needs", "segment"): "segments",
    ("needs", "channel"): "channels",
    ("needs", "capabilities"): "capabilities",
}

#: Questions a bank may ask that are stored elsewhere: a data item's masters are kept on the
#: systems (``System.masters``), but "which systems create it?" is asked about the data item.
VIRTUAL_FIELDS: dict[tuple[str, str], str] = {("data", "mastered_by"): "systems"}

#: Readable words for enumerated values, shown next to the value in capture lists.
VALUE_NOTES: dict[str, str] = {
    "identity": "who the person is: names, ids",
    "contact-point": "email, phone, address",
    "profile": "preferences, attributes, scores",
    "consent": "permissions to contact",
    "interaction": "visits, clicks, messages, calls",
    "transaction": "orders, gifts, bookings, payments",
    "case": "complaints, requests, tickets",
    "status": "back-office state: delivery, claim",
    "product": "what is sold or offered",
    "broadcast": "sends only (newsletter, ads)",
    "one-way-in": "only receives (a form, a survey)",
    "two-way": "a conversation (chat, phone, support email)",
    "participation": "customers talk to each other",
    "system-of-record": "the authoritative customer record",
    "system-of-engagement": "where customers are engaged",
    "cdp": "customer data platform",
    "orchestration": "decides the next action across channels",
    "communications-platform": "voice, messaging, video",
    "erp": "back office, finance, supply chain",
    "activity": "counts: sends, opens, followers",
    "outcome": "results: retention, repeat purchase",
    "responsiveness": "how fast and whether replies come",
    "real-time": "as it happens",
    "batch": "scheduled transfers",
    "manual": "exports and uploads by hand",
}

#: Fields a capture loop cannot ask for one at a time (nested lists, bookkeeping).
NOT_ASKABLE = {"id", "status", "to_confirm", "attributes"}

#: Singular nouns for prompts ("Add another system?").
ITEM_NOUNS: dict[str, str] = {
    "systems": "system", "channels": "channel", "touchpoints": "touchpoint", "flows": "flow",
    "data": "data item", "journeys": "journey", "teams": "team", "skills": "skill",
    "metrics": "metric", "policies": "engagement policy", "capabilities": "capability",
    "segments": "segment", "needs": "need",
}


def items(audit: Audit, collection: str) -> list[Any]:
    """The live list behind ``collection`` (mutating it changes the audit)."""
    if collection in ("segments", "needs"):
        return list(getattr(audit.vision, collection))
    return list(getattr(audit.inventory, collection))


def replace_items(audit: Audit, collection: str, new: list[Any]) -> None:
    """Assign a whole list back, so the model re-validates it."""
    owner = audit.vision if collection in ("segments", "needs") else audit.inventory
    setattr(owner, collection, new)


def ids_of(audit: Audit, collection: str) -> list[str]:
    """Ids a reference field may use, in file order."""
    inv = audit.inventory
    if collection == "stages":
        return [s.id for j in inv.journeys for s in j.stages]
    if collection == "measurable":
        return (ids_of(audit, "touchpoints") + ids_of(audit, "stages")
                + ids_of(audit, "channels") + ids_of(audit, "journeys"))
    if collection == "data":
        return [d.id for d in inv.data] + [a.id for d in inv.data for a in d.attributes]
    return [item.id for item in items(audit, collection)]
