"""Display labels shared by every output (terminal, diagram, report), so that one thing is
called the same everywhere and a translation has one place to look."""

from __future__ import annotations

#: Display names of the system roles (DOMAIN.md §1), plural because they title groups.
ROLE_LABELS: dict[str, str] = {
    "system-of-record": "Systems of record",
    "system-of-engagement": "Systems of engagement",
    "cdp": "Customer data platforms",
    "orchestration": "Orchestration",
    "marketing-automation": "Marketing automation",
    "service-desk": "Service desk",
    "commerce": "Commerce",
    "erp": "ERP & back office",
    "communications-platform": "Communications platforms",
    "community": "Community",
    "analytics": "Analytics",
    "advertising": "Advertising",
    "integration": "Integration",
    "data-quality": "Data quality",
    "other": "Other systems",
}

#: What a to-build item is, in words (backtracking's build kinds).
BUILD_KIND_LABELS: dict[str, str] = {
    "new-capability": "new capability", "new-master": "new master", "new-flow": "new flow",
    "extend-flow": "extend flow", "faster-flow": "faster flow",
    "new-touchpoint": "new touchpoint", "new-skill": "new skill",
}
