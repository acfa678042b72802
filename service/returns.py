"""The service's monthly return and import: exporting the month and the caseload, the Month screen's preview and
files, the small-number threshold, and importing a caseload from a spreadsheet. A mixin of
``service.core.Service``."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.part import ServicePart

if TYPE_CHECKING:
    from exports.monthly import ExportResult
    from exports.preview import MonthFiles, Preview, Progress
    from importer.plan import Plan
    from importer.sheets import Sheet
    from importer.write import ImportResult


class Returns(ServicePart):
    """The monthly return and import: the service's actions (see ``service.core.Service``)."""

    def export_month(
        self, month: str | date, out: Path | str | None = None, fmt: str | None = None, **options: Any
    ) -> ExportResult:
        from exports.monthly import export_month

        return export_month(
            self.db, month, out, fmt, today=self.today, checklist=self.checklist, now=self.now(), **options
        )

    def export_caseload(self, month: str | date, out: Path | str | None = None, fmt: str | None = None) -> ExportResult:
        from exports.monthly import export_caseload

        return export_caseload(self.db, month, out, fmt, today=self.today, now=self.now())

    def suppress_below(self, override: int | str | None = None) -> int:
        """The small-number threshold of the return: ``override`` if given, else the service's setting."""
        from exports.monthly import suppress_below

        return suppress_below(self.db, override)

    def return_folder(self) -> str:
        """Where the Month screen offers to write the return (the folder used last time)."""
        from exports.preview import default_folder

        return default_folder(self.db)

    def preview_month(
        self, month: str, threshold: int | str | None = None, progress: Progress | None = None
    ) -> Preview:
        from exports.preview import preview

        return preview(self.db, month, self.today, threshold, progress, checklist=self.checklist)

    def write_month(
        self,
        month: str,
        folder: str,
        fmt: str | None,
        threshold: int | str | None = None,
        progress: Progress | None = None,
    ) -> MonthFiles:
        from exports.preview import write_month

        return write_month(
            self.db, month, folder, fmt, self.today, threshold, progress, checklist=self.checklist, now=self.now()
        )

    # ---- import --------------------------------------------------------------------------------------
    def import_mapping(
        self, sheet: Sheet, overrides: list[str] | dict[int, str] | None = None
    ) -> tuple[dict[int, str], dict]:
        """Which column is which field: the guess, this service's saved corrections, then ``overrides``."""
        from importer.plan import mapping_for

        return mapping_for(self.db, sheet, overrides)

    def import_plan(self, sheet: Sheet, mapping: dict[int, str], layer: dict[int, str] | None = None) -> Plan:
        """What importing ``sheet`` would do (checked, nothing written); ``layer``: the corrections to the guessed
        columns, saved for the next sheet with the same headings when the plan is applied."""
        from importer.plan import build_plan

        return build_plan(self.db, sheet, mapping, self.today, layer, checklist=self.checklist)

    def apply_import(self, plan: Plan, *, leave_out_bad: bool = False) -> ImportResult:
        from importer.write import apply_plan

        return apply_plan(self.db, plan, leave_out_bad=leave_out_bad)
