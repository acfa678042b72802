"""What the return counts and the record had no place for: what the sentence would otherwise have been, sentencer
feedback forms, the accommodation at the end, the referrals at completion and the support recommended at
assessment. Each is entered in the app's event form and on the command line (both drawn from the event-kind
registry), refused once with one line when it is wrong, and asked for by the completeness list when missing.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from textual.widgets import Checkbox, Input, Select

from db.connection import connect
from exports.monthly import month_gaps
from records import casework, clients
from service.core import checklist_of
from tests.conftest import TODAY, snapshot_counts
from tests.exports_support import MONTH, build_caseload
from tests.exports_support import TODAY as RETURN_DAY
from tui.app import MhtrApp
from tui.forms import EventScreen


def _record(db, ref: str, events, today: date) -> None:
    for kind, day, data in events:
        casework.record_event(db, ref, kind, day, data, today, checklist=checklist_of(db))


def _stored(path) -> dict[str, list[dict]]:
    db = connect(path)
    rows: dict[str, list[dict]] = {}
    for r in db.query("SELECT kind, data FROM events ORDER BY id"):
        rows.setdefault(r["kind"], []).append(json.loads(r["data"]))
    db.close()
    return rows


def test_the_command_line_records_every_new_detail(run):
    db = connect(run.path)
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, date.today())
    db.close()
    day = date.today() - timedelta(days=30)

    def event(kind: str, *options: str, on: date) -> None:
        code, _, err = run("event", ref, kind, "--date", on.isoformat(), *options)
        assert code == 0, err

    event("assessment", "--recommended-therapy", "--recommended-housing", on=day)
    event("cl-decision", "--approved", on=day + timedelta(days=1))
    event("court-outcome", "--accepted", "--sentence-otherwise", "custody", on=day + timedelta(days=2))
    event("sentencer-feedback", "--sent", on=day + timedelta(days=3))
    event("sentencer-feedback", "--returned", on=day + timedelta(days=10))
    event("completion", "--accommodation-end", "supported", "--referred-work", "--referred-money", on=date.today())
    rows = _stored(run.path)
    assert rows["assessment"] == [{"recommended_therapy": True, "recommended_housing": True}]
    assert rows["court-outcome"][0]["sentence_otherwise"] == "custody"
    assert rows["sentencer-feedback"] == [{"form": "sent"}, {"form": "returned"}]
    assert rows["completion"] == [{"accommodation_end": "supported", "referred_work": True, "referred_money": True}]
    code, out, _ = run("client", "show", ref, "--json")  # the timeline says what was recorded
    summaries = {e["kind"]: e["summary"] for e in json.loads(out)["events"]}
    assert summaries["assessment"] == (
        "recommended: talking therapy or counselling / housing or homelessness support"
    )
    assert summaries["court-outcome"] == "MHTR made: Community Order, 12 sessions, otherwise: custody"
    assert summaries["sentencer-feedback"] == "form returned by the sentencer"
    assert summaries["completion"] == (
        "accommodation: supported housing; referred: employment, education or training / benefits, debt or money advice"
    )


def test_wrong_details_are_refused_with_one_line_and_nothing_is_written(run, capsys):
    db = connect(run.path)
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, date.today())
    day = date.today() - timedelta(days=30)
    _record(
        db,
        ref,
        [
            ("assessment", day, {}),
            ("cl-decision", day + timedelta(days=1), {"decision": "approved"}),
            ("court-outcome", day + timedelta(days=2), {"outcome": "accepted"}),
        ],
        date.today(),
    )
    before = snapshot_counts(db)
    db.close()
    refusals = {
        ("completion", "--referred-none", "--referred-housing"): (
            "completion: \"no referral or signposting\" is ticked together with a service; untick one"
        ),
        ("sentencer-feedback", "--returned"): "a sentencer feedback form returned needs the form sent first",
        ("completion", "--accommodation-end", "castle"): "argument --accommodation-end: invalid choice: 'castle'",
        ("court-outcome", "--accepted", "--sentence-otherwise", "probation"): "invalid choice: 'probation'",
    }
    for args, message in refusals.items():
        try:
            code, out, err = run("event", ref, *args)
        except SystemExit as exc:  # a value not among an option's choices: refused as the options are read
            code, (out, err) = exc.code, capsys.readouterr()
        assert code != 0 and out == "", args
        assert len(err.strip().splitlines()) == 1 and message in err, (args, err)
    db = connect(run.path)
    assert snapshot_counts(db) == before
    db.close()


def test_a_form_is_sent_once_and_returned_once_after_the_court(db):
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, TODAY)
    from vocabulary.identity import ValidationError

    def refused(kind, day, data, message):
        try:
            _record(db, ref, [(kind, day, data)], TODAY)
        except ValidationError as exc:
            assert message in str(exc), str(exc)
        else:
            raise AssertionError(f"{kind} {data} was accepted")

    refused("assessment", "2026-10-01", {"recommended_none": True, "recommended_other": True}, "untick one")
    _record(db, ref, [("assessment", "2026-10-01", {})], TODAY)
    refused("sentencer-feedback", "2026-10-02", {"form": "sent"}, "needs the court outcome first")
    _record(
        db,
        ref,
        [
            ("cl-decision", "2026-10-02", {"decision": "approved"}),
            ("court-outcome", "2026-10-09", {"outcome": "declined", "reason": "custody"}),
            ("sentencer-feedback", "2026-10-12", {"form": "sent"}),  # the case has closed: a form still goes
        ],
        TODAY,
    )
    refused("sentencer-feedback", "2026-10-13", {"form": "sent"}, "already sent on 12/10/2026")
    refused("sentencer-feedback", "2026-10-11", {"form": "returned"}, "is before it was sent on 12/10/2026")
    _record(db, ref, [("sentencer-feedback", "2026-10-20", {"form": "returned"})], TODAY)
    refused("sentencer-feedback", "2026-10-21", {"form": "returned"}, "already returned on 20/10/2026")


async def test_the_app_records_the_new_details_on_the_event_form(tmp_path):
    path = tmp_path / "c.db"
    db = connect(path, create=True)
    ref = clients.add_client(db, {"name": "Kim Synthetic", "dob": "01/01/1990"}, TODAY)
    _record(
        db,
        ref,
        [("assessment", "2026-09-01", {}), ("cl-decision", "2026-09-02", {"decision": "approved"})],
        TODAY,
    )
    db.close()
    app = MhtrApp(db_path=path, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        async def save(kind: str, day: str, fill) -> None:
            form = EventScreen(ref, kind=kind)
            app.push_screen(form)
            await pilot.pause()
            form.query_one("#e-date", Input).value = day
            fill(form)
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert not isinstance(app.screen, EventScreen), kind

        def court(form):
            form.query_one("#e-outcome", Select).value = "accepted"
            form.query_one("#e-sentence_otherwise", Select).value = "suspended"

        def feedback(form):
            form.query_one("#e-form", Select).value = "sent"

        def completion(form):
            form.query_one("#e-accommodation_end", Select).value = "homeless"
            form.query_one("#e-referred_housing", Checkbox).value = True

        await save("court-outcome", "09/09/2026", court)
        await save("sentencer-feedback", "10/09/2026", feedback)
        await save("completion", "10/11/2026", completion)
    rows = _stored(path)
    assert rows["court-outcome"][0]["sentence_otherwise"] == "suspended"
    assert rows["sentencer-feedback"] == [{"form": "sent"}]
    assert rows["completion"] == [{"accommodation_end": "homeless", "referred_housing": True}]


def test_the_completeness_list_asks_for_the_new_details(db):
    refs = build_caseload(db)
    found = {(g.ref, g.what) for g in month_gaps(db, MONTH, RETURN_DAY)}
    c, e, f, g, h, k, ell = (refs[i] for i in (2, 4, 5, 6, 7, 10, 11))
    assert (g, "sentenced 20/10/2026: not recorded what the sentence would otherwise have been") in found
    assert (ell, "assessed 12/10/2026: support recommended not recorded") in found
    assert (c, "assessed 10/09/2026: support recommended not recorded") in found
    assert (h, "completed 10/12/2025, not recorded: accommodation at the end, referrals or signposting") in found
    # recorded in full, or recorded as none (G's support, E's referrals): not asked; assessed in the rolling year
    # without the support recorded: C, E, F, K, L
    new = ("otherwise", "support recommended", "not recorded: accommodation", "referrals or signposting")
    asked = {ref for ref, what in found if any(words in what for words in new)}
    assert asked == {c, e, f, g, h, k, ell}
    assert [what for ref, what in found if ref == g and "support" in what] == []
