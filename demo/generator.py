"""A synthetic caseload for trying the app: realistic people who do not exist (``demo.people``), with cases at
every stage (``demo.histories``), filled into the database with their appointments, questionnaires and assessments.

The demo lives in a database file of its own (``db.paths.demo_path``) so it never mixes with real records.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

from checklists.model import Checklist
from db import appointments as appdb
from db import records as rec
from db import tasks as taskdb
from db.database import Database
from db.transaction import transaction
from demo.histories import STAGE_CYCLE, case_plan, next_working
from demo.people import client_fields, equality_fields, synthetic_nhs_numbers
from records import casework, task_actions
from records.clients import SYNTHETIC, add_client, require_case
from vocabulary.identity import ValidationError

DEMO_SETTINGS = {
    "service_name": "Primary Care MHTR Service (demo)",
    "service_address": "Demo House, 1 Example Street, Peterborough PE1 1AA",
    "service_phone": "01733 000000",
    "service_email": "mhtr.demo@example.nhs.uk",
    "practitioner": "Jamie Rowe, Assistant Psychologist",
    "clinical_lead": "Dr Morgan Hale, Clinical Psychologist",
    "nps_contact": "Court Team, National Probation Service, Peterborough",
}



PLACES = ("Brook House", "Parkway Surgery", "Fenland Hub")
HOURS = tuple(range(9, 17))


class _Diary:
    """Appointments for the demo: every past session was booked and then recorded through the sessions domain,
    and each case still in its order has the next few booked, at a weekly slot of its own that clashes with no
    other case. A random stream of its own, so the people and histories stay what the seed always gave.
    """

    def __init__(self, seed: int, today: date, now: datetime, checklist: Checklist, taken: list[dict]) -> None:
        self.rng = random.Random(seed * 1_000_003 + 11)
        self.today = today
        self.now = now
        self.checklist = checklist
        # The hours the diary already holds (``taken``: its appointments, when the demo is added to an earlier one).
        self.used: set[tuple[date, int]] = {
            (date.fromisoformat(a["starts_at"][:10]), int(a["starts_at"][11:13])) for a in taken
        }
        self.awaiting_shown = False

    def how(self) -> dict:
        mode = self.rng.choice(("in person", "in person", "in person", "phone", "video"))
        return {"mode": mode, "place": self.rng.choice(PLACES) if mode == "in person" else None}

    def _free_hour(self, day: date, hour: int) -> int | None:
        for h in HOURS[HOURS.index(hour) :] + HOURS[: HOURS.index(hour)]:
            if (day, h) not in self.used:
                self.used.add((day, h))
                return h
        return None

    def session(self, db: Database, ref: str, day: date, data: dict, hour: int, how: dict) -> None:
        """Book the session a week ahead of ``day`` (as a practitioner would have), then record its outcome if
        it has started by ``now``: one later today stays booked, as it would in a real diary at that hour."""
        from records.appointments import book_appointment
        from records.sessions import log_session

        h = self._free_hour(day, hour)
        if h is None:  # a full day in the demo diary: record the session without an appointment
            casework.record_event(db, ref, "session", day, data, self.today, checklist=self.checklist)
            return
        start = datetime.combine(day, time(h, 0))
        aid = book_appointment(db, ref, start, now=start - timedelta(days=7), checklist=self.checklist, **how)
        if start <= self.now:
            log_session(
                db,
                None,
                None,
                data["outcome"],
                appointment_id=aid,
                today=self.today,
                now=self.now,
                checklist=self.checklist,
            )

    def ahead(self, db: Database, ref: str, plan: list, hour: int, how: dict) -> None:
        """For a case still in its order: one appointment left to record if the last was missed, and the next
        few booked weekly or fortnightly from the next slot after today.
        """
        from records.appointments import book_appointment, book_series, check_duration, first_free_series, plan_series

        state = casework.case_state(db, require_case(db, ref)["case_id"])
        if not state.in_order:
            return
        sessions = [d for k, d, _ in plan if k == "session"]
        interval = (sessions[-1] - sessions[-2]).days if len(sessions) > 1 else 7
        every = "fortnight" if interval >= 14 else "week"
        step = 14 if every == "fortnight" else 7
        if sessions:
            day = sessions[-1]
        elif state.sentence_date is not None:
            day = next_working(state.sentence_date + timedelta(days=14))
        else:  # in its order, so sentenced: nothing to book otherwise
            return
        while day <= self.today:
            day += timedelta(days=step)
        day = next_working(day)
        if sessions and not self.awaiting_shown:
            # The last working day before today, booked and not yet recorded: the Diary's "to record".
            missed = _working_before(self.today)
            h = self._free_hour(missed, hour)
            within = state.order_end is None or missed <= state.order_end
            if missed > sessions[-1] and within and h is not None:
                start = datetime.combine(missed, time(h, 0))
                book_appointment(db, ref, start, now=start - timedelta(days=7), checklist=self.checklist, **how)
                self.awaiting_shown = True
        remaining = max(1, (state.planned_sessions or 12) - state.sessions_attended)
        count = min(remaining, self.rng.choice((3, 4, 6)))
        if state.order_end is not None:  # booked within the order, with a slot to spare for a skipped bank holiday
            count = min(count, (state.order_end - day).days // step)
            if count < 1:
                return
        now = datetime.combine(self.today, time(0, 0))
        # At the first hour of the day, from the case's own, whose series overlaps nothing in the diary (none free:
        # none booked); the diary is read once for all of them, and the series booked as the app books one.
        firsts = [datetime.combine(day, time(h, 0)) for h in HOURS[HOURS.index(hour) :] + HOURS[: HOURS.index(hour)]]
        free = first_free_series(db, [plan_series(f, count, every).starts for f in firsts], check_duration(None))
        if free is not None:
            book_series(db, ref, firsts[free], count, every=every, now=now, checklist=self.checklist, **how)


def _working_before(d: date) -> date:
    d -= timedelta(days=1)
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d


CORE_REVERSED = (3, 4, 7, 12, 19, 21, 31, 32)


def _questionnaires(
    db: Database, rng: random.Random, ref: str, plan: list[tuple[str, date, dict]], today: date, checklist: Checklist
) -> None:
    from records.questionnaire_records import add_questionnaire

    def add(instrument: str, items: list[int], day: date, timepoint: str) -> None:
        """A form stored the day it was completed (its risk tasks dated then, as at the time)."""
        add_questionnaire(db, ref, instrument, items, day, timepoint, day, checklist=checklist)

    kinds = [k for k, _, _ in plan]
    if "assessment" not in kinds:
        return
    a = next(d for k, d, _ in plan if k == "assessment")
    severity = rng.choice((1, 2, 2, 3))

    def form(n: int, hi: int, level: int) -> list[int]:
        return [max(0, min(hi, level + rng.choice((-1, 0, 0, 1)))) for _ in range(n)]

    def core_om(level: int, self_harm: int) -> list[int]:
        """Raw CORE-OM responses: positively worded items ticked the other way round; the risk items
        (6, 9, 16, 22, 24, 34) not endorsed, except item 9 when PHQ-9 item 9 was."""
        raw = [4 - v if i in CORE_REVERSED else v for i, v in enumerate(form(34, 4, level), 1)]
        for item in (6, 9, 16, 22, 24, 34):
            raw[item - 1] = 0
        raw[8] = self_harm
        return raw

    # Each form is entered the day it was done (today=its date), as a practitioner keeping up does: its risk
    # tasks are due that day, not on the day the demo is built.
    phq = form(9, 3, severity)
    phq[8] = 0 if rng.random() < 0.8 else 1
    add("PHQ-9", phq, a, "pre")
    add("GAD-7", form(7, 3, severity), a, "pre")
    add("CORE-OM", core_om(severity, phq[8]), a, "pre")
    if "completion" in kinds:
        c = next(d for k, d, _ in plan if k == "completion")
        better = max(0, severity - rng.choice((0, 1, 2, 2)))
        add("PHQ-9", [*form(8, 3, better), 0], c, "post")
        add("GAD-7", form(7, 3, better), c, "post")
        add("CORE-OM", core_om(better, 0), c, "post")


ASSESSMENT_TEXT = {
    "presenting_problem": (
        "Low mood and worry for about a year, worse since losing work; poor sleep and irritability.",
        "Panic attacks several times a week and avoidance of busy places since an assault two years ago.",
        "Anger and low mood after a relationship ended; drinking more to cope in the evenings.",
    ),
    "social_circumstances": (
        "Lives alone in a rented flat; in touch with a sister; unemployed, on Universal Credit.",
        "Lives with partner and two children; works part-time; rent arrears.",
        "Sofa-surfing with friends; no regular income; wants to get back into work.",
    ),
    "vulnerabilities": ("Reports childhood neglect; no current safeguarding concerns.",
                        "History of domestic abuse as a victim; safety plan in place with local services.",
                        "Care leaver; no current safeguarding concerns."),
    "communication_needs": ("None reported.", "Prefers written information in plain English; mild dyslexia.",
                            "None reported."),
    "physical_health": ("Asthma, managed with inhalers.", "No physical health problems reported.",
                         "Chronic back pain; sees GP regularly."),
    "drugs_alcohol": ("Drinks 20-30 units a week; no drug use.", "Occasional cannabis; no alcohol.",
                      "Drinks heavily at weekends, about 40 units a week; no drug use."),
    "medication": ("Sertraline 50mg for six months.", "Propranolol as needed for anxiety.", "None currently."),
    "forensic_history": ("Previous cautions for shoplifting; this offence linked to debt and low mood.",
                         "Offence committed while in a panic when confronted; first conviction.",
                         "Offence committed while intoxicated after an argument; first conviction."),
    "previous_help": ("Six sessions of guided self-help two years ago; found it useful but stopped early.",
                      "No previous mental health support.",
                      "Saw a counsellor at school; nothing since."),
    "risk": ("Passive thoughts of not wanting to be here, no plans or intent; protective factor: sister. "
             "Crisis plan agreed.", "No current thoughts of self-harm or harm to others reported.",
             "No thoughts of self-harm; anger towards ex-partner discussed, no intent to harm; no contact."),
    "mhtr_goals": ("Manage low mood and sleep; get back into work.", "Reduce panic attacks; go to the shops alone.",
                   "Cope with anger without drinking."),
    "main_problem": ("Depression with anxiety.", "Panic with agoraphobic avoidance.", "Anger and low mood."),
    "barriers": ("Bus fare to appointments; phone sessions preferred some weeks.", "Childcare on Tuesdays.",
                 "None identified."),
    "formulation": (
        "Job loss and isolation maintained by withdrawal and rumination; drinking used to manage sleep.",
        "Assault led to threat beliefs maintained by avoidance and safety behaviours.",
        "Loss of the relationship and shame maintained by drinking and angry outbursts.",
    ),
    "plan": ("Suitable for MHTR: behavioural activation and sleep work; GP to review medication.",
             "Suitable for MHTR: 12 sessions of CBT-informed low-intensity work on panic and avoidance.",
             "Suitable for MHTR: emotion regulation work; signpost to the drug and alcohol service."),
    "court_recommendations": ("A Community Order with an MHTR of 12 sessions is recommended.",),
    "treatment_plan": ("Weekly sessions with the MHTR assistant psychologist under Clinical Lead supervision.",),
    "first_therapy": ("Within two weeks of sentence at Brook House, or by phone.",),
}


def _assessment_record(db: Database, rng: random.Random, ref: str, today: date) -> None:
    """Appendix 1 topics written up for the assessment, so the demo's court reports read as real ones would."""
    from letters.assessment import save_assessment

    story = rng.randrange(3)  # one story per client, so the problem, formulation and goals agree
    save_assessment(db, ref, {k: v[story % len(v)] for k, v in ASSESSMENT_TEXT.items()}, today)


def fill_demo(
    db: Database,
    clients: int,
    seed: int,
    today: date,
    now: datetime | None = None,
    *,
    checklist: Checklist,
) -> list[str]:
    """Add ``clients`` synthetic clients to ``db`` with histories up to ``today``, tasks from the service's
    ``checklist``; returns their references.

    Sessions are recorded only for appointments that started by ``now`` (the clock of the command or app that
    builds the demo), so a demo made in the morning shows the afternoon's sessions still booked. Without ``now``:
    the end of ``today``.
    """
    if now is None:
        now = datetime.combine(today, time.max)
    if clients < 1 or clients > 5000:
        raise ValidationError("--clients must be between 1 and 5000")
    existing = rec.count_clients(db)
    if existing and rec.get_setting(db, "demo") != "1":
        raise ValidationError(
            f"this database already holds {existing} clients; demo data goes into a database of its own"
        )
    rng = random.Random(seed)
    with transaction(db):
        rec.set_setting(db, "demo", "1")
        rec.set_setting(db, SYNTHETIC, "1")  # its NHS numbers are from the test range
        rec.set_setting(db, task_actions.RECURRING_SINCE, (today - timedelta(days=35)).isoformat())
        for key, value in DEMO_SETTINGS.items():
            if rec.get_setting(db, key) is None:
                rec.set_setting(db, key, value)
        refs = []
        taken = appdb.appointments_between(db, date.min.isoformat(), date.max.isoformat(), statuses=appdb.OCCUPYING)
        diary = _Diary(seed, today, now, checklist, taken)
        held = rec.nhs_numbers_held(db)  # a demo added to an earlier one
        numbers = (n for n in synthetic_nhs_numbers() if n not in held)
        for i in range(clients):
            target = STAGE_CYCLE[i] if i < len(STAGE_CYCLE) else rng.choice(("in-treatment",) * 6 + STAGE_CYCLE)
            fields = client_fields(rng, i, today, next(numbers))
            fields.update(equality_fields(random.Random(seed * 104_729 + i), fields["gender"]))
            ref = add_client(db, fields, today)
            plan = case_plan(rng, target, today)
            hour, how = HOURS[i % len(HOURS)], diary.how()
            for kind, when, data in plan:
                if kind == "session":
                    diary.session(db, ref, when, data, hour, how)
                else:
                    casework.record_event(db, ref, kind, when, data, today, checklist=checklist)
                    if kind == "assessment":  # written up the day it happens, before any court report locks it
                        _assessment_record(db, random.Random(seed * 7919 + i), ref, today)
            _questionnaires(db, rng, ref, plan, today, checklist)
            diary.ahead(db, ref, plan, hour, how)
            refs.append(ref)
        task_actions.ensure_recurring(db, today, checklist=checklist)
        # A practitioner keeps up: everything older than a fortnight is done, and about two thirds of the last
        # fortnight's admin, so Today shows a realistic handful of overdue items rather than a year of them.
        fortnight = (today - timedelta(days=14)).isoformat()
        kept_up = [  # read as named tuples: every task of the demo up to two days ago
            t.id
            for t in taskdb.task_rows(db, until=today - timedelta(days=2))
            if t.due < fortnight or rng.random() < 0.65
        ]
        taskdb.close_tasks_done(db, kept_up, rec.now_iso())
    return refs


def ensure_demo(
    path: Path,
    now: datetime,
    checklist_of: Callable[[Database], Checklist],
    clients: int = 24,
    seed: int = 7,
) -> None:
    """Create and fill the demo database at ``path`` if it has no clients yet (encrypted with ``MHTR_KEY`` when
    that is set: nothing plain is made while it is), up to ``now`` (the front end's clock), with the checklist
    ``checklist_of`` reads for that database (``service.core.checklist_of``). A new one is built whole beside
    ``path`` and put in place when done (``db.connection.building``): the app never finds half a demo."""
    from db.connection import building, connect, is_new
    from db.crypto import key_in_environment

    if is_new(path):
        with building(path, encrypt=key_in_environment()) as db:
            fill_demo(db, clients, seed, now.date(), now, checklist=checklist_of(db))
        return
    db = connect(path, encrypt=key_in_environment())
    try:
        if rec.count_clients(db) == 0:
            fill_demo(db, clients, seed, now.date(), now, checklist=checklist_of(db))
    finally:
        db.close()
