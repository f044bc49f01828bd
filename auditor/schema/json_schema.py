"""The JSON Schema of the audit file, for yaml-language-server and other tools."""

from __future__ import annotations

from typing import Any

from auditor import __version__
from auditor.schema.audit import Audit

SCHEMA_ID = "https://github.com/engagement-auditor/auditor/schema/audit.schema.json"


def audit_json_schema() -> dict[str, Any]:
    schema = Audit.model_json_schema(by_alias=True, mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"Engagement Ecosystem Auditor audit file (auditor {__version__})",
        **schema,
    }
