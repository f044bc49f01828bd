"""Findings that rest on what an import guessed and nobody has confirmed yet.

An ArchiMate or spreadsheet import guesses what a model cannot say (a system's role, a
channel's kind, a datum's class) and lists each guessed field in the item's ``to_confirm``; a
flow imported with no data carried is of unknown content. A finding whose evidence includes
such an item is only as sure as the guess: it says so, and counts as medium at most until the
consultant confirms (``auditor confirm``) or fills in the flow.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from auditor.schema.assessment import SEVERITY_RANK, Severity

if TYPE_CHECKING:
    from auditor.rules.registry import Hit, RuleContext

#: The most a finding resting on unconfirmed guesses may weigh.
CAP: Severity = "medium"


@dataclass(frozen=True)
class Unconfirmed:
    """One evidence item still to confirm: its id, its guessed fields, or a flow of unknown
    content (no data listed)."""

    item: str
    fields: tuple[str, ...] = ()
    unknown_flow: bool = False


def _to_confirm(ctx: RuleContext) -> dict[str, Unconfirmed]:
    """Every inventory item with a guess to confirm, and every flow carrying nothing known."""
    def make() -> dict[str, Unconfirmed]:
        inv = ctx.audit.inventory
        found: dict[str, Unconfirmed] = {}
        for section in type(inv).model_fields:
            for item in getattr(inv, section):
                fields = tuple(getattr(item, "to_confirm", ()) or ())
                if fields:
                    found[item.id] = Unconfirmed(item.id, fields)
        for flow in inv.flows:
            if not flow.data:
                known = found.get(flow.id)
                found[flow.id] = Unconfirmed(flow.id, known.fields if known else (), True)
        return found
    result: dict[str, Unconfirmed] = ctx.cached("to-confirm", make)
    return result


def unconfirmed_evidence(ctx: RuleContext, hit: Hit) -> tuple[Unconfirmed, ...]:
    """What of ``hit``'s evidence (nodes and flows) is a guess still to confirm."""
    pending = _to_confirm(ctx)
    if not pending:
        return ()
    ids = dict.fromkeys((*hit.nodes, *hit.edges))
    return tuple(pending[i] for i in ids if i in pending)


def capped(severity: Severity, unconfirmed: tuple[Unconfirmed, ...]) -> Severity:
    """``severity``, no higher than ``CAP`` while anything it rests on is unconfirmed."""
    if unconfirmed and SEVERITY_RANK[severity] > SEVERITY_RANK[CAP]:
        return CAP
    return severity
