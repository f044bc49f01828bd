"""One error tree for the whole tool, mapped to exit codes once, at the CLI edge.

Library code raises these; only ``auditor.cli`` turns them into messages and exit codes.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import IntEnum

from auditor.problems import Problem


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # --fail-on: the check ran and found something at that severity
    INVALID = 2  # bad input: a file, an option, content
    INTERRUPTED = 130  # Ctrl-C
    INTERNAL = 70  # a bug: reported with a request to file an issue


class AuditorError(Exception):
    """Base of every error the tool raises on purpose."""

    exit_code: ExitCode = ExitCode.INTERNAL


class UserError(AuditorError):
    """Something the user can fix: carries a message, a hint and, where known, a location."""

    exit_code = ExitCode.INVALID

    def __init__(
        self,
        message: str,
        hint: str | None = None,
        location: str | None = None,
        problems: Sequence[Problem] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.location = location
        self.problems = list(problems)

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        return "\n".join([head, *(str(p) for p in self.problems)])


class AuditFileError(UserError):
    """An audit file that cannot be read, parsed or validated, or cannot be written safely."""


class AuditChangedError(AuditFileError):
    """The audit on disk changed since it was opened (someone else saved it meanwhile)."""


class ContentError(UserError):
    """A question bank, rule catalogue, blueprint or template that is not valid."""


class ImportFileError(UserError):
    """A spreadsheet or model file that cannot be imported."""


class RenderError(UserError):
    """A report or diagram that cannot be produced (e.g. Graphviz missing)."""


class InputNeededError(UserError):
    """Input would be needed but the session cannot ask (``--no-input`` or no terminal)."""
