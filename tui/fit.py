"""Text cut to the room a screen has for it: at a word boundary, ending in "…", so a cut is plain to see and no
word is left half-shown (a title cut after "assessmen" read as a typing mistake, or as another word)."""

from __future__ import annotations

from rich.cells import cell_len

ELLIPSIS = "…"
# What is left at the end of a cut before the "…": a cut after "risk," or "assessment -" reads better without it.
TRAILING = " ,;:&-–—(/"


def fit(text: str, width: int) -> str:
    """``text`` if it fits in ``width`` terminal columns; else as many whole words as fit, then "…".

    A first word longer than the whole width is cut inside it (there is nothing else to show). Widths are
    terminal cells, so wide characters count twice.
    """
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ELLIPSIS[:width]
    room, used, end = width - 1, 0, 0
    for i, ch in enumerate(text):
        used += cell_len(ch)
        if used > room:
            break
        end = i + 1
    head = text[:end]
    if text[end : end + 1] not in (" ", "") and " " in head.strip():
        head = head[: head.rstrip().rfind(" ")]  # drop the word the cut went through
    head = head.rstrip(TRAILING) or text[:end]
    return head + ELLIPSIS
