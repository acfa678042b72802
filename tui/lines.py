"""Lines of text whose height the stylesheet fixes: a screen's counts line, the line or two under a table."""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


class FixedLines(Static):
    """A Static that is repainted, not laid out, when its text changes, as long as its height is fixed in cells.

    A Static's ``update`` lays the whole screen out again by default, in case the new text changes its size; the
    layout then costs a frame of its own after the one that showed the change. On the Diary that frame came
    about 40 ms after each j or k (the line under the table follows the cursor) and on the Caseload after every
    letter typed in the filter (the counts line). A line whose height is set in cells (``.counts``, ``.summary``,
    ``#caseload-next`` in app.tcss) keeps its size whatever it says, so no layout is needed; with any other
    height (auto, a fraction) the update lays out as Static's does.
    """

    def update(self, content: VisualType = "", *, layout: bool | None = None) -> None:
        if layout is None:
            height = self.styles.height
            layout = height is None or not height.is_cells
        super().update(content, layout=layout)
