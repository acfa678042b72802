"""The return's tables on screen (``ctrl+t`` on the Month screen), one sheet at a time as the workbook will hold
them (small counts suppressed): 1-4 switch table, and a label cut short in the table is read whole under it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Header, Static

from tui.footer import KeysFooter
from tui.lifecycle import LiveScreen


def figure_cell(value) -> Text:
    """A figure as plain text: "[c]" and "<5" are markers, not markup."""
    if value is None:
        return Text("-")
    if isinstance(value, float):
        return Text(f"{value:.1f}")
    return Text(str(value))


class TablesScreen(LiveScreen):
    """The return's tables as they will be written (small counts suppressed); 1-4 switch table."""

    BINDINGS = [
        Binding("1", "show(0)", "MHTR"),
        Binding("2", "show(1)", "Characteristics"),
        Binding("3", "show(2)", "Outcomes"),
        Binding("4", "show(3)", "Reasons"),
        Binding("escape", "back", "Back"),
    ]
    DEFAULT_CSS = """
    TablesScreen #t-detail { height: 2; padding: 0 1; background: $boost; }
    """

    def __init__(self, sheets) -> None:
        super().__init__()
        self.sheets = tuple(sheets)
        self.index = 0
        self.labels: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="t-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="t-detail")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.action_show(0)
        self.query_one("#t-table", DataTable).focus()

    def action_show(self, index: int) -> None:
        if not 0 <= index < len(self.sheets):
            return
        self.index = index
        sheet = self.sheets[index]
        self.title = sheet.title
        table = self.query_one("#t-table", DataTable)
        table.clear(columns=True)
        labels = sheet.label_columns
        headings = [_short_heading(h) for h in sheet.header[labels:]]
        figure_width = 13 if len(headings) <= 2 else 10
        # 80 columns: 2 for the scrollbar, 2 of padding per column, the rest to the label
        label_width = 80 - 2 - 2 * (len(headings) + 1) - figure_width * len(headings)
        table.header_height = max(h.count("\n") + 1 for h in headings)
        table.add_column(Text(sheet.header[labels - 1]), width=label_width)
        for heading in headings:
            table.add_column(Text(heading), width=figure_width)
        self.labels = []
        for r, row in enumerate(sheet.rows):
            self.labels.append(" / ".join(str(v) for v in row[:labels] if v))
            if r in sheet.headings:
                table.add_row(Text(str(row[0]), style="bold"), *(Text("") for _ in headings))
                continue
            # two label columns (characteristic, category): the section heading row names the first
            label = str(row[labels - 1] or "")
            table.add_row(Text(("  " if labels > 1 else "") + label), *(figure_cell(v) for v in row[labels:]))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        # a label cut short in the table is read in full here
        label = self.labels[event.cursor_row] if 0 <= event.cursor_row < len(self.labels) else ""
        self.query_one("#t-detail", Static).update(Text(label))

    def action_back(self) -> None:
        self.dismiss(None)


def _short_heading(heading: str) -> str:
    """A figure column's heading made to fit: "12 months to October 2026 (...)" -> "12 months"."""
    for long, short in (
        ("12 months to", "12 months"),
        ("Assessed, 12 months", "Assessed\n12 months"),
        ("Assessed in", "Assessed\nin month"),
        ("Made, 12 months", "Made\n12 months"),
        ("MHTRs made in", "Made\nin month"),
    ):
        if heading.startswith(long):
            return short + (heading[len(long) :] if short.endswith("\n") else "")
    return heading
