"""The task list used on Today and on the Client screen, with the keys that act on a task.

space ticks (again to reopen), x skips with a reason, d moves to a typed date, ctrl+z (app-wide) undoes.
The table only asks; ``records.casework`` does the work and the app keeps the undo stack.
"""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable
from textual.widgets.data_table import CellDoesNotExist

from tui.markup import plain

# A DataTable costs about 0.05 ms a row to fill and several times that to measure for column widths, and any
# change to its rows re-renders every visible line. A long list is therefore shown a page at a time: a screenful
# and a little more at once, further pages as the cursor (or the mouse wheel) comes near the end of what is
# loaded. The list behind the table is always complete; only the rows turned into table rows are paged (bench/).
FIRST_ROWS = 80  # before the table has a size: enough for any terminal
PAGE_ROWS = 200
NEAR_END = 20


def first_rows(table: DataTable) -> int:
    """How many rows to fill at once: as many as the terminal has lines (no table shows more) and ``NEAR_END``
    more. Every letter typed in the Caseload's filter fills the table again, and each row filled is measured."""
    height = table.app.size.height
    return height + NEAR_END if height else FIRST_ROWS
# Beyond this many rows gone, one removal at a time (each O(rows)) costs more than filling again.
MAX_REMOVALS = 40


def due_text(due: str, today: date, status: str = "open") -> Text:
    """'3d late' in red, 'today' in bold, 'Mon 14' within the week, else dd/mm/yy; closed tasks plain.

    Every form fits the 9-character Due column (a ten-character dd/mm/yyyy lost its last digit)."""
    d = date.fromisoformat(due)
    if status != "open":
        return Text(f"{d:%d/%m/%y}", style="dim")
    delta = (d - today).days
    if delta < 0:
        return Text(f"{-delta}d late", style="bold red")
    if delta == 0:
        return Text("today", style="bold yellow")
    if delta < 7:
        return Text(f"{d:%a %d}")
    return Text(f"{d:%d/%m/%y}")


def _plain(cell):
    """A text cell shown as typed: DataTable reads a string as Rich markup, so a name or note holding '[/b]' would
    break the table; such brackets are escaped (strings without them are passed on unchanged)."""
    return plain(cell) if isinstance(cell, str) and "[" in cell else cell


def _cells(cells) -> tuple:
    """A row's cells: given as they are, or made now by the function given in their place (see ``show_rows``)."""
    return cells() if callable(cells) else cells


def _same(a, b) -> bool:
    if isinstance(a, Text) and isinstance(b, Text):
        return a.plain == b.plain and a.style == b.style and a.spans == b.spans
    return type(a) is type(b) and a == b


class PagedTable(DataTable):
    """A DataTable whose rows are set with ``show_rows`` and loaded a page at a time as they come into view.

    home and end go to the first and last row (a DataTable's own home and end scroll sideways, which in a list of
    rows did nothing: the cursor stayed where it was, out of sight, for the next space to tick). j and k move as
    in every list (the help says so): the Client screen's timeline, which had only the arrows, let r correct the
    first event while j was pressed to reach another.
    """

    BINDINGS = [
        Binding("home", "scroll_top", "First", show=False),
        Binding("end", "scroll_bottom", "Last", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
    ]

    _mhtr_rows: list[tuple[str, tuple]] = []  # every row, in order; the first ``row_count`` are in the table

    def _update_dimensions(self, new_rows) -> None:
        """DataTable measures every cell of every row added (about 15 us a cell: 7 ms for the Caseload's 56 rows
        at each letter typed in its filter) to widen the columns that fit their content. Every column of these
        lists has a width of its own, and a row's height is one line, so the measurements would change nothing:
        the rows go unmeasured, and the table's size is worked out as DataTable works it out. A column that fits
        its content, a labelled row or a row of its own height is measured as before."""
        if not any(column.auto_width for column in self.columns.values()):
            rows = self.rows
            if not any(rows[key].label is not None or rows[key].auto_height for key in new_rows if key in rows):
                new_rows = ()
        super()._update_dimensions(new_rows)

    def load_more(self, upto: int | None = None) -> None:
        """Add the next page of rows, or the rows up to index ``upto``."""
        rows, start = self._mhtr_rows, self.row_count
        end = min(len(rows), start + PAGE_ROWS if upto is None else upto + 1)
        for key, cells in rows[start:end]:
            self.add_row(*map(_plain, _cells(cells)), key=key)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row >= self.row_count - NEAR_END and self.row_count < len(self._mhtr_rows):
            self.load_more()

    def on_mouse_scroll_down(self, _event) -> None:
        if self.row_count < len(self._mhtr_rows) and self.scroll_y + 2 * self.size.height >= self.virtual_size.height:
            self.load_more()

    def action_scroll_bottom(self) -> None:
        self.load_more(upto=len(self._mhtr_rows))
        super().action_scroll_bottom()

    def action_page_down(self) -> None:
        if self.row_count < len(self._mhtr_rows):
            self.load_more(upto=self.cursor_row + 2 * max(self.size.height, 1))
        super().action_page_down()


def show_rows(table: PagedTable, rows: list[tuple[str, tuple]], keep: str | None = None) -> None:
    """Make ``table`` show ``rows`` (``(key, cells)`` in order) and put the cursor on row ``keep`` if listed.

    ``cells`` may be a function that makes them: only the rows turned into table rows are made (a long list,
    Today's week or every case, is mostly never shown, and making its cells was most of reloading it).
    When the rows in the table are the new ones less a few (a task ticked off, a filter narrowed by one case)
    or with some cells changed (a task's status), only those rows and cells change and the cursor stays where
    it was. Otherwise the table is filled again from the top, the first ``FIRST_ROWS`` at once.
    """
    old = [r.key.value for r in table.ordered_rows]
    loaded = len(old)
    table._mhtr_rows = rows
    new = [k for k, _ in rows]
    wanted = set(new)
    kept = [k for k in old if k in wanted]
    at = new.index(keep) if keep is not None and keep in wanted else -1
    if old and new[: len(kept)] == kept and len(old) - len(kept) <= MAX_REMOVALS:
        for k in old:
            if k not in wanted:
                table.remove_row(k)
        columns = [c.key for c in table.ordered_columns]
        for k, cells in rows[: len(kept)]:
            for col, before, after in zip(columns, table.get_row(k), map(_plain, _cells(cells)), strict=False):
                if not _same(before, after):
                    table.update_cell(k, col, after)
        table.load_more(upto=max(loaded, first_rows(table), at + NEAR_END) - 1)
    else:
        table.clear()
        table.load_more(upto=max(first_rows(table), at + NEAR_END) - 1)
    if at >= 0:
        table.move_cursor(row=table.get_row_index(keep))


TASK_KEYS = Binding.Group("task")


class TaskTable(PagedTable):
    """A DataTable whose rows are tasks keyed by id."""

    BINDINGS = [
        Binding("space", "tick", "Tick"),
        Binding("x", "skip", "Skip"),
        Binding("d", "reschedule", "Due"),
        Binding("a", "act", "Do"),
    ]

    class TaskAction(Message):
        """Posted when the user asks to tick, skip, reschedule or act on the task under the cursor."""

        def __init__(self, verb: str, task_id: int) -> None:
            super().__init__()
            self.verb = verb
            self.task_id = task_id

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)
        self.tasks: dict[int, dict] = {}

    def current_task_id(self) -> int | None:
        if self.row_count == 0:
            return None
        try:
            key = self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None
        return int(key) if key and key.isdigit() else None

    def _post(self, verb: str) -> None:
        task_id = self.current_task_id()
        if task_id is None:
            self.app.bell()
            return
        self.post_message(self.TaskAction(verb, task_id))

    def action_tick(self) -> None:
        self._post("tick")

    def action_skip(self) -> None:
        self._post("skip")

    def action_reschedule(self) -> None:
        self._post("reschedule")

    def action_act(self) -> None:
        self._post("act")

    def show_tasks(self, rows: list[tuple[str, tuple]], keep: int | None) -> None:
        """Show ``rows`` (see ``show_rows``), the cursor back on task ``keep`` where it is still listed."""
        show_rows(self, rows, None if keep is None else str(keep))

    def keep_cursor(self, task_id: int | None) -> None:
        """After a reload, put the cursor back on ``task_id`` (or the nearest row)."""
        if task_id is None:
            return
        if str(task_id) in self.rows:
            self.move_cursor(row=self.get_row_index(str(task_id)))


class ChecklistTable(TaskTable):
    """The Client screen's checklist: the same keys, shown in the footer as one group ("space x d a task"), so
    that at 80 columns the footer has room for the screen's own keys too (it was cut after "A")."""

    BINDINGS = [
        Binding("space", "tick", "Tick", group=TASK_KEYS),
        Binding("x", "skip", "Skip", group=TASK_KEYS),
        Binding("d", "reschedule", "Due", group=TASK_KEYS),
        Binding("a", "act", "Do", group=TASK_KEYS),
    ]
