"""The service's actions on clients, cases and what happened to them: adding and correcting a client or a case,
archiving, the audit trail, recording an event (a session and consent withdrawn the way their kind is recorded) and
the session's health-system entry; also the demonstration data and the subject access document, which are about a
whole client. A mixin of ``service.core.Service``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.part import ServicePart

if TYPE_CHECKING:
    from records.archive import Archived
    from records.casework import EventResult
    from records.sessions import SessionLog
    from vocabulary.stages import CaseState


@dataclass(frozen=True)
class Recorded:
    """What ``Service.record`` did: the event (with the tasks it started and closed) and, for a session, the log
    (the appointment it closed), for consent withdrawn, the appointments it cancelled."""

    result: EventResult
    session: SessionLog | None = None
    cancelled: list[int] = field(default_factory=list)


class Cases(ServicePart):
    """Clients, cases and events: the service's actions (see ``service.core.Service``)."""

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

    def adopt_case_states(self, other: ServicePart) -> None:
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

