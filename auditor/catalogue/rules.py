"""Gap-rule metadata (``blueprints/rules*.yaml``): merged by id across files, sorted by id.

Only the data: the check functions, and the cross-check between the two, live in
``auditor.rules``, which sits above the catalogue.
"""

from __future__ import annotations

from auditor.content import ContentFile, load_model, merge_by_id
from auditor.schema.catalogue import RuleCatalogue, RuleMeta


def read_rules(files: list[ContentFile]) -> tuple[RuleMeta, ...]:
    groups = [load_model(cf.path, RuleCatalogue).rules for cf in files]
    return tuple(sorted(merge_by_id(groups), key=lambda m: m.id))
