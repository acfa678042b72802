"""The assessment record form (seed 004 Appendix 1 topics, formulation, plan, the report to court and the
outcome fields): one box of free text per field, tab to move, ctrl+s to save what changed.

Once the court report is sent the assessment and report fields are shown read-only with the reason at the
top; ``letters.assessment.save_assessment`` enforces the same rule, so the form only mirrors it.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Static, TextArea

from tui.forms import FormScreen
from tui.markup import plain

GROUP_TITLES = {
    "assessment": "Assessment (Appendix 1), formulation and plan",
    "report": "Report to court",
    "outcome": "After a decline, and at the end of treatment",
}


class AssessmentForm(FormScreen):
    """Edit a case's assessment record; dismisses with the saved record, or None if nothing was saved."""

    DEFAULT_CSS = """
    AssessmentForm .a-label { width: 100%; margin-top: 1; text-style: bold; }
    AssessmentForm .a-group { width: 100%; margin-top: 1; color: $accent; text-style: bold underline; }
    AssessmentForm TextArea { height: 3; background: $boost; }
    AssessmentForm TextArea:focus { background-tint: $accent 25%; }
    AssessmentForm TextArea.-read-only { height: auto; max-height: 6; color: $text-muted; }
    """

    def __init__(self, ref: str, needed: Sequence[str] = ()) -> None:
        """``needed``: the fields a document is waiting for (``letters.common.Missing.names``); the form opens on
        the first of them it can edit, so what the draft asks for is what gets typed."""
        super().__init__()
        self.ref = ref.upper()
        self.needed = tuple(needed)
        self.original: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        from letters.assessment_fields import FIELDS

        record = self.app.service.assessment(self.ref)
        self.original = dict(record["fields"])
        editable = set(record["editable"])
        with VerticalScroll(classes="form", id="assessment-form"):
            yield Label(f"Assessment record: {self.ref}", classes="dialog-title")
            if record["locked"]:
                yield Static(f"[b]Locked:[/b] {plain(record['locked'])}", id="a-locked")
            group = None
            for f in FIELDS:
                if f.group != group:
                    group = f.group
                    yield Label(GROUP_TITLES[group], classes="a-group")
                yield Label(f.label, classes="a-label")
                yield TextArea(
                    self.original[f.name], id=f"a-{f.name}", read_only=f.name not in editable, compact=True
                )
        yield from self.compose_footer()

    def on_mount(self) -> None:
        editable = [a for a in self.query(TextArea) if not a.read_only]
        wanted = [a for name in self.needed for a in editable if a.id == f"a-{name}"]
        first = next(iter(wanted or editable), None)
        if first is not None:
            first.focus()

    def changed(self) -> dict[str, str]:
        """Fields whose text differs from what was loaded (only these are saved)."""
        out = {}
        for area in self.query(TextArea):
            name = area.id.removeprefix("a-")
            if not area.read_only and area.text.strip() != self.original.get(name, "").strip():
                out[name] = area.text
        return out

    def action_save(self) -> None:
        from db.errors import DatabaseError
        from vocabulary.identity import ValidationError

        changes = self.changed()
        if not changes:
            self.notify("Nothing changed.", timeout=2)
            self.dismiss(None)
            return
        try:
            record = self.app.service.save_assessment(self.ref, changes)
        except (ValidationError, DatabaseError) as exc:
            self.show_error(str(exc))
            return
        self.notify(f"Assessment record saved ({len(changes)} field(s)).", timeout=3)
        self.dismiss(record)
