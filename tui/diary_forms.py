"""The Diary's forms: book (one session or a series), move, cancel, record what happened at a session, and the
health-system entry shown after it with the key that copies it.

Every form only gathers what was typed and hands it to ``records.appointments`` or ``records.sessions``; a
refusal is shown under the form and nothing is written. An overlap is the one refusal that may be overridden:
the form asks, and books anyway only on ``y``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from db.errors import DatabaseError
from tui.forms import FormScreen, _value
from tui.lifecycle import LiveModal
from vocabulary.dates import uk
from vocabulary.event_kinds import SESSION_OUTCOME_LABELS
from vocabulary.identity import ValidationError

MODE_OPTIONS = [("In person", "in person"), ("Phone", "phone"), ("Video", "video")]
NOTE_FIELDS = (
    ("risk", "Risk", "risk to self and others, safeguarding, changes since last time"),
    ("summary", "Summary", "what the session covered"),
    ("plan", "Plan", "what happens before and at the next session"),
)


class _DiaryForm(FormScreen):
    """A form whose save may meet an overlap: ask, then save again allowing it (or leave the message)."""

    def _save_with_overlap_check(self, work: Callable[[bool], dict]) -> None:
        from records.appointments import OverlapError
        from tui.prompts import DIALOG_TEXT_WIDTH, ConfirmPrompt

        try:
            result = work(False)
        except OverlapError as exc:
            message = str(exc)

            def answer(yes: bool | None) -> None:
                if not yes:
                    self.show_error(f"{message}: not booked")
                    return
                try:
                    self.dismiss(work(True))
                except (ValidationError, DatabaseError) as again:
                    self.show_error(str(again))

            self.show_error(message)
            question = textwrap.fill(f"{message}.", DIALOG_TEXT_WIDTH) + "\nBook it anyway?"
            self.app.push_screen(ConfirmPrompt(question), answer)
            return
        except (ValidationError, DatabaseError) as exc:
            self.show_error(str(exc))
            return
        self.dismiss(result)

    def _get(self, name: str):
        return _value(self.query_one(f"#{name}"))


class BookScreen(_DiaryForm):
    """Book one session, or a series every week or fortnight; dismisses with the first appointment."""

    def __init__(self, ref: str, day) -> None:
        super().__init__()
        self.ref = ref
        self.day = day

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Label("Book an appointment", classes="dialog-title")
            yield self.field_row("Client ref *", Input(self.ref, compact=True, placeholder="MHTR-0007", id="b-ref"))
            yield self.field_row(
                "Date *", Input(uk(self.day), compact=True, placeholder="20/11/2026, next tue", id="b-date")
            )
            yield self.field_row("Time *", Input(compact=True, placeholder="10:00, 2:30pm", id="b-time"))
            yield self.field_row(
                "How", Select(MODE_OPTIONS, value="in person", allow_blank=False, compact=True, id="b-mode")
            )
            yield self.field_row("Place", Input(compact=True, placeholder="where (in person)", id="b-place"))
            yield self.field_row("Minutes", Input("60", compact=True, id="b-duration"))
            yield self.field_row(
                "Sessions", Input(compact=True, placeholder="1, or e.g. 12 for a series", id="b-count")
            )
            yield self.field_row(
                "Every",
                Select(
                    [("Week", "week"), ("Fortnight", "fortnight")],
                    value="week",
                    allow_blank=False,
                    compact=True,
                    id="b-every",
                ),
            )
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#b-time" if self.ref else "#b-ref", Input).focus()

    def action_save(self) -> None:
        from records.appointments import parse_start, series_count

        app = self.app
        try:
            start = parse_start(self._get("b-date") or "", self._get("b-time") or "", app.today)
            count = series_count(self._get("b-count"))
        except (ValidationError, DatabaseError) as exc:
            self.show_error(str(exc))
            return
        ref = self._get("b-ref") or ""
        common = dict(
            duration_min=self._get("b-duration"),
            mode=self._get("b-mode"),
            place=self._get("b-place"),
        )

        def work(allow: bool) -> dict:  # the service reads its checklist here, where a refusal is shown on the form
            if count == 1:
                aid = app.service.book(ref, start, allow_overlap=allow, **common)
                return {"id": aid, "starts_at": start.isoformat(), "count": 1}
            result = app.service.book_series(ref, start, count, every=self._get("b-every"), allow_overlap=allow,
                                             **common)
            return {
                "id": result.ids[0],
                "starts_at": start.isoformat(),
                "count": len(result.ids),
                "skipped": result.skipped,
                "warnings": result.warnings,
            }

        self._save_with_overlap_check(work)

    def dismiss(self, result=None):
        if result:
            n = result["count"]
            what = "appointment booked" if n == 1 else f"{n} appointments booked"
            skipped = result.get("skipped") or []
            extra = f"; skipped bank holiday(s) {', '.join(uk(d) for d in skipped)}" if skipped else ""
            self.app.notify(f"{what}{extra}", timeout=5)
        return super().dismiss(result)


class MoveScreen(_DiaryForm):
    """Move a booked appointment to a new day, time or place; the old one stays in the diary as moved."""

    def __init__(self, row: dict) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        r = self.row
        with VerticalScroll(classes="form"):
            yield Label(f"Move {r['ref']}'s appointment of {r['date_uk']} {r['time']}", classes="dialog-title")
            yield self.field_row("Date *", Input(r["date_uk"], compact=True, id="m-date"))
            yield self.field_row("Time *", Input(r["time"], compact=True, id="m-time"))
            yield self.field_row(
                "How", Select(MODE_OPTIONS, value=r["mode"], allow_blank=False, compact=True, id="m-mode")
            )
            yield self.field_row("Place", Input(r["place"] or "", compact=True, id="m-place"))
            yield self.field_row("Minutes", Input(str(r["duration_min"]), compact=True, id="m-duration"))
            yield self.field_row("Reason", Input(compact=True, placeholder="why it moved", id="m-reason"))
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#m-date", Input).focus()

    def action_save(self) -> None:
        from records.appointments import parse_start

        app = self.app
        try:
            start = parse_start(self._get("m-date") or "", self._get("m-time") or "", app.today)
        except (ValidationError, DatabaseError) as exc:
            self.show_error(str(exc))
            return

        def work(allow: bool) -> dict:
            new_id = app.service.move(
                self.row["id"],
                start,
                duration_min=self._get("m-duration"),
                mode=self._get("m-mode"),
                place=self._get("m-place") or "",
                reason=self._get("m-reason"),
                allow_overlap=allow,
            )
            return app.service.appointment(new_id)

        self._save_with_overlap_check(work)


class CancelScreen(FormScreen):
    """Cancel a booked appointment, by the service or the client, with the reason probation will see."""

    def __init__(self, row: dict) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        r = self.row
        with Vertical(classes="dialog"):
            yield Label(f"Cancel {r['ref']}'s appointment of {r['date_uk']} {r['time']}", classes="dialog-title")
            yield self.field_row(
                "Cancelled by",
                Select(
                    [("The service", "service"), ("The client", "client")],
                    value="service",
                    allow_blank=False,
                    compact=True,
                    id="c-by",
                ),
            )
            yield self.field_row("Reason", Input(compact=True, placeholder="e.g. practitioner unwell", id="c-reason"))
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#c-reason", Input).focus()

    def on_input_submitted(self, _event: Input.Submitted) -> None:
        self.action_save()

    def action_save(self) -> None:
        try:
            row = self.app.service.cancel(
                self.row["id"], by=_value(self.query_one("#c-by")), reason=_value(self.query_one("#c-reason"))
            )
        except (ValidationError, DatabaseError) as exc:
            self.show_error(str(exc))
            return
        self.app.notify(f"{self.row['ref']} {self.row['date_uk']} {self.row['time']} cancelled", timeout=4)
        self.dismiss(row)


class OutcomePicker(LiveModal[str | None]):
    """What happened at the appointment, in probation's own terms (1-5 or arrows and enter)."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        *[Binding(str(i), f"pick({i - 1})", show=False) for i in range(1, len(SESSION_OUTCOME_LABELS) + 1)],
    ]

    def __init__(self, row: dict) -> None:
        super().__init__()
        self.row = row

    def compose(self) -> ComposeResult:
        r = self.row
        with Vertical(classes="dialog"):
            yield Label(f"{r['ref']} {r['date_uk']} {r['time']}: what happened?", classes="dialog-title")
            yield OptionList(
                *[Option(f"{i}  {label}", id=key) for i, (key, label) in enumerate(SESSION_OUTCOME_LABELS.items(), 1)],
                id="outcome-list",
            )
            yield Static("1-5 or enter: choose   escape: cancel", classes="hint")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        self.dismiss(list(SESSION_OUTCOME_LABELS)[index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class SessionLogScreen(FormScreen):
    """The session log: attendance, minutes, risk, summary and plan; dismisses with the session's event id."""

    def __init__(self, row: dict, outcome: str) -> None:
        super().__init__()
        self.row = row
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        r = self.row
        with VerticalScroll(classes="form"):
            yield Label(f"Session log: {r['ref']} {r['name']}, {r['date_uk']} {r['time']}", classes="dialog-title")
            yield self.field_row(
                "Attendance",
                Select(
                    [(v, k) for k, v in SESSION_OUTCOME_LABELS.items()],
                    value=self.outcome,
                    allow_blank=False,
                    compact=True,
                    id="l-outcome",
                ),
            )
            yield self.field_row("Minutes", Input(str(r["duration_min"]), compact=True, id="l-duration"))
            for key, label, hint in NOTE_FIELDS:
                yield self.field_row(label, TextArea(compact=True, placeholder=hint, id=f"l-{key}"))
            yield self.field_row("Notes", Input(compact=True, placeholder="anything else for the record", id="l-notes"))
            yield self.field_row("", Checkbox("Risk or concerns (urgent tasks)", compact=True, id="l-concerns"))
            yield self.field_row("", Checkbox("Final session", compact=True, id="l-final"))
            yield self.field_row("", Checkbox("Record completion too", compact=True, id="l-complete"))
        yield from self.compose_footer()

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.styles.height = 3
        first = "#l-risk" if self.outcome == "attended" else "#l-notes"
        self.query_one(first).focus()

    def action_save(self) -> None:
        app = self.app
        notes = {k: self.query_one(f"#l-{k}", TextArea).text for k in ("risk", "summary", "plan")}
        try:
            log = app.service.record_attendance(
                self.row["id"],
                _value(self.query_one("#l-outcome")),
                duration_min=_value(self.query_one("#l-duration")),
                notes=_value(self.query_one("#l-notes")),
                final=self.query_one("#l-final", Checkbox).value,
                complete=self.query_one("#l-complete", Checkbox).value,
                concerns=self.query_one("#l-concerns", Checkbox).value,
                **notes,
            )
        except (ValidationError, DatabaseError) as exc:
            self.show_error(str(exc))
            return
        made = len(log.result.created) + (len(log.completion.created) if log.completion else 0)
        done = "; completion recorded" if log.completion else ""
        app.notify(f"{self.row['ref']}: session recorded{done}; {made} task(s) added", timeout=4)
        self.dismiss(log.event_id)


class EntryScreen(LiveModal):
    """The health-system entry, ready to paste into the trust's record; y copies it, s adds a questionnaire done
    in the session (the entry then lists it with its score).
    """

    BINDINGS = [
        Binding("y", "copy", "Copy"),
        Binding("s", "score", "Questionnaire"),
        Binding("escape,enter,q", "close", "Close"),
    ]

    def __init__(self, ref: str, text: str, event_id: int | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.text = text
        self.event_id = event_id

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return bool(self.event_id) if action == "score" else True

    def action_score(self) -> None:
        from tui.questionnaire_entry import InstrumentPicker, QuestionnaireScreen

        app = self.app
        try:
            ref, day, timepoint = app.service.session_slot(self.event_id)
        except (ValidationError, DatabaseError) as exc:
            app.notify(str(exc), severity="error")
            return

        def stored(result) -> None:
            if result:
                self.text = app.service.health_entry(self.event_id)
                self.query_one("#entry-text", Static).update(self.text)

        def picked(name: str | None) -> None:
            if name:
                app.push_screen(QuestionnaireScreen(ref, name, timepoint, today=day), stored)

        app.push_screen(InstrumentPicker(), picked)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(f"Health-system entry for {self.ref}", classes="dialog-title")
            with VerticalScroll(id="entry-scroll"):
                yield Static(self.text, id="entry-text", markup=False)
            yield Static("", id="entry-status", classes="hint")
            keys = "y: copy to the clipboard   s: add a questionnaire done in the session   escape: close"
            yield Static(keys if self.event_id else "y: copy to the clipboard   escape: close", classes="hint")

    def on_mount(self) -> None:
        self.query_one("#entry-scroll").styles.max_height = 14
        self.query_one("#entry-scroll").styles.height = "auto"

    def action_copy(self) -> None:
        """Copy the entry; for a recorded session this also ticks its "health system entry" task."""
        if self.event_id:
            self.app.attempt(
                lambda: self.app.service.copy_health_entry(self.event_id, self.app.copy_to_clipboard),
                lambda result: self._copied(result[1], result[2]),
            )
        else:
            from service.clipboard import copy_text

            self._copied(copy_text(self.text, self.app.copy_to_clipboard), [])

    def _copied(self, message: str, ticked: list[str]) -> None:
        done = f"; ticked: {ticked[0]}" if ticked else ""
        self.query_one("#entry-status", Static).update(message[:1].upper() + message[1:] + done + ".")
        self.app.notify(f"Health-system entry {message}{done}.", timeout=4, markup=False)

    def action_close(self) -> None:
        self.dismiss(None)


def record_outcome(app, row: dict, done: Callable[[str | None], None]) -> None:
    """Ask what happened, take the session log, then show the health-system entry (y copies it). An appointment
    that has not started yet is refused at once (the domain's words), before anything is typed."""
    from records.appointments import from_iso
    from records.sessions import too_early

    problem = too_early(from_iso(row["starts_at"]), app.clock.now())
    if problem:
        app.notify(problem, severity="warning", timeout=5)
        return

    def logged(event_id: int | None) -> None:
        if not event_id:
            done(None)
            return
        entry = app.service.health_entry(event_id)
        app.push_screen(EntryScreen(row["ref"], entry, event_id), lambda _: done(entry))

    def picked(outcome: str | None) -> None:
        if outcome:
            app.push_screen(SessionLogScreen(row, outcome), logged)

    app.push_screen(OutcomePicker(row), picked)


def open_event_form(
    app, ref: str, done: Callable[[], None], kind: str | None = None, corrects: dict | None = None
) -> None:
    """The event form for ``ref``; a session recorded on it shows its health-system entry next (y copies it), as a
    session logged from the Diary does, so the log is the same with or without a booking. ``done`` runs at the end.
    """
    from tui.forms import EventScreen

    def recorded(result) -> None:
        session = getattr(result, "session", None)
        if session is None:
            done()
            return
        if not app.attempt(
            lambda: app.service.health_entry(session.event_id),
            lambda text: app.push_screen(EntryScreen(ref, text, session.event_id), lambda _: done()),
        ):
            done()

    app.push_screen(EventScreen(ref, kind=kind, corrects=corrects), recorded)


