"""Putting what people typed into text that Textual reads as markup, so it shows exactly as typed."""

from __future__ import annotations


def plain(text: str) -> str:
    """``text`` with every ``[`` escaped, for use inside a markup string.

    Textual reads ``[anything]`` as a style tag and drops it, and the ``escape`` of Textual and Rich escapes only
    tags that start with a lower-case letter, so a note saying ``[Redacted]``, a reason quoting ``[MHTR-0002]``
    or a name with ``[A]`` in it vanished from the screen. Escaping every opening bracket shows all of them.
    """
    return text.replace("[", r"\[")
