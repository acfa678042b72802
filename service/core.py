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

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlite_utils

from checklists.model import Checklist, ChecklistError, load
from db import records as rec
from service.clock import Clock
from vocabulary.identity import ValidationError

if TYPE_CHECKING:
    from questionnaires.options import ScoringOptions
    from records.casework import EventResult, TaskChange
    from records.sessions import SessionLog

CHECKLIST_SETTING = "checklist_file"


@dataclass(frozen=True)
class Recorded:
    """What ``Service.record`` did: the event (with the tasks it started and closed) and, for a session, the log
    (the appointment it closed), for consent withdrawn, the appointments it cancelled."""

    result: EventResult
    session: SessionLog | None = None
    cancelled: list[int] = field(default_factory=list)


def checklist_of(db: sqlite_utils.Database) -> Checklist:
    """The checklist a database is kept with: the file named in its ``checklist_file`` setting, else
    ``MHTR_CHECKLIST``, else the bundled C&P checklist. Read through ``checklists.model.load``'s cache (keyed on
    the file's modification time), so an edit to a service's copy applies from the next action.

    The one place a service's checklist is chosen: domain functions are given it (``checklist=``) by their caller.
    """
    return load(rec.get_setting(db, CHECKLIST_SETTING))


class Service:
    """The database, clock, checklist and settings of one run, and the actions on them."""

    def __init__(self, db: sqlite_utils.Database, clock: Clock | None = None) -> None:
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

    # ---- clients -------------------------------------------------------------------------------------
    def add_client(self, fields: Mapping[str, Any]) -> str:
        from records.casework import add_client

        return add_client(self.db, dict(fields), self.today)

    def update_client(self, ref: str, fields: Mapping[str, Any]) -> None:
        from records.casework import update_client

        update_client(self.db, ref, dict(fields), self.today)

    def new_case(self, ref: str, fields: Mapping[str, Any] | None = None) -> str:
        from records.casework import new_case_for_client

        return new_case_for_client(self.db, ref, dict(fields or {}), self.today)

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
        from records.sessions import health_entry_for_event

        return health_entry_for_event(self.db, event_id)

    def copy_health_entry(
        self, event_id: int | str, app_copy: Callable[[str], None] | None = None
    ) -> tuple[str, str, list[str]]:
        """Copy the session's health-system entry and, once it is on a clipboard, tick that session's "health
        system entry" task: copying it is the app's part of that work. Returns the entry, where it went and the
        titles of the tasks ticked (none if no clipboard took it: the text is shown for copying by hand)."""
        from records.clipboard import copy
        from records.sessions import tick_health_entry

        text = self.health_entry(event_id)
        copied, message = copy(text, app_copy)
        ticked = tick_health_entry(self.db, event_id, self.checklist) if copied else []
        return text, message, ticked

    # ---- tasks ---------------------------------------------------------------------------------------
    def tick(self, task_id: int | str) -> TaskChange:
        from records.casework import tick

        return tick(self.db, task_id)

    def skip(self, task_id: int | str, reason: str) -> TaskChange:
        from records.casework import skip

        return skip(self.db, task_id, reason)

    def reschedule(self, task_id: int | str, when: str | date) -> TaskChange:
        from records.casework import reschedule

        return reschedule(self.db, task_id, when, self.today)

    def undo(self, change: TaskChange) -> TaskChange:
        from records.casework import undo

        return undo(self.db, change)

    def ensure_recurring(self, horizon_days: int = 7) -> int:
        from records.casework import ensure_recurring

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
    def add_questionnaire(
        self, ref: str, instrument: str, responses: list, when: str | date | None = None, timepoint: str | None = None
    ) -> dict:
        from records.questionnaire_records import add_questionnaire

        return add_questionnaire(
            self.db, ref, instrument, responses, when, timepoint, self.today, checklist=self.checklist
        )

    # ---- documents and exports -----------------------------------------------------------------------
    def write_document(self, kind: str, ref: str, path: Path | str | None = None, *, confirmed: bool = False):
        """Write a document (``confirmed``: the question its preview asks has been answered yes); its file
        properties carry the moment it is written."""
        from letters.documents import write_document

        return write_document(
            self.db, kind, ref, path, today=self.today, checklist=self.checklist, confirmed=confirmed
        )

    def preview_document(self, kind: str, ref: str) -> tuple[dict, list[str]]:
        from letters.documents import preview

        return preview(self.db, kind, ref, self.today)

    def week_share(self, week: date | None = None):
        """The weekly share of the week containing ``week`` (default: this week), built but not written."""
        from letters.weekly_share import build_share

        return build_share(self.db, week or self.today, self.now())

    def write_share(self, share, out_dir: Path | str):
        """Write a built share (``week_share``) and, when due, tick the week's diary task."""
        from letters.weekly_share import write_share

        return write_share(self.db, share, out_dir, today=self.today, now=self.now(), checklist=self.checklist)

    def share_week(self, out_dir: Path | str, week: date | None = None):
        return self.write_share(self.week_share(week), out_dir)

    def export_month(self, month: str | date, out: Path | str | None = None, fmt: str | None = None, **options):
        from exports.monthly import export_month

        return export_month(self.db, month, out, fmt, today=self.today, checklist=self.checklist, **options)
