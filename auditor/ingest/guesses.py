"""Educated guesses from names, for what an ArchiMate model cannot say.

ArchiMate has no "system of record", no channel kinds, no data classes and no difference
between a customer and a department. These guesses follow how a careful consultant reads a
model:

- the element type's meaning comes first (a BusinessRole is staff unless its name says
  customer, partner or community, and says nothing of staff);
- words decide only as whole words or phrases (a trailing plural is allowed), in any of the
  vocabulary's languages, accents and case ignored;
- a word inside a proper name never decides: the client's own name ("Acme Finance") and the
  names of known products ("Salesforce Service Cloud") are taken out before matching, and a
  known product gives its own usual roles instead;
- what no word makes plain is left unguessed (no role, kind ``other``), and listed in the
  item's ``to_confirm`` like every guessed value.

The words live in ``blueprints/import-vocabulary-*.yaml`` (see :mod:`auditor.catalogue.vocabulary`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from auditor.catalogue.products import Product
    from auditor.catalogue.vocabulary import Vocabulary

_WORD = re.compile(r"[a-z0-9]+")
_MAX_PHRASE = 5


def fold(text: str) -> str:
    """Lower case without accents: 'Système Öffentlich' -> 'systeme offentlich'."""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ß", "ss"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=65536)
def tokens(name: str) -> tuple[str, ...]:
    """The folded words of a name (cached: a model repeats names and each is matched often)."""
    return tuple(_WORD.findall(fold(name)))


def words(name: str) -> str:
    """' crm system ' for 'CRM-System': folded words padded for whole-word matching."""
    return " " + " ".join(tokens(name)) + " "


def _variants(word: str) -> tuple[str, ...]:
    """The word and what it may be the plural of (customers, bureaux, Kunden, Agenturen)."""
    out = [word]
    if len(word) > 3:
        if word.endswith(("s", "x")):
            out.append(word[:-1])
        if word.endswith("es") or word.endswith("en"):
            out.append(word[:-2])
        if word.endswith("n") and word[-2:-1] == "e":
            out.append(word[:-1])
    return tuple(out)


class Matcher:
    """Finds which of several values a name's words suggest; earlier values win ties."""

    def __init__(self, table: list[tuple[str, list[str]]]) -> None:
        self.rank: dict[str, tuple[int, str]] = {}
        for index, (value, phrases) in enumerate(table):
            for phrase in phrases:
                folded = " ".join(tokens(phrase))
                if folded and folded not in self.rank:
                    self.rank[folded] = (index, value)

    def find(self, parts: Sequence[Sequence[str]]) -> str | None:
        best: tuple[int, str] | None = None
        for run in parts:
            for start in range(len(run)):
                for end in range(start + 1, min(len(run), start + _MAX_PHRASE) + 1):
                    head = " ".join(run[start:end - 1])
                    for last in _variants(run[end - 1]):
                        hit = self.rank.get(f"{head} {last}" if head else last)
                        if hit is not None and (best is None or hit[0] < best[0]):
                            best = hit
        return best[1] if best else None


def _set_matcher(phrases: list[str]) -> Matcher:
    return Matcher([("yes", phrases)])


@dataclass(frozen=True)
class ActorPlacement:
    """Where a BusinessActor or BusinessRole goes, and what was guessed on the way."""

    sheet: str  # "teams", "segments" or "people"
    kind: str = ""  # team kind or segment kind
    executive: bool = False
    guessed: bool = True  # False: nothing in the name decided (a default placement)


class Guesser:
    """Guesses for one import: the vocabulary, the client's name and the known products."""

    def __init__(self, vocabulary: Vocabulary, proper_names: list[str] | None = None,
                 products: list[Product] | None = None) -> None:
        self.roles = Matcher(vocabulary.system_roles)
        self.channels = Matcher(vocabulary.channel_kinds)
        self.data = Matcher(vocabulary.data_classes)
        self.segments = Matcher(vocabulary.segments)
        self.staff = _set_matcher(vocabulary.staff)
        self.agency = _set_matcher(vocabulary.agency)
        self.executive = _set_matcher(vocabulary.executive)
        self.one_person = _set_matcher(vocabulary.one_person_roles)
        self.organisations = _set_matcher(vocabulary.organisations)
        self.titles = {" ".join(tokens(t)) for t in vocabulary.titles}
        self.given_names = {" ".join(tokens(n)) for n in vocabulary.given_names}
        self.proper = sorted({tuple(tokens(n)) for n in proper_names or () if tokens(n)},
                             key=len, reverse=True)
        self.products: list[tuple[tuple[str, ...], Product]] = sorted(
            ((tuple(tokens(phrase)), product) for product in products or ()
             for phrase in (product.name, *product.aliases) if tokens(phrase)),
            key=lambda pair: len(pair[0]), reverse=True)
        # phrases by their first word, longest first: a name is scanned once, not per product
        self.starting: dict[str, list[tuple[tuple[str, ...], Product | None]]] = {}
        for phrase in self.proper:
            self.starting.setdefault(phrase[0], []).append((phrase, None))
        for phrase, product in self.products:
            self.starting.setdefault(phrase[0], []).append((phrase, product))
        for candidates in self.starting.values():
            candidates.sort(key=lambda pair: (len(pair[0]), pair[1] is None), reverse=True)

    # --- text ------------------------------------------------------------------------------
    def parts(self, name: str) -> list[list[str]]:
        """The name's words in runs, proper names cut out so that none of their words count."""
        runs: list[list[str]] = [[]]
        words_ = tokens(name)
        i = 0
        while i < len(words_):
            found = self._phrase_at(words_, i)
            if found is not None:
                runs.append([])
                i += len(found[0])
                continue
            runs[-1].append(words_[i])
            i += 1
        return [run for run in runs if run]

    def _phrase_at(self, words_: tuple[str, ...], i: int
                   ) -> tuple[tuple[str, ...], Product | None] | None:
        for phrase, product in self.starting.get(words_[i], ()):
            if words_[i:i + len(phrase)] == phrase:
                return phrase, product
        return None

    def product(self, name: str) -> Product | None:
        """The known product a name mentions ('Salesforce Service Cloud EU' -> Service Cloud)."""
        words_ = tokens(name)
        best: tuple[tuple[str, ...], Product] | None = None
        for i in range(len(words_)):
            for phrase, product in self.starting.get(words_[i], ()):
                if product is not None and words_[i:i + len(phrase)] == phrase \
                        and (best is None or len(phrase) > len(best[0])):
                    best = (phrase, product)
        return best[1] if best else None

    # --- guesses ---------------------------------------------------------------------------
    def system_roles(self, name: str) -> list[str]:
        product = self.product(name)
        if product is not None:
            return list(product.roles)
        role = self.roles.find(self.parts(name))
        return [role] if role else []

    def channel_kind(self, name: str) -> str | None:
        return self.channels.find(self.parts(name))

    def data_class(self, name: str) -> str | None:
        return self.data.find(self.parts(name))

    def actor(self, element_type: str, name: str) -> ActorPlacement:
        parts = self.parts(name)
        staff = self.staff.find(parts) is not None
        agency = self.agency.find(parts) is not None
        segment = self.segments.find(parts)
        executive = self.executive.find(parts) is not None
        if element_type == "BusinessRole":
            # A role is staff by its meaning; only a name that speaks of customers, partners
            # or communities, and of no staff, makes it a segment.
            if segment and not staff:
                return ActorPlacement("segments", segment)
            return ActorPlacement("teams", "role", executive, guessed=staff or executive)
        if self.is_person(name) or (self.one_person.find(parts) and not _plural(name)):
            return ActorPlacement("people")
        if agency:
            return ActorPlacement("teams", "agency", executive)
        if staff:
            return ActorPlacement("teams", "team", executive)
        if segment:
            return ActorPlacement("segments", segment)
        return ActorPlacement("teams", "team", executive, guessed=executive)

    def is_person(self, name: str) -> bool:
        """'Jean Dupont', 'Dr. A. Smith', 'Mme Martin': a person's name, not an organisation."""
        raw = name.replace(",", " ").split()
        if not 2 <= len(raw) <= 4 or any(ch.isdigit() for ch in name):
            return False
        first = fold(raw[0]).strip(".")
        rest = raw[1:]
        if not all(w[:1].isupper() or fold(w) in _PARTICLES for w in rest):
            return False
        if any(w.isupper() and len(w) > 2 for w in raw):  # 'ACME SA', 'IT DEPT'
            return False
        parts = [tokens(name)]
        if self.staff.find(parts) or self.segments.find(parts) or self.agency.find(parts) \
                or self.organisations.find(parts):
            return False
        if first in self.titles:
            return True
        initial = len(raw[0].strip(".")) == 1 and raw[0][:1].isupper()
        return (first in self.given_names or initial) and raw[0][:1].isupper()


_PARTICLES = {"de", "du", "des", "la", "le", "van", "von", "der", "den", "da", "dos", "das",
              "di", "del", "y", "e"}


def _plural(name: str) -> bool:
    last = tokens(name)[-1:] or [""]
    return last[0].endswith("s") and len(last[0]) > 3
