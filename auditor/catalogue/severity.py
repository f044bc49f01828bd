"""Severity that fits the client (``blueprints/severity*.yaml``): size bands, the maturity
below which a client lays foundations, and the remedies whose findings only become urgent at
scale. The last file wins, so a consultant's file replaces the built-in scaling; remedies it
names must exist."""

from __future__ import annotations

from collections.abc import Iterable

from auditor.content import ContentFile, load_model
from auditor.errors import ContentError
from auditor.problems import Problem, did_you_mean
from auditor.schema.catalogue import Remedy, SeverityScaling


def read_severity_scaling(files: list[ContentFile], remedies: Iterable[Remedy]) -> SeverityScaling:
    scaling = SeverityScaling()
    source = "blueprints/severity.yaml"
    for cf in sorted(files, key=lambda cf: not cf.builtin):
        scaling = load_model(cf.path, SeverityScaling)
        source = cf.relative
    known = sorted(r.id for r in remedies)
    problems = [Problem(path=("advanced", i, "remedies", j), file=source,
                        message=f"unknown remedy '{rid}'{did_you_mean(rid, known)}")
                for i, work in enumerate(scaling.advanced)
                for j, rid in enumerate(work.remedies) if rid not in known]
    if problems:
        raise ContentError("the severity scaling names remedies that do not exist",
                           problems=problems)
    return scaling
