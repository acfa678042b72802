"""Recording what happened at an appointment: the outcome (in probation's own terms), the session log, and the
health-system entry shown after it with the key that copies it; also the event form opened from a task or the
Client screen, which shows a recorded session's entry the same way.

Every form only gathers what was typed and hands it to the service (``records.sessions``); a refusal is shown
under the form and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from db.errors import DatabaseError
from tui.forms import FormScreen, _value, _widget
from tui.lifecycle import LiveModal
from vocabulary.event_fields import FLAG
from vocabulary.event_kinds import KINDS, SESSION_OUTCOME_LABELS
from vocabulary.identity import ValidationError

COMPLETION = KINDS["completion"]  # its fields are the event form's, from the one registry

NOTE_FIELDS = (
    ("risk", "Risk", "risk to self and others, safeguarding, changes since last time"),
    ("summary", "Summary", "what the session covered"),
    ("plan", "Plan", "what happens before and at the next session"),
)


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
    """The session log: attendance, minutes, risk, summary and plan, and the completion with its details when this
    is the final session; dismisses with the session's event id."""

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
            yield from self._completion_rows()
        yield from self.compose_footer()

    def _completion_rows(self) -> list[Horizontal]:
        """The completion's own details (``vocabulary.event_kinds``: accommodation at the end, referrals and
        signposting), the same widgets as on the event form; shown once "Record completion too" is ticked."""
        rows = [self.field_row("At completion", Label("where the client lives now; who they were referred to"))]
        for f in COMPLETION.fields:
            rows.append(self.field_row("" if f.type == FLAG else f.label, _widget(f), f"row-{f.name}"))
        for row in rows:
            row.add_class("completion-field")
            row.display = False
        return rows

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox.id == "l-complete":
            for row in self.query(".completion-field"):
                row.display = event.value

    def completion(self) -> dict:
        """The completion's details as typed (checked and cleaned by the domain, as the event form's are)."""
        return {f.name: _value(self.query_one(f"#e-{f.name}")) for f in COMPLETION.fields}

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.styles.height = 3
        first = "#l-risk" if self.outcome == "attended" else "#l-notes"
        self.query_one(first).focus()

    def action_save(self) -> None:
        app = self.app
        notes = {k: self.query_one(f"#l-{k}", TextArea).text for k in ("risk", "summary", "plan")}
        complete = self.query_one("#l-complete", Checkbox).value
        try:
            log = app.service.record_attendance(
                self.row["id"],
                _value(self.query_one("#l-outcome")),
                duration_min=_value(self.query_one("#l-duration")),
                notes=_value(self.query_one("#l-notes")),
                final=self.query_one("#l-final", Checkbox).value,
                complete=complete,
                completion=self.completion() if complete else None,
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
