"""The service's diary: booking, moving and cancelling appointments, the week, a case's appointments and the
health-system entry of the session an appointment became. A mixin of ``service.core.Service``."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from service.part import ServicePart

if TYPE_CHECKING:
    from records.appointments import SeriesResult


class Diary(ServicePart):
    """Appointments and the diary week: the service's actions (see ``service.core.Service``)."""

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

