"""The Letters menu of the Client screen: choose a document, see what it will say and what is missing, then
write it. Presents and asks only; ``letters.documents`` decides what may be written, which document the menu
opens on (``suggested_kind``: the highlighted or due task's, else the one the case has reached, never the
consent form by default), and writes it. A document the case's events do not support is shown dimmed with the
reason, and ``enter`` on it explains instead of writing.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from tui.footer import KeysFooter
from tui.forms import FormScreen
from tui.lifecycle import LiveModal
from tui.markup import plain
from vocabulary.dates import uk
from vocabulary.identity import ValidationError

# (kind as letters.kinds names it, menu text, shortcut key), in the order a case reaches them
MENU = (
    ("consent-form", "Consent form, printed for signature", "f"),
    ("assessment-record", "Assessment record for the Clinical Lead", "d"),
    ("court-report", "Court report (Responsible Clinician's report)", "r"),
    ("probation-update", "Update for probation (CL decision, court outcome)", "p"),
    ("gp-letter", "GP letter (after the court outcome or a decline)", "g"),
    ("non-attendance", "Non-attendance letter to the RO", "n"),
    ("completion-letter", "Completion letter to the GP", "c"),
    ("client-completion", "End-of-treatment letter to the client", "e"),
)
KINDS = tuple(kind for kind, _, _ in MENU)
# What the preview shows of a document's fields, in words (the rest are the template's working values).
PREVIEW_FIELDS = (
    ("client_name", "Client"),
    ("client_dob", "Date of birth"),
    ("client_nhs", "NHS number"),
    ("client_address_line", "Client's address"),
    ("gp_practice", "GP practice"),
    ("gp_address", "Practice address"),
    ("ro_line", "Responsible Officer"),
    ("addressee", "To"),
    ("nps_contact", "NPS contact"),
    ("subject", "Subject"),
    ("order_text", "Order"),
    ("sentence_date", "Sentenced"),
    ("decision", "Clinical Lead decision"),
    ("outcome_text", "Outcome"),
    ("reasons", "Reasons"),
    ("presenting_problem", "Presenting problem"),
    ("plan", "Plan"),
    ("court_recommendations", "Recommendations"),
    ("results", "Questionnaire results"),
    ("scores", "Scores"),
    ("outcomes", "Outcome measures"),
    ("risk_lines", "Risk"),
    ("case_meeting", "Case meeting"),
    ("first_session", "First session"),
    ("absences", "Unacceptable absences"),
    ("absence_actions", "What was tried"),
    ("breach_decision", "Breach decision"),
    ("programme", "Programme"),
    ("local_services", "Local services"),
    ("practitioner", "Signed by"),
    ("service_name", "From"),
)


def _shown(value: object, width: int = 56) -> str:
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return f"{len(value)} row(s)"
        value = "; ".join(str(v) for v in value)
    text = " / ".join(str(value).splitlines()) or "—"
    return text if len(text) <= width else text[: width - 1] + "…"


class LettersScreen(LiveModal):
    """Letters for one case; dismisses with the ``letters.documents.Written`` result, or None."""

    DEFAULT_CSS = """
    LettersScreen #letter-kinds { margin-bottom: 1; }
    LettersScreen #letter-preview-box { height: auto; max-height: 8; }
    """
    BINDINGS = [
        Binding("enter", "write", "Write", priority=True),
        *[Binding(key, f"pick('{kind}')", text.split(" (")[0], show=False) for kind, text, key in MENU],
        Binding("a", "assessment", "Assessment record"),
        Binding("s", "settings", "Service details"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, ref: str, kind: str | None = None) -> None:
        super().__init__()
        self.ref = ref.upper()
        self.first_kind = kind if kind in KINDS else None
        self.unsupported: dict[str, str] = {}  # kind -> why the case's events do not support it yet
        self.problem: str | None = None  # why the highlighted document cannot be written, if it cannot
        self.needed: list[str] = []  # the fields the highlighted document still needs (letters.common.Missing)
        self.confirm: str | None = None  # the question to answer (enter again) before writing it
        self.confirmed_kind: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog letters-dialog"):
            yield Label(f"Letters for {self.ref}", classes="dialog-title")
            yield OptionList(*self._options(), id="letter-kinds", compact=True)
            with VerticalScroll(id="letter-preview-box"):
                yield Static(id="letter-preview")
            keys = " ".join(key for _, _, key in MENU)
            yield Static(f"{keys} ↑↓: choose   enter: write   a: assessment   s: service", classes="hint")
        yield KeysFooter()

    def _options(self) -> list[Option]:
        """One line per kind; those the case's events do not support yet are dimmed with "not yet"."""
        out = []
        for kind, text, key in MENU:
            if kind in self.unsupported:
                out.append(Option(f"[dim]{key}  {text} (not yet)[/]", id=kind))
            else:
                out.append(Option(f"{key}  {text}", id=kind))
        return out

    def on_mount(self) -> None:
        from letters.documents import suggested_kind

        try:
            available = self.app.service.document_availability(self.ref)
            tasks = self.app.service.case_detail(self.ref)["tasks"]
        except ValidationError:
            available, tasks = {}, []
        self.unsupported = {kind: why for kind, why in available.items() if why}
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self._options())
        kind = suggested_kind(tasks, available, self.app.today, self.first_kind)
        options.highlighted = KINDS.index(kind) if kind in KINDS else 0
        options.focus()
        self.show_preview()

    @property
    def kind(self) -> str:
        index = self.query_one(OptionList).highlighted
        return KINDS[index or 0]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.show_preview()

    def show_preview(self) -> None:
        """The fields the document will fill and the warnings naming what is missing (or why it is refused)."""
        box = self.query_one("#letter-preview", Static)
        try:
            d = self.app.service.draft(self.kind, self.ref)
        except ValidationError as exc:
            self.problem = str(exc)
            self.needed = []
            box.update(f"[b red]Not yet:[/] {plain(str(exc))}")
            return
        self.problem = None
        self.needed = list(d.missing.names)  # what `a` opens the assessment form on
        self.confirm = d.confirm
        self.confirmed_kind = None
        lines = [f"[b]{plain(d.title)}[/b]  (template {plain(d.template)})"]
        if not d.final:
            lines.append("[b red]Will be written as a DRAFT (not for sending; ticks nothing) until this is filled:[/]")
            lines += [f"[red]  • {plain(label)}[/]" for label in d.missing]
            lines += [f"[red]  • {plain(reason)}[/]" for reason in d.held]
        if d.confirm:
            lines.append(f"[b yellow]{plain(d.confirm)} (enter twice)[/]")
        for earlier in self.app.service.documents(self.ref):
            if earlier["kind"] == d.kind:
                where = Path(earlier["path"]).name + ("" if earlier["exists"] else ", file no longer there")
                what = "a draft written" if earlier["draft"] else "already written"
                lines.append(f"[dim]{what} {uk(earlier['created_at'][:10])} ({plain(where)})[/]")
        if d.warnings:
            # The command-line hint in a warning is for the terminal; here a and s fill the gaps.
            lines += [f"[yellow]⚠ {plain(w.split(' (mhtr-tui ')[0])}[/]" for w in d.warnings]
        else:
            lines.append("[green]Nothing missing.[/]")
        lines.append("")
        lines += [
            f"[dim]{label}:[/] {plain(_shown(d.fields[key]))}"
            for key, label in PREVIEW_FIELDS
            if d.fields.get(key) not in (None, "", [])
        ]
        box.update("\n".join(lines))
        self.query_one("#letter-preview-box", VerticalScroll).scroll_home(animate=False)

    def action_pick(self, kind: str) -> None:
        self.query_one(OptionList).highlighted = KINDS.index(kind)

    def action_write(self) -> None:

        if self.problem:
            self.notify(self.problem, severity="error", timeout=6)
            return
        kind = self.kind
        if self.confirm and self.confirmed_kind != kind:
            self.confirmed_kind = kind
            self.notify(f"{self.confirm} Press enter again to write it.", severity="warning", timeout=8)
            return
        confirmed = self.confirmed_kind == kind
        self.app.attempt(
            lambda: self.app.service.write_document(kind, self.ref, confirmed=confirmed),
            lambda w: self.dismiss(w),
        )

    def action_assessment(self) -> None:
        """Fill what the preview says is missing, then come back to a fresh preview."""
        from tui.assessment_form import AssessmentForm

        self.app.push_screen(AssessmentForm(self.ref, self.needed), lambda _: self.show_preview())

    def action_settings(self) -> None:
        """Set the letterhead, signatures and folders the preview says are missing."""
        self.app.push_screen(ServiceSettingsForm(), lambda _: self.show_preview())

    def action_cancel(self) -> None:
        self.dismiss(None)


# (setting, label) shown on the Service details form; the rest are for the command line (settings list)
FORM_SETTINGS = (
    ("service_name", "Service name"),
    ("service_address", "Address"),
    ("service_phone", "Phone"),
    ("service_email", "Secure email"),
    ("practitioner", "Practitioner"),
    ("clinical_lead", "Clinical Lead"),
    ("nps_contact", "NPS contact"),
    ("letters_dir", "Letters folder"),
    ("templates_dir", "Own templates"),
    ("session_frequency", "Sessions are"),
)
# Paragraphs and lists (one item a line) the documents print: the consent form's retention, and the client's
# end-of-treatment signposting (seed 004 4.5.2).
FORM_TEXTS = (
    ("retention_statement", "Retention (consent form)"),
    ("signposting_crisis", "Local crisis lines"),
    ("signposting_local", "Local services"),
    ("signposting_resources", "Apps, books, websites"),
)


class ServiceSettingsForm(FormScreen):
    """The service details every document uses, stored once (``letters.settings``); ctrl+s saves them all. The
    paragraphs (retention, local signposting) are boxes of several lines; a box left as the default wording
    stores nothing, so the default still follows the app."""

    DEFAULT_CSS = """
    ServiceSettingsForm TextArea { height: 4; background: $boost; }
    ServiceSettingsForm TextArea:focus { background-tint: $accent 25%; }
    """

    def compose(self) -> ComposeResult:
        from service.settings import KNOWN_SETTINGS

        values = {r["key"]: r for r in self.app.service.settings_view()}
        self.original = {key: values[key]["value"] for key, _ in (*FORM_SETTINGS, *FORM_TEXTS)}
        self.effective = {key: values[key]["effective"] for key, _ in FORM_TEXTS}
        with VerticalScroll(classes="form"):
            yield Label("Service details (letterhead, signatures, folders, wording)", classes="dialog-title")
            for key, label in FORM_SETTINGS:
                placeholder = values[key]["effective"] or KNOWN_SETTINGS[key]
                box = Input(self.original[key], placeholder=placeholder, id=f"s-{key}", compact=True)
                yield self.field_row(label, box)
            for key, label in FORM_TEXTS:
                area = TextArea(self.original[key] or self.effective[key], id=f"s-{key}", soft_wrap=True)
                yield self.field_row(label, area)
        yield from self.compose_footer()

    def _typed(self, key: str) -> str:
        if any(key == k for k, _ in FORM_TEXTS):
            text = self.query_one(f"#s-{key}", TextArea).text.strip()
            return "" if text == (self.effective[key] or "").strip() and not self.original[key] else text
        return self.query_one(f"#s-{key}", Input).value.strip()

    def on_mount(self) -> None:
        self.query_one(f"#s-{FORM_SETTINGS[0][0]}", Input).focus()

    def action_save(self) -> None:
        from db.errors import DatabaseError

        changed = {}
        for key, _ in (*FORM_SETTINGS, *FORM_TEXTS):
            value = self._typed(key)
            if value != (self.original[key] or ""):
                changed[key] = value
        if not changed:
            self.dismiss(None)
            return
        try:
            self.app.service.save_settings(changed)
        except (ValidationError, DatabaseError) as exc:
            self.show_error(str(exc))
            return
        self.notify(f"Service details saved ({len(changed)} changed).", timeout=3)
        self.dismiss(changed)


def written_message(w) -> str:
    """What the practitioner is told after saving: the document, where it is, and what it ticked."""
    lines = [f"{w.title} saved to {w.path}"]
    if not w.final:
        lines.append("DRAFT: not for sending, no task ticked")
    lines += [f"✓ {title}" for title in w.ticked]
    return "\n".join(lines)


def open_letters(app, ref: str, kind: str | None, refresh) -> None:
    """Push the Letters menu; on saving, say where the file went and refresh the screen below."""

    def done(w) -> None:
        if w is not None:
            app.notify(written_message(w), title="Document written", timeout=12)
        refresh()

    app.push_screen(LettersScreen(ref, kind), done)
