"""The ``auditor`` command: a thin shell over the library.

Each command group lives in its own module and is registered here. Errors are mapped to exit
codes and short messages in exactly one place, ``main()``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer

from auditor import __version__
from auditor.cli import console
from auditor.cli.help_style import install as _install_help_style

_install_help_style()
if TYPE_CHECKING:
    from auditor.errors import AuditorError

app = typer.Typer(
    name="auditor",
    help="Audit a customer engagement ecosystem and plan what to build next.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 80},
)

_state = {"debug": False}


def _version(value: bool) -> None:
    if value:
        typer.echo(f"auditor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[Optional[bool], typer.Option(
        "--version", callback=_version, is_eager=True, help="Show the version and exit.")] = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    content: Annotated[Optional[list[Path]], typer.Option(
        "--content", metavar="DIR", envvar="AUDITOR_CONTENT_DIRS",
        help="Your own question banks, rules and templates, laid over the built-in ones.")] = None,
) -> None:
    """Audit a customer engagement ecosystem and plan what to build next."""
    _state["debug"] = debug
    if content:
        from auditor.content import set_overrides

        set_overrides(content)


def _register() -> None:
    # Each module adds its commands to ``app``; importing them is cheap (no heavy libraries).
    from auditor.cli import audit, demo  # noqa: F401
    # Order matters: it is also the order of the demo's steps, the report last.
    for optional in ("ingest", "interview", "analyse", "dismiss", "backtrack", "diagram", "plan",
                     "progress", "report"):
        try:
            __import__(f"auditor.cli.{optional}")
        except ModuleNotFoundError as exc:
            if exc.name != f"auditor.cli.{optional}":
                raise


def _resolve_annotations(group: typer.Typer) -> None:
    """Evaluate each command's string annotations once, now.

    Typer reads every command's parameters on every run, even for ``--help``, and evaluates
    string annotations (``from __future__ import annotations``) twice per parameter while
    doing so: a third of the start-up of ``auditor --help``. Stored evaluated, they cost one
    pass here and nothing there.
    """
    import typing

    callbacks = [info.callback for info in group.registered_commands]
    if group.registered_callback is not None:
        callbacks.append(group.registered_callback.callback)
    for func in callbacks:
        annotations = getattr(func, "__annotations__", None)
        if annotations and any(isinstance(a, str) for a in annotations.values()):
            func.__annotations__ = typing.get_type_hints(func, include_extras=True)
    for sub in group.registered_groups:
        if sub.typer_instance is not None:
            _resolve_annotations(sub.typer_instance)


_register()
_resolve_annotations(app)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; map every AuditorError to its exit code and a short message."""
    from auditor.errors import AuditorError, ExitCode

    _state["debug"] = "--debug" in (argv if argv is not None else sys.argv[1:])
    try:
        app(args=argv, prog_name="auditor", standalone_mode=True)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except AuditorError as exc:
        if _state["debug"]:
            raise
        _report(exc)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        console.err.print("[warn]Interrupted.[/warn]")
        return int(ExitCode.INTERRUPTED)
    except Exception:
        if _state["debug"] or os.environ.get("AUDITOR_DEBUG"):
            raise
        import traceback

        console.err.print("[bad]Internal error[/bad]: this is a bug in auditor, not in your files.")
        console.err.print("Please report it with the output of the same command run with --debug.")
        # The exception text may hold brackets, so it is escaped, not printed without markup
        # (which showed the [muted] tags themselves).
        from rich.markup import escape

        console.err.print(f"[muted]{escape(traceback.format_exc().splitlines()[-1])}[/muted]")
        return int(ExitCode.INTERNAL)
    return 0


def _report(exc: AuditorError) -> None:
    from rich.markup import escape

    from auditor.errors import UserError

    if isinstance(exc, UserError):
        head = f"{exc.location}: {exc.message}" if exc.location else exc.message
        console.err.print(f"[bad]Error:[/bad] {escape(head)}", soft_wrap=True)
        for problem in exc.problems[:200]:
            console.err.print(f"  {escape(str(problem))}", soft_wrap=True)
        if len(exc.problems) > 200:
            console.err.print(f"  … and {len(exc.problems) - 200} more")
        if exc.hint:
            console.err.print(f"[muted]Hint: {escape(exc.hint)}[/muted]", soft_wrap=True)
    else:
        console.err.print(f"[bad]Error:[/bad] {escape(str(exc))}")
