"""The inventory appendix: one row per item, every reference shown by name."""

from __future__ import annotations

from dataclasses import dataclass

from auditor.render.report.names import Names
from auditor.schema.audit import Audit


@dataclass(frozen=True)
class SystemRow:
    name: str
    roles: tuple[str, ...]
    product: str | None
    lifecycle: str | None
    owners: tuple[str, ...]
    planned: bool


@dataclass(frozen=True)
class ChannelRow:
    name: str
    kind: str
    interactions: int | None


@dataclass(frozen=True)
class TouchpointRow:
    name: str
    style: str
    channel: str | None
    systems: tuple[str, ...]
    planned: bool


@dataclass(frozen=True)
class FlowRow:
    source: str
    target: str
    data: tuple[str, ...]
    mode: str
    frequency: str | None
    via: str | None
    planned: bool


@dataclass(frozen=True)
class DataRow:
    name: str
    data_class: str
    masters: tuple[str, ...]
    steward: str | None
    survivorship: str | None


@dataclass(frozen=True)
class TeamRow:
    name: str
    kind: str
    external: bool
    skills: tuple[tuple[str, int, int | None], ...]  # (skill name, level 0-3, people or None)
    owns: tuple[str, ...]


@dataclass(frozen=True)
class InventoryView:
    systems: tuple[SystemRow, ...]
    channels: tuple[ChannelRow, ...]
    touchpoints: tuple[TouchpointRow, ...]
    flows: tuple[FlowRow, ...]
    data: tuple[DataRow, ...]
    teams: tuple[TeamRow, ...]

    def __bool__(self) -> bool:
        return any((self.systems, self.channels, self.touchpoints, self.flows, self.data,
                    self.teams))


def inventory_view(audit: Audit, names: Names) -> InventoryView:
    inv = audit.inventory
    masters: dict[str, list[str]] = {}
    owned: dict[str, list[str]] = {}
    for s in inv.systems:
        for d in s.masters:
            masters.setdefault(d, []).append(s.name)
        for team in s.owners:
            owned.setdefault(team, []).append(s.name)
    systems = tuple(SystemRow(
        s.name, tuple(s.roles), " ".join(p for p in (s.vendor, s.product) if p) or None,
        s.lifecycle, names.many(s.owners), s.status == "planned")
        for s in sorted(inv.systems, key=lambda s: s.name.casefold()))
    channels = tuple(ChannelRow(c.name, c.kind, c.interactions_per_year) for c in sorted(
        inv.channels, key=lambda c: (-(c.interactions_per_year or 0), c.name.casefold())))
    touchpoints = tuple(TouchpointRow(t.name, t.style, names(t.channel) or None,
                                      names.many(t.systems), t.status == "planned")
                        for t in sorted(inv.touchpoints, key=lambda t: t.name.casefold()))
    flows = tuple(FlowRow(names(f.source), names(f.target), names.many(f.data), f.mode,
                          f.frequency, names(f.via) or None, f.status == "planned")
                  for f in sorted(inv.flows, key=lambda f: (names(f.source).casefold(),
                                                            names(f.target).casefold())))
    data = tuple(DataRow(d.name, d.data_class, tuple(masters.get(d.id, [])),
                         names(d.steward) or None, d.survivorship)
                 for d in sorted(inv.data, key=lambda d: (d.data_class, d.name.casefold())))
    teams = tuple(TeamRow(t.name, t.kind, t.external,
                          tuple((names(h.skill), h.level, h.people) for h in t.skills),
                          tuple(owned.get(t.id, [])))
                  for t in sorted(inv.teams, key=lambda t: t.name.casefold()))
    return InventoryView(systems, channels, touchpoints, flows, data, teams)
