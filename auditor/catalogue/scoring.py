"""The scoring content (``blueprints/scoring*.yaml``): stages, evidence weights, signatures.

A consultant's file of the same name replaces the built-in one; the signature ids are checked
against the registered checks when the analysis first uses them.
"""

from __future__ import annotations

from auditor.content import ContentFile, load_model
from auditor.errors import ContentError
from auditor.schema.catalogue import ScoringCatalogue


def read_scoring(files: list[ContentFile], questions: set[str]) -> ScoringCatalogue:
    """The scoring catalogue; ``questions`` are the audit question ids signatures may name."""
    if not files:
        raise ContentError("no blueprints/scoring.yaml found",
                           hint="Reinstall auditor, or add scoring.yaml to your --content folder.")
    scoring = load_model(files[-1].path, ScoringCatalogue)
    for sig in scoring.signatures:
        unknown = sorted(set(sig.questions) - questions)
        if unknown:
            raise ContentError(
                f"{files[-1].path}: signature '{sig.id}' names unknown question(s) "
                f"{', '.join(unknown)}", hint="Questions: " + ", ".join(sorted(questions)))
    return scoring
