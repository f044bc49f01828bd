"""Terminal prompts: the one place a prompt description becomes a questionary question.

Everything the interview asks (bank questions, inventory fields, confirmations) is described
as a ``Prompt`` and asked through ``ask()``. That keeps the look, the navigation keys and the
Ctrl-C behaviour identical everywhere, and keeps questionary out of the rest of the code.

Navigation keys (on an empty input line, or anywhere in a list):
``?`` help, ``<`` back, ``>`` skip, ``!`` not applicable.
"""

from __future__ import annotations

import enum
import signal
import threading
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

NAV_LEGEND = "? help  < back  > skip  ! not applicable  Ctrl-C save and stop"


class Nav(enum.Enum):
    """What a navigation key asks for instead of an answer."""

    HELP = "?"
    BACK = "<"
    SKIP = ">"
    NOT_APPLICABLE = "!"


@dataclass
class Prompt:
    kind: Literal["select", "checkbox", "text", "confirm"]
    message: str
    choices: Sequence[tuple[str, Any]] = ()  # (title, value)
    default: Any = None
    #: text and checkbox: an error message for invalid input, None when it is fine.
    check: Callable[[Any], str | None] | None = None
    #: text: words offered by Tab completion (ids, product names).
    completions: Sequence[str] = ()
    #: text: complete each comma-separated part separately.
    comma_separated: bool = False
    instruction: str | None = None
    nav: bool = False  # accept the navigation keys
    choice_notes: dict[Any, str] = field(default_factory=dict)  # select: shown under a choice


def wrap_title(title: str, width: int = 74, indent: int = 5) -> str:
    """A long choice title folded so it stays inside 80 columns with the pointer in front."""
    lines = textwrap.wrap(title, width=width, subsequent_indent=" " * indent)
    return "\n".join(lines) if lines else title


# Ctrl-C between two prompts arrives as SIGINT (during a prompt, the terminal is raw and it is
# a key). Python raises KeyboardInterrupt wherever the interpreter is, and when that is a
# garbage-collector callback the exception is printed and dropped, so the interview would wait
# at the next prompt as if nothing happened. The handler below also remembers the interrupt
# and ends a prompt that is already running; ``ask`` honours it before and as a prompt starts.
_interrupted = threading.Event()


def _on_interrupt(signum: int, frame: Any) -> None:
    _interrupted.set()
    from prompt_toolkit.application.current import get_app_or_none

    app = get_app_or_none()
    if app is not None and app.is_running:
        try:
            app.exit(exception=KeyboardInterrupt())
            return
        except Exception:  # the prompt was already finishing: interrupt the caller instead
            pass
    raise KeyboardInterrupt


@contextmanager
def catching_interrupts() -> Iterator[None]:
    """Make Ctrl-C between prompts stop the next prompt reliably (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _interrupted.clear()
    previous = signal.signal(signal.SIGINT, _on_interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _interrupted.clear()


def ask(prompt: Prompt) -> Any:
    """Ask ``prompt`` in the terminal; the answer, or a ``Nav`` when a navigation key was used.

    Raises KeyboardInterrupt on Ctrl-C and EOFError when the terminal goes away, so the caller
    can stop cleanly after what was already saved.
    """
    import questionary
    from prompt_toolkit.application.current import get_app
    from prompt_toolkit.completion import Completer, Completion, WordCompleter
    from prompt_toolkit.filters import Condition
    from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings

    style = questionary.Style([
        ("qmark", "fg:ansicyan bold"),
        ("question", "bold"),
        ("answer", "fg:ansigreen bold"),
        ("pointer", "fg:ansicyan bold"),
        ("highlighted", "fg:ansicyan bold"),
        ("selected", "fg:ansigreen"),
        ("instruction", "fg:ansibrightblack"),
        ("text", ""),
        ("disabled", "fg:ansibrightblack italic"),
    ])
    common: dict[str, Any] = {"qmark": "›", "style": style}

    if prompt.kind == "select":
        choices = [questionary.Choice(title=wrap_title(t), value=v,
                                      description=prompt.choice_notes.get(v))
                   for t, v in prompt.choices]
        question = questionary.select(
            prompt.message, choices=choices, default=prompt.default, use_shortcuts=False,
            use_jk_keys=False, instruction=prompt.instruction or "(↑↓, Enter)",
            show_description=bool(prompt.choice_notes), **common)
    elif prompt.kind == "checkbox":
        defaults = set(prompt.default or ())
        choices = [questionary.Choice(title=wrap_title(t), value=v, checked=v in defaults)
                   for t, v in prompt.choices]
        tick_check = prompt.check

        def validate_ticks(values: list[Any]) -> bool | str:
            problem = tick_check(values) if tick_check else None
            return True if problem is None else problem

        question = questionary.checkbox(
            prompt.message, choices=choices, use_jk_keys=False, validate=validate_ticks,
            instruction=prompt.instruction or "(Space to tick, Enter when done)", **common)
    elif prompt.kind == "confirm":
        question = questionary.confirm(prompt.message, default=bool(prompt.default),
                                       instruction=prompt.instruction, **common)
    else:
        check = prompt.check

        # With navigation keys on, a previous answer is shown greyed out rather than typed
        # in, so the keys still work at once; Enter on the empty line keeps it.
        keep = prompt.nav and prompt.default not in (None, "")

        def validate(text: str) -> bool | str:
            if check is None or (keep and not text):
                return True
            problem = check(text)
            return True if problem is None else problem

        completer: Completer | None = None
        if prompt.completions and prompt.comma_separated:
            words = list(dict.fromkeys(prompt.completions))  # callers put the likeliest first

            class _LastPart(Completer):
                # Completes the part after the last comma, so "crm, es" offers "esp".
                def get_completions(self, document: Any, complete_event: Any) -> Any:
                    part = document.text_before_cursor.rsplit(",", 1)[-1].lstrip()
                    for word in words:
                        if word.lower().startswith(part.lower()) and word != part:
                            yield Completion(word, start_position=-len(part))

            completer = _LastPart()
        elif prompt.completions:
            completer = WordCompleter(list(dict.fromkeys(prompt.completions)), ignore_case=True,
                                      match_middle=True, sentence=True)
        from prompt_toolkit.formatted_text import FormattedText

        extra: dict[str, Any] = {}
        if keep:
            extra["placeholder"] = FormattedText(
                [("fg:ansibrightblack", f"{prompt.default}  (Enter keeps it)")])
            default = ""
        else:
            default = "" if prompt.default is None else str(prompt.default)
        question = questionary.text(prompt.message, default=default, validate=validate,
                                    instruction=prompt.instruction, completer=completer,
                                    complete_while_typing=completer is not None, **common,
                                    **extra)

    if prompt.nav:
        keys = KeyBindings()
        # In a text prompt the keys only navigate on an empty line, so '?' or '!' can still
        # start an answer typed after something else.
        empty = Condition(lambda: not get_app().current_buffer.text)
        active = empty if prompt.kind == "text" else Condition(lambda: True)
        for nav in Nav:
            keys.add(nav.value, eager=True, filter=active)(
                lambda event, nav=nav: event.app.exit(result=nav))
        app = question.application
        app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), keys])

    if _interrupted.is_set():
        raise KeyboardInterrupt
    app = question.application

    def stop_if_interrupted() -> None:
        if _interrupted.is_set():
            app.exit(exception=KeyboardInterrupt())

    result = app.run(pre_run=stop_if_interrupted)
    if prompt.kind == "checkbox" and isinstance(result, list) and len(result) > 1:
        # questionary only says "done (3 selections)"; show what was ticked, as a person
        # would want to check it before moving on.
        from prompt_toolkit import print_formatted_text
        from prompt_toolkit.formatted_text import FormattedText

        titles = [t.split(" — ")[0] for t, v in prompt.choices if v in result]
        text = textwrap.fill(", ".join(titles), width=76, initial_indent="  ",
                             subsequent_indent="  ")
        print_formatted_text(FormattedText([("fg:ansigreen", text)]))
    if prompt.kind == "text" and prompt.nav and result == "" and prompt.default not in (None, ""):
        return str(prompt.default)
    return result
