"""The timepoint a new questionnaire defaults to follows the case's stage (a pure function of its events)."""

from __future__ import annotations

from datetime import date

import pytest

from records.questionnaire_records import split_timepoint, timepoint_for_stage
from vocabulary.identity import ValidationError
from vocabulary.stages import Event, derive_state

TODAY = date(2026, 11, 20)


def _state(*events: tuple[str, str, dict]):
    return derive_state([Event(k, date.fromisoformat(d), data, i) for i, (k, d, data) in enumerate(events, 1)])


SCREENED = ("screening", "2026-03-02", {})
ASSESSED = ("assessment", "2026-03-04", {})
APPROVED = ("cl-decision", "2026-03-05", {"decision": "approved"})
SENTENCED = ("court-outcome", "2026-03-10", {"outcome": "accepted", "order": "CO", "sessions": 12})


def _session(day: str, outcome: str = "attended") -> tuple[str, str, dict]:
    return ("session", day, {"outcome": outcome})


@pytest.mark.parametrize(
    ("events", "today", "expected"),
    [
        ((), TODAY, "screening"),
        ((SCREENED,), TODAY, "screening"),
        ((SCREENED, ("not-eligible", "2026-03-03", {"reason": "x"})), TODAY, "screening"),
        ((SCREENED, ASSESSED), TODAY, "pre"),
        ((SCREENED, ASSESSED, APPROVED), TODAY, "pre"),
        ((SCREENED, ASSESSED, ("cl-decision", "2026-03-05", {"decision": "declined", "reason": "x"})), TODAY, "pre"),
        ((ASSESSED, APPROVED, ("court-outcome", "2026-03-10", {"outcome": "declined", "reason": "x"})), TODAY, "pre"),
        # sentenced, no session yet: the form belongs to the first session
        ((ASSESSED, APPROVED, SENTENCED), date(2026, 3, 20), "session-1"),
        # two sessions logged before today: the form is for the third, not yet logged
        ((ASSESSED, APPROVED, SENTENCED, _session("2026-04-01"), _session("2026-04-08")), date(2026, 4, 15),
         "session-3"),
        # the session was logged today: the form was given at it
        ((ASSESSED, APPROVED, SENTENCED, _session("2026-04-01"), _session("2026-04-08")), date(2026, 4, 8),
         "session-2"),
        # absences are not sessions attended
        ((ASSESSED, APPROVED, SENTENCED, _session("2026-04-01"), _session("2026-04-08", "unacceptable-absence")),
         date(2026, 4, 8), "session-2"),
        # consent withdrawn after treatment began: end of treatment; before any session: still the baseline
        ((ASSESSED, APPROVED, SENTENCED, _session("2026-04-01"), ("withdrawal", "2026-04-05", {})), TODAY, "post"),
        ((ASSESSED, APPROVED, SENTENCED, ("withdrawal", "2026-03-15", {})), TODAY, "pre"),
    ],
)
def test_before_and_during_treatment(events, today, expected):
    assert timepoint_for_stage(_state(*events), today) == expected


COMPLETED = (ASSESSED, APPROVED, SENTENCED, _session("2026-04-01"), ("completion", "2026-06-30", {}))


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 6, 30), "post"),  # the completion day
        (date(2026, 8, 14), "post"),  # 45 days on: nearer completion than 3 months (30/09)
        (date(2026, 8, 15), "post"),  # 46 days either side: the earlier
        (date(2026, 8, 16), "follow-up-3"),  # 47 days on: nearer 3 months
        (date(2026, 9, 30), "follow-up-3"),
        (date(2026, 11, 14), "follow-up-3"),  # 45 days after 3 months, 46 before 6
        (date(2026, 12, 28), "follow-up-6"),
        (date(2027, 5, 1), "follow-up-12"),
        (date(2027, 8, 1), "follow-up-12"),  # late, but 12 months is the last one
    ],
)
def test_after_completion_the_nearest_of_post_and_the_follow_ups(today, expected):
    assert timepoint_for_stage(_state(*COMPLETED), today) == expected


def test_split_timepoint_for_the_entry_screen_matches_the_command_line_spelling():
    assert split_timepoint("session-5") == ("session", 5)
    assert split_timepoint("session 12") == ("session", 12)
    assert split_timepoint("session") == ("session", None)
    assert split_timepoint("follow-up-6") == ("follow-up-6", None)
    with pytest.raises(ValidationError):
        split_timepoint("later")
