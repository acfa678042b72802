"""Today: what is overdue, due today and due in the next seven days, across every client."""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from tui.fit import fit
from tui.footer import KeysFooter
from tui.lifecycle import LiveScreen, while_live
from tui.reload import ReloadOnResume
from tui.task_table import FIRST_ROWS, TaskTable, due_text

HORIZON_DAYS = 7


class TodayScreen(ReloadOnResume, LiveScreen):
    _rows: list[dict] = []  # the tasks shown, as read: cut again to a new width without reading them again
    _diary_shown: str | None = None  # the diary line on screen (None: not shown yet)
    _diary_due = False  # asked for after a load; dropped if the screen was put away before its turn came
    _read_whole = False  # the whole week read (the first load reads the first frame's rows only)
    _styled_at_mount = True  # not shown yet: its widgets were styled as they were mounted

    BINDINGS = [
        Binding("enter", "open_client", "Open"),
        Binding("r", "refresh_data", "Refresh", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="counts", classes="counts")
        yield Static(id="today-diary", classes="counts")
        yield TaskTable(id="today-tasks")
        yield Static(id="empty", classes="empty")
        yield KeysFooter()

    def on_mount(self) -> None:
        table = self.query_one(TaskTable)
        # Labels and cells are given as Text, not as strings DataTable reads as markup: that reading imports Rich's
        # emoji table (about 4 ms of the start) and parses each cell, to find no markup in any of them.
        table.add_column(Text("Due"), width=9, key="due")
        table.add_column(Text("Client"), width=14, key="client")
        table.add_column(Text("Task"), width=self._task_width(), key="task")
        self.refresh_data()
        table.focus()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Textual styles every widget of a screen again each time it is shown (``refresh_styles``), for whatever
        changed while it was covered. Shown for the first time, Today was styled a moment before, as its widgets
        were mounted, and that second pass over them (about 3 ms of the first frame) would change nothing
        (tests/test_start_up_speed.py). Every later showing is styled again as before."""
        if self._styled_at_mount:
            self._styled_at_mount = False
            event.refresh_styles = False

    def _task_width(self) -> int:
        """Room for the task's title beside the due date and client columns (padding and scrollbar allowed for)."""
        return max(20, self.size.width - 33)

    def on_resize(self, _event) -> None:
        """The titles are cut to the room there is: cut again, from what was read, when the terminal's width
        changes (a wider terminal shows more of each title, a narrower one no title running off the edge)."""
        table = self.query_one(TaskTable)
        if table.columns["task"].width != self._task_width():
            self._show(self._rows)

    def refresh_data(self) -> None:
        from datetime import timedelta

        app = self.app
        today = app.today
        # The first load reads only the rows the first frame can show, no more than the terminal has lines (a
        # ten-year service's week is about 900 tasks, read and made into rows in about 15 ms, each row filled
        # measured), and the whole week as soon as that frame is on screen.
        first = (app.size.height or FIRST_ROWS) if self._loaded_at is None else None
        rows = app.service.tasks("week", first=first)
        self._read_whole = first is None or len(rows) < first
        counts = app.service.task_counts(today + timedelta(days=HORIZON_DAYS))
        self.query_one("#counts", Static).update(
            f"[b red]{counts['overdue']}[/] overdue   [b yellow]{counts['today']}[/] due today   "
            f"[b]{counts['week']}[/] in the next {HORIZON_DAYS} days      {today:%A %d %B %Y}"
        )
        self._show(rows)
        self.shown_current()
        empty = self.query_one("#empty", Static)
        empty.update("" if rows else "Nothing due in the next 7 days.")
        empty.display = not rows  # its padding would take three lines from the list
        # The diary line after the tasks are on screen. On a large service its first look would hold up the
        # first paint of the day (bench/RESULTS.md): the app calls show_diary once it has derived every case.
        if app.service.case_states_ready():
            self._diary_due = True
            self.after_refresh(self.show_diary)
        if not self._read_whole:
            self.app.after_first_frame(while_live(self, self.refresh_data))

    def reload_if_changed(self) -> None:
        """As any list that comes back (``tui.reload``), and the whole week if only the first frame's rows were read
        (the screen was covered, or shown again with ``t``, before the rest came)."""
        if not self._read_whole:
            self.refresh_data()
        else:
            super().reload_if_changed()

    def _show(self, rows: list[dict]) -> None:
        """Put ``rows`` in the table, each title cut at a word to the room there is now (tui.fit)."""
        today = self.app.today
        table = self.query_one(TaskTable)
        keep = table.current_task_id()
        width = self._task_width()
        table.columns["task"].width = width
        self._rows = rows
        table.tasks = {t["id"]: t for t in rows}

        def cells(t: dict) -> tuple:
            who = f"{t['client']} {_initial_name(t['client_name'])}" if t["client"] else "(you)"
            title = fit(("! " if t["urgent"] else "") + t["title"], width)
            title = Text(title, style="bold red" if t["urgent"] else "")
            return due_text(t["due"], today), Text(who), title

        # Cells are made only for the rows the table loads (tui.task_table.show_rows).
        table.show_tasks([(str(t["id"]), partial(cells, t)) for t in rows], keep)
        table.refresh()

    def show_diary(self) -> None:
        """One line from the diary: the next appointment, today's count, RO breach decisions awaited (w opens it).

        Drawn again only when it says something new: after a tick it is nearly always the same line, and
        replacing it with itself would cost a frame of its own after the list's."""
        from tui.glances import diary_line

        self._diary_due = False
        line = diary_line(self.app.service.diary_glance(), self.app.today)
        if line == self._diary_shown:
            return
        self._diary_shown = line
        box = self.query_one("#today-diary", Static)
        box.update(line)
        box.styles.height = "auto"
        box.display = bool(line)

    def start_again(self) -> None:
        """Shown again (``t``): at the top of the list, as a new Today starts. What changed meanwhile is read
        first (then the resume finds it current), so the cursor does not follow the row it was on before."""
        self.reload_if_changed()
        if self._diary_due:
            self.after_refresh(self.show_diary)
        table = self.query_one(TaskTable)
        if table.row_count:
            table.move_cursor(row=0, scroll=True)
        table.focus()

    def action_refresh_data(self) -> None:
        self.refresh_data()

    def on_task_table_task_action(self, message: TaskTable.TaskAction) -> None:
        self.app.task_action(message.verb, message.task_id, self.refresh_data)

    def action_open_client(self) -> None:
        table = self.query_one(TaskTable)
        task_id = table.current_task_id()
        if task_id is None:
            return
        ref = table.tasks[task_id]["client"]
        if ref:
            self.app.open_client(ref)
        else:
            self.notify("This is one of your own weekly or monthly tasks.", timeout=3)

    def on_data_table_row_selected(self, _event) -> None:
        self.action_open_client()


def _initial_name(name: str | None) -> str:
    """'Aaron Ashworth' -> 'AA': enough to recognise with the reference, less on a screen others may see."""
    return "".join(p[0] for p in (name or "").split()[:3]).upper()

