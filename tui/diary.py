"""Diary: one week of appointments across every client, days down, with the keys that book, move, cancel and
record attendance, copy a session's health-system entry and share the week with probation.

The screen presents ``records.diary_views.week_view`` and asks; the booking rules (past, closed case,
overlap, extra sessions), the attendance record and the weekly share are decided in ``records``. "Now" is the
app's day (fixed in tests) at the wall clock's time, so what counts as past agrees with the rest of the app.
How a row reads is ``tui.diary_cells``; the booking forms are ``tui.diary_forms``, recording what happened
``tui.session_forms``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static
from textual.widgets.data_table import CellDoesNotExist

from tui.diary_cells import attendance_cell, detail_text, short_name
from tui.fit import fit
from tui.footer import KeysFooter
from tui.lifecycle import LiveScreen
from tui.lines import FixedLines
from tui.reload import ReloadOnResume
from tui.task_table import PagedTable, show_rows


class DiaryTable(PagedTable):
    """The week's rows (j/k move as in the other lists: ``PagedTable``)."""


class DiaryScreen(ReloadOnResume, LiveScreen):
    """The appointments diary for one week (Monday to Sunday) across every client."""

    BINDINGS = [
        Binding("left_square_bracket,left", "week(-1)", "Prev", key_display="[", priority=True),
        Binding("right_square_bracket,right", "week(1)", "Next", key_display="]", priority=True),
        Binding("home", "this_week", "This week", show=False, priority=True),
        Binding("b", "book", "Book"),
        Binding("v", "move", "Move"),
        Binding("x", "cancel_appointment", "Cancel"),
        Binding("o", "attend", "Outcome"),
        Binding("y", "copy_entry", "Copy"),
        Binding("s", "share", "Share"),
        Binding("enter", "open_client", "Open", show=False),
        Binding("escape", "back", "Back", show=False),
    ]

    def __init__(self, day: date | None = None) -> None:
        super().__init__()
        self.day = day
        self.week: dict = {}
        self.rows: dict[str, dict] = {}
        self._notice: tuple[str | None, str] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield FixedLines(id="diary-week", classes="counts")
        yield DiaryTable(id="diary", cursor_type="row")
        yield FixedLines(id="diary-detail", classes="summary")
        yield KeysFooter()

    def on_mount(self) -> None:
        from records.appointments import week_start

        self.monday = week_start(self.day or self.app.today)
        table = self.query_one(DataTable)
        table.add_column("Day", width=6, key="day")
        table.add_column("Time", width=5, key="time")
        table.add_column("Client", width=19, key="client")
        table.add_column("Where", width=15, key="where")
        table.add_column("Attendance", key="attendance")
        self.refresh_data()
        detail = self.query_one("#diary-detail", Static)
        detail.styles.text_wrap = "nowrap"
        detail.styles.text_overflow = "ellipsis"
        table.focus()

    # ---- showing ---------------------------------------------------------------------------------------
    def refresh_data(self, keep: str | None = None) -> None:
        app = self.app
        table = self.query_one(DataTable)
        keep = keep or self.current_key()
        self.week = week = app.service.week(self.monday)
        counts = [f"{week['booked']} booked"]
        if week["awaiting_outcome"]:
            counts.append(f"[b yellow]{week['awaiting_outcome']} to record[/]")
        if week["clashes"]:
            counts.append(f"[b red]{week['clashes']} overlapping[/]")
        self.query_one("#diary-week", Static).update(f"[b]{week['label']}[/b]   " + "   ".join(counts))
        self.rows = {}
        shown: list[tuple[str, tuple]] = []
        for day in week["days"]:
            d = date.fromisoformat(day["date"])
            label = Text(f"{d:%a} {d.day:>2}", style="bold reverse" if d == app.today else "bold")
            if day["bank_holiday"]:
                shown.append(
                    (
                        f"h:{day['date']}",
                        (label, "", Text(f"Bank holiday: {day['bank_holiday']}", style="italic"), "", ""),
                    )
                )
                label = Text("")
            if not day["rows"]:
                if not day["bank_holiday"]:
                    shown.append((f"d:{day['date']}", (label, "", Text("-", style="dim"), "", "")))
                continue
            for r in day["rows"]:
                key = f"a:{r['id']}" if r["kind"] == "appointment" else f"s:{r['event_id']}"
                self.rows[key] = r
                client = f"{r['ref']} {short_name(r['name'])}"
                dim = "dim" if r["status"] in ("cancelled", "moved") else ""
                shown.append(
                    (
                        key,
                        (
                            label,
                            Text(r["time"] or "--", style=dim),
                            Text(client, style=dim),
                            Text(r["where"] or "", style=dim),
                            attendance_cell(r),
                        ),
                    )
                )
                label = Text("")
        if keep is None or keep not in {k for k, _ in shown}:
            keep = self._first_row_on_or_after(shown)
        show_rows(table, shown, keep)
        self._show_detail()
        self.shown_current()

    def _first_row_on_or_after(self, shown: list[tuple[str, tuple]]) -> str | None:
        """On opening a week, start on today's first appointment (or the first one of the week)."""
        today = self.app.today.isoformat()
        for key, _ in shown:
            row = self.rows.get(key)
            if row and row["date"] >= today:
                return key
        return next((k for k, _ in shown if k in self.rows), None)

    def current_key(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None

    def current_row(self) -> dict | None:
        return self.rows.get(self.current_key() or "")

    def _show_detail(self) -> None:
        key = self.current_key()
        if self._notice and self._notice[0] != key:
            self._notice = None  # a message (e.g. where the share went) stays until the cursor moves on
        text = self._notice[1] if self._notice else detail_text(self.current_row())
        # Each line cut at a word to the width (a place or a reason can be long), never run off the edge; shown as
        # typed (a name or a place holding "[" is not markup).
        room = self.size.width - 2
        self.query_one("#diary-detail", Static).update(Text("\n".join(fit(line, room) for line in text.split("\n"))))

    def on_resize(self, _event) -> None:
        self._show_detail()

    def show_notice(self, text: str) -> None:
        self._notice = (self.current_key(), text)
        self._show_detail()

    def on_data_table_row_highlighted(self, _event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def on_data_table_row_selected(self, _event: DataTable.RowSelected) -> None:
        self.action_open_client()

    # ---- moving about ----------------------------------------------------------------------------------
    def action_week(self, step: int) -> None:
        self.monday += timedelta(days=7 * step)
        self.refresh_data(keep="-")

    def start_again(self) -> None:
        """Shown again (``w``): this week, on today's first appointment, as a new Diary starts."""
        from records.appointments import week_start

        self._notice = None
        self.monday = week_start(self.app.today)
        self.refresh_data(keep="-")
        self.query_one(DataTable).focus()

    def action_this_week(self) -> None:
        from records.appointments import week_start

        self.monday = week_start(self.app.today)
        self.refresh_data(keep="-")

    def show_appointment(self, appointment_id: int, starts_at: str) -> None:
        """Go to the week of an appointment and put the cursor on it (after booking or moving)."""
        from records.appointments import from_iso, week_start

        self.monday = week_start(from_iso(starts_at).date())
        self.refresh_data(keep=f"a:{appointment_id}")

    def action_back(self) -> None:
        """Back to where the Diary was opened from (a task's a); the Diary opened with w is a root, like Today."""
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()

    def action_open_client(self) -> None:
        row = self.current_row()
        if row:
            self.app.open_client(row["ref"])

    # ---- doing -----------------------------------------------------------------------------------------
    def _booked_row(self, verb: str) -> dict | None:
        """The highlighted appointment if it is still booked; otherwise say why nothing can be done."""
        row = self.current_row()
        if row is None or row["kind"] != "appointment":
            self.notify(f"Move to an appointment to {verb} it.", timeout=3)
            return None
        if row["status"] != "booked":
            self.notify(
                f"This appointment is {row['attendance'].lower()}; only a booked one can be changed.",
                severity="warning",
                timeout=4,
            )
            return None
        return row

    def action_book(self) -> None:
        from tui.diary_forms import BookScreen

        row = self.current_row()
        key = self.current_key() or ""
        day = row["date"] if row else key[2:] if key[:2] in ("d:", "h:") else None
        start = date.fromisoformat(day) if day else self.app.today
        if start < self.app.today:
            start = self.app.today

        def booked(result) -> None:
            if result:
                self.show_appointment(result["id"], result["starts_at"])

        self.app.push_screen(BookScreen(row["ref"] if row else "", start), booked)

    def action_move(self) -> None:
        from tui.diary_forms import MoveScreen

        row = self._booked_row("move")
        if row is None:
            return

        def moved(result) -> None:
            if result:
                self.show_appointment(result["id"], result["starts_at"])

        self.app.push_screen(MoveScreen(row), moved)

    def action_cancel_appointment(self) -> None:
        from tui.diary_forms import CancelScreen

        row = self._booked_row("cancel")
        if row is not None:
            self.app.push_screen(CancelScreen(row), lambda done: self.refresh_data() if done else None)

    def action_attend(self) -> None:
        from tui.session_forms import record_outcome

        row = self._booked_row("record what happened at")
        if row is not None:
            record_outcome(self.app, row, lambda _entry: self.refresh_data())

    def action_copy_entry(self) -> None:
        from service.clipboard import copy_text

        row = self.current_row()
        if row is None or not row.get("event_id"):
            self.notify("No session is recorded here yet: o records what happened.", timeout=3)
            return
        self.app.attempt(
            lambda: copy_text(self.app.service.health_entry(row["event_id"]), self.app.copy_to_clipboard),
            lambda message: self.notify(f"Health-system entry for {row['ref']} {message}.", timeout=4),
        )

    def action_share(self) -> None:
        from tui.prompts import TextPrompt

        def write(folder: str | None) -> None:
            if not folder:
                return
            from letters.weekly_share import awaiting_lines

            def written(result) -> None:
                lines = result.lines() + awaiting_lines(result.share)
                self.show_notice("\n".join(line.strip() for line in lines))
                self.notify(f"Shared into {result.folder}: {lines[0]}", timeout=8)

            self.app.attempt(
                lambda: self.app.service.share_week(folder, self.monday),
                written,
            )

        self.app.push_screen(
            TextPrompt(
                # one line at 80 columns, even for "week of Monday 30 September 2026"; names keep their capitals
                f"Share the {_lower_first(self.week.get('label', 'Week'))} (Word, CSV) into folder",
                "folder",
                value=str(default_share_folder(self.app.db_path)),
                check=lambda s: None if s else "a folder is needed",
            ),
            write,
        )


def _lower_first(text: str) -> str:
    """'Week of Monday 30 November 2026' -> 'week of Monday 30 November 2026' (not str.lower: day and month
    names keep their capitals)."""
    return text[:1].lower() + text[1:]


def default_share_folder(db_path: Path) -> Path:
    """Beside the database, so the files sit with the records they come from (and nowhere shared)."""
    return Path(db_path).expanduser().resolve().parent / "weekly-share"


def open_diary_action(app, task: dict, refresh: Callable[[], None]) -> bool:
    """The work of a diary task: the weekly diary opens the Diary at the task's week; a session's health-system
    entry opens the entry of the session that made the task, ready to copy. False for anything else.
    """
    if task.get("action") == "diary":
        app.push_screen(DiaryScreen(date.fromisoformat(task["due"])), lambda _: refresh())
        return True
    if task.get("key") == "session.health-entry" and task.get("event_id") and task.get("ref"):
        from tui.session_forms import EntryScreen

        app.attempt(
            lambda: app.service.health_entry(task["event_id"]),
            lambda text: app.push_screen(EntryScreen(task["ref"], text, task["event_id"]), lambda _: refresh()),
        )
        return True
    return False
