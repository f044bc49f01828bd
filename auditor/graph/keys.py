"""Node keys of the ecosystem graph.

Most inventory ids are graph keys as they are, since they share one namespace in the audit.
Skills have a namespace of their own (a skill 'identity-resolution' and a capability
'identity-resolution' may both exist), so their nodes are keyed ``skill:<id>``.
"""

from __future__ import annotations

SKILL_PREFIX = "skill:"


def skill_key(skill: str) -> str:
    """Graph key of the skill with audit id ``skill``."""
    return SKILL_PREFIX + skill


def skill_id(node: str) -> str:
    """Audit id of a skill node (the key without its prefix)."""
    return node.removeprefix(SKILL_PREFIX)
