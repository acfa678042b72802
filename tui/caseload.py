"""Caseload: every case with its stage, sessions done of planned and next task; ``/`` filters as you type."""

from __future__ import annotations

import asyncio
from functools import partial

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import DataTable, Header, Input, Static

from tui.fit import fit
from tui.footer import KeysFooter
from tui.lifecycle import LiveScreen
from tui.lines import FixedLines
from tui.reload import ReloadOnResume
from tui.task_table import PagedTable, show_rows
from vocabulary.dates import short_uk

# The columns every width shows: (key, heading, width). The next task follows them when there is room.
NAME_WIDTH = 15  # a longer name is cut at a word, with "…" (the Client screen has it whole)
FIXED_COLUMNS = (
    ("ref", "Ref", 9),
    ("name", "Name", NAME_WIDTH),
    ("stage", "Stage", 20),
    ("sessions", "Sess", 5),
    ("appt", "Next appt", 11),
    ("due", "Due", 5),
)
MIN_TASK_WIDTH = 20
# From about 110 columns the order's end date has a column; on a narrower screen it is on the line under the table.
ORDER_END_COLUMN = ("order_end", "Order ends", 10)


class FilterBox(Input):
    """The filter box: each letter typed repaints the box without laying the whole screen out again.

    An Input records the width of what it holds as its virtual size, and a widget's virtual size asks for a layout
    of the screen when it changes: every letter typed laid out the Caseload and painted all of it (the table's
    ~35 lines, header, footer), and the layout's scrollbar update cost a frame of its own after that. The box's
    size is fixed by the stylesheet (``#filter``); its scrolling reads the virtual size when the cursor moves, not
    from a layout, so text longer than the box scrolls as an Input's does. (An Input of ``auto`` size still lays
    out when its value changes: Input's own watcher asks for that.)
    """

    virtual_size = Reactive(Size(0, 0), layout=False)


class CaseloadScreen(ReloadOnResume, LiveScreen):
    BINDINGS = [
        Binding("slash", "filter", "Filter"),
        Binding("enter", "open_client", "Open"),
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("h", "toggle_closed", "Show/hide closed"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict] = []
        # The filter's index, made once per load: each case's search text, and its (reference, cells) row as the
        # table takes it; the rows of the cases still open, shown while nothing is typed.
        self._hay: list[str] = []
        self._rows: list[tuple[str, partial]] = []
        self._open_rows: list[tuple[str, partial]] = []
        self._cells: dict[str, tuple] = {}  # a row's cells, made the first time it is shown after a load
        self._by_ref: dict[str, dict] = {}
        self.next_appts: dict[str, dict] = {}  # case reference -> its next booked appointment
        self.show_closed = False
        self.wide = False  # the next task has a column of its own (else it is the line under the table)

    def compose(self) -> ComposeResult:
        yield Header()
        yield FilterBox(placeholder="filter: name, reference, stage, task…", id="filter", classes="hidden")
        yield PagedTable(id="caseload", cursor_type="row")
        yield FixedLines(id="caseload-next")
        yield FixedLines(id="caseload-count", classes="counts")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._set_columns()
        self.refresh_data()
        self.query_one(DataTable).focus()

    def _task_width(self) -> int:
        """Room left for the next task beside the fixed columns (cell padding and a scrollbar allowed for)."""
        return self.size.width - sum(width + 2 for _key, _label, width in (*FIXED_COLUMNS, ORDER_END_COLUMN)) - 4

    def _set_columns(self) -> bool:
        """Lay the columns out for the screen's width; True if they changed (the rows must then be shown again).

        From about 100 columns the next task has a column of its own; on a narrower screen (80x24) the fixed
        columns leave it no room worth reading, so it is the line under the table, for the highlighted case.
        """
        wide = self._task_width() >= MIN_TASK_WIDTH
        table = self.query_one(DataTable)
        if table.columns and wide == self.wide:
            return False
        self.wide = wide
        table.clear(columns=True)
        for key, label, width in FIXED_COLUMNS:
            table.add_column(label, width=width, key=key)
        if wide:
            key, label, width = ORDER_END_COLUMN
            table.add_column(label, width=width, key=key)
            table.add_column("Next task", width=self._task_width(), key="task")
        self.query_one("#caseload-next", Static).display = not wide
        return True

    def on_resize(self, _event) -> None:
        """Lay the columns out again for the new width, and cut the next task (a column, or the line under the
        table) to the room there is now."""
        table = self.query_one(DataTable)
        if self._set_columns() or (self.wide and table.columns["task"].width != self._task_width()):
            if self.wide:
                table.columns["task"].width = self._task_width()
            self._fill(self.query_one("#filter", Input).value)
            table.refresh()
        else:
            self._show_next_task()

    def refresh_data(self) -> None:
        service = self.app.service
        self.rows = service.caseload()
        self.next_appts = service.next_appointments()
        self._hay = [self._search_text(r) for r in self.rows]
        self._rows = [(r["ref"], partial(self._row_cells, r)) for r in self.rows]
        self._open_rows = [row for row, r in zip(self._rows, self.rows, strict=True) if not r["ended"]]
        self._cells = {}
        self._by_ref = {r["ref"]: r for r in self.rows}
        self._fill(self.query_one("#filter", Input).value)
        self.shown_current()

    @staticmethod
    def _search_text(r: dict) -> str:
        """What the filter searches, made once per load (making it at every letter typed was most of the filter's
        time on a large service)."""
        return f"{r['ref']} {r['name']} {r['stage_label']} {r['next_task'] or ''}".casefold()

    def _row_cells(self, r: dict) -> tuple:
        """The row's cells (the next task apart), made the first time the row is shown after a load: of 5,000
        cases a screenful or two are ever shown."""
        cells = self._cells.get(r["ref"])
        if cells is None:
            today = self.app.today
            due = Text(short_uk(r["next_due"], today), style="bold red" if r["overdue"] else "")
            stage = Text(r["stage_label"], style="dim" if r["ended"] else "")
            appt = self.next_appts.get(r["ref"])
            when = f"{short_uk(appt['date'], today)} {appt['time']}" if appt else ""
            cells = self._cells[r["ref"]] = (r["ref"], fit(r["name"], NAME_WIDTH), stage, r["sessions"], when, due)
        return (*cells, r["order_end_uk"], fit(r["next_task"] or "", self._task_width())) if self.wide else cells

    def _fill(self, text: str, *, from_top: bool = False) -> None:
        """Show the cases that match ``text`` (the open ones, or all with ``h``, when nothing is typed).

        ``from_top``: the rows are loaded again from the first, the cursor on it. A filter that changes keeps the
        table's size as long as it matches at least a screenful, so no layout is needed; taking out the rows that no
        longer match one by one (what ``show_rows`` does for a list that lost a few) asks for a layout at each, and a
        layout costs a frame of its own for the table's scrollbar after the one that shows the rows."""
        table = self.query_one(DataTable)
        if from_top:
            table.clear()
        words = text.casefold().split()
        if words:  # every case whose text holds every word typed, closed ones too: one pass over the index a word
            hay, found = self._hay, range(len(self._hay))
            for w in words:
                found = [i for i in found if w in hay[i]]
            rows = [self._rows[i] for i in found]
        else:
            rows = self._rows if self.show_closed else self._open_rows
        # A long list shows a screenful at once and the rest after it is painted (see tui.task_table).
        show_rows(table, rows)
        shown = len(rows)
        hidden = "" if self.show_closed else "  (closed cases hidden: h shows them)"
        self.query_one("#caseload-count", Static).update(f"{shown} of {len(self.rows)} cases{hidden}")
        self._show_next_task()

    def _show_next_task(self) -> None:
        """On a narrow screen, the highlighted case's next task and when it is due, under the table."""
        if self.wide:
            return
        table = self.query_one(DataTable)
        line = Text()
        if table.row_count:
            ref = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
            row = self._by_ref.get(ref)
            # The due date and the order's end stay whole; the task's title is cut at a word to what is left.
            due = f"  (due {row['next_due_uk']})" if row and row["next_task"] else ""
            ends = f"   Order ends {row['order_end_uk']}" if row and row["order_end"] else ""
            if row and row["next_task"]:
                room = self.size.width - 2 - len("Next task: ") - len(due) - len(ends)
                line.append("Next task: ", style="bold")
                line.append(fit(row["next_task"], room))
                line.append(due, style="bold red" if row["overdue"] else "dim")
            elif row:
                line.append("No open task", style="dim")
            line.append(ends, style="dim")
        self.query_one("#caseload-next", Static).update(line)

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_next_task()

    async def on_input_changed(self, event: Input.Changed) -> None:
        """Show the cases that match what is typed, in the same frame as the letter typed.

        The table takes its new rows in its own turn (it measures them, then asks to be painted). Given that turn
        before this handler returns, the table's request reaches the screen before the screen's next frame, which
        then shows the box, the rows and the count together; without it the frame showed the box alone and the
        rows came in a second frame, a screen update later (about 20-30 ms on the ten-year service)."""
        self._fill(event.value, from_top=True)
        await asyncio.sleep(0)

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.query_one(DataTable).focus()

    def action_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.remove_class("hidden")
        box.focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        box.add_class("hidden")
        self.query_one(DataTable).focus()

    def start_again(self) -> None:
        """Shown again (``c``): as a new Caseload starts, with no filter, closed cases hidden, at the top (what
        changed meanwhile read first, so the cursor does not follow the row it was on before)."""
        self.reload_if_changed()
        box = self.query_one("#filter", Input)
        box.add_class("hidden")
        closed, self.show_closed = self.show_closed, False
        if box.value:
            box.value = ""  # its Changed message fills the table again
        elif closed:
            self._fill("")
        table = self.query_one(DataTable)
        if table.row_count:
            table.move_cursor(row=0, scroll=True)
        table.focus()

    def action_toggle_closed(self) -> None:
        self.show_closed = not self.show_closed
        self._fill(self.query_one("#filter", Input).value)

    def action_cursor_down(self) -> None:
        self.query_one(DataTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one(DataTable).action_cursor_up()

    def action_open_client(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return
        ref = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.app.open_client(ref)

    def on_data_table_row_selected(self, _event) -> None:
        self.action_open_client()
