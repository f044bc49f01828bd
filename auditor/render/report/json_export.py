"""The whole assessment as JSON, and the JSON Schema other tools validate it against."""

from __future__ import annotations

from typing import Any

from auditor.schema.assessment import Assessment

SCHEMA_ID = "https://github.com/engagement-auditor/auditor/schema/assessment.schema.json"


def assessment_json(assessment: Assessment) -> str:
    """Byte-identical for the same assessment (the model is built in a fixed order)."""
    return assessment.model_dump_json(indent=2) + "\n"


def assessment_json_schema() -> dict[str, Any]:
    schema = Assessment.model_json_schema(mode="serialization")
    out: dict[str, Any] = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                           "$id": SCHEMA_ID, **schema}
    out["title"] = "Engagement Ecosystem Auditor assessment (assessment.json of `auditor report`)"
    return out
