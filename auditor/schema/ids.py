"""Stable, human-readable ids: lower-kebab-case, derived from names."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

_NON_ID = re.compile(r"[^a-z0-9]+")


def slugify(text: str, max_length: int = 60) -> str:
    """'Salesforce Sales Cloud (EU)' -> 'salesforce-sales-cloud-eu'; '' when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NON_ID.sub("-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-")


def unique_id(base: str, taken: Collection[str]) -> str:
    """``base`` itself, or ``base-2``, ``base-3`` … whichever is not taken yet."""
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
