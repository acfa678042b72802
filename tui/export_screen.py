"""The Month screen (key ``m``): preview the monthly data return, see what is incomplete, write the files.

It asks for the month (last month unless told), the format, the small-count threshold and the folder, shows
the headline figures as the return will show them and the list of what is incomplete (enter opens the case),
then writes the return and the caseload data with a progress bar and says where they went. All of it is
``exports.preview``; the reading and writing run in a thread with their own connection, so the screen stays
responsive on a large caseload.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Header, Input, Label, ProgressBar, Select, Static

from exports.preview import HEADLINES, default_month
from tui.footer import KeysFooter
from tui.lifecycle import LiveScreen
from tui.return_tables import TablesScreen, figure_cell
from vocabulary.dates import uk

FORMATS = [("xlsx workbook", "xlsx"), ("CSV files", "csv")]
PREVIEW_DELAY_S = 0.4


class GapTable(DataTable):
    """The incomplete items; enter opens the case (shown in the footer, unlike DataTable's own binding)."""

    BINDINGS = [Binding("enter", "select_cursor", "Open case")]


class ExportScreen(LiveScreen):
    """Monthly return: month, format, threshold and folder; headline figures, gaps, write."""

    BINDINGS = [
        Binding("ctrl+s", "write", "Write files", priority=True),
        Binding("ctrl+t", "tables", "Tables"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    ExportScreen .x-row { height: 1; margin: 0 1; }
    ExportScreen .x-label { width: auto; padding: 0 1 0 0; }
    ExportScreen #x-month { width: 10; }
    ExportScreen #x-format { width: 18; }
    ExportScreen #x-threshold { width: 5; }
    ExportScreen #x-folder { width: 1fr; }
    ExportScreen #x-status { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    ExportScreen #x-status.error { color: $error; text-style: bold; }
    ExportScreen #x-gaps-title { height: 1; padding: 0 1; text-style: bold; }
    ExportScreen #x-gaps { height: 1fr; min-height: 3; }
    ExportScreen #x-gap-detail { height: 2; padding: 0 1; color: $text-muted; }
    ExportScreen #x-progress { height: 1; padding: 0 1; }
    """

    def __init__(self, month: str | None = None) -> None:
        super().__init__()
        self.month = month
        self.generation = 0
        self.busy = False
        self.gap_refs: list[str] = []
        self.gap_texts: list[str] = []
        self._timer = None
        self.case_opened = False
        self.sheets: tuple = ()
        self.previewed: tuple[str, str | None] | None = None  # (month, threshold) the figures on screen are for

    def compose(self) -> ComposeResult:
        app = self.app
        from vocabulary.identity import ValidationError

        try:
            threshold = str(app.service.suppress_below())
        except ValidationError:  # a setting that is not a number: left blank, the count says why
            threshold = ""
        yield Header()
        with Horizontal(classes="x-row"):
            yield Label("Month", classes="x-label")
            yield Input(self.month or default_month(app.today), placeholder="YYYY-MM", compact=True, id="x-month")
            yield Label(" Format", classes="x-label")
            yield Select(FORMATS, value="xlsx", allow_blank=False, compact=True, id="x-format")
            yield Label(" Show counts below", classes="x-label")
            yield Input(threshold, compact=True, id="x-threshold")
            yield Label(' as "<N"', classes="x-label")
        with Horizontal(classes="x-row"):
            yield Label("Folder", classes="x-label")
            yield Input(app.service.return_folder(), compact=True, id="x-folder")
        yield Static("", id="x-status")
        yield DataTable(id="x-figures", cursor_type="none", zebra_stripes=True)
        yield Static("Incomplete for this return", id="x-gaps-title")
        yield GapTable(id="x-gaps", cursor_type="row")
        yield Static("", id="x-gap-detail")
        yield ProgressBar(id="x-progress", show_eta=False)
        yield KeysFooter()

    def on_mount(self) -> None:
        self.title = "Monthly data return"
        figures = self.query_one("#x-figures", DataTable)
        figures.can_focus = False
        figures.styles.height = len(HEADLINES) + 1  # inline: app.tcss gives every DataTable 1fr
        figures.add_column("Measure", width=32, key="measure")
        figures.add_column("Month", width=14, key="month")
        figures.add_column("12 months", width=14, key="rolling")
        gaps = self.query_one("#x-gaps", GapTable)
        gaps.add_column("Case", width=11, key="case")
        gaps.add_column("What is missing", key="what")
        self.query_one("#x-progress", ProgressBar).display = False
        self.query_one("#x-month", Input).focus()
        self.action_preview()

    def on_screen_resume(self) -> None:
        # Back from a case opened from the list: what was missing may be recorded now.
        if self.case_opened:
            self.case_opened = False
            self.action_preview()

    # ---- reading the form -------------------------------------------------------------------------------
    def _field(self, name: str) -> str:
        return self.query_one(f"#x-{name}", Input).value.strip()

    def _threshold(self) -> str | None:
        return self._field("threshold") or None

    def _format(self) -> str:
        return str(self.query_one("#x-format", Select).value)

    def _status(self, text: str, error: bool = False) -> None:
        status = self.query_one("#x-status", Static)
        status.update(Text(text))  # plain: a path or a message may hold "[...]"
        status.set_class(error, "error")

    # ---- preview ----------------------------------------------------------------------------------------
    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("x-month", "x-threshold") and self.is_mounted:
            self._cancel_timer()
            self._timer = self.timer(PREVIEW_DELAY_S, self.action_preview)

    def _cancel_timer(self) -> None:
        """Drop a count still waiting for typing to stop (enter, or writing, has overtaken it)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_preview()

    def action_preview(self) -> None:
        self._cancel_timer()
        if self.busy:
            return
        self.generation += 1
        generation, month, threshold = self.generation, self._field("month"), self._threshold()
        try:
            _ = self.app.service.checklist  # read here, to refuse a broken one at once (the work has its own service)
        except ValueError as exc:  # the service's checklist file cannot be read: one line, no traceback
            self._preview_failed(generation, exc)
            return
        self._status("Counting…")

        def work() -> None:
            try:
                result = self._with_service(lambda service: service.preview_month(month, threshold))
            except Exception as exc:  # a refusal, a locked or damaged database: shown, never a traceback
                self.from_worker(self._preview_failed, generation, exc)
                return
            self.from_worker(self._show_preview, generation, result, (month, threshold))

        self.run_worker(work, thread=True, group="export-preview", exit_on_error=False)

    def _with_service(self, work):
        """Run ``work(service)`` on a service of this thread's own: a connection of its own to the same file, with
        the same key, on the app's clock."""
        from db.connection import connect
        from db.crypto import key_of
        from service.core import Service

        db = connect(self.app.db_path, create=False, key=key_of(self.app.db))
        try:
            return work(Service(db, self.app.clock))
        finally:
            db.close()

    def _preview_failed(self, generation: int, exc: Exception) -> None:
        if generation != self.generation:
            return
        self._status(_message(exc), error=True)
        self._clear_preview()

    def _clear_preview(self) -> None:
        """Empty the figures, the gaps and the tables, so that nothing on screen is left from another month (or
        another threshold) than the one the form now asks for."""
        self.previewed = None
        self._fill_figures(None, None)
        self.query_one("#x-gaps", GapTable).clear()
        self.query_one("#x-gaps-title", Static).update("Incomplete for this return: not counted (check the month)")
        self.gap_refs = []
        self.gap_texts = []
        self.sheets = ()
        self._show_gap(-1)

    def _show_preview(self, generation: int, result, previewed: tuple[str, str | None]) -> None:
        if generation != self.generation:
            return
        from exports.periods import month_name

        self.previewed = previewed
        self._fill_figures(result.month, result.headlines)
        self.sheets = result.sheets
        self._fill_gaps(result.gaps)
        marker = f"counts 1-{result.threshold - 1} shown as <{result.threshold}"
        part = f" (not over: a part-month return, figures to {uk(self.app.today)})" if result.part_month else ""
        self._status(
            f"{month_name(result.month)}{part}: {result.cases} cases; "
            + (marker if result.threshold > 1 else "small counts NOT hidden (merging only)")
            + ". ctrl+t: tables; ctrl+s: write."
        )

    def _fill_gaps(self, found) -> None:
        gaps = self.query_one("#x-gaps", GapTable)
        gaps.clear()
        self.gap_refs = [g.ref for g in found]
        self.gap_texts = [f"{g.ref}: {g.what}" for g in found]
        for i, gap in enumerate(found):
            gaps.add_row(Text(gap.ref), Text(gap.what), key=str(i))
        self._show_gap(0)
        self.query_one("#x-gaps-title", Static).update(
            f"Incomplete for this return: {len(found)} (enter opens the case)"
            if found
            else "Nothing incomplete for this return"
        )

    def _show_gap(self, index: int) -> None:
        texts = self.gap_texts
        self.query_one("#x-gap-detail", Static).update(Text(texts[index] if 0 <= index < len(texts) else ""))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "x-gaps":
            self._show_gap(event.cursor_row)

    def _fill_figures(self, month, rows) -> None:
        """The headline figures of ``month`` (None: no month counted, the columns only)."""
        from exports.periods import month_name

        figures = self.query_one("#x-figures", DataTable)
        figures.clear(columns=True)
        figures.add_column("Measure", width=32, key="measure")
        figures.add_column(month_name(month) if month else "Month", width=14, key="month")
        figures.add_column("12 months", width=14, key="rolling")
        if rows is None:
            return
        for (key, _), (label, this_month, rolling) in zip(HEADLINES, rows, strict=True):
            figures.add_row(Text(label), figure_cell(this_month), figure_cell(rolling), key=key)

    # ---- writing ----------------------------------------------------------------------------------------
    def action_write(self) -> None:
        self._cancel_timer()
        if self.busy:
            return
        self.busy = True
        self.generation += 1  # a preview still running must not overwrite what the write shows
        month, folder, fmt, threshold = self._field("month"), self._field("folder"), self._format(), self._threshold()
        try:
            _ = self.app.service.checklist  # read here, to refuse a broken one at once (the work has its own service)
        except ValueError as exc:  # the service's checklist file cannot be read: one line, no traceback
            self._write_failed(exc, (month, threshold))
            return
        bar = self.query_one("#x-progress", ProgressBar)
        bar.update(total=None, progress=0)
        bar.display = True
        self._status("Writing…")

        def progress(done: int, total: int) -> None:
            self.from_worker(lambda: bar.update(total=total, progress=done))

        def work() -> None:
            try:
                files = self._with_service(
                    lambda service: service.write_month(month, folder, fmt, threshold, progress)
                )
            except Exception as exc:  # refused input or a file that cannot be written: one line, nothing half-done
                self.from_worker(self._write_failed, exc, (month, threshold))
                return
            self.from_worker(self._written, files, (month, threshold))

        self.run_worker(work, thread=True, group="export-write", exit_on_error=False)

    def _write_failed(self, exc: Exception, asked: tuple[str, str | None]) -> None:
        self.busy = False
        self.query_one("#x-progress", ProgressBar).display = False
        self._status(_message(exc), error=True)
        if asked != self.previewed:  # the figures on screen are another month's (typed, then ctrl+s at once)
            self._clear_preview()
        self.notify(_message(exc), severity="error", timeout=6, markup=False)

    def _written(self, files, asked: tuple[str, str | None]) -> None:
        self.busy = False
        self.previewed = asked
        self.query_one("#x-progress", ProgressBar).display = False
        self._fill_figures(files.ret.month, files.headlines)
        self._fill_gaps(files.ret.gaps)  # the month written, which may not be the one last previewed
        self.sheets = files.sheets
        ticked = " Monthly task ticked." if files.ret.ticked else ""
        what = "Return (to send)"
        if files.ret.part_month:  # said on the return's own line: the status holds three
            what = "Part-month return (monthly task left open)"
            ticked = " Part-month return: the monthly task stays open."
        self._status(f"{what}: {files.ret.path}\nCaseload data (keep in the service): {files.caseload.path}")
        self.notify(f"{files.ret.month:%B %Y} written.{ticked}", timeout=5)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "x-gaps" and event.row_key.value is not None:
            self.case_opened = True
            self.app.open_client(self.gap_refs[int(event.row_key.value)])

    def action_tables(self) -> None:
        if not self.sheets:
            self.notify("Nothing counted yet: check the month.", timeout=3)
            return
        self.app.push_screen(TablesScreen(self.sheets))

    def action_back(self) -> None:
        self.dismiss(None)


def _message(exc: Exception) -> str:
    from db.errors import DatabaseError
    from vocabulary.identity import ValidationError

    if isinstance(exc, ValidationError | DatabaseError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"cannot write there: {exc.strerror or exc}"
    return f"the export failed: {type(exc).__name__}: {exc}"
