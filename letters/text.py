"""Making typed text safe for a Word document without losing what the person wrote.

Text reaches the documents from the keyboard, from the command line and pasted from PDFs and web pages. A
Word file is XML, which cannot hold most control characters, and docxtpl gives a few of them (bell, form
feed) a meaning of their own, so those are removed; line breaks of every kind become ``\\n`` (a line break in
Word); everything else, including ``& < > ' "``, accents and emoji, is kept exactly as typed (the renderer
escapes it).
"""

from __future__ import annotations

import re

# Vertical tab (Word's manual line break when pasted), form feed, the Unicode line and paragraph separators.
_LINE_BREAKS = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# C0 controls other than tab and newline, DEL and C1 controls, lone surrogates, XML non-characters.
_UNWANTED = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\x80-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_BLANK_RUN = re.compile(r"\n{3,}")


def clean_text(value: object) -> str:
    """Multi-line text as it should appear: control characters gone, line endings ``\\n``, no trailing spaces."""
    if value is None:
        return ""
    text = _LINE_BREAKS.sub("\n", str(value))
    text = _UNWANTED.sub("", text)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", text).strip("\n").strip()


def clean_line(value: object) -> str:
    """One-line text (names, headings): cleaned as above, then all runs of white space made one space."""
    return " ".join(clean_text(value).split())


def clean_context(value: object) -> object:
    """Clean every string inside a context (dicts, lists, tuples), leaving numbers and booleans alone."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {k: clean_context(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_context(v) for v in value]
    return value


def address_lines(text: str | None) -> list[str]:
    """An address as typed (one line with commas, or several lines) as the lines of an address block."""
    lines: list[str] = []
    for line in clean_text(text).split("\n"):
        lines.extend(part.strip() for part in line.split(",") if part.strip())
    return lines


def person_lines(text: str | None) -> list[str]:
    """``Jamie Rowe, Assistant Psychologist`` -> ``["Jamie Rowe", "Assistant Psychologist"]`` for a signature."""
    text = clean_line(text)
    if not text:
        return []
    name, _, role = text.partition(",")
    return [name.strip()] + ([role.strip()] if role.strip() else [])
