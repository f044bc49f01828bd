"""Stages the demo runs after validation, registered by the modules that provide them.

Each step takes the audit and the output folder and prints what it did.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

Step = Callable[[Any, Path], None]
STEPS: list[Step] = []


def demo_step(func: Step) -> Step:
    STEPS.append(func)
    return func
