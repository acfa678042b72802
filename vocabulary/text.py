"""What typed text may hold, and how text is shown on a terminal: the one rule for both.

A name, a note or a reason is read later on a screen, in a terminal, in a Word document and in a spreadsheet.
Characters that are not text there are refused when they come in (typed in the app, given to a command, read
from a spreadsheet), naming the field:
- control characters: C0 (an escape sequence retitles or clears the terminal of whoever lists the caseload;
  tab and line breaks are allowed only in a field that holds several lines), DEL and C1;
- the Unicode format characters (category Cf): bidi overrides and isolates, which make text read in another
  order than it is stored, and zero-width spaces and joiners, which make two different names look the same;
- line and paragraph separators (U+2028, U+2029) outside a field of several lines, and lone surrogates (bytes
  that were not UTF-8, as Python keeps them from a command line).
Whatever is already stored (or is not typed text: a file name, a message) is escaped when a command prints it
(``escape_for_terminal``), so nothing in it reaches the terminal as a control.
"""

from __future__ import annotations

import unicodedata
from typing import TypeVar, overload

from vocabulary.identity import ValidationError, quoted  # noqa: F401 - the one quoting rule, used here too

_LINE_BREAKS = "\n\t"


def _unsafe(ch: str, multiline: bool) -> bool:
    if multiline and ch in _LINE_BREAKS:
        return False
    category = unicodedata.category(ch)
    return category in ("Cc", "Cf", "Cs", "Zl", "Zp")


def _name(ch: str) -> str:
    return f"U+{ord(ch):04X}" + (f" {unicodedata.name(ch)}" if unicodedata.name(ch, "") else "")


def text_problem(value: str, label: str, *, multiline: bool = False) -> str | None:
    """Why ``value`` cannot be stored in the field ``label``, or None. ``multiline``: tab and line breaks allowed
    (a carriage return as part of a Windows line break counts as one)."""
    if value.isprintable():  # no Other or Separator but the space: none of the refused categories (most text)
        return None
    if multiline:
        value = value.replace("\r\n", "\n")
    for ch in value:
        if _unsafe(ch, multiline):
            if ch in "\r\n" and not multiline:
                return f"the {label} must be on one line"
            return f"the {label} holds a character that is not text ({_name(ch)}); retype it"
    return None


T = TypeVar("T")


@overload
def check_text(value: str, label: str, *, multiline: bool = False) -> str: ...
@overload
def check_text(value: T, label: str, *, multiline: bool = False) -> T: ...
def check_text(value: object, label: str, *, multiline: bool = False) -> object:
    """``value`` as it may be stored (a Windows line break as ``\\n`` in a field of several lines), or
    ``ValidationError`` naming the field. Anything but a string is returned as it is."""
    if not isinstance(value, str):
        return value
    problem = text_problem(value, label, multiline=multiline)
    if problem:
        raise ValidationError(problem)
    return value.replace("\r\n", "\n") if multiline else value


def escape_for_terminal(text: str, *, keep_lines: bool = True, json_escapes: bool = False) -> str:
    """``text`` with every character a terminal would act on written out as an escape (``\\x1b``, ``\\u202e``),
    so it shows as what it is. ``keep_lines``: line breaks and tabs are kept (output of several lines); else
    they are escaped too (a one-line message). ``json_escapes``: written as ``\\u001b``, which JSON reads back
    as the same character (the text is JSON whose strings hold them)."""
    # Nearly all output holds nothing to escape: ``str.isprintable`` (in C) is False for every category escaped
    # here and a few more (other spaces, unassigned), so printable text goes out as it is without looking at each
    # character in Python (a command's JSON of a few hundred tasks is half a million characters: ~60 ms).
    kept = text.replace("\n", "").replace("\t", "") if keep_lines else text
    if kept.isprintable():
        return text

    def escaped(ch: str) -> str:
        if json_escapes:
            return "".join(f"\\u{unit:04x}" for unit in _utf16_units(ch))
        return ch.encode("unicode_escape", "backslashreplace").decode("ascii")

    return "".join(escaped(ch) if _unsafe(ch, keep_lines) else ch for ch in text)


def _utf16_units(ch: str) -> list[int]:
    code = ord(ch)
    if code < 0x10000:
        return [code]
    code -= 0x10000
    return [0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)]


def one_line(value: str | None, label: str) -> str:
    """A one-line field as stored: refused (naming the field) if it holds anything but text, then with its runs
    of spaces made single and its ends trimmed ('' for nothing)."""
    return " ".join(check_text(value or "", label).split())

