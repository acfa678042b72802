"""A return reads only the cases that can count in it (``db.exports``), and gives exactly what reading every case
gives: for every month over years, the figures, the months before and the list of what is incomplete. The
caseload mixes the known-truth cases with ones the filter must keep although their last event is long past (an
order made years ago and never finished, a completion corrected away, a follow-up form without its event, a GP
registration through the MHTR with no date) and ones it may leave out (finished years ago).
"""

from __future__ import annotations

from datetime import date

import pytest

from db import records as rec
from exports.gaps import gaps
from exports.monthly import load_facts, return_facts
from exports.periods import month_end, return_periods
from exports.returns import build_return
from questionnaires import DEFAULT
from records import casework, clients
from records.questionnaire_records import add_questionnaire
from service.core import checklist_of
from tests.exports_support import DEADLINES, TODAY, build_caseload
from vocabulary.dates import add_months

OLD = [("screening", "2019-03-01"), ("assessment", "2019-03-01"), ("cl-decision", "2019-03-04")]
SESSION = ("session", "2019-04-01", {"outcome": "attended"})
FINISHED = [SESSION, ("completion", "2019-06-03", {})]


def _old_case(db, name: str, extra: list[tuple[str, str, dict]]) -> str:
    ref = clients.add_client(db, {"name": name, "dob": "1980-01-01", "gender": "Female"}, TODAY)
    for kind, when in OLD:
        casework.record_event(
            db, ref, kind, when, {"decision": "approved"} if kind == "cl-decision" else {}, TODAY,
            checklist=checklist_of(db)
        )
    casework.record_event(
        db, ref, "court-outcome", "2019-03-20", {"outcome": "accepted", "order": "CO"}, TODAY,
        checklist=checklist_of(db)
    )
    for kind, when, data in extra:
        casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db))
    return ref


@pytest.fixture
def service(db):
    build_caseload(db)
    # finished years ago: nothing to count after 2021
    _old_case(db, "Old Finished", FINISHED)
    # sentenced in 2019 and never finished: active in every later month
    _old_case(db, "Stale Active", [SESSION])
    # a completion recorded and then corrected to a session: still under the order
    ref = _old_case(db, "Corrected Completion", [SESSION])
    done = casework.record_event(db, ref, "completion", "2019-10-01", {}, TODAY, checklist=checklist_of(db))
    casework.correct_event(
        db, ref, done.event_id, "2019-10-01", {}, TODAY, checklist=checklist_of(db)
    )  # corrected, still a completion
    # a follow-up form recorded without its follow-up event, long after the completion
    ref = _old_case(db, "Late Form", FINISHED)
    add_questionnaire(
        db, ref, "PHQ-9", [1] * 9, "2021-08-10", "follow-up-12", TODAY, checklist=checklist_of(db)
    )  # entered very late
    # registered with a GP through the MHTR, the day not recorded: asked for on the incomplete list
    ref = _old_case(db, "No Gp Date", FINISHED)
    case = rec.get_case(db, ref)
    rec.update_client(db, case["id"], {"gp_registered": "yes", "gp_registered_via_mhtr": 1})
    # registered with a GP through the MHTR long after its last event: counted in that month
    ref = _old_case(db, "Late Gp", FINISHED)
    rec.update_client(
        db,
        rec.get_case(db, ref)["id"],
        {"gp_registered": "yes", "gp_registered_via_mhtr": 1, "gp_registered_date": "2022-05-05"},
    )
    return db


def test_reading_only_the_cases_that_can_count_changes_nothing(service):
    db = service
    every = {}
    for months_back in range(0, 96, 3):
        first = add_months(date(2026, 10, 1), -months_back)
        everyone = load_facts(db, month_end(first))
        some = return_facts(db, first)
        assert {c.ref for c in some} <= {c.ref for c in everyone}
        a = build_return(everyone, first, TODAY, scoring=DEFAULT, threshold=0, deadlines=DEADLINES)
        b = build_return(some, first, TODAY, scoring=DEFAULT, threshold=0, deadlines=DEADLINES)
        assert a.figures == b.figures, first
        assert a.history == b.history, first
        rolling = return_periods(first)[1]
        assert gaps(everyone, rolling, scoring=DEFAULT) == gaps(some, rolling, scoring=DEFAULT), first
        every[first] = len(some), len(everyone)
    # the filter does leave cases out: October 2026 reads neither the case finished in 2019 nor its like
    some, everyone = every[date(2026, 10, 1)]
    assert some < everyone
