"""Driving the real prompts from a pipe, as prompt_toolkit's and questionary's own tests do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

UP, DOWN, ENTER, CTRL_C, BACKSPACE = "\x1b[A", "\x1b[B", "\r", "\x03", "\x7f"


def run_with_keys(keys: str, action: Callable[[], Any]) -> Any:
    """Run ``action`` with the real questionary prompts reading ``keys`` from a pipe.

    prompt_toolkit keeps keys a finished prompt did not use as type-ahead for the next one, so
    a whole session can be typed in advance, exactly as a fast typist would.
    """
    from prompt_toolkit.application import create_app_session
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        with create_app_session(input=pipe, output=DummyOutput()):
            return action()
