"""The dry run: what an import would create, what it cannot read and why, and who is already held.

A plan changes nothing. Rows fall into four groups:

- **ready**: a new client and case, with the events that put it at its stage and how many of its checklist
  tasks would be open and how many closed as "before import";
- **problems**: rows that cannot be read (row number and reason). While there are any, nothing is imported
  until the user accepts leaving them out;
- **duplicates of a record already held** (same NHS number, or same name and date of birth): left as they
  are, so importing the same file twice creates nothing the second time;
- rows the sheet itself marks as not data (a totals row), listed so the user can see they were passed over.

Two rows of the same file for the same person are a problem on the later row: which of them is right is for
the user to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from checklists.engine import closures_for_event, tasks_for_event
from checklists.model import Checklist
from db import records as rec
from db.database import Database
from importer import mapping as maps
from importer.rows import RowPlan, read_row
from importer.sheets import Sheet
from records.clients import test_numbers_allowed
from vocabulary.identity import ValidationError, format_nhs_number
from vocabulary.stages import Event, derive_state

BEFORE_IMPORT = "before import"


@dataclass(frozen=True)
class Problem:
    row: int
    reason: str


@dataclass(frozen=True)
class Duplicate:
    row: int
    name: str
    ref: str
    why: str


@dataclass
class TaskCount:
    open: int = 0
    before_import: int = 0


@dataclass
class Plan:
    """Everything a dry run found; ``blocked`` while any row cannot be read."""

    sheet: Sheet
    mapping: dict[int, str]
    today: date
    checklist: Checklist  # the service's, read once: the dry run's tasks are the ones the import makes
    ready: list[RowPlan] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    tasks: dict[int, TaskCount] = field(default_factory=dict)
    saved_layer: dict[int, str] = field(default_factory=dict)

    @property
    def blocked(self) -> bool:
        return bool(self.problems)

    def unmapped(self) -> list[str]:
        return [h for i, h in enumerate(self.sheet.headings) if h and i not in self.mapping]


def existing_duplicate(db: Database, row: RowPlan) -> Duplicate | None:
    """The record already held for this row's person, by NHS number or by name and date of birth."""
    nhs = row.fields.get("nhs_number")
    if nhs:
        client = rec.find_client_by_nhs(db, nhs)
        if client:
            return Duplicate(row.row, row.name, _refs(db, client), f"same NHS number {format_nhs_number(nhs)}")
    for client in rec.find_clients_by_name_dob(db, row.name, row.fields["dob"]):
        return Duplicate(row.row, row.name, _refs(db, client), "same name and date of birth")
    return None


def nhs_conflict(db: Database, row: RowPlan) -> str | None:
    """Why the row cannot be read when its NHS number is held for someone with another name or date of birth.

    One NHS number is one person: either the number in the sheet is mistyped or the record held is wrong, and
    taking the row as "already held" would quietly leave this person out (or put their history on someone
    else). The practitioner checks which before importing it.
    """
    nhs = row.fields.get("nhs_number")
    if not nhs:
        return None
    client = rec.find_client_by_nhs(db, nhs)
    if client is None:
        return None
    same_name = " ".join(client["name"].split()).casefold() == " ".join(row.name.split()).casefold()
    if same_name and client["dob"] == row.fields["dob"]:
        return None
    differs = "name and date of birth" if not same_name and client["dob"] != row.fields["dob"] else (
        "name" if not same_name else "date of birth")
    return (f"NHS number {format_nhs_number(nhs)} is held for {_refs(db, client)} with another {differs}; "
            "check the number (or that record) before importing this row")


def _refs(db: Database, client: dict) -> str:
    return ", ".join(c["ref"] for c in rec.cases_of_client(db, client["id"])) or f"client {client['id']}"


def mapping_for(
    db: Database, sheet: Sheet, overrides: list[str] | dict[int, str] | None = None
) -> tuple[dict[int, str], dict[int, str]]:
    """The mapping to use: the guess, then the corrections saved for these headings, then ``overrides``.

    Returns ``(mapping, layer)`` where ``layer`` is what differs from the guess, to be saved on import.
    """
    guessed = maps.guess(sheet.headings)
    saved = maps.decode(rec.get_setting(db, maps.sheet_key(sheet.headings)), sheet.headings)
    if isinstance(overrides, dict):
        given = {i: maps.check_field(f) for i, f in overrides.items()}
    else:
        given = maps.parse_overrides(list(overrides or []), sheet.headings)
    mapping = maps.combine(guessed, saved, given)
    return mapping, maps.corrections(mapping, sheet.headings)


def build_plan(db: Database, sheet: Sheet, mapping: dict[int, str], today: date,
               layer: dict[int, str] | None = None, *, checklist: Checklist) -> Plan:
    """Read every row against ``mapping`` and the database, with the service's ``checklist``; writes nothing."""
    maps.check_usable(mapping)
    plan = Plan(sheet, dict(mapping), today, checklist, saved_layer=dict(layer or {}))
    by_nhs: dict[str, int] = {}
    by_person: dict[tuple[str, str], int] = {}
    test_numbers = test_numbers_allowed(db)
    for number, cells in sheet.rows:
        try:
            row = read_row(number, cells, mapping, today, test_numbers=test_numbers)
        except ValidationError as exc:
            plan.problems.append(Problem(number, str(exc)))
            continue
        nhs, person = row.fields.get("nhs_number"), (row.name.casefold(), row.fields["dob"])
        earlier = by_nhs.get(nhs) if nhs else None
        if earlier is None:
            earlier = by_person.get(person)
        if earlier is not None:
            plan.problems.append(Problem(number, f"{row.name} is also on row {earlier}; leave one of them out"))
            continue
        if nhs:
            by_nhs[nhs] = number
        by_person[person] = number
        conflict = nhs_conflict(db, row)
        if conflict:
            plan.problems.append(Problem(number, conflict))
            continue
        dup = existing_duplicate(db, row)
        if dup:
            plan.duplicates.append(dup)
            continue
        plan.ready.append(row)
        plan.tasks[number] = count_tasks(checklist, row, today)
    return plan


def count_tasks(checklist: Checklist, row: RowPlan, today: date) -> TaskCount:
    """How many checklist tasks the row's events leave open and how many would be closed as before import.

    The same rule ``importer.write`` applies: a task due before the import date, or started by a session
    whose date the sheet did not give, is closed as "before import"; later ones stay open.
    """
    open_tasks: dict[tuple[str, int], tuple[date, bool]] = {}
    history: list[Event] = []
    for i, event in enumerate(row.events):
        before, after = derive_state(history), derive_state([*history, event])
        for c in closures_for_event(checklist, event, before, after):
            for k in [k for k in open_tasks if k[0] == c.key]:
                del open_tasks[k]
        for spec in tasks_for_event(checklist, event, before, after):
            if not spec.born_done:  # data capture: stored done by mhtr-tui, never open
                open_tasks.setdefault((spec.key, i), (spec.due, i in row.undated))
        history.append(event)
    count = TaskCount()
    for due, undated in open_tasks.values():
        if undated or due < today:
            count.before_import += 1
        else:
            count.open += 1
    return count
