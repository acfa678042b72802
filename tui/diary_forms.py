"""The Diary's booking forms: book (one session or a series), move and cancel.

Every form only gathers what was typed and hands it to the service (``records.appointments``); a refusal is
shown under the form and nothing is written. An overlap is the one refusal that may be overridden: the form
asks, and books anyway only on ``y``. Recording what happened at an appointment is ``tui.session_forms``.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Label, Select

from db.errors import DatabaseError
from tui.forms import FormScreen, _value
from vocabulary.dates import uk
from vocabulary.identity import ValidationError

MODE_OPTIONS = [("In person", "in person"), ("Phone", "phone"), ("Video", "video")]


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
