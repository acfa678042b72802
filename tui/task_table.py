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

from records.dates import uk

STATUS_MARK = {"open": "[ ]", "done": "[✓]", "skipped": "[-]"}


def due_text(due: str, today: date, status: str = "open") -> Text:
    """'3d late' in red, 'today' in bold, else a short date; closed tasks plain."""
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
    return Text(uk(due))


class TaskTable(DataTable):
    """A DataTable whose rows are tasks keyed by id."""

    BINDINGS = [
        Binding("space", "tick", "Tick"),
        Binding("x", "skip", "Skip"),
        Binding("d", "reschedule", "Due"),
        Binding("a", "act", "Do"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
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

    def keep_cursor(self, task_id: int | None) -> None:
        """After a reload, put the cursor back on ``task_id`` (or the nearest row)."""
        if task_id is None:
            return
        if str(task_id) in self.rows:
            self.move_cursor(row=self.get_row_index(str(task_id)))
