"""Educated guesses from names, for what an ArchiMate model cannot say.

ArchiMate has no "system of record", no channel kinds, no data classes and no difference
between a customer and a department. These tables guess them from the element's name, only
where a word makes the answer plain ("CRM System" -> system of record); everything guessed is
listed in the item's ``to_confirm`` for the consultant. No match means no guess.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+")

# Ordered: the first table whose keyword occurs in the name wins (phrases before words).
SYSTEM_ROLES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cdp", ("cdp", "customer data platform")),
    ("system-of-record", ("crm", "customer relationship management")),
    ("service-desk", ("service desk", "helpdesk", "help desk", "ticketing", "zendesk",
                      "freshdesk")),
    ("communications-platform", ("call center", "call centre", "contact center",
                                 "contact centre", "telephony", "ccaas", "ivr")),
    ("marketing-automation", ("marketing automation", "email marketing", "campaign management",
                              "esp", "marketo", "mailchimp")),
    ("commerce", ("webshop", "web shop", "e commerce", "ecommerce", "commerce", "point of sale",
                  "pos", "checkout")),
    ("erp", ("erp", "financial", "finance", "accounting", "billing", "invoicing",
             "back office", "backoffice")),
    ("system-of-engagement", ("portal", "website", "web site", "cms", "mobile app")),
    ("analytics", ("analytics", "business intelligence", "bi", "data warehouse", "dwh",
                   "reporting")),
    ("integration", ("esb", "enterprise service bus", "integration", "middleware", "ipaas",
                     "api gateway", "message broker", "etl")),
    ("data-quality", ("mdm", "master data", "data quality")),
    ("community", ("community", "forum")),
    ("advertising", ("advertising", "ad server", "dsp", "ads")),
    ("orchestration", ("orchestration", "decisioning", "next best action")),
)

CHANNEL_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("e mail", "email", "newsletter")),
    ("sms", ("sms", "text message", "texting")),
    ("messaging", ("chat", "whatsapp", "messenger", "messaging", "wechat", "telegram")),
    ("phone", ("phone", "telephone", "call", "hotline", "ivr", "call center", "call centre")),
    ("mail", ("mail", "post", "postal", "letter")),
    ("app", ("app", "mobile", "ios", "android")),
    ("web", ("web", "website", "portal", "online", "internet", "site", "webshop")),
    ("social", ("social", "facebook", "twitter", "instagram", "linkedin", "tiktok")),
    ("video", ("video", "webinar", "zoom")),
    ("community", ("community", "forum")),
    ("paid-media", ("ads", "advertising", "paid media", "display")),
    ("in-person", ("store", "branch", "office", "counter", "desk", "in person",
                   "face to face", "event")),
)

DATA_CLASSES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("consent", ("consent", "opt in", "opt out", "permission", "preference", "subscription")),
    ("contact-point", ("e mail", "email", "phone", "address", "contact point", "contact details")),
    ("case", ("claim", "case", "ticket", "complaint", "incident", "request", "enquiry",
              "inquiry")),
    ("transaction", ("order", "payment", "invoice", "transaction", "sale", "purchase",
                     "donation", "gift", "premium", "booking", "reservation", "receipt")),
    ("interaction", ("interaction", "event", "visit", "click", "call", "message",
                     "conversation", "chat", "engagement", "activity")),
    ("status", ("status", "shipment", "delivery", "fulfilment", "fulfillment", "tracking")),
    ("product", ("product", "policy", "contract", "catalog", "catalogue", "plan", "tariff",
                 "offer", "coverage")),
    ("profile", ("profile", "file", "score", "segment")),
    ("identity", ("customer", "person", "individual", "party", "client", "member", "donor",
                  "student", "account", "contact", "patient", "citizen", "supporter")),
)

# Actors and roles: a department word makes it a team before anything else.
_TEAM_WORDS = ("relations", "service", "services", "support", "care", "department", "team",
               "desk", "office", "center", "centre", "management", "sales", "marketing",
               "finance", "operations", "board", "director", "manager", "officer", "hr", "hrm",
               "it", "legal", "processing", "ssc", "unit", "division", "staff", "employee",
               "agent", "development", "administration", "committee", "executive")
_SEGMENT_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("partner", ("partner", "intermediary", "broker", "reseller", "dealer", "supplier",
                 "bank", "distributor", "wholesaler")),
    ("community", ("community", "fans", "fan club", "followers")),
    ("advocate", ("advocate", "ambassador", "influencer", "promoter")),
    ("customer-segment", ("customer", "client", "insurant", "policyholder", "policy holder",
                          "consumer", "buyer", "shopper", "member", "donor", "supporter",
                          "patient", "student", "prospect", "subscriber", "guest", "citizen",
                          "visitor", "passenger", "tenant", "alumni", "alumnus", "user",
                          "household", "beneficiary")),
)
_AGENCY_WORDS = ("agency", "consultancy", "outsourcer", "contractor")
_EXECUTIVE_WORDS = ("board", "director", "chief", "ceo", "cfo", "cmo", "cio", "cto", "coo",
                    "cdo", "vp", "vice president", "president", "executive", "c level")


def words(name: str) -> str:
    """' crm system ' for 'CRM-System': lower-case words padded for whole-word matching."""
    return " " + " ".join(_WORD.findall(name.lower())) + " "


def _has(text: str, keywords: tuple[str, ...]) -> bool:
    """Whole words or phrases; a trailing plural 's' is allowed on the last word."""
    return any(f" {k} " in text or f" {k}s " in text for k in keywords)


def _first(name: str, table: tuple[tuple[str, tuple[str, ...]], ...]) -> str | None:
    text = words(name)
    return next((value for value, keywords in table if _has(text, keywords)), None)


def system_roles(name: str) -> list[str]:
    role = _first(name, SYSTEM_ROLES)
    return [role] if role else []


def channel_kind(name: str) -> str:
    return _first(name, CHANNEL_KINDS) or "other"


def data_class(name: str) -> str:
    return _first(name, DATA_CLASSES) or "other"


def actor_placement(name: str) -> tuple[str, str]:
    """('segments', segment kind) or ('teams', team kind hint) for a business actor or role."""
    text = words(name)
    if _has(text, _TEAM_WORDS):
        return "teams", "agency" if _has(text, _AGENCY_WORDS) else ""
    if _has(text, _AGENCY_WORDS):
        return "teams", "agency"
    for kind, keywords in _SEGMENT_KINDS:
        if _has(text, keywords):
            return "segments", kind
    return "teams", ""


def is_executive(name: str) -> bool:
    return _has(words(name), _EXECUTIVE_WORDS)
