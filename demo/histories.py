"""The demo's case histories: for each stage a case can be at, the events that take a case there with realistic
gaps (screening to follow-up), ending on or before the day the demo is made.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from vocabulary.stages import Event, order_end, sentenced_on_day

# Every stage a case can be at, then mostly cases in treatment, as a real caseload looks.
STAGE_CYCLE = (
    "screened",
    "not-eligible",
    "assessed",
    "approved",
    "awaiting-court",
    "cl-declined",
    "court-declined",
    "sentenced",
    "in-treatment",
    "completed",
    "withdrawn",
    "closed",
)


def next_working(d: date) -> date:
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def last_working(d: date) -> date:
    while d.weekday() >= 5:
        d -= timedelta(days=1)
    return d



def case_plan(rng: random.Random, target: str, today: date) -> list[tuple[str, date, dict]]:
    """Events that take a case to ``target`` with realistic gaps, ending on or before today."""
    sessions = rng.randrange(1, 10) if target == "in-treatment" else 12
    interval = rng.choice((7, 7, 14))
    back = {
        "screened": rng.randrange(0, 2),
        "not-eligible": rng.randrange(2, 40),
        "assessed": rng.randrange(1, 3),
        "approved": rng.randrange(3, 6),
        "awaiting-court": rng.randrange(6, 12),
        "cl-declined": rng.randrange(8, 60),
        "court-declined": rng.randrange(20, 90),
        "sentenced": rng.randrange(16, 24),
        "in-treatment": 30 + sessions * interval + rng.randrange(0, 6),
        "completed": 40 + 12 * interval + 20,
        "withdrawn": 40 + 4 * interval + 10,
        "closed": 40 + 12 * interval + 380,
    }[target]
    def _by_today(d: date) -> date:
        # The next working day, but never past today: on a weekend the most recent pre-sentence events fall
        # on the last working day, not on Monday (no event is recorded before it happens). Later events are
        # spaced by their own rules and dropped below if they have not happened yet.
        return min(next_working(d), last_working(today))

    d0 = _by_today(today - timedelta(days=back))
    ev: list[tuple[str, date, dict]] = [("screening", d0, {})]
    if target == "screened":
        return ev
    if target == "not-eligible":
        return ev + [
            (
                "not-eligible",
                d0,
                {
                    "reason": rng.choice(
                        (
                            "No mental health need meeting the threshold",
                            "Needs secondary care (CMHT) instead",
                            "Did not consent to assessment",
                        )
                    )
                },
            )
        ]
    a = _by_today(d0 + timedelta(days=rng.choice((0, 0, 1, 2))))
    ev += [("assessment", a, {}), ("consent", a, {})]
    if target == "assessed":
        return ev
    c = _by_today(a + timedelta(days=rng.randrange(1, 3)))
    if target == "cl-declined":
        return ev + [
            (
                "cl-decision",
                c,
                {"decision": "declined", "reason": "Presentation better met by secondary mental health services"},
            )
        ]
    ev.append(("cl-decision", c, {"decision": "approved"}))
    if target == "approved":
        return ev
    r = _by_today(c + timedelta(days=rng.randrange(0, 2)))
    ev.append(("court-report-sent", r, {}))
    if rng.random() < 0.3 or target == "awaiting-court":
        ev.append(
            (
                "adjournment",
                r + timedelta(days=1),
                {"reason": rng.choice(("Assessment not available on the day", "Court-led adjournment"))},
            )
        )
    if target == "awaiting-court":
        return [e for e in ev if e[1] <= today]
    s = _by_today(r + timedelta(days=rng.randrange(5, 12)))
    if target == "court-declined":
        return ev + [("court-outcome", s, {"outcome": "declined", "reason": "Court imposed a custodial sentence"})]
    order = rng.choice(("CO", "CO", "SSO"))
    # Twelve sessions a fortnight apart need more than six months: the order is made long enough for the plan.
    months = max(rng.choice((6, 9, 12)), 12 if interval >= 14 else 6)
    made = {"outcome": "accepted", "order": order, "length_months": months, "sessions": 12}
    # Sentenced on the day as the return reads it (from the dates of the screening or assessment and the
    # sentence), never drawn at random: a tick the dates contradict would overstate the demo's return. The draw
    # that used to decide it is still taken, so that a seed gives the same people, dates and sessions as before.
    rng.random()
    made["sentenced_on_day"] = sentenced_on_day([Event(k, d, data) for k, d, data in (*ev, ("court-outcome", s, made))])
    ev.append(("court-outcome", s, made))
    if target == "sentenced":
        return [e for e in ev if e[1] <= today]
    ev.append(("case-meeting", next_working(s + timedelta(days=rng.randrange(4, 13))), {}))
    d = next_working(s + timedelta(days=rng.randrange(14, 30)))
    n_sessions = 12 if target in ("completed", "closed") else (4 if target == "withdrawn" else sessions)
    attended = 0
    end = order_end(s, months)  # sessions are held within the order
    while attended < n_sessions and d <= min(today, end):
        roll = rng.random()
        outcome = "attended" if roll < 0.85 else "acceptable-absence" if roll < 0.95 else "unacceptable-absence"
        ev.append(("session", d, {"outcome": outcome}))
        attended += outcome == "attended"
        d = next_working(d + timedelta(days=interval))
    last = ev[-1][1]
    if target == "withdrawn":
        ev.append(("withdrawal", next_working(last + timedelta(days=3)), {}))
    elif target in ("completed", "closed"):
        done = next_working(last + timedelta(days=2))
        ev.append(("completion", done, {}))
        if target == "closed":
            for m in (3, 6, 12):
                ev.append(("follow-up", next_working(done + timedelta(days=int(m * 30.5))), {"months": m}))
    return [e for e in ev if e[1] <= today]
