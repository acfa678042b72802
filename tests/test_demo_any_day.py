"""The demo fills a database whatever day it is opened on: a weekend, a bank holiday or New Year. Its most recent
events fall on or before that day (none is recorded before it happens) and its cases still span every stage.
"""

from __future__ import annotations

from datetime import date

import pytest

from db import records as records_db
from db.connection import connect
from demo.generator import fill_demo
from records.views import case_states
from service.core import checklist_of


@pytest.mark.parametrize(
    "today",
    [
        date(2026, 12, 5),  # Saturday
        date(2026, 12, 6),  # Sunday
        date(2026, 12, 7),  # Monday after a weekend
        date(2026, 12, 25),  # Christmas Day (a Friday)
        date(2026, 12, 28),  # the Boxing Day substitute bank holiday (a Monday)
        date(2027, 1, 1),  # New Year's Day
    ],
)
def test_demo_fills_on_any_day_with_nothing_in_the_future(tmp_path, today):
    db = connect(tmp_path / "demo.db", create=True)
    try:
        refs = fill_demo(db, 24, 7, today, checklist=checklist_of(db))
        assert len(refs) == 24
        events = [e for evs in records_db.events_for_cases(db).values() for e in evs]
        assert events and max(e["date"] for e in events) <= today.isoformat()
        stages = {st.stage for st in case_states(db).values()}
        assert len(stages) >= 8, stages
    finally:
        db.close()
