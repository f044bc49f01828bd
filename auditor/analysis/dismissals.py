"""Findings the consultant dismissed: which are hidden, which came back, which are stale.

A dismissal in the audit names a finding by its key. While the finding fires and the
dismissal has not run out (``until``), the finding is hidden from the gap list and counted
instead. A dismissal whose ``until`` has passed hides nothing; one whose finding no longer
fires at all is stale (the problem was fixed, or the audit changed) and should be removed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from auditor.schema.assessment import Finding
from auditor.schema.audit import Dismissal


@dataclass(frozen=True)
class Dismissed:
    finding: Finding
    dismissal: Dismissal


@dataclass(frozen=True)
class DismissalView:
    shown: tuple[Finding, ...]  # in the order given
    dismissed: tuple[Dismissed, ...]  # hidden: dismissed and still in force
    expired: tuple[Dismissed, ...]  # shown again: the dismissal ran out
    stale: tuple[Dismissal, ...]  # the finding no longer fires


def apply_dismissals(findings: list[Finding] | tuple[Finding, ...],
                     dismissals: list[Dismissal], today: dt.date) -> DismissalView:
    by_key = {d.finding: d for d in dismissals}
    shown: list[Finding] = []
    dismissed: list[Dismissed] = []
    expired: list[Dismissed] = []
    fired: set[str] = set()
    for finding in findings:
        fired.add(finding.key)
        dismissal = by_key.get(finding.key)
        if dismissal is None:
            shown.append(finding)
        elif dismissal.until is not None and dismissal.until < today:
            shown.append(finding)
            expired.append(Dismissed(finding, dismissal))
        else:
            dismissed.append(Dismissed(finding, dismissal))
    stale = tuple(d for d in dismissals if d.finding not in fired)
    return DismissalView(tuple(shown), tuple(dismissed), tuple(expired), stale)


def in_force(dismissals: list[Dismissal], today: dt.date) -> frozenset[str]:
    """The keys of the findings a dismissal sets aside on ``today`` (those that ran out show
    again); whether each still fires does not matter here."""
    return frozenset(d.finding for d in dismissals if d.until is None or d.until >= today)
