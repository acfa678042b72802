"""The one clock of a run: what day it is, and the time to the minute.

The app and the command line each make one ``Clock`` when they start and hand it to the ``Service``; every
domain function is given ``today`` or ``now`` as a value by its caller and never reads the wall clock itself, so
a test fixes the whole program's day with ``Clock.fixed(...)`` instead of patching functions. A clock fixed to
a day (the app's tests and the benchmarks) still reads the time of day from the wall clock, as a person using
the app on that day would see it; fixed to a datetime it never moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class Clock:
    """Today and now for one run. ``Clock()`` is the wall clock; ``Clock.fixed(day or datetime)`` is not."""

    day: date | None = None
    time_of_day: time | None = None

    @classmethod
    def fixed(cls, when: date | datetime) -> Clock:
        """A clock stopped on ``when``: a date fixes the day only, a datetime the day and the minute."""
        if isinstance(when, datetime):
            return cls(when.date(), when.time().replace(second=0, microsecond=0))
        return cls(when)

    def today(self) -> date:
        return self.day if self.day is not None else date.today()

    def now(self) -> datetime:
        """Today at the current time of day, to the minute (an appointment has started once ``now`` reaches it)."""
        moment = self.time_of_day or datetime.now().time().replace(second=0, microsecond=0)
        return datetime.combine(self.today(), moment)

    def end_of_day(self) -> datetime:
        """The last moment of today: for a caller that knows only the day (everything booked today has begun)."""
        return datetime.combine(self.today(), time.max)
