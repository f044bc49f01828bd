"""The product catalogue (``blueprints/products.yaml``): known products and what they usually do.

Picking a product while capturing a system pre-fills vendor, product, roles and capabilities.
The catalogue is content: a consultant can extend or replace it with ``--content``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

from auditor.content import ContentFile, load_model, merge_by_id
from auditor.errors import ContentError
from auditor.schema.audit import Id, SystemRole


class _Content(BaseModel):
    # Built on first validation, not at import: a run that finds the compiled catalogue in
    # the cache (auditor.catalogue.compiled) unpickles content and never validates it.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class CapabilityName(_Content):
    id: Id
    name: str = Field(min_length=1, max_length=200)
    #: System roles that provide the capability by definition (a CDP resolves identities),
    #: whatever product the system is.
    roles: list[SystemRole] = Field(default_factory=list)


class Product(_Content):
    id: Id
    name: str = Field(min_length=1, max_length=200)
    vendor: str = Field(min_length=1, max_length=200)
    aliases: list[str] = Field(default_factory=list)
    category: str = Field(min_length=1, max_length=60)
    roles: list[SystemRole] = Field(min_length=1)
    capabilities: list[Id] = Field(default_factory=list)

    def matches(self, text: str) -> bool:
        """Whether ``text`` names this product (id, name or an alias, case-insensitive)."""
        key = text.strip().lower()
        return key in {self.id, self.name.lower(), *(a.lower() for a in self.aliases)}


class ProductCatalogue(_Content):
    capabilities: list[CapabilityName] = Field(default_factory=list)
    products: list[Product] = Field(default_factory=list)

    @model_validator(mode="after")
    def _known_capabilities(self) -> ProductCatalogue:
        known = {c.id for c in self.capabilities}
        for product in self.products:
            unknown = [c for c in product.capabilities if c not in known]
            if unknown:
                raise ValueError(f"product '{product.id}' names unknown capabilities: "
                                 f"{', '.join(unknown)} (add them under 'capabilities:')")
        return self


class Products:
    """All product files merged (a later file's product with the same id wins)."""

    def __init__(self, files: list[ProductCatalogue]) -> None:
        self.products: list[Product] = merge_by_id(f.products for f in files)
        capabilities = merge_by_id(f.capabilities for f in files)
        self.capability_names: dict[str, str] = {c.id: c.name for c in capabilities}
        self.capability_roles: dict[str, frozenset[str]] = {
            c.id: frozenset(c.roles) for c in capabilities if c.roles}
        self._index: dict[str, Product] | None = None

    def find(self, text: str) -> Product | None:
        """The product ``text`` names exactly (id, name or alias), if any: the first in file
        order, as ``Product.matches`` would find it, from an index built once (rules ask for
        every system of a large estate)."""
        if self._index is None:
            index: dict[str, Product] = {}
            for p in self.products:
                for key in (p.id, p.name.lower(), *(a.lower() for a in p.aliases)):
                    index.setdefault(key, p)
            self._index = index
        return self._index.get(text.strip().lower())

    def names(self) -> list[str]:
        """Product names for autocompletion."""
        return [p.name for p in self.products]

    def capability_name(self, capability_id: str) -> str:
        return self.capability_names.get(capability_id, capability_id.replace("-", " ").capitalize())


def read_products(files: list[ContentFile]) -> Products:
    """The effective product catalogue: every ``blueprints/*products*.yaml`` file."""
    if not files:
        raise ContentError("no product catalogue found (blueprints/products.yaml)",
                           hint="Reinstall auditor, or check your --content folder.")
    return Products([load_model(cf.path, ProductCatalogue) for cf in files])
