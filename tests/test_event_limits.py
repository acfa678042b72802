"""Dates and numbers as evidence: the order's legal length, the planned sessions, a session, booking or consent
after the order's end, a session beyond the planned count and three extras, and the reasons kept. Each refusal
is one line naming the rule, from the app and the command line alike, and nothing is written."""

from __future__ import annotations

import json
from datetime import date

import pytest

from records import casework, clients
from service.core import checklist_of
from tests.conftest import snapshot_counts
from vocabulary.identity import ValidationError

TODAY = date(2028, 6, 30)


def _record(db, ref, kind, when, **data):
    return casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db))


def _approved(db) -> str:
    ref = clients.add_client(db, {"name": "Pat Synthetic", "dob": "1988-04-02"}, TODAY)
    _record(db, ref, "assessment", "2027-01-04")
    _record(db, ref, "cl-decision", "2027-01-05", decision="approved")
    return ref


def _refused(db, message: str, call) -> None:
    before = snapshot_counts(db)
    with pytest.raises(ValidationError) as caught:
        call()
    assert str(caught.value) == message
    assert snapshot_counts(db) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"order": "SSO", "length_months": 30},
         "a Suspended Sentence Order's supervision period is at most 24 months, not 30"),
        ({"order": "CO", "length_months": 37}, "order length in months must be between 1 and 36, not 37"),
        ({"sessions": 53}, "planned sessions must be between 1 and 52, not 53"),
    ],
)
def test_an_order_beyond_the_legal_limits_is_refused(db, data, message):
    ref = _approved(db)
    _refused(db, message, lambda: _record(db, ref, "court-outcome", "2027-01-08", outcome="accepted", **data))


def test_the_longest_orders_the_law_allows_are_accepted(db):
    _record(db, _approved(db), "court-outcome", "2027-01-08", outcome="accepted", order="SSO", length_months=24)
    _record(db, _approved(db), "court-outcome", "2027-01-08", outcome="accepted", order="CO", length_months=36,
            sessions=52)


def _six_month_order(db, sessions: int = 12) -> str:
    ref = _approved(db)
    _record(db, ref, "consent", "2027-01-05")
    _record(db, ref, "court-outcome", "2027-01-08", outcome="accepted", length_months=6, sessions=sessions)
    return ref  # runs to Wednesday 7 July 2027


def test_a_session_or_consent_after_the_order_has_ended_is_refused(db):
    ref = _six_month_order(db)
    _record(db, ref, "session", "2027-07-07", outcome="attended")  # the last day of the order
    _refused(db, "Treatment session on 08/07/2027 is after the order ended on 07/07/2027; sessions are held within "
                 "the order (an extra session after completion excepted)",
             lambda: _record(db, ref, "session", "2027-07-08", outcome="attended"))
    _refused(db, "Consent given on 08/07/2027 is after the order ended on 07/07/2027; consent is renewed while the "
                 "order runs",
             lambda: _record(db, ref, "consent", "2027-07-08"))
    _record(db, ref, "completion", "2027-07-07")
    _record(db, ref, "session", "2027-08-02", outcome="attended", extra=True)  # an extra session stays allowed
    _record(db, ref, "follow-up", "2027-10-07", months=3)  # follow-ups count from completion


def test_a_session_beyond_the_planned_count_and_three_extras_is_refused(db):
    ref = _six_month_order(db, sessions=2)
    for day in ("2027-01-11", "2027-01-18"):
        _record(db, ref, "session", day, outcome="attended")
    _record(db, ref, "completion", "2027-01-19")
    for day in ("2027-01-25", "2027-02-01", "2027-02-08"):
        _record(db, ref, "session", day, outcome="attended", extra=True)
    _refused(db, "session 6 would be more than the 2 planned and 3 extra sessions",
             lambda: _record(db, ref, "session", "2027-02-15", outcome="attended", extra=True))


def test_reasons_for_withdrawal_breach_and_declines_are_kept_and_shown(run):
    run("init")
    run("client", "add", "--name", "Pat Synthetic", "--dob", "02/04/1988")
    for args in (("assessment", "--date", "2026-11-02"), ("consent", "--date", "2026-11-02"),
                 ("cl-decision", "--approved", "--date", "2026-11-02"),
                 ("court-outcome", "--accepted", "--date", "2026-11-02"),
                 ("breach", "--reason", "Failed to attend three times", "--not-mhtr-related", "--date", "2026-11-10"),
                 ("withdrawal", "--reason", "Moved out of the area", "--date", "2026-11-12")):
        code, _, err = run("event", "MHTR-0001", *args)
        assert code == 0, err
    _, out, _ = run("client", "show", "MHTR-0001", "--json")
    events = {e["kind"]: e for e in json.loads(out)["events"]}
    assert events["withdrawal"]["data"]["reason"] == "Moved out of the area"
    assert events["withdrawal"]["summary"] == "Moved out of the area"
    assert events["breach"]["summary"].startswith("Failed to attend three times")


async def test_the_event_form_refuses_each_rule_in_one_line_and_writes_nothing(tmp_path):
    """The same rules from the app: an order longer than the law allows, an RO decision with no second absence
    before it, a session after the order ended, a session beyond the planned count and three extras. The form
    stays open with the one line under it, and nothing is written."""
    from textual.widgets import Input, Static

    from db.connection import connect
    from tests.conftest import made
    from tui.app import MhtrApp
    from tui.forms import EventScreen

    path = made(tmp_path / "form.db")
    db = connect(path)
    long_order = _approved(db)
    one_planned = _six_month_order(db, sessions=1)
    for day in ("2027-01-11", "2027-01-18", "2027-01-25", "2027-02-01"):
        _record(db, one_planned, "session", day, outcome="attended")
    extras_used = _six_month_order(db, sessions=1)
    _record(db, extras_used, "session", "2027-01-11", outcome="attended")
    _record(db, extras_used, "completion", "2027-01-12")
    for day in ("2027-01-18", "2027-01-25", "2027-02-01"):
        _record(db, extras_used, "session", day, outcome="attended", extra=True)
    in_order = _six_month_order(db)
    _record(db, in_order, "session", "2027-01-11", outcome="unacceptable-absence")  # the first: a warning
    db.close()

    cases = [
        (long_order, "court-outcome", "08/01/2027",
         {"e-outcome": "accepted", "e-order": "SSO", "e-length_months": "30"},
         "a Suspended Sentence Order's supervision period is at most 24 months, not 30"),
        (in_order, "ro-decision", "12/01/2027", {"e-decision": "no-breach"},
         "an RO breach decision follows a second unacceptable absence (within 12 months of the first), and none is "
         "waiting for a decision"),
        (in_order, "session", "08/07/2027", {"e-outcome": "attended"},
         "Treatment session on 08/07/2027 is after the order ended on 07/07/2027; sessions are held within the order "
         "(an extra session after completion excepted)"),
        (one_planned, "session", "08/02/2027", {"e-outcome": "attended"},
         "session 5 would be more than the 1 planned and 3 extra sessions"),
        (extras_used, "session", "08/02/2027", {"e-outcome": "attended", "e-extra": True},
         "the 3 extra sessions after completion are all recorded"),
    ]
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for ref, kind, when, values, message in cases:
            db = connect(path)
            before = snapshot_counts(db)
            db.close()
            form = EventScreen(ref, kind=kind)
            app.push_screen(form)
            await pilot.pause()
            form.query_one("#e-date", Input).value = when
            for widget_id, value in values.items():
                form.query_one(f"#{widget_id}").value = value
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.screen is form, kind
            assert str(form.query_one("#form-error", Static).render()) == message
            db = connect(path)
            assert snapshot_counts(db) == before, kind
            db.close()
            form.dismiss(None)
            await pilot.pause()
