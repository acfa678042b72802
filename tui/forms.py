"""Forms: add a client, record an event. Tab moves between fields, ctrl+s saves, escape cancels.

A refused form stays open with the message under it; nothing is written until everything is valid.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label, Select, Static

from db.connection import DatabaseError
from records.identity import (
    ACCOMMODATION,
    ETHNICITIES,
    GENDERS,
    OFFENCE_TYPES,
    REFERRAL_SOURCES,
    RISK_LEVELS,
    ValidationError,
)
from records.stages import EVENT_KINDS, ORDER_LABELS, SESSION_OUTCOME_LABELS
from tui.footer import KeysFooter

YES_NO = [("Yes", "yes"), ("No", "no")]


def _opts(values) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


def _value(widget) -> str | None:
    if isinstance(widget, Select):
        return None if widget.is_blank() else str(widget.value)
    if isinstance(widget, Checkbox):
        return widget.value
    return widget.value.strip() or None


class FormScreen(ModalScreen):
    """A scrolling column of labelled fields with a message line; subclasses say what saving does."""

    BINDINGS = [Binding("ctrl+s", "save", "Save", priority=True), Binding("escape", "cancel", "Cancel")]
    TITLE_TEXT = ""

    def field_row(self, label: str, widget, row_id: str | None = None, shown: bool = True) -> Horizontal:
        row = Horizontal(Label(label, classes="field-label"), widget, classes="field-row", id=row_id)
        row.display = shown
        return row

    def show_error(self, message: str) -> None:
        # Shown as written: a refusal quoting what was typed ('[/x]' is not a date) is not markup.
        self.query_one("#form-error", Static).update(Text(message))
        self.notify(message, severity="error", timeout=6, markup=False)

    def compose_footer(self) -> ComposeResult:
        yield Static("", id="form-error", classes="error")
        yield Static("tab: next field   ctrl+s: save   escape: cancel", classes="hint")
        yield KeysFooter()

    def action_cancel(self) -> None:
        self.dismiss(None)


CLIENT_FIELDS = (
    ("Name *", "name", None),
    ("Date of birth *", "dob", None),
    ("NHS number", "nhs_number", None),
    ("Gender", "gender", GENDERS),
    ("Ethnicity", "ethnicity", ETHNICITIES),
    ("Address", "address", None),
    ("Postcode", "postcode", None),
    ("Phone", "phone", None),
    ("GP practice", "gp_practice", None),
    ("GP address", "gp_address", None),
    ("GP registered", "gp_registered", "yesno"),
    ("Referral source", "referral_source", REFERRAL_SOURCES),
    ("Offence type", "offence_type", OFFENCE_TYPES),
    ("Court", "court", None),
    ("Responsible Officer", "ro_name", None),
    ("RO contact", "ro_contact", None),
    ("Risk level", "risk_level", RISK_LEVELS),
    ("Accommodation", "accommodation", ACCOMMODATION),
    ("Disability", "disability", "yesno"),
    ("Caring duties", "caring", "yesno"),
    ("Armed forces", "armed_forces", "yesno"),
    ("Care leaver", "looked_after", "yesno"),
    ("EHC plan", "ehc_plan", "yesno"),
    ("Pregnant", "pregnancy", "yesno"),
)


class AddClientScreen(FormScreen):
    """A new client and their first case; dismisses with the new case reference."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            yield Label("New client", classes="dialog-title")
            for label, key, options in CLIENT_FIELDS:
                if options is None:
                    hint = {"dob": "20/11/1990", "nhs_number": "10 digits"}.get(key, "")
                    widget = Input(compact=True, placeholder=hint, id=f"f-{key}")
                else:
                    opts = YES_NO if options == "yesno" else _opts(options)
                    widget = Select(opts, compact=True, prompt="—", id=f"f-{key}")
                yield self.field_row(label, widget)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#f-name", Input).focus()

    def action_save(self) -> None:
        fields = {key: _value(self.query_one(f"#f-{key}")) for _, key, _ in CLIENT_FIELDS}
        fields = {k: v for k, v in fields.items() if v is not None}
        try:
            ref = self.app.service.add_client(fields)
        except (ValidationError, DatabaseError) as exc:  # refused, or another copy holds the lock
            self.show_error(str(exc))
            return
        self.dismiss(ref)


class EventScreen(FormScreen):
    """Record what happened on a case; only the fields the chosen kind needs are shown."""

    FIELDS_FOR = {
        "not-eligible": ("reason",),
        "cl-decision": ("decision", "reason"),
        "adjournment": ("reason",),
        "court-outcome": ("outcome", "order", "length", "sessions", "on_day", "reason"),
        "session": ("session_outcome", "final", "notes"),
        "breach": ("reason",),
        "follow-up": ("months",),
    }

    def __init__(self, ref: str, kind: str | None = None, corrects: dict | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.corrects = corrects
        self.kind = corrects["kind"] if corrects else kind
        # Focus goes straight to the first field to fill: moving it after the screen has focused another widget
        # restyles the whole form twice (most of the time it took to open).
        self.AUTO_FOCUS = "#e-date" if self.kind else "#e-kind"

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form"):
            title = (
                f"Correct event {self.corrects['id']} of {self.ref} (the old entry is kept)"
                if self.corrects
                else f"Record an event for {self.ref}"
            )
            yield Label(title, classes="dialog-title")
            yield self.field_row(
                "What happened",
                Select(
                    compact=True,
                    options=[(label, kind) for kind, label in EVENT_KINDS.items()],
                    prompt="choose…",
                    id="e-kind",
                    value=self.kind or Select.NULL,
                ),
            )
            yield self.field_row(
                "Date", Input(compact=True, value="today", placeholder="today, 20/11/2026, last fri", id="e-date")
            )
            yield self.field_row(
                "Decision",
                Select(
                    compact=True,
                    options=[("Approved", "approved"), ("Declined", "declined")],
                    prompt="—",
                    id="e-decision",
                ),
                "row-decision",
                self._wanted("decision"),
            )
            yield self.field_row(
                "Court outcome",
                Select(
                    compact=True,
                    options=[("MHTR made (accepted)", "accepted"), ("MHTR declined", "declined")],
                    prompt="—",
                    id="e-outcome",
                ),
                "row-outcome",
                self._wanted("outcome"),
            )
            yield self.field_row(
                "Order",
                Select(compact=True, options=[(v, k) for k, v in ORDER_LABELS.items()], prompt="—", id="e-order"),
                "row-order",
                self._wanted("order"),
            )
            yield self.field_row(
                "Length (months)", Input(compact=True, id="e-length"), "row-length", self._wanted("length")
            )
            yield self.field_row(
                "Planned sessions",
                Input(compact=True, value="12", id="e-sessions"),
                "row-sessions",
                self._wanted("sessions"),
            )
            yield self.field_row(
                "",
                Checkbox(compact=True, label="Sentenced on the day", id="e-on_day"),
                "row-on_day",
                self._wanted("on_day"),
            )
            yield self.field_row(
                "Attendance",
                Select(
                    compact=True,
                    options=[(v, k) for k, v in SESSION_OUTCOME_LABELS.items()],
                    value="attended",
                    allow_blank=False,
                    id="e-session_outcome",
                ),
                "row-session_outcome",
                self._wanted("session_outcome"),
            )
            yield self.field_row(
                "", Checkbox(compact=True, label="Final session", id="e-final"), "row-final", self._wanted("final")
            )
            yield self.field_row("Notes", Input(compact=True, id="e-notes"), "row-notes", self._wanted("notes"))
            yield self.field_row(
                "Follow-up",
                Select(
                    compact=True,
                    options=[("3 months", "3"), ("6 months", "6"), ("12 months", "12")],
                    prompt="—",
                    id="e-months",
                ),
                "row-months",
                self._wanted("months"),
            )
            yield self.field_row("Reason", Input(compact=True, id="e-reason"), "row-reason", self._wanted("reason"))
        yield from self.compose_footer()

    def _wanted(self, name: str) -> bool:
        """Whether the row of field ``name`` belongs to the kind chosen (rows start hidden or shown as they
        should, so opening the form lays it out once)."""
        return name in self.FIELDS_FOR.get(self.kind or "", ())

    def on_mount(self) -> None:
        if self.corrects:
            self._prefill(self.corrects)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "e-kind":
            self.kind = _value(event.select)
            self._show_fields(self.kind)

    def _show_fields(self, kind: str | None) -> None:
        wanted = set(self.FIELDS_FOR.get(kind or "", ()))
        for name in (
            "decision",
            "outcome",
            "order",
            "length",
            "sessions",
            "on_day",
            "session_outcome",
            "final",
            "notes",
            "months",
            "reason",
        ):
            self.query_one(f"#row-{name}").display = name in wanted

    def _prefill(self, event: dict) -> None:
        """A correction starts from what was recorded; the kind cannot change."""
        from records.dates import uk

        self.query_one("#e-kind", Select).disabled = True
        self.query_one("#e-date", Input).value = uk(event["date"])
        data = event["data"]
        simple = {"reason": "reason", "notes": "notes", "length": "length_months", "sessions": "sessions"}
        for name, key in simple.items():
            if data.get(key) is not None:
                self.query_one(f"#e-{name}", Input).value = str(data[key])
        choices = {"decision": "decision", "outcome": "outcome", "order": "order", "months": "months"}
        if self.kind == "session":
            choices = {"session_outcome": "outcome"}
        for name, key in choices.items():
            if data.get(key) is not None:
                self.query_one(f"#e-{name}", Select).value = str(data[key])
        for name, key in (("on_day", "sentenced_on_day"), ("final", "final")):
            self.query_one(f"#e-{name}", Checkbox).value = bool(data.get(key))

    def _get(self, name: str):
        return _value(self.query_one(f"#e-{name}"))

    def action_save(self) -> None:
        kind = self.kind
        if not kind:
            self.show_error("choose what happened")
            return
        data: dict = {"reason": self._get("reason")}
        if kind == "cl-decision":
            data["decision"] = self._get("decision")
        elif kind == "court-outcome":
            data.update(
                outcome=self._get("outcome"),
                order=self._get("order"),
                length_months=self._get("length"),
                sessions=self._get("sessions"),
                sentenced_on_day=self._get("on_day"),
            )
        elif kind == "session":
            data.update(outcome=self._get("session_outcome"), final=self._get("final"), notes=self._get("notes"))
        elif kind == "follow-up":
            data["months"] = self._get("months")
        service = self.app.service
        when = self._get("date") or "today"
        try:
            if self.corrects:
                result = service.correct_event(
                    self.ref, self.corrects["id"], when, {k: v for k, v in data.items() if v is not None}
                )
            elif kind == "session":
                # The same path as the Diary and the command line: closes the day's booked appointment and keeps
                # to the three extra sessions allowed after completion.
                result = service.log_session(
                    self.ref, when, data["outcome"] or "attended", notes=data["notes"], final=bool(data["final"])
                ).result
            elif kind == "withdrawal":
                result, _cancelled = service.withdraw_consent(self.ref, when)
            else:
                result = service.record_event(self.ref, kind, when, data)
        except (ValidationError, DatabaseError) as exc:  # refused, or another copy holds the lock
            self.show_error(str(exc))
            return
        made = len(result.created)
        self.app.notify(
            f"{EVENT_KINDS[kind]} recorded: stage now {result.state.label.lower()}; "
            f"{made} task{'s' if made != 1 else ''} added",
            timeout=4,
        )
        self.dismiss(result)
