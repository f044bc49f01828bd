"""``auditor confirm``: the consultant goes through what an import guessed, one value at a time.

Importers list guessed fields in an item's ``to_confirm`` (a role read from a system's name,
a channel kind, a data class). For each one the consultant accepts the value, changes it, or
skips it for later. Accepting or changing takes the field off ``to_confirm``; every decision
is saved at once, as in the interview, so Ctrl-C loses nothing and running the command again
resumes with what is still unconfirmed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape

from auditor.catalogue import load_catalogue
from auditor.interview.capture import Capture
from auditor.interview.prompts import Nav, Prompt
from auditor.interview.session import report_reload
from auditor.schema.audit import Audit
from auditor.schema.collections import ITEM_NOUNS, MODELS, items, replace_items
from auditor.schema.questionnaire import ItemField
from auditor.store.audit_file import AuditDocument
from auditor.store.reload import Reloaded, save_carrying_over

Asker = Callable[[Prompt], Any]

ACCEPT, CHANGE, SKIP = "accept", "change", "skip"


@dataclass(frozen=True)
class Guess:
    """One guessed field of one item."""

    collection: str  # 'systems', 'channels' …
    item_id: str
    item_name: str
    field: str  # as written in the file ('class' for a data item's class)
    origin: str | None

    @property
    def noun(self) -> str:
        return ITEM_NOUNS[self.collection]


def pending_guesses(audit: Audit) -> list[Guess]:
    """Every field still to confirm, in the order of the file."""
    found = []
    for collection in MODELS:
        for item in items(audit, collection):
            for name in item.to_confirm:
                found.append(Guess(collection, item.id, item.name or item.id, name, item.origin))
    return found


def _field_name(collection: str, written: str) -> str | None:
    """The model's field for a name as written in the file (aliases such as 'class')."""
    for name, info in MODELS[collection].model_fields.items():
        if written in (name, info.alias):
            return name
    return None


def shown_value(value: Any) -> str:
    if value is None or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass
class ConfirmOutcome:
    accepted: int = 0
    changed: int = 0
    skipped: int = 0
    remaining: int = 0
    finished: bool = False


class Confirmation:
    """Walks the guesses of one audit document, saving after every decision."""

    def __init__(self, doc: AuditDocument, *, out: Console, ask: Asker) -> None:
        self.doc = doc
        self.out = out
        self.ask = ask
        self.outcome = ConfirmOutcome()
        self.capture = Capture(doc.audit, out, ask, self._save,
                               lambda: load_catalogue().products)
        doc.remember_state()

    def _save(self) -> None:
        self.doc = save_carrying_over(self.doc, self._reloaded)
        self.capture.audit = self.doc.audit

    def _reloaded(self, reloaded: Reloaded) -> None:
        report_reload(self.out, reloaded)

    def run(self) -> ConfirmOutcome:
        """Ask about every pending guess. KeyboardInterrupt/EOFError propagate after saving."""
        todo = pending_guesses(self.doc.audit)
        if not todo:
            self.out.print("Nothing to confirm: no value in this audit is marked as guessed.")
            self.outcome.finished = True
            return self.outcome
        self.out.print(f"{len(todo)} guessed value{'s' if len(todo) != 1 else ''} to confirm. "
                       "Each decision is saved at once; Ctrl-C stops.")
        for number, guess in enumerate(todo, start=1):
            self._one(guess, number, len(todo))
        self.outcome.remaining = len(pending_guesses(self.doc.audit))
        self.outcome.finished = True
        return self.outcome

    def _one(self, guess: Guess, number: int, total: int) -> None:
        audit = self.doc.audit
        found = self._find(audit, guess)
        if found is None:
            return  # changed meanwhile (a colleague confirmed it, or removed the item)
        index, item = found
        attr = _field_name(guess.collection, guess.field)
        value = getattr(item, attr) if attr else None
        self.out.print()
        origin = f"  [muted](from {escape(guess.origin)})[/muted]" if guess.origin else ""
        self.out.print(f"[muted]{number} of {total}[/muted]  {escape(guess.noun.capitalize())} "
                       f"[bold]{escape(guess.item_name)}[/bold] [id]{escape(guess.item_id)}"
                       f"[/id]{origin}")
        self.out.print(f"  {escape(guess.field)}: [bold]{escape(shown_value(value))}[/bold] "
                       "[muted](guessed)[/muted]")
        choices: list[tuple[str, Any]] = [("Accept: this is right", ACCEPT)]
        if attr is not None:
            choices.append(("Change it", CHANGE))
        choices.append(("Skip for now", SKIP))
        decision = self.ask(Prompt("select", f"Is '{shown_value(value)}' right for the "
                                             f"{guess.field} of {guess.item_name}?",
                                   choices=choices, default=ACCEPT))
        if decision in (SKIP, None) or isinstance(decision, Nav):
            self.outcome.skipped += 1
            self.out.print("  [muted]Skipped; it stays marked to confirm.[/muted]")
            return
        update: dict[str, Any] = {}
        if decision == CHANGE and attr is not None:
            new = self.capture._ask_field(  # the interview's own field prompts
                guess.collection, ItemField(field=attr, text=f"{guess.field} of {guess.item_name}"),
                value)
            update[attr] = new
            # Asking may have added referenced items (a new team): read the item again.
            found = self._find(self.doc.audit, guess)
            if found is None:
                return
            index, item = found
        rest = [f for f in item.to_confirm if f != guess.field]
        data = item.model_dump(by_alias=False)
        data.update(update)
        data["to_confirm"] = rest
        try:
            confirmed = MODELS[guess.collection].model_validate(data)
        except ValidationError as exc:
            first = exc.errors(include_url=False)[0]
            self.out.print(f"  [bad]Not saved:[/bad] {escape(str(first['msg']))}")
            self.outcome.skipped += 1
            return
        current = items(self.doc.audit, guess.collection)
        current[index] = confirmed
        replace_items(self.doc.audit, guess.collection, current)
        self._save()
        if update and attr is not None:
            self.outcome.changed += 1
            self.out.print(f"  [ok]Changed[/ok] to {escape(shown_value(update[attr]))} "
                           "and saved.")
        else:
            self.outcome.accepted += 1
            self.out.print("  [ok]Confirmed[/ok] and saved.")

    @staticmethod
    def _find(audit: Audit, guess: Guess) -> tuple[int, Any] | None:
        for i, item in enumerate(items(audit, guess.collection)):
            if item.id == guess.item_id and guess.field in item.to_confirm:
                return i, item
        return None


def run_confirm(doc: AuditDocument, *, out: Console, asker: Asker) -> ConfirmOutcome:
    """Walk every guess of ``doc``; Ctrl-C or a closed terminal ends cleanly (not finished)."""
    walk = Confirmation(doc, out=out, ask=asker)
    try:
        return walk.run()
    except (KeyboardInterrupt, EOFError):
        walk.outcome.remaining = len(pending_guesses(walk.doc.audit))
        walk.outcome.finished = False
        return walk.outcome
