"""Synthetic caseloads over many months for the tests of the return's series (tests/test_exports_series*.py).

The cases are built straight as de-identified facts (``exports.facts.CaseFacts``), the form the return is
counted from, so that a property test can make two years of a service and every month's return in a second. Each
case walks a plausible path (screening, assessment, consent, Clinical Lead, court, meeting, sessions, an ending,
follow-ups) with dates drawn from one ``random.Random``; the same seed gives the same caseload.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from exports.facts import CaseFacts, ScoreFact
from vocabulary.event_kinds import ACCOMMODATION_CHOICES, OTHERWISE, SUPPORT
from vocabulary.identity import ACCOMMODATION, ETHNICITIES, GENDERS, OFFENCE_TYPES, REFERRAL_SOURCES, age_band
from vocabulary.stages import Event

REASONS = {
    "not-eligible": ("secondary-care", "threshold", "substance", "other"),
    "cl-declined": ("no-consent", "secondary-care", "substance", "other"),
    "court-declined": ("custody", "other-sentence", "not-suitable", "other"),
    "adjournment": ("assessment", "court-led"),
    "breach-outcome": ("custody", "resentenced", "continued", "revoked", "not-recorded"),
}


def _maybe(rng: random.Random, options, blank: float = 0.2):
    return None if rng.random() < blank else rng.choice(options)


def _form(rng: random.Random, instrument: str, level: int) -> tuple:
    n, hi = {"PHQ-9": (9, 3), "GAD-7": (7, 3), "CORE-OM": (34, 4)}[instrument]
    return tuple(max(0, min(hi, level + rng.choice((-1, 0, 1)))) for _ in range(n))


def _support(rng: random.Random) -> tuple[str, ...]:
    """Some of the support categories (none, often), as the facts hold them."""
    return tuple(cid for cid, _ in SUPPORT if rng.random() < 0.15)


def synthetic_case(rng: random.Random, i: int, first: date, last: date) -> CaseFacts:
    """One case whose first event falls between ``first`` and ``last`` (events after ``last`` are dropped)."""
    span = (last - first).days
    day = first + timedelta(days=rng.randrange(span + 1))
    events: list[Event] = []
    seq = [0]

    def add(kind: str, when: date, **data) -> None:
        seq[0] += 1
        if when <= last:
            events.append(Event(kind, when, data, i * 1000 + seq[0], i * 1000 + seq[0]))

    scores: list[ScoreFact] = []
    requirement = rng.choice(("MHTR", "MHTR", "MHTR", "MHTR & DRR", "MHTR & ATR"))
    add("screening", day)
    if rng.random() < 0.15:
        add("not-eligible", day, reason_category=rng.choice(REASONS["not-eligible"]))
        return _facts(rng, i, requirement, events, scores, day)
    assessed = day + timedelta(days=rng.choice((0, 0, 1, 3)))
    add("assessment", assessed, recommended=_support(rng), **({"recommended_none": True} if rng.random() < 0.2 else {}))
    level = rng.randrange(0, 4)
    for instrument in ("PHQ-9", "GAD-7", "CORE-OM"):
        if rng.random() < 0.8 and assessed <= last:
            scores.append(ScoreFact(instrument, assessed, "pre", _form(rng, instrument, level), len(scores) + 1))
    if rng.random() < 0.9:
        add("consent", assessed)
    cl = assessed + timedelta(days=rng.randrange(1, 6))
    if rng.random() < 0.12:
        add("cl-decision", cl, decision="declined", reason_category=rng.choice(REASONS["cl-declined"]))
        return _facts(rng, i, requirement, events, scores, day)
    add("cl-decision", cl, decision="approved")
    add("court-report-sent", cl + timedelta(days=1))
    court = cl + timedelta(days=rng.randrange(2, 40))
    if rng.random() < 0.2:
        add("adjournment", cl + timedelta(days=1), reason_category=rng.choice(REASONS["adjournment"]))
    if rng.random() < 0.12:
        add(
            "court-outcome",
            court,
            outcome="declined",
            reason_category=rng.choice(REASONS["court-declined"]),
            sentenced_on_day=False,
        )
        return _facts(rng, i, requirement, events, scores, day)
    combined = {"MHTR & DRR": "DRR", "MHTR & ATR": "ATR"}.get(requirement)
    add(
        "court-outcome",
        court,
        outcome="accepted",
        order=rng.choice(("CO", "CO", "SSO")),
        sessions=12,
        sentenced_on_day=rng.random() < 0.3,
        **({"combined": combined} if combined else {}),
        **({"sentence_otherwise": rng.choice(OTHERWISE)[0]} if rng.random() < 0.8 else {}),
    )
    if rng.random() < 0.5:
        add("sentencer-feedback", court + timedelta(days=1), form="sent")
        if rng.random() < 0.6:
            add("sentencer-feedback", court + timedelta(days=rng.randrange(5, 60)), form="returned")
    add("case-meeting", court + timedelta(days=rng.randrange(3, 25)))
    when = court + timedelta(days=rng.randrange(7, 60))
    attended = 0
    ended = None
    for _ in range(rng.randrange(0, 16)):
        outcome = rng.choices(
            ("attended", "acceptable-absence", "unacceptable-absence", "cancelled-by-service"), (8, 1, 1, 1)
        )[0]
        attended += outcome == "attended"
        add("session", when, outcome=outcome, final=attended == 12)
        when += timedelta(days=rng.choice((7, 7, 14)))
        if rng.random() < 0.03:
            add("breach", when, mhtr_related=rng.random() < 0.7, outcome_category=rng.choice(REASONS["breach-outcome"]))
        if attended == 12:
            break
    if attended >= 2 and rng.random() < 0.8:
        ended = when
        add(
            "completion",
            when,
            referred=_support(rng),
            **({"accommodation_end": rng.choice(ACCOMMODATION_CHOICES)[0]} if rng.random() < 0.8 else {}),
        )
        level_after = max(0, level - rng.randrange(0, 3))
        for instrument in ("PHQ-9", "GAD-7", "CORE-OM"):
            if rng.random() < 0.7 and when <= last:
                scores.append(ScoreFact(instrument, when, "post", _form(rng, instrument, level_after), len(scores) + 1))
        for months in (3, 6, 12):
            if rng.random() < 0.6:
                add("follow-up", when + timedelta(days=30 * months + rng.randrange(0, 10)), months=months)
    elif rng.random() < 0.5:
        add("withdrawal", when)
    return _facts(rng, i, requirement, events, scores, ended or day)


def _facts(rng, i, requirement, events, scores, end) -> CaseFacts:
    dob = date(rng.randrange(1950, 2004), rng.randrange(1, 13), rng.randrange(1, 29))
    gender = _maybe(rng, GENDERS)
    fields = {
        "referral_source": _maybe(rng, REFERRAL_SOURCES),
        "offence_type": _maybe(rng, OFFENCE_TYPES),
        "gender": gender,
        "ethnicity": _maybe(rng, ETHNICITIES),
        "accommodation": _maybe(rng, ACCOMMODATION),
        "risk_level": _maybe(rng, ("Low", "Medium", "High")),
    }
    for name in ("looked_after", "ehc_plan", "caring", "disability", "armed_forces", "gp_registered"):
        fields[name] = _maybe(rng, ("yes", "no"), 0.4)
    fields["pregnancy"] = None if gender == "Male" else _maybe(rng, ("yes", "no"), 0.4)
    started = events[0].date if events else end
    made = [e.date for e in events if e.kind == "court-outcome" and e.data.get("outcome") == "accepted"]
    sentenced = made[0] if made else None
    return CaseFacts(
        ref=f"MHTR-{i:04d}",
        requirement=requirement,
        started=started,
        age_band_assessed=age_band(dob, started),
        age_band_sentenced=age_band(dob, sentenced) if sentenced else None,
        fields=fields,
        events=tuple(sorted(events, key=lambda e: (e.date, e.seq))),
        scores=tuple(sorted(scores, key=lambda s: (s.date, s.id))),
    )


def synthetic_service(seed: int, cases: int, first: date, last: date) -> list[CaseFacts]:
    """``cases`` cases whose first events are spread from ``first`` to ``last``."""
    rng = random.Random(seed)
    return [synthetic_case(rng, i + 1, first, last) for i in range(cases)]
