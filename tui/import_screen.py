"""Import: choose a caseload spreadsheet, check how its columns map, read the dry run, then confirm.

The screen only presents and asks. Reading the sheet, guessing the mapping, planning and writing are
``importer``'s; a refusal (not a spreadsheet, no recognisable columns, a row that cannot be read) is shown as
its one line and nothing is written. Rows that cannot be read are left out only after the user says so.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from importer.mapping import IGNORE, field_names, label
from tui.footer import KeysFooter
from tui.lifecycle import LiveModal, LiveScreen
from tui.markup import plain
from vocabulary.identity import ValidationError

PICKER_FOLDERS = (".", "~/Downloads", "~/Documents", "~/Desktop", "~")


class FieldPicker(LiveModal[str | None]):
    """Which of our fields one column of the sheet goes into (or none)."""

    DEFAULT_CSS = """
    FieldPicker #field-options { height: auto; max-height: 14; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, heading: str, current: str | None) -> None:
        super().__init__()
        self.heading = heading
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(plain(f"Import the column {self.heading!r} as:"), classes="dialog-title")
            yield OptionList(*[Option(label(f), id=f) for f in field_names()], id="field-options")
            yield Static("↑ ↓: move   enter: choose   escape: cancel", classes="hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = options.get_option_index(self.current or IGNORE)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ImportScreen(LiveScreen):
    """File, mapping, dry-run report; ctrl+s asks before anything is written."""

    DEFAULT_CSS = """
    ImportScreen #import-path { height: 3; }
    ImportScreen #import-status { height: auto; max-height: 3; padding: 0 1; background: $boost; }
    ImportScreen #import-status.error { color: $error; width: 100%; }
    ImportScreen #import-files { height: 1fr; }
    ImportScreen #import-mapping { height: 1fr; max-height: 9; }
    ImportScreen #import-report { height: 1fr; padding: 0 1; }
    """
    BINDINGS = [
        Binding("f", "change_field", "Field"),
        Binding("o", "choose_file", "File"),
        Binding("ctrl+s", "confirm", "Import", priority=True),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.sheet = None
        self.plan = None
        self.mapping: dict[int, str] = {}
        self.overrides: dict[int, str] = {}
        self._columns: list[int] = []  # table row -> column index in the sheet

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="caseload .xlsx or .csv: type its path, or pick one below; enter reads it",
                    id="import-path")
        yield Static("", id="import-status")
        yield OptionList(id="import-files")
        yield DataTable(id="import-mapping", cursor_type="row", classes="hidden")
        with VerticalScroll(id="import-report", classes="hidden"):
            yield Static("", id="import-report-text")
        yield KeysFooter()

    def on_mount(self) -> None:
        from importer.sheets import spreadsheets_in

        self.sub_title = "Import a caseload"
        table = self.query_one("#import-mapping", DataTable)
        table.add_column("Column in the sheet", width=30)
        table.add_column("Imported as", width=24)
        files = spreadsheets_in([Path(f).expanduser() for f in PICKER_FOLDERS])
        self.query_one("#import-files", OptionList).add_options([Option(str(p), id=str(p)) for p in files])
        if files:
            found = f"{len(files)} spreadsheet{'s' if len(files) != 1 else ''}"
            self._status(f"{found} found here, in Downloads, Documents and Desktop: ↓ to pick one, or type a path")
        else:
            self._status("No spreadsheets found here or in Downloads, Documents, Desktop: type the path")
        self.query_one("#import-path", Input).focus()

    # ---- presenting -----------------------------------------------------------------------------------
    def _status(self, message: str, error: bool = False) -> None:
        status = self.query_one("#import-status", Static)
        status.update(Text(message))
        status.set_class(error, "error")

    def _show_loaded(self, loaded: bool) -> None:
        self.query_one("#import-files").set_class(loaded, "hidden")
        self.query_one("#import-mapping").set_class(not loaded, "hidden")
        self.query_one("#import-report").set_class(not loaded, "hidden")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("change_field", "confirm", "choose_file"):
            return self.sheet is not None
        return True

    # ---- choosing the file ----------------------------------------------------------------------------
    def on_key(self, event: events.Key) -> None:
        """↓ from the path box goes to the list of spreadsheets found."""
        files = self.query_one("#import-files", OptionList)
        if event.key == "down" and self.sheet is None and files.option_count and self.focused is self.query_one(
            "#import-path"
        ):
            if files.highlighted is None:
                files.highlighted = 0
            files.focus()
            event.stop()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list.id == "import-files" and event.option_id:
            self.query_one("#import-path", Input).value = event.option_id
            self.load(event.option_id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "import-path":
            self.load(event.value)

    def load(self, text: str) -> None:
        from importer.sheets import read_sheet

        if not text.strip():
            self._status("Type the path of the spreadsheet first", error=True)
            return
        try:
            sheet = read_sheet(Path(text.strip()).expanduser())
        except ValidationError as exc:
            self._status(str(exc), error=True)
            return
        self.sheet, self.overrides = sheet, {}
        self._show_loaded(True)
        self.replan()
        self.query_one("#import-mapping", DataTable).focus()

    def action_choose_file(self) -> None:
        self.sheet, self.plan = None, None
        self._show_loaded(False)
        self._status("Pick another spreadsheet or type its path")
        self.query_one("#import-path", Input).focus()

    # ---- the mapping and the dry run -------------------------------------------------------------------
    def replan(self, keep_row: int = 0) -> None:
        from checklists.model import ChecklistError
        from importer.report import plan_lines, source_line

        service = self.app.service
        self.plan = None
        try:
            self.mapping, layer = service.import_mapping(self.sheet, self.overrides)
        except ValidationError as exc:
            self._status(str(exc), error=True)
            return
        table = self.query_one("#import-mapping", DataTable)
        table.clear()
        self._columns = []
        for i, heading in enumerate(self.sheet.headings):
            if heading:
                self._columns.append(i)
                field = self.mapping.get(i)
                table.add_row(Text(heading), Text(label(field), style="" if field else "dim"), key=str(i))  # as typed
        if self._columns:
            table.move_cursor(row=min(keep_row, len(self._columns) - 1))
        report = self.query_one("#import-report-text", Static)
        try:
            self.plan = service.import_plan(self.sheet, self.mapping, layer)
        except (ValidationError, ChecklistError) as exc:  # a service checklist that cannot be read: one line
            report.update(Text(source_line(self.sheet)))
            self._status(f"{exc}: f changes the highlighted column's field", error=True)
            self.refresh_bindings()
            return
        report.update(Text("\n".join([source_line(self.sheet), *plan_lines(self.plan)])))
        p = self.plan
        status = f"{len(p.ready)} to create · {len(p.problems)} cannot be read · {len(p.duplicates)} already held"
        if p.ready:
            status += " · ctrl+s: import"
        self._status(status, error=p.blocked)
        self.refresh_bindings()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_change_field()

    def action_change_field(self) -> None:
        if self.sheet is None or not self._columns:
            return
        row = self.query_one("#import-mapping", DataTable).cursor_row
        column = self._columns[row]

        def chosen(field: str | None) -> None:
            if field is not None:
                self.overrides[column] = field
                self.replan(keep_row=row)

        self.app.push_screen(FieldPicker(self.sheet.headings[column], self.mapping.get(column)), chosen)

    # ---- the confirm step ------------------------------------------------------------------------------
    def action_confirm(self) -> None:
        from tui.prompts import ConfirmPrompt

        plan = self.plan
        if plan is None:
            self._status("Nothing to import until the sheet can be read (see above)", error=True)
            return
        if not plan.ready:
            self.app.notify("Nothing to import: every readable row is already held or cannot be read.", timeout=5)
            return
        n = len(plan.ready)
        cases = f"{n} case{'s' if n != 1 else ''}"

        def ask_import(leave_out: bool) -> None:
            def answered(yes: bool | None) -> None:
                if yes:
                    self._import(leave_out)

            self.app.push_screen(
                ConfirmPrompt(f"Import {cases} now? Tasks due before today close as 'before import'."),
                answered,
            )

        if plan.blocked:
            k = len(plan.problems)

            def leave(yes: bool | None) -> None:
                if yes:
                    ask_import(True)

            self.app.push_screen(
                ConfirmPrompt(f"{k} row{'s' if k != 1 else ''} cannot be read. Leave "
                              f"{'them' if k != 1 else 'it'} out and import the other {cases}?"),
                leave,
            )
        else:
            ask_import(False)

    def _import(self, leave_out: bool) -> None:
        from importer.report import result_line

        plan = self.plan

        def done(result) -> None:
            line = result_line(result)
            line = line[:1].upper() + line[1:]
            self.app.notify(line, timeout=8)
            self.replan()
            self._status(line)

        self.app.attempt(lambda: self.app.service.apply_import(plan, leave_out_bad=leave_out), done)

    def action_back(self) -> None:
        self.app.pop_screen()

