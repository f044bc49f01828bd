"""Stages the demo runs after validation, registered by the modules that provide them.

The demo analyses the audit once; each step receives that analysis (the audit, its graph and
the assessment) and the output folder, renders its part and prints what it did.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.analysis.assess import Analysis

Step = Callable[["Analysis", Path], None]
STEPS: list[Step] = []


def demo_step(func: Step) -> Step:
    STEPS.append(func)
    return func
