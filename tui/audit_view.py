"""The Client screen's audit view (key 6): every recorded change to this client's records, newest first.

Who changed what, from what to what, and when: the practitioner can answer "who moved this date?" without
leaving the app, and see what a subject access request would show. The rows come from
``records.audit_trail.audit_for_case``; this only lists them. A row is one line in the table; the line under
the table spells out the highlighted change in full, since a changed row can touch several fields.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Static

from tui.fit import fit
from tui.task_table import PagedTable


class AuditTable(PagedTable):
    """The audit rows (j/k move as in the other lists: ``PagedTable``)."""


class AuditView(Vertical):
    """A table of audit rows and the full text of the highlighted one."""

    DEFAULT_CSS = """
    AuditView { height: 1fr; }
    AuditView > #audit-table { height: 1fr; }
    AuditView > #audit-detail { height: auto; max-height: 4; padding: 0 1; background: $boost; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: dict[str, dict] = {}

    def compose(self) -> ComposeResult:
        yield AuditTable(id="audit-table", cursor_type="row", zebra_stripes=False)
        yield Static(id="audit-detail", classes="audit-detail", markup=False)  # what was typed, shown as typed

    def on_mount(self) -> None:
        table = self.query_one(AuditTable)
        table.add_column("When", width=16, key="when")
        table.add_column("By", width=10, key="who")
        table.add_column("What", width=self._what_width(), key="what")

    def _what_width(self) -> int:
        """Room for what changed beside when and by whom (cell padding and a scrollbar allowed for): a longer change
        is cut at a word with "…" (the line under the table has it whole)."""
        return max(20, self.size.width - 34)

    def on_resize(self, _event) -> None:
        table = self.query_one(AuditTable)
        if self.rows and table.columns["what"].width != self._what_width():
            self.show(list(reversed(self.rows.values())))

    def focus(self, scroll_visible: bool = True) -> AuditView:
        """Showing the view puts the keys on its table (the container itself takes no keys)."""
        self.query_one(AuditTable).focus(scroll_visible)
        return self

    def show(self, trail: list[dict]) -> None:
        """List ``trail`` (readable audit rows, oldest first) newest first."""
        from tui.task_table import show_rows

        table = self.query_one(AuditTable)
        newest = list(reversed(trail))
        self.rows = {str(r["id"]): r for r in newest}
        keep = None
        if table.row_count:
            keep = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        width = table.columns["what"].width = self._what_width()
        shown = [(str(r["id"]), (r["when"], fit(r["who"], 10), fit(f"{r['record']}: {r['summary']}", width)))
                 for r in newest]
        show_rows(table, shown, keep)
        table.refresh()
        self._describe(keep if keep in self.rows else (str(newest[0]["id"]) if newest else None))

    def _describe(self, key: str | None) -> None:
        detail = self.query_one("#audit-detail", Static)
        row = self.rows.get(key) if key else None
        if row is None:
            detail.update("No changes recorded for this client yet.")
            return
        # As typed: the Static reads no markup, so escaping it here showed its backslashes ("\\[/x]").
        detail.update(f"{row['when']}  by {row['who']}  {row['record']}\n{row['summary']}")

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key is not None:
            self._describe(event.row_key.value)
