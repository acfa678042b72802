"""Caseload: every case with its stage, sessions done of planned and next task; ``/`` filters as you type."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Input, Static

from tui.reload import ReloadOnResume
from tui.task_table import PagedTable, show_rows


class CaseloadScreen(ReloadOnResume, Screen):
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
        self.next_appts: dict[str, dict] = {}  # case reference -> its next booked appointment
        self.show_closed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="filter: name, reference, stage, task…", id="filter", classes="hidden")
        yield PagedTable(id="caseload", cursor_type="row")
        yield Static(id="caseload-count", classes="counts")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("Ref", width=9)
        table.add_column("Name", width=18)
        table.add_column("Stage", width=20)
        table.add_column("Sess", width=5)
        table.add_column("Next appt", width=11)
        table.add_column("Next task")
        table.add_column("Due", width=8)
        self.refresh_data()
        table.focus()

    def refresh_data(self) -> None:
        from records.appointments import next_appointments
        from records.views import caseload
        from tui.diary import app_now

        self.rows = caseload(self.app.db, self.app.today)
        self.next_appts = next_appointments(self.app.db, app_now(self.app))
        self._fill(self.query_one("#filter", Input).value)
        self._current = True

    def _fill(self, text: str) -> None:
        table = self.query_one(DataTable)
        words = text.casefold().split()
        rows = []
        for r in self.rows:
            if r["closed"] and not self.show_closed and not words:
                continue
            hay = f"{r['ref']} {r['name']} {r['stage_label']} {r['next_task'] or ''}".casefold()
            if not all(w in hay for w in words):
                continue
            due = Text(r["next_due_uk"][:5] if r["next_due"] else "", style="bold red" if r["overdue"] else "")
            stage = Text(r["stage_label"], style="dim" if r["closed"] else "")
            appt = self.next_appts.get(r["ref"])
            when = f"{appt['date_uk'][:5]} {appt['time']}" if appt else ""
            rows.append((r["ref"], (r["ref"], r["name"], stage, r["sessions"], when, r["next_task"] or "", due)))
        # A long list shows a screenful at once and the rest after it is painted (see tui.task_table).
        show_rows(table, rows)
        shown = len(rows)
        hidden = "" if self.show_closed else "  (closed cases hidden: h shows them)"
        self.query_one("#caseload-count", Static).update(f"{shown} of {len(self.rows)} cases{hidden}")

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

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
