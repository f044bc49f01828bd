"""The words a model import guesses from, and the property mapping: content in ``blueprints/``.

Read through the catalogue (``load_catalogue().import_vocabulary``), like all content.

``blueprints/import-vocabulary-<language>.yaml`` (English, French, Spanish, German and
Portuguese are built in) list, per value of the audit's enumerations, the words that suggest
it; ``blueprints/import-properties.yaml`` maps model property keys onto audit fields. Both are
validated on load with file:line errors, and a ``--content`` folder may replace a file or add
another language. Every vocabulary file adds words; none removes any.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from auditor.content import ContentFile, load_model
from auditor.errors import ContentError
from auditor.schema.audit import (
    ChannelKind,
    DataClass,
    Lifecycle,
    SegmentKind,
    SystemRole,
)

Words = list[str]

#: When a name holds words of several values, the first value here wins (phrases such as
#: "customer data platform" are listed under the value they mean, so order only settles ties).
SYSTEM_ROLE_ORDER: tuple[str, ...] = (
    "cdp", "system-of-record", "service-desk", "communications-platform",
    "marketing-automation", "commerce", "erp", "system-of-engagement", "analytics",
    "integration", "data-quality", "community", "advertising", "orchestration",
)
CHANNEL_ORDER: tuple[str, ...] = (
    "email", "sms", "messaging", "phone", "mail", "app", "web", "social", "video", "community",
    "paid-media", "in-person",
)
DATA_CLASS_ORDER: tuple[str, ...] = (
    "consent", "contact-point", "case", "transaction", "interaction", "status", "product",
    "profile", "identity",
)
SEGMENT_ORDER: tuple[str, ...] = ("partner", "community", "advocate", "customer-segment")


class _Content(BaseModel):
    # Built on first validation, not at import: a run that finds the compiled catalogue in
    # the cache (auditor.catalogue.compiled) unpickles content and never validates it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class People(_Content):
    titles: Words = Field(default_factory=list, description="Mr, Mme, Dr … before a name.")
    given_names: Words = Field(default_factory=list, description="Common first names.")
    one_person_roles: Words = Field(
        default_factory=list, description="Roles one person holds: CEO, head of service …")
    organisations: Words = Field(
        default_factory=list, description="Legal forms and words that make a name a firm's.")


class VocabularyFile(_Content):
    """One language's words. Every list is optional."""

    language: str = Field(min_length=2, max_length=40)
    system_roles: dict[SystemRole, Words] = Field(default_factory=dict)
    channel_kinds: dict[ChannelKind, Words] = Field(default_factory=dict)
    data_classes: dict[DataClass, Words] = Field(default_factory=dict)
    staff: Words = Field(default_factory=list,
                         description="Words that make an actor or role internal staff.")
    agency: Words = Field(default_factory=list, description="External service providers.")
    executive: Words = Field(default_factory=list)
    segments: dict[SegmentKind, Words] = Field(default_factory=dict)
    people: People = Field(default_factory=People)


PropertyField = Literal["owners", "vendor", "lifecycle", "tags"]


class PropertyRule(_Content):
    field: PropertyField
    keys: Words = Field(min_length=1, description="Property keys, any case and accents.")
    tag: str | None = Field(default=None, description="For tags: e.g. 'criticality: {value}'.")
    values: dict[Lifecycle, Words] = Field(
        default_factory=dict, description="For lifecycle: property values per TIME value.")


class PropertyMapping(_Content):
    properties: list[PropertyRule] = Field(default_factory=list)


@dataclass
class Vocabulary:
    """All vocabulary files merged: per table, ordered (value, words) pairs, words as written.

    The words are folded (case, accents) by the guesser that matches them, not here.
    """

    system_roles: list[tuple[str, list[str]]] = field(default_factory=list)
    channel_kinds: list[tuple[str, list[str]]] = field(default_factory=list)
    data_classes: list[tuple[str, list[str]]] = field(default_factory=list)
    segments: list[tuple[str, list[str]]] = field(default_factory=list)
    staff: list[str] = field(default_factory=list)
    agency: list[str] = field(default_factory=list)
    executive: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    given_names: list[str] = field(default_factory=list)
    one_person_roles: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    properties: list[PropertyRule] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def _table(files: list[VocabularyFile], attribute: str, order: tuple[str, ...]
           ) -> list[tuple[str, list[str]]]:
    merged: dict[str, list[str]] = {value: [] for value in order}
    for vocabulary in files:
        for value, listed in getattr(vocabulary, attribute).items():
            merged.setdefault(value, []).extend(listed)
    return [(value, keywords) for value, keywords in merged.items() if keywords]


def build(files: list[VocabularyFile], mappings: list[PropertyMapping]) -> Vocabulary:
    def flat(attribute: str) -> list[str]:
        return [w for f in files for w in _get(f, attribute)]

    return Vocabulary(
        system_roles=_table(files, "system_roles", SYSTEM_ROLE_ORDER),
        channel_kinds=_table(files, "channel_kinds", CHANNEL_ORDER),
        data_classes=_table(files, "data_classes", DATA_CLASS_ORDER),
        segments=_table(files, "segments", SEGMENT_ORDER),
        staff=flat("staff"), agency=flat("agency"), executive=flat("executive"),
        titles=flat("people.titles"), given_names=flat("people.given_names"),
        one_person_roles=flat("people.one_person_roles"),
        organisations=flat("people.organisations"),
        properties=[rule for mapping in mappings for rule in mapping.properties],
        languages=[f.language for f in files])


def _get(vocabulary: VocabularyFile, attribute: str) -> list[str]:
    value: object = vocabulary
    for part in attribute.split("."):
        value = getattr(value, part)
    assert isinstance(value, list)
    return value


def read_vocabulary(files: list[ContentFile]) -> Vocabulary:
    """Every ``import-vocabulary-*.yaml`` and ``import-properties*.yaml`` file, merged."""
    vocabularies = [load_model(cf.path, VocabularyFile) for cf in files
                    if cf.path.name.startswith("import-vocabulary")]
    mappings = [load_model(cf.path, PropertyMapping) for cf in files
                if cf.path.name.startswith("import-properties")]
    if not vocabularies:
        raise ContentError("no import vocabulary found (blueprints/import-vocabulary-*.yaml)",
                           hint="Reinstall auditor, or check your --content folder.")
    return build(vocabularies, mappings)
