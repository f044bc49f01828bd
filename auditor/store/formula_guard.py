"""Formula injection in spreadsheets, guarded once for every workbook and CSV the tool writes.

A spreadsheet program runs a cell starting with ``=``, ``+``, ``-`` or ``@`` (and tab or
carriage return, which some programs skip before looking). Every such text cell is written with
one ``'`` in front, and exactly that apostrophe is removed again on import, so export then
import changes nothing, whatever the client typed.
"""

from __future__ import annotations

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
#: Guarded too: XLSX stores a carriage return as a line feed (XML line-end rules), so a
#: guarded "\r…" comes back as "\n…" and must still lose its apostrophe.
_GUARDED = (*DANGEROUS, "\n")


def needs_guard(text: str) -> bool:
    """Would a spreadsheet program treat ``text`` as a formula (after our own apostrophes)?"""
    rest = text.lstrip("'")
    return bool(rest) and rest[0] in _GUARDED


def neutralise(text: str) -> str:
    """``=1+1`` -> ``'=1+1``; ``'=x`` -> ``''=x`` so that :func:`restore` is its exact inverse."""
    return "'" + text if needs_guard(text) else text


def restore(text: str) -> tuple[str, bool]:
    """Undo :func:`neutralise`: the text, and whether an apostrophe was removed."""
    if text.startswith("'") and needs_guard(text[1:]):
        return text[1:], True
    return text, False
