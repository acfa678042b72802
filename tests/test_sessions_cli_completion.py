"""``mhtr-tui appointment attend --complete`` records the completion with its details (accommodation at the end,
referrals and signposting), the options of ``mhtr-tui event REF completion``, checked the same way; a detail
without ``--complete``, or one the event refuses, is one line on stderr and nothing is written."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from db.connection import connect
from db.records import events_of_case, get_case
from records import appointments as ap
from service.core import checklist_of
from tests.conftest import snapshot_counts


def _last_session(run) -> tuple[str, str]:
    """A synthetic client with one planned session, held two days ago and not recorded yet."""
    _, out, _ = run("client", "add", "--name", "Robin Synthetic", "--dob", "14/03/1987", "--ro-name", "Sam Officer")
    ref = out.strip()
    sentenced = (date.today() - timedelta(days=14)).isoformat()
    for args in (("screening",), ("assessment",), ("cl-decision", "--approved"),
                 ("court-outcome", "--accepted", "--sessions", "1")):
        assert run("event", ref, *args, "--date", sentenced)[0] == 0
    db = connect(run.path)
    try:
        held = datetime.combine(date.today() - timedelta(days=2), datetime.min.time()).replace(hour=10)
        aid = ap.book_appointment(db, ref, held, place="Brook House", now=held - timedelta(days=7),
                                  checklist=checklist_of(db))
    finally:
        db.close()
    return ref, str(aid)


def _completions(run, ref: str) -> list[dict]:
    db = connect(run.path)
    try:
        return [e["data"] for e in events_of_case(db, get_case(db, ref)["case_id"]) if e["kind"] == "completion"]
    finally:
        db.close()


def _counts(run) -> dict[str, int]:
    db = connect(run.path)
    try:
        return snapshot_counts(db)
    finally:
        db.close()


def test_attend_complete_records_the_completions_details(run):
    ref, aid = _last_session(run)
    code, out, err = run("appointment", "attend", aid, "--outcome", "attended", "--complete",
                         "--accommodation-end", "supported", "--referred-housing", "--referred-money", "--json")
    assert code == 0, err
    assert json.loads(out)["completed"] is True
    assert _completions(run, ref) == [{"accommodation_end": "supported", "referred_housing": True,
                                       "referred_money": True}]


def test_completion_details_without_complete_or_refused_by_the_event_change_nothing(run):
    ref, aid = _last_session(run)
    before = _counts(run)
    code, out, err = run("appointment", "attend", aid, "--outcome", "attended", "--referred-none")
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert "--referred-none is a detail of the completion: add --complete" in err
    code, out, err = run("appointment", "attend", aid, "--outcome", "attended", "--complete",
                         "--referred-housing", "--referred-none")
    assert (code, out) == (2, "") and err.count("\n") == 1
    assert '"no referral or signposting" is ticked together with a service' in err
    assert _counts(run) == before  # the session was not kept either
