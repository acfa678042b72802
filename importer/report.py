"""The dry-run report as lines of text (command line and app) and as data (``--json``)."""

from __future__ import annotations

from importer import mapping as maps
from importer.plan import BEFORE_IMPORT, Plan
from importer.sheets import Sheet
from importer.write import ImportResult
from vocabulary.dates import uk
from vocabulary.event_kinds import EVENT_KINDS


def source_line(sheet: Sheet) -> str:
    where = f", sheet {sheet.sheet_name!r}" if sheet.sheet_name else ""
    return f"{sheet.source}{where}: headings on row {sheet.heading_row}, {len(sheet.rows)} rows of data"


def mapping_lines(plan: Plan) -> list[str]:
    width = min(28, max((len(h) for h in plan.sheet.headings if h), default=8))
    out = []
    for i, heading in enumerate(plan.sheet.headings):
        if heading:
            out.append(f"  {heading[:width]:<{width}}  -> {maps.label(plan.mapping.get(i))}")
    return out


def _events(row) -> str:
    counts: dict[str, int] = {}
    for e in row.events:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    return ", ".join(f"{n} {EVENT_KINDS[k].lower()}s" if n > 1 else EVENT_KINDS[k].lower() for k, n in counts.items())


def plan_lines(plan: Plan) -> list[str]:
    """What would be created, what cannot be read and why, who is already held, what was passed over."""
    out = [f"Would create {len(plan.ready)} case{'s' if len(plan.ready) != 1 else ''}:"]
    for row in plan.ready:
        t = plan.tasks.get(row.row)
        tasks = f"; tasks {t.open} open, {t.before_import} {BEFORE_IMPORT}" if t else ""
        out.append(f"  row {row.row:<4} {row.name}, born {row.dob:%d/%m/%Y}: {row.stage}{tasks}")
        if row.events:
            out.append(f"           {_events(row)}")
        out.extend(f"           note: {n}" for n in row.notes)
    if plan.problems:
        n = len(plan.problems)
        out.append(f"Cannot read {n} row{'s' if n != 1 else ''}: nothing is imported until you correct "
                   f"{'them' if n != 1 else 'it'} or accept leaving {'them' if n != 1 else 'it'} out:")
        out.extend(f"  row {p.row:<4} {p.reason}" for p in plan.problems)
    if plan.duplicates:
        out.append(f"Already held, left as they are ({len(plan.duplicates)}):")
        out.extend(f"  row {d.row:<4} {d.name}: {d.ref} ({d.why})" for d in plan.duplicates)
    for number, why in plan.sheet.ignored:
        out.append(f"Passed over row {number}: {why}")
    unmapped = plan.unmapped()
    if unmapped:
        out.append("Columns not imported: " + ", ".join(unmapped))
    out.append(f"Tasks that fell due before {plan.today:%d/%m/%Y} are created closed, marked '{BEFORE_IMPORT}'.")
    return out


def result_line(result: ImportResult) -> str:
    bits = [f"imported {len(result.created)} case{'s' if len(result.created) != 1 else ''}"]
    if result.created:
        bits.append(f"{result.created[0]} to {result.created[-1]}" if len(result.created) > 1 else result.created[0])
    bits.append(f"{result.open_tasks} tasks open, {result.closed_before_import} closed as '{BEFORE_IMPORT}'")
    if result.left_out:
        bits.append(f"left out row{'s' if len(result.left_out) != 1 else ''} "
                    + ", ".join(str(r) for r in result.left_out))
    if result.duplicates:
        bits.append(f"{len(result.duplicates)} already held")
    return "; ".join(bits)


def plan_data(plan: Plan) -> dict:
    """The plan as plain data for ``--json``."""
    return {
        "source": plan.sheet.source,
        "sheet": plan.sheet.sheet_name,
        "heading_row": plan.sheet.heading_row,
        "mapping": {h: plan.mapping.get(i) for i, h in enumerate(plan.sheet.headings) if h},
        "create": [
            {
                "row": r.row,
                "name": r.name,
                "dob": r.fields["dob"],
                "stage": r.stage,
                "events": [{"kind": e.kind, "date": e.date.isoformat()} for e in r.events],
                "open_tasks": plan.tasks[r.row].open,
                "before_import_tasks": plan.tasks[r.row].before_import,
                "notes": r.notes,
            }
            for r in plan.ready
        ],
        "problems": [{"row": p.row, "reason": p.reason} for p in plan.problems],
        "duplicates": [{"row": d.row, "name": d.name, "ref": d.ref, "why": d.why} for d in plan.duplicates],
        "ignored": [{"row": r, "why": w} for r, w in plan.sheet.ignored],
        "today": uk(plan.today),
    }
