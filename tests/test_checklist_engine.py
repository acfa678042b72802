"""Recording each kind of event creates exactly its stage's checklist items, due on the right day.

Expected keys and dates are written out by hand from seed 004's "Administration" checklist and the
guidance deadlines in DESIGN.md, not computed by the engine under test.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

import pytest

from checklists.model import DEFAULT_FILE
from db.tasks import tasks_due
from records import casework, clients, task_actions
from service.core import checklist_of

# The checklist section of seed 004 (from "Offender at court:" up to Appendix 1), kept beside the tests so they
# run from a clone on its own; test_the_kept_excerpt_is_the_seed_text checks it against the seed where present.
ADMIN_EXCERPT = Path(__file__).resolve().parent / "data" / "seed004_administration.txt"
SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "004_a8b95c62089d83d8.txt"
TODAY = date(2027, 3, 31)

# Seed 004's checklist, stage by stage, each line -> the item key that carries it.
SEED_ITEMS = {
    "Offender at court": {
        "Liaise with Probation Officers": "court.liaise",
        "offer joint assessment with L&D": "court.joint-assessment",
        "complete consent form and assessment": "court.consent-assessment",
        "Complete CORE34/K10": "court.questionnaires",
        "capture details of those not eligible": "court.not-eligible-log",
    },
    "Following an assessment": {
        "Score the CORE34/K10": "assessment.score",
        "Discuss the result with the Clinical Lead": "assessment.discuss-cl",
        "Health System entry": "assessment.health-entry",
        "Complete court report": "assessment.court-report",
        "Send court report to National Probation Service": "assessment.send-report",
        "Send/save assessment, consent form": "assessment.send-documents",
        "Follow up any referrals": "assessment.referrals",
        "Complete data capture in spreadsheets": "assessment.data-capture",
        "capture details of those not eligible": "assessment.not-eligible-log",
    },
    "Following court outcome": {
        "Produce letter to GP": "outcome.gp-letter",
        "Health System entry": "outcome.health-entry",
        "Update appropriate care teams and probation": "outcome.update-teams",
        "Find out risk status score": "outcome.risk-status",
        "Complete data capture in spreadsheets": "outcome.data-capture",
    },
    "Following a treatment session": {
        "Save/send any documents": "session.save-documents",
        "Health System entry (risk, summary, plan)": "session.health-entry",
        "Complete data capture in spreadsheets": "session.data-capture",
        "Share information as appropriate with probation": "session.share-probation",
        "Update caseload spreadsheet for final session": "session.final-caseload",
    },
    "Weekly": {"Manage appointments diary": "weekly.diary"},
    "Monthly": {"Send collated data": "monthly.data-return"},
}
STAGE_IDS = {
    "Offender at court": "at-court",
    "Following an assessment": "after-assessment",
    "Following court outcome": "after-court-outcome",
    "Following a treatment session": "after-session",
    "Weekly": "weekly",
    "Monthly": "monthly",
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_every_seed_checklist_line_is_an_item_of_its_stage():
    admin = _norm(ADMIN_EXCERPT.read_text(encoding="utf-8"))
    items = {i["key"]: s["id"] for s in tomllib.loads(DEFAULT_FILE.read_text())["stage"] for i in s["item"]}
    for stage, lines in SEED_ITEMS.items():
        for phrase, key in lines.items():
            assert _norm(phrase) in admin, f"seed line {phrase!r} not found: the test's table is wrong"
            assert items.get(key) == STAGE_IDS[stage], f"{phrase!r} should be item {key} in stage {stage}"
    # 5 + 9 + 5 + 5 + 1 + 1 checklist boxes in the seed: every one is represented.
    assert sum(len(v) for v in SEED_ITEMS.values()) == admin.count("□")


@pytest.mark.skipif(not SEED.exists(), reason="the seed documents sit beside the repository only in the workspace")
def test_the_kept_excerpt_is_the_seed_text():
    seed = SEED.read_text(encoding="utf-8")
    excerpt = seed[seed.index("Offender at court:") : seed.index("Appendix 1: Example of MHTR")]
    assert ADMIN_EXCERPT.read_text(encoding="utf-8") == excerpt


def _open_keys(db, ref: str) -> dict[str, str]:
    case = clients.require_case(db, ref)
    return {t["key"]: t["due"] for t in tasks_due(db, until=None, case_id=case["case_id"], include_closed=True)}


def _new_case(db) -> str:
    return clients.add_client(db, {"name": "Pat Synthetic", "dob": "1988-04-02"}, TODAY)


def _created(db, ref, kind, when, **data) -> dict[str, str]:
    result = casework.record_event(db, ref, kind, when, data, TODAY, checklist=checklist_of(db))
    return {s.key: s.due.isoformat() for s in result.created}


def test_screening_starts_the_at_court_stage(db):
    ref = _new_case(db)
    assert _created(db, ref, "screening", "2026-11-02") == {
        "court.liaise": "2026-11-02",
        "court.joint-assessment": "2026-11-02",
        "court.consent-assessment": "2026-11-02",
        "court.questionnaires": "2026-11-02",
    }


def test_not_eligible_at_court_logs_and_cancels_assessment_work(db):
    ref = _new_case(db)
    _created(db, ref, "screening", "2026-11-07")  # a Saturday court
    made = _created(db, ref, "not-eligible", "2026-11-07", reason="No need meeting the threshold")
    assert made == {"court.not-eligible-log": "2026-11-09"}  # same working day -> Monday
    tasks = {t["key"]: t for t in tasks_due(db, until=None, case_id=1, include_closed=True)}
    assert tasks["court.consent-assessment"]["status"] == "skipped"
    assert tasks["court.questionnaires"]["status"] == "skipped"
    # no assessment to offer someone found not eligible: it stayed open, holding the closed case in Today for good
    assert tasks["court.joint-assessment"]["status"] == "skipped"
    assert tasks["court.liaise"]["status"] == "open"


def test_assessment_then_decisions_across_christmas_2026(db):
    ref = _new_case(db)
    # Assessment on Thursday 24 December 2026: Fri 25 and Mon 28 (Boxing Day substitute) are bank holidays.
    made = _created(db, ref, "assessment", "2026-12-24")
    assert made == {
        "assessment.score": "2026-12-24",
        "assessment.discuss-cl": "2026-12-29",
        "assessment.health-entry": "2026-12-29",
        "assessment.court-report": "2026-12-29",
        "assessment.send-report": "2026-12-29",
        "assessment.send-documents": "2026-12-29",
        "assessment.referrals": "2027-01-05",  # 29, 30, 31, (1 Jan holiday), 4, 5
        "assessment.data-capture": "2027-01-05",
    }
    assert _created(db, ref, "consent", "2026-12-24") == {"consent.renewal": "2027-12-24"}
    assert _created(db, ref, "cl-decision", "2026-12-29", decision="approved") == {}
    assert _open_keys(db, ref)["assessment.discuss-cl"] == "2026-12-29"
    assert _created(db, ref, "court-report-sent", "2026-12-30") == {}
    made = _created(db, ref, "court-outcome", "2026-12-31", outcome="accepted",
                    order="CO", sessions=10)
    assert made == {
        "outcome.gp-letter": "2027-01-05",  # Thu 31 Dec + 2 working days: (1 Jan holiday) Mon 4, Tue 5
        "outcome.health-entry": "2027-01-04",
        "outcome.update-teams": "2027-01-04",
        "outcome.risk-status": "2027-01-08",
        "outcome.data-capture": "2027-01-08",
        "outcome.ro-allocated": "2026-12-31",  # 48 hours: Sat 2 Jan, back to Thu 31 Dec (1 Jan a holiday)
        "outcome.case-meeting": "2027-01-14",  # 14 days
        "outcome.first-session": "2027-02-11",  # 6 weeks
    }


def test_a_friday_sentence_has_no_task_due_on_a_weekend_or_bank_holiday(db):
    """Every calendar-day deadline that lands on a weekend or bank holiday is due on the last working day
    before it; the title keeps the guidance's wording ("within 48 hours")."""
    from checklists.workdays import is_working_day

    ref = _new_case(db)
    # Consent on Friday 8 January 2027: 12 months on is Saturday 8 January 2028 -> Friday 7 January.
    assert _created(db, ref, "assessment", "2027-01-08")
    assert _created(db, ref, "consent", "2027-01-08") == {"consent.renewal": "2028-01-07"}
    _created(db, ref, "cl-decision", "2027-01-11", decision="approved")
    # Friday 15 January 2027: +2 days is Sunday 17 -> the Friday itself; +14 days and +6 weeks are Fridays.
    made = _created(db, ref, "court-outcome", "2027-01-15", outcome="accepted", sessions=2)
    assert made["outcome.ro-allocated"] == "2027-01-15"
    assert made["outcome.case-meeting"] == "2027-01-29"
    assert made["outcome.first-session"] == "2027-02-26"
    _created(db, ref, "session", "2027-02-19", outcome="attended")
    _created(db, ref, "session", "2027-03-01", outcome="attended")
    # Completion on Friday 5 March 2027: 3, 6 and 12 months on are Saturday 5 June, Sunday 5 September and
    # Sunday 5 March 2028, each due on the Friday before.
    made = _created(db, ref, "completion", "2027-03-05")
    assert made["completion.follow-up-3"] == "2027-06-04"
    assert made["completion.follow-up-6"] == "2027-09-03"
    assert made["completion.follow-up-12"] == "2028-03-03"
    tasks = tasks_due(db, until=None, case_id=clients.require_case(db, ref)["case_id"], include_closed=True)
    assert all(is_working_day(date.fromisoformat(t["due"])) for t in tasks), [t["due"] for t in tasks]
    titles = {t["key"]: t["title"] for t in tasks}
    assert "within 48 hours" in titles["outcome.ro-allocated"]


def test_calendar_deadlines_move_back_across_christmas():
    """The pure rule: +N days/weeks/months landing on Christmas Day or a weekend falls on the working day before;
    working-day and same-day rules are unchanged."""
    from checklists.rules import parse_rule

    assert parse_rule("+2 days").due_after(date(2026, 12, 23)) == date(2026, 12, 24)  # Fri 25 -> Thu 24
    assert parse_rule("+1 week").due_after(date(2026, 12, 21)) == date(2026, 12, 24)  # Mon 28 (holiday) -> Thu 24
    assert parse_rule("+12 months").due_after(date(2026, 12, 26)) == date(2027, 12, 24)  # Sun 26 Dec 2027 -> Fri
    assert parse_rule("+1 day").due_after(date(2026, 12, 2)) == date(2026, 12, 3)  # a working day stays
    assert parse_rule("+2 working days").due_after(date(2026, 12, 24)) == date(2026, 12, 30)
    assert parse_rule("same day").due_after(date(2026, 12, 26)) == date(2026, 12, 26)


def _sentenced(db, when="2027-01-11") -> str:
    ref = _new_case(db)
    sentence = date.fromisoformat(when)
    _created(db, ref, "assessment", date.fromordinal(sentence.toordinal() - 7))
    _created(db, ref, "cl-decision", date.fromordinal(sentence.toordinal() - 6), decision="approved")
    _created(db, ref, "court-outcome", sentence, outcome="accepted", sessions=3)
    return ref


def test_court_declined_gets_gp_letter_but_no_treatment_items(db):
    ref = _new_case(db)
    _created(db, ref, "assessment", "2027-01-04")
    made = _created(db, ref, "court-outcome", "2027-01-08", outcome="declined", reason="Custodial sentence")
    assert set(made) == {"outcome.gp-letter", "outcome.health-entry", "outcome.update-teams", "outcome.data-capture"}


def test_cl_declined_cancels_the_court_report(db):
    ref = _new_case(db)
    _created(db, ref, "assessment", "2027-01-04")
    # the decline's own admin (the issue "Every path of a case": seed 004's GP letter "for both accepted and
    # declined", the decision and reasons to probation for the PSR)
    assert _created(db, ref, "cl-decision", "2027-01-05", decision="declined", reason="Needs secondary care") == {
        "cl-declined.probation-update": "2027-01-06",
        "cl-declined.gp-letter": "2027-01-07",
        "cl-declined.health-entry": "2027-01-06",
        "cl-declined.data-capture": "2027-01-12",
    }
    tasks = {t["key"]: t["status"] for t in tasks_due(db, until=None, case_id=1, include_closed=True)}
    assert tasks["assessment.court-report"] == "skipped"
    assert tasks["assessment.send-report"] == "skipped"
    assert tasks["assessment.discuss-cl"] == "done"


def test_sessions_absences_breach_deadline_and_final(db):
    ref = _sentenced(db)
    assert _created(db, ref, "case-meeting", "2027-01-18") == {}
    made = _created(db, ref, "session", "2027-01-25", outcome="attended")
    assert made == {
        "session.save-documents": "2027-01-26",
        "session.health-entry": "2027-01-25",
        "session.data-capture": "2027-02-01",
        "session.share-probation": "2027-01-26",
    }
    tasks = {t["key"]: t["status"] for t in tasks_due(db, until=None, case_id=1, include_closed=True)}
    assert tasks["outcome.first-session"] == "done"
    assert tasks["outcome.case-meeting"] == "done"
    made = _created(db, ref, "session", "2027-02-01", outcome="unacceptable-absence")
    assert made == {
        "session.data-capture": "2027-02-08",
        "session.share-probation": "2027-02-02",
        "session.inform-ro-absence": "2027-02-01",
        "missed.rearrange": "2027-02-01",  # seed 004: contact the person to rearrange
    }
    # Second unacceptable absence on Thursday 25 March 2027: Good Friday (26 March) and Easter Monday
    # (29 March) are bank holidays, so working days after it run 30, 31 Mar, 1, 2, 5, 6 Apr.
    made = _created(db, ref, "session", "2027-03-25", outcome="unacceptable-absence")
    assert made["session.breach-record"] == "2027-03-30"
    assert made["session.breach-decision"] == "2027-04-06"
    _created(db, ref, "session", "2027-03-30", outcome="attended")
    made = _created(db, ref, "session", "2027-03-31", outcome="attended")
    assert "session.final-caseload" in made and "session.completion" in made  # 3 of 3 planned reached


def test_completion_and_follow_ups(db):
    ref = _sentenced(db, "2026-06-01")
    made = _created(db, ref, "completion", "2026-09-30")
    assert made == {
        "completion.gp-letter": "2026-10-07",
        "completion.follow-up-3": "2026-12-30",
        "completion.follow-up-6": "2027-03-30",
        "completion.follow-up-12": "2027-09-30",
    }


def test_withdrawal_and_breach_stages(db):
    ref = _sentenced(db)
    assert _created(db, ref, "breach", "2027-02-01", reason="Failed to attend") == {"breach.record": "2027-02-08"}
    assert _created(db, ref, "withdrawal", "2027-02-02") == {
        "withdrawal.inform-ro": "2027-02-02",
        "withdrawal.gp-letter": "2027-02-09",
    }
    tasks = {t["key"]: t["status"] for t in tasks_due(db, until=None, case_id=1, include_closed=True)}
    assert tasks["outcome.first-session"] == "skipped"


def test_events_that_start_no_stage_create_no_items(db):
    """Walk a whole case: an event kind that no stage of the checklist file names (a Clinical Lead approval, the
    court report sent, an adjournment, the case meeting, a consent renewal when it has none, a follow-up done)
    creates no task at all; the deadlines they meet are items of the stages that named them."""
    from checklists.model import load
    from vocabulary.event_kinds import EVENT_KINDS

    started = {kind for stage in load(DEFAULT_FILE).stages for kind in stage.on}
    quiet = (set(EVENT_KINDS) - started) | {"cl-decision"}  # an approval starts nothing (a decline does)
    assert {"cl-decision", "court-report-sent", "adjournment", "case-meeting", "follow-up"} <= quiet
    ref = _new_case(db)
    walk = [
        ("screening", "2026-06-01", {}),
        ("assessment", "2026-06-02", {}),
        ("cl-decision", "2026-06-03", {"decision": "approved"}),
        ("court-report-sent", "2026-06-04", {}),
        ("adjournment", "2026-06-05", {"reason": "Awaiting a pre-sentence report"}),
        ("court-outcome", "2026-06-12", {"outcome": "accepted", "sessions": 2}),
        ("case-meeting", "2026-06-19", {}),
        ("session", "2026-06-26", {"outcome": "attended"}),
        ("session", "2026-07-03", {"outcome": "attended"}),
        ("completion", "2026-07-10", {}),
        ("follow-up", "2026-10-09", {"months": 3}),
    ]
    seen = set()
    for kind, when, data in walk:
        made = _created(db, ref, kind, when, **data)
        if kind in quiet:
            seen.add(kind)
            assert made == {}, f"{kind} created {made}"
        else:
            assert made, f"{kind} starts a stage but created nothing"
    assert seen == {"cl-decision", "court-report-sent", "adjournment", "case-meeting", "follow-up"}


def test_every_event_triggered_item_is_reachable():
    """Each non-recurring item names events that exist and conditions the engine knows (load refuses otherwise)."""
    from checklists.model import load

    checklist = load(DEFAULT_FILE)
    assert {s.id for s in checklist.stages} >= set(STAGE_IDS.values())
    for item in checklist.items:
        assert item.title and item.due


@pytest.mark.parametrize(
    ("since", "today", "expected"),
    [
        # Weekly diary due each Friday; Good Friday 2027 (26 March) moves it to Thursday.
        ("2027-03-22", "2027-03-22", {("weekly.diary", "2027-03-25"), ("weekly.diary", "2027-04-02"),
                                      ("monthly.data-return", "2027-04-14")}),
    ],
)
def test_recurring_practitioner_tasks_once_per_period(db, since, today, expected):
    from db.records import set_setting

    set_setting(db, task_actions.RECURRING_SINCE, since)
    d = date.fromisoformat(today)
    task_actions.ensure_recurring(db, d, checklist=checklist_of(db))
    task_actions.ensure_recurring(db, d, checklist=checklist_of(db))  # a second start the same day adds nothing
    rows = {(t["key"], t["due"]) for t in tasks_due(db, until=None)}
    assert rows == expected
