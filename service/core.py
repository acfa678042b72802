"""The domain service: one object per run holding the database, the clock, the checklist and the settings, with
the actions both front ends call.

The command line builds one for each command (``cli.common.open_service``) and the app one when its database
opens (``MhtrApp.service``). Everything that depends on *when* or on *which checklist* is decided here once and
passed down as plain values: a domain function is given ``today``, ``now`` and the loaded ``Checklist`` by its
caller and never reads the wall clock or the checklist file itself. A test makes the whole program run on a
fixed day with ``Service(db, Clock.fixed(day))``.

The methods are thin on purpose: the rules live in the domain modules they call (``records``, ``letters``,
``exports``), and this object only supplies the run's clock, checklist and settings, so the app and the command
line cannot record the same thing two ways.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checklists.model import Checklist, ChecklistError, load
from db import records as rec
from db.database import Database
from service.clock import Clock
from vocabulary.identity import ValidationError

if TYPE_CHECKING:
    from exports.monthly import ExportResult
    from exports.preview import MonthFiles, Preview, Progress
    from importer.plan import Plan
    from importer.sheets import Sheet
    from importer.write import ImportResult
    from letters.common import Draft
    from letters.documents import Written
    from letters.weekly_share import WeekShare
    from letters.weekly_share_writer import ShareResult
    from questionnaires.options import ScoringOptions
    from records.appointments import SeriesResult
    from records.archive import Archived
    from records.casework import EventResult
    from records.sessions import SessionLog
    from records.task_actions import TaskChange
    from vocabulary.stages import CaseState

CHECKLIST_SETTING = "checklist_file"


@dataclass(frozen=True)
class Recorded:
    """What ``Service.record`` did: the event (with the tasks it started and closed) and, for a session, the log
    (the appointment it closed), for consent withdrawn, the appointments it cancelled."""

    result: EventResult
    session: SessionLog | None = None
    cancelled: list[int] = field(default_factory=list)


def checklist_of(db: Database) -> Checklist:
    """The checklist a database is kept with: the file named in its ``checklist_file`` setting, else
    ``MHTR_CHECKLIST``, else the bundled C&P checklist. Read through ``checklists.model.load``'s cache (keyed on
    the file's modification time), so an edit to a service's copy applies from the next action.

    The one place a service's checklist is chosen: domain functions are given it (``checklist=``) by their caller.
    """
    return load(rec.get_setting(db, CHECKLIST_SETTING))


class Service:
    """The database, clock, checklist and settings of one run, and the actions on them."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or Clock()

    # ---- what the run is made of ---------------------------------------------------------------------
    @property
    def today(self) -> date:
        return self.clock.today()

    def now(self) -> datetime:
        return self.clock.now()

    @property
    def checklist(self) -> Checklist:
        """The service's checklist (see ``checklist_of``). A file that cannot be used (edited while the app runs)
        is a refusal like any other: one line naming the file, the line and what is wrong, and nothing written."""
        try:
            return checklist_of(self.db)
        except ChecklistError as exc:
            raise ValidationError(str(exc)) from None

    @property
    def settings(self) -> dict[str, str]:
        """Every stored setting, as stored."""
        return rec.all_settings(self.db)

    @property
    def scoring(self) -> ScoringOptions:
        """The service's scoring settings (SPEC's L-grade choices), its defaults where none is stored."""
        from records.questionnaire_records import scoring_options

        return scoring_options(self.db)

    def save_settings(self, values: Mapping[str, str | None]) -> dict[str, str]:
        """Check and store several settings at once (all or none); returns what was stored."""
        from service.settings import save_settings

        return save_settings(self.db, dict(values))

    def save_setting(self, key: str, value: str | None) -> str:
        """Check and store one setting; returns the value stored."""
        from service.settings import save_setting

        return save_setting(self.db, key, value)

    def settings_view(self) -> list[dict]:
        """Every known setting with its label, value and whether it is set, as the settings screens list them."""
        from service.settings import settings_view

        return settings_view(self.db)

    # ---- clients and cases ---------------------------------------------------------------------------
    def add_client(self, fields: Mapping[str, Any]) -> str:
        from records.clients import add_client

        return add_client(self.db, dict(fields), self.today)

    def update_client(self, ref: str, fields: Mapping[str, Any]) -> None:
        from records.clients import update_client

        update_client(self.db, ref, dict(fields), self.today)

    def new_case(self, ref: str, fields: Mapping[str, Any] | None = None) -> str:
        from records.clients import new_case_for_client

        return new_case_for_client(self.db, ref, dict(fields or {}), self.today)

    def case(self, ref: str) -> dict:
        """The case ``ref`` with its client, refused in one line if there is none."""
        from records.clients import require_case

        return require_case(self.db, ref)

    def cases(self, *, include_archived: bool = False) -> list[dict]:
        """Every case with its client's name and next open task (the command palette's list)."""
        from db.records import list_cases

        return list_cases(self.db, include_archived=include_archived)

    def case_states(self, only: Iterable[int] | None = None) -> dict[int, CaseState]:
        """Each case's state (``only``: those cases), from the cache the database keeps of them."""
        from records.views import case_states

        return case_states(self.db, only)

    def case_states_ready(self) -> bool:
        """Whether every case's state is cached already (Today fills at once; else it says it is working)."""
        from records.views import case_states_quick

        return case_states_quick(self.db)

    def adopt_case_states(self, other: Service) -> None:
        """Take the case states ``other`` worked out (a worker's own connection to this database)."""
        from records.views import adopt_case_states

        adopt_case_states(self.db, other.db)

    def archive(self, ref: str, reason: str) -> Archived:
        from records.archive import archive_case

        return archive_case(self.db, ref, reason, self.now())

    def unarchive(self, ref: str) -> Archived:
        from records.archive import unarchive_case

        return unarchive_case(self.db, ref)

    def archived_cases(self) -> list[dict]:
        from records.archive import archived_cases

        return archived_cases(self.db)

    def audit(self, ref: str) -> list[dict]:
        """The case's audit trail as the Client screen shows it."""
        from records.audit_trail import audit_for_case

        return audit_for_case(self.db, ref)

    def last_change(self) -> int:
        """Moves with every change by anyone (see ``db.records.last_change``): a screen reloads when it moves."""
        from db.records import last_change

        return last_change(self.db)

    def fill_demo(self, clients: int, seed: int) -> list[str]:
        """Fill this (empty, synthetic) database with demonstration cases up to today."""
        from demo.generator import fill_demo

        return fill_demo(self.db, clients, seed, self.today, self.now(), checklist=self.checklist)

    def subject_access(self, ref: str, path: Path | str | None, received: date | None = None, *,
                       overwrite: bool = False) -> tuple[Path, dict]:
        """Write the subject access document of the client of case ``ref``."""
        from letters.sar_document import write_sar

        return write_sar(self.db, ref, path, self.today, received, overwrite=overwrite)

    # ---- events --------------------------------------------------------------------------------------
    def record(
        self, ref: str, kind: str, when: date | str | None = None, data: Mapping[str, Any] | None = None
    ) -> Recorded:
        """Record what happened, the way its kind is recorded (``vocabulary.event_kinds``: a session through
        ``log_session``, which closes the day's appointment; consent withdrawn through ``withdraw_consent``, which
        cancels the bookings ahead; anything else as the event). What both front ends call."""
        from vocabulary.event_kinds import kind_of

        spec = kind_of(kind)
        data = dict(data or {})
        if spec.action == "session":
            log = self.log_session(
                ref,
                when,
                data.get("outcome") or "attended",
                duration_min=data.get("duration"),
                risk=data.get("risk"),
                summary=data.get("summary"),
                plan=data.get("plan"),
                notes=data.get("notes"),
                final=bool(data.get("final")),
                extra=True if data.get("extra") else None,
                concerns=bool(data.get("concerns")),
            )
            return Recorded(log.result, session=log)
        if spec.action == "withdrawal":
            result, cancelled = self.withdraw_consent(ref, when, reason=data.get("reason"))
            return Recorded(result, cancelled=cancelled)
        return Recorded(self.record_event(ref, kind, when, data))

    def record_event(
        self, ref: str, kind: str, when: date | str | None = None, data: Mapping[str, Any] | None = None
    ) -> EventResult:
        """Record one event as it is (no dispatch): see ``record`` for what a front end records."""
        from records.casework import record_event

        return record_event(self.db, ref, kind, when, dict(data or {}), self.today, checklist=self.checklist)

    def correct_event(
        self, ref: str, event_id: int | str, when: date | str | None = None, data: Mapping[str, Any] | None = None
    ) -> EventResult:
        from records.casework import correct_event

        return correct_event(self.db, ref, event_id, when, dict(data or {}), self.today, checklist=self.checklist)

    def log_session(self, ref: str | None = None, when: date | str | None = None, outcome: str = "attended",
                    **details: Any) -> SessionLog:
        """``records.sessions.log_session`` on this run's clock and checklist (``details``: its keywords)."""
        from records.sessions import log_session

        return log_session(
            self.db, ref, when, outcome, today=self.today, now=self.now(), checklist=self.checklist, **details
        )

    def record_attendance(self, appointment_id: int | str, outcome: str, **details: Any) -> SessionLog:
        return self.log_session(None, None, outcome, appointment_id=appointment_id, **details)

    def withdraw_consent(
        self, ref: str, when: date | str | None = None, reason: str | None = None
    ) -> tuple[EventResult, list[int]]:
        from records.sessions import withdraw_consent

        return withdraw_consent(self.db, ref, when, today=self.today, now=self.now(), checklist=self.checklist,
                                reason=reason)

    def health_entry(self, event_id: int | str) -> str:
        """The health-system entry of the recorded session ``event_id``, to paste into the trust's record."""
        from records.health_entry import health_entry_for_event

        return health_entry_for_event(self.db, event_id)

    def copy_health_entry(
        self, event_id: int | str, app_copy: Callable[[str], None] | None = None
    ) -> tuple[str, str, list[str]]:
        """Copy the session's health-system entry and, once it is on a clipboard, tick that session's "health
        system entry" task: copying it is the app's part of that work. Returns the entry, where it went and the
        titles of the tasks ticked (none if no clipboard took it: the text is shown for copying by hand)."""
        from records.health_entry import tick_health_entry
        from service.clipboard import copy

        text = self.health_entry(event_id)
        copied, message = copy(text, app_copy)
        ticked = tick_health_entry(self.db, event_id, self.checklist) if copied else []
        return text, message, ticked

    # ---- appointments --------------------------------------------------------------------------------
    def appointment(self, appointment_id: int | str) -> dict:
        """The appointment, refused in one line if there is none."""
        from records.appointments import require_appointment

        return require_appointment(self.db, appointment_id)

    def book(self, ref: str, start: datetime, **details: Any) -> int:
        """Book one appointment (``details``: ``records.appointments.book_appointment``'s keywords)."""
        from records.appointments import book_appointment

        return book_appointment(self.db, ref, start, now=self.now(), checklist=self.checklist, **details)

    def book_series(self, ref: str, first: datetime, count: int, **details: Any) -> SeriesResult:
        """Book ``count`` appointments weekly or fortnightly from ``first`` (``records.appointments.book_series``)."""
        from records.appointments import book_series

        return book_series(self.db, ref, first, count, now=self.now(), checklist=self.checklist, **details)

    def move(self, appointment_id: int | str, new_start: datetime, **details: Any) -> int:
        from records.appointments import move_appointment

        return move_appointment(self.db, appointment_id, new_start, now=self.now(), **details)

    def cancel(self, appointment_id: int | str, *, by: str = "service", reason: str | None = None) -> dict:
        from records.appointments import cancel_appointment

        return cancel_appointment(
            self.db, appointment_id, by=by, reason=reason, today=self.today, checklist=self.checklist
        )

    def week(self, day: date | None = None) -> dict:
        """The diary week containing ``day`` (default: today)."""
        from records.diary_views import week_view

        return week_view(self.db, day or self.today, self.now())

    def case_appointments(self, ref: str) -> list[dict]:
        from records.diary_views import case_appointments

        return case_appointments(self.db, ref, self.now())

    def next_appointments(self) -> dict[str, dict]:
        """Each case's next booked appointment (the Caseload's column)."""
        from records.diary_views import next_appointments

        return next_appointments(self.db, self.now())

    def appointment_entry(self, appointment_id: int | str) -> str:
        """The health-system entry of the session an appointment was recorded as."""
        from records.health_entry import health_entry_for_appointment

        return health_entry_for_appointment(self.db, appointment_id)

    def session_slot(self, event_id: int | str) -> tuple[str, date, str]:
        """Where a questionnaire done in the recorded session ``event_id`` belongs: (case, day, timepoint)."""
        from records.health_entry import session_slot

        return session_slot(self.db, event_id)

    # ---- tasks ---------------------------------------------------------------------------------------
    def task(self, task_id: int | str) -> dict:
        """The task, refused in one line if there is none."""
        from records.task_actions import require_task

        return require_task(self.db, task_id)

    def find_task(self, task_id: int) -> dict | None:
        """The task, or None if it has gone (a screen holding an old id)."""
        from db.tasks import get_task

        return get_task(self.db, task_id)

    def task_counts(self, horizon: date) -> dict[str, int]:
        """Open tasks overdue, due today and due up to ``horizon`` (Today's header)."""
        from db.tasks import task_counts

        return task_counts(self.db, self.today, horizon)

    def tick(self, task_id: int | str) -> TaskChange:
        from records.task_actions import tick

        return tick(self.db, task_id)

    def skip(self, task_id: int | str, reason: str) -> TaskChange:
        from records.task_actions import skip

        return skip(self.db, task_id, reason)

    def reschedule(self, task_id: int | str, when: str | date) -> TaskChange:
        from records.task_actions import reschedule

        return reschedule(self.db, task_id, when, self.today)

    def undo(self, change: TaskChange) -> TaskChange:
        from records.task_actions import undo

        return undo(self.db, change)

    def ensure_recurring(self, horizon_days: int = 7) -> int:
        from records.task_actions import ensure_recurring

        return ensure_recurring(self.db, self.today, horizon_days, checklist=self.checklist)

    # ---- what the screens and commands read ----------------------------------------------------------
    def tasks(self, scope: str = "today", ref: str | None = None) -> list[dict]:
        from records.views import tasks

        return tasks(self.db, self.today, scope, ref, checklist=self.checklist)

    def case_detail(self, ref: str) -> dict:
        from records.views import case_detail

        return case_detail(self.db, ref, self.today, checklist=self.checklist)

    def caseload(self) -> list[dict]:
        from records.views import caseload

        return caseload(self.db, self.today)

    def clocks(self, ref: str) -> list[dict]:
        from records.clocks import clocks_for_case

        return clocks_for_case(self.db, ref, self.today, self.checklist)

    def clock_alerts(self) -> list[dict]:
        from records.clocks import clock_alerts

        return clock_alerts(self.db, self.today, self.checklist)

    def case_glance(self, ref: str) -> dict:
        from records.sessions import case_glance

        return case_glance(self.db, ref, self.now(), self.checklist)

    def diary_glance(self) -> dict:
        from records.sessions import diary_glance

        return diary_glance(self.db, self.now(), self.checklist)

    # ---- questionnaires ------------------------------------------------------------------------------
    def outcomes(self, ref: str) -> dict:
        """The case's scores first to last of treatment (``questionnaires.course``), as the Client screen shows."""
        from records.questionnaire_records import outcomes

        return outcomes(self.db, ref)

    def timepoint(self, ref: str) -> str:
        """The timepoint a questionnaire given today belongs to, from the case's stage."""
        from records.questionnaire_records import timepoint_for_case

        return timepoint_for_case(self.db, ref, self.today)

    def add_questionnaire(
        self, ref: str, instrument: str, responses: list, when: str | date | None = None, timepoint: str | None = None
    ) -> dict:
        from records.questionnaire_records import add_questionnaire

        return add_questionnaire(
            self.db, ref, instrument, responses, when, timepoint, self.today, checklist=self.checklist
        )

    # ---- documents and exports -----------------------------------------------------------------------
    def assessment(self, ref: str) -> dict:
        """The case's assessment record (typed fields for the court report and letters)."""
        from letters.assessment import get_assessment

        return get_assessment(self.db, ref)

    def save_assessment(self, ref: str, fields: Mapping[str, str | None]) -> dict:
        from letters.assessment import save_assessment

        return save_assessment(self.db, ref, dict(fields), self.today)

    def document_availability(self, ref: str) -> dict[str, str | None]:
        """Each document kind: None if it can be written for the case now, else why not."""
        from letters.documents import availability

        return availability(self.db, ref, self.today)

    def documents(self, ref: str) -> list[dict]:
        """The documents written for the case, newest first."""
        from letters.documents import documents_of

        return documents_of(self.db, ref)

    def draft(self, kind: str, ref: str) -> Draft:
        """What a document would say today, and what is missing from it; writes nothing."""
        from letters.documents import draft

        return draft(self.db, kind, ref, self.today)

    def write_document(
        self, kind: str, ref: str, path: Path | str | None = None, *, confirmed: bool = False
    ) -> Written:
        """Write a document (``confirmed``: the question its preview asks has been answered yes); its file
        properties carry the moment it is written."""
        from letters.documents import write_document

        return write_document(
            self.db, kind, ref, path, today=self.today, checklist=self.checklist, confirmed=confirmed
        )

    def preview_document(self, kind: str, ref: str) -> tuple[dict, list[str]]:
        from letters.documents import preview

        return preview(self.db, kind, ref, self.today)

    def week_share(self, week: date | None = None) -> WeekShare:
        """The weekly share of the week containing ``week`` (default: this week), built but not written."""
        from letters.weekly_share import build_share

        return build_share(self.db, week or self.today, self.now())

    def write_share(self, share: WeekShare, out_dir: Path | str) -> ShareResult:
        """Write a built share (``week_share``) and, when due, tick the week's diary task."""
        from letters.weekly_share_writer import write_share

        return write_share(self.db, share, out_dir, today=self.today, now=self.now(), checklist=self.checklist)

    def share_week(self, out_dir: Path | str, week: date | None = None) -> ShareResult:
        return self.write_share(self.week_share(week), out_dir)

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
