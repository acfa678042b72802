"""Forms: add a client, record an event. Tab moves between fields, ctrl+s saves, escape cancels.

A refused form stays open with the message under it; nothing is written until everything is valid.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from db.errors import DatabaseError
from service.cases import Recorded
from tui.footer import KeysFooter
from tui.lifecycle import LiveModal
from vocabulary.event_fields import FLAG, NOTE, YES_NO, Field
from vocabulary.event_kinds import EVENT_KINDS, KINDS
from vocabulary.identity import (
    ACCOMMODATION,
    ETHNICITIES,
    GENDERS,
    OFFENCE_TYPES,
    REFERRAL_SOURCES,
    RISK_LEVELS,
    ValidationError,
)

YES_NO_OPTIONS = [("Yes", "yes"), ("No", "no")]


def _opts(values) -> list[tuple[str, str]]:
    return [(v, v) for v in values]


def _value(widget) -> str | None:
    if isinstance(widget, Select):
        return None if widget.is_blank() else str(widget.value)
    if isinstance(widget, Checkbox):
        return widget.value
    return widget.value.strip() or None


class FormScreen(LiveModal):
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
                    opts = YES_NO_OPTIONS if options == "yesno" else _opts(options)
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
    """Record what happened on a case. The fields are the chosen kind's, from the event-kind registry
    (``vocabulary.event_kinds.KINDS``), so the form takes every detail the command line takes; they are laid out
    again when the kind changes. Dismisses with what ``Service.record`` returns (or the correction's result)."""

    def __init__(self, ref: str, kind: str | None = None, corrects: dict | None = None) -> None:
        super().__init__()
        self.ref = ref
        self.corrects = corrects
        self.kind = corrects["kind"] if corrects else kind
        # Focus goes straight to the first field to fill: moving it after the screen has focused another widget
        # restyles the whole form twice (most of the time it took to open).
        self.AUTO_FOCUS = "#e-date" if self.kind else "#e-kind"

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="form", id="event-form"):
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
                    options=[(k.label, k.name) for k in KINDS.values()],
                    prompt="choose…",
                    id="e-kind",
                    value=self.kind or Select.NULL,
                ),
            )
            yield self.field_row(
                "Date", Input(compact=True, value="today", placeholder="today, 20/11/2026, last fri", id="e-date")
            )
            yield from self._field_rows(self.kind)
        yield from self.compose_footer()

    def _field_rows(self, kind: str | None) -> list[Horizontal]:
        """One labelled row per field of ``kind`` (rows have the class ``event-field``, ids ``row-NAME``)."""
        spec = KINDS.get(kind or "")
        rows = []
        for f in spec.fields if spec else ():
            label = "" if f.type == FLAG else f.label + (" *" if f.required is True else "")
            row = self.field_row(label, _widget(f), f"row-{f.name}")
            row.add_class("event-field")
            rows.append(row)
        return rows

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.styles.height = 3
        if self.corrects:
            self._prefill(self.corrects)

    async def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "e-kind":
            kind = _value(event.select)
            if kind != self.kind:
                self.kind = kind
                await self.query(".event-field").remove()
                rows = self._field_rows(kind)
                if rows:
                    await self.query_one("#event-form", VerticalScroll).mount_all(rows)
                    for area in self.query(TextArea):
                        area.styles.height = 3

    def _prefill(self, event: dict) -> None:
        """A correction starts from what was recorded; the kind cannot change."""
        from vocabulary.dates import uk

        self.query_one("#e-kind", Select).disabled = True
        self.query_one("#e-date", Input).value = uk(event["date"])
        spec = KINDS.get(self.kind or "")
        for f in spec.fields if spec else ():
            value = event["data"].get(f.name)
            widget = self.query_one(f"#e-{f.name}")
            if isinstance(widget, Checkbox):
                widget.value = bool(value)
            elif value is None:
                continue
            elif isinstance(widget, Select):
                widget.value = ("yes" if value else "no") if f.type == YES_NO else str(value)
            elif isinstance(widget, TextArea):
                widget.text = str(value)
            else:
                widget.value = str(value)

    def _get(self, name: str):
        widget = self.query_one(f"#e-{name}")
        if isinstance(widget, TextArea):
            return widget.text.strip() or None
        return _value(widget)

    def data(self) -> dict:
        """The chosen kind's fields as typed (``vocabulary.event_kinds.check_event`` checks and cleans them)."""
        spec = KINDS.get(self.kind or "")
        return {f.name: self._get(f.name) for f in spec.fields} if spec else {}

    def action_save(self) -> None:
        kind = self.kind
        if not kind:
            self.show_error("choose what happened")
            return
        service = self.app.service
        when = self._get("date") or "today"
        data = self.data()
        try:
            if self.corrects:
                result = service.correct_event(
                    self.ref, self.corrects["id"], when, {k: v for k, v in data.items() if v is not None}
                )
                done = Recorded(result)
            else:
                # A session closes the day's booked appointment and keeps to the extra sessions allowed after
                # completion; consent withdrawn cancels the bookings ahead: the same path as the Diary and the CLI.
                done = service.record(self.ref, kind, when, data)
        except (ValidationError, DatabaseError) as exc:  # refused, or another copy holds the lock
            self.show_error(str(exc))
            return
        made = len(done.result.created)
        self.app.notify(
            f"{EVENT_KINDS[kind]} recorded: stage now {done.result.state.label_in_sentence}; "
            f"{made} task{'s' if made != 1 else ''} added",
            timeout=4,
        )
        self.dismiss(done)


def _widget(f: Field):
    """The widget that enters field ``f``: a list to choose from, a tick box, a box for a note, or a line."""
    wid = f"e-{f.name}"
    if f.type == FLAG:
        return Checkbox(compact=True, label=f.label, id=wid)
    if f.type == YES_NO:
        return Select(YES_NO_OPTIONS, compact=True, prompt="—", id=wid)
    if f.choices:
        value = str(f.default) if f.default is not None else Select.NULL
        return Select([(label, v) for v, label in f.choices], compact=True, prompt="—", value=value, id=wid)
    if f.type == NOTE:
        return TextArea(compact=True, placeholder=f.help, id=wid)
    value = "" if f.default is None else str(f.default)
    return Input(value, compact=True, id=wid)
