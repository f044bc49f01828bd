"""Help that reads like a manual at 80 columns, one name per idea."""

from __future__ import annotations

import re
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from auditor.cli import app


def _commands() -> list[tuple[str, ...]]:
    root = typer.main.get_command(app)
    found: list[tuple[str, ...]] = []

    def walk(command: Any, path: tuple[str, ...]) -> None:
        found.append(path)
        if hasattr(command, "commands"):  # a group
            for name, sub in command.commands.items():
                walk(sub, (*path, name))

    walk(root, ())
    return found


COMMANDS = _commands()


def _help(*command: str) -> str:
    # In-process for speed (one start-up per command would dominate); rich reads COLUMNS.
    result = CliRunner().invoke(app, [*command, "--help"],
                                env={"COLUMNS": "80", "NO_COLOR": "1", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_is_covered() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {"gaps", "import", "respondent add", "confirm", "new"} <= names


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "auditor")
def test_help_has_no_type_metavars_and_whole_choice_lists(command: tuple[str, ...]) -> None:
    text = _help(*command)
    assert max(len(line) for line in text.splitlines()) == 80  # laid out for 80 columns
    for bad in ("<bool>", "<str>", "<int", "<path>", "<float>", "{AUDIT}", "{FILE}", "<list"):
        assert bad not in text, f"{bad} in auditor {' '.join(command)} --help"
    assert not re.search(r"Usage: .*\{", text)
    # A list of choices is never broken inside a word: each one appears whole.
    flat = " ".join(line.strip("│ ") for line in text.splitlines())
    for listing in re.findall(r"One of: ([^.]*)\.", flat):
        for choice in listing.split(", "):
            assert re.fullmatch(r"[a-z0-9-]+", choice.strip()), (command, choice)


@pytest.mark.parametrize("command", ["gaps", "score", "graph", "backtrack"])
def test_planned_items_are_what_if_everywhere(command: str) -> None:
    text = _help(command)
    assert "--what-if" in text and "--with-planned" not in text


def test_choices_are_listed_in_full(run_cli) -> None:
    # Once through the real executable, as a user sees it.
    run = run_cli("gaps", "--help")
    assert "<bool>" not in run.out and "Usage: auditor gaps [OPTIONS] AUDIT" in run.out
    text = " ".join(run.out.split())
    assert "One of: low, medium, high, critical." in text.replace("│ ", "").replace(" │", "")
