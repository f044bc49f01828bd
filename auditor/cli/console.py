"""The one place terminal output is configured: rich, 80-column friendly, NO_COLOR honoured."""

from __future__ import annotations

import os
import sys

from rich.console import Console
from rich.theme import Theme

THEME = Theme({
    "ok": "green", "warn": "yellow", "bad": "bold red", "muted": "dim", "id": "cyan",
    "critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "dim",
})


def make_console(stderr: bool = False, width: int | None = None) -> Console:
    """A console for humans. Rich already honours NO_COLOR and narrow terminals; when output is
    not a terminal we default to 80 columns so piped text wraps the same everywhere."""
    stream = sys.stderr if stderr else sys.stdout
    if width is None and not stream.isatty():
        width = int(os.environ.get("COLUMNS", "80") or 80)
    return Console(file=stream, theme=THEME, width=width, highlight=False, soft_wrap=False)


out = make_console()
err = make_console(stderr=True)


def refresh() -> None:
    """Re-bind the consoles to the current streams (tests swap sys.stdout)."""
    global out, err
    out = make_console()
    err = make_console(stderr=True)
