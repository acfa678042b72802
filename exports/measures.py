"""The figures of a monthly return, counted from de-identified case facts. Pure: no database, no files.

``period_figures`` counts every measure of ``exports.layout`` for one period: whole-number counts, and the sums
behind the means. ``finish`` then computes the means and rates from them, the same way for a fresh return and
for returns merged from several practitioners. What "in the period" means for each measure is written beside
it in its table's module (``exports.mhtr_table`` and the others ``exports.layout`` gathers) and on the return's
About sheet: in short, an event counts in the period its date falls in, a case counts once per measure, and
"active" is read on the period's last day.

An archived case (``records.archive``: opened by mistake, a duplicate, transferred) counts for what happened
while it was open, so a past month's return reads the same after it is put away; but from its archive date on it
is not active caseload, and nothing is expected of it (its follow-ups falling due after it was archived are not
counted as due). The events of a duplicate still count in their months: the archive reason is free text, so a
duplicate cannot be told from a transfer, and dropping a transferred case's assessment or sentence would
under-count work that was done.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from exports import balance, characteristics_table, mhtr_table, outcomes_table, table_spec
from exports import layout as L
from exports.facts import CaseFacts, ScoreFact
from exports.outcomes import follow_up, paired, paired_iapt, risk, scored_pair
from exports.periods import Period, months_before, return_periods
from questionnaires.options import ScoringOptions
from records.clocks import SentenceDeadlines
from vocabulary.dates import add_months
from vocabulary.event_kinds import ACCOMMODATION_CHOICES, NONE, RECOMMENDED, REFERRED
from vocabulary.stages import UNDATED, Event, derive_state, event_order, sentenced_on_day

CHARACTERISTIC_FIELDS = tuple(f for f, _, _ in characteristics_table.CHARACTERISTICS)
# A session's outcome -> the count it adds to (every one but "cancelled" is also a session offered; a
# rescheduled session is counted when it is held).
SESSION_KEYS = {
    "attended": "sessions_attended",
    "acceptable-absence": "sessions_acceptable",
    "unacceptable-absence": "sessions_unacceptable",
    "cancelled-by-service": "sessions_cancelled",
}

Figures = dict[str, float | int | None]  # a finished return: a mean or rate is None where its denominator is 0
Counts = dict[str, float]  # what is added up while counting: counts and sums, never None


def empty_figures() -> Counts:
    return {**dict.fromkeys(L.COUNT_KEYS, 0), **dict.fromkeys(L.PART_KEYS, 0), **dict.fromkeys(L.SUM_KEYS, 0.0)}


def _first(events: Iterable[Event], kind: str) -> Event | None:
    return next((e for e in events if e.kind == kind), None)


def _characteristic(case: CaseFacts, field_name: str, *, sentenced: bool) -> str | None:
    """The case's category of ``field_name``; its age band on the day it was assessed, or (``sentenced``) on the
    day the MHTR was made."""
    if field_name == "age_band":
        return case.age_band_sentenced if sentenced else case.age_band_assessed
    if field_name in case.not_applicable:
        return characteristics_table.NOT_APPLICABLE
    return case.fields.get(field_name)


def _add_characteristics(out: Counts, prefix: str, case: CaseFacts, *, sentenced: bool) -> None:
    for field_name in CHARACTERISTIC_FIELDS:
        value = _characteristic(case, field_name, sentenced=sentenced)
        key = characteristics_table.characteristic_key(prefix, field_name, value)
        if key not in out:  # a value that is not one of the return's categories
            key = characteristics_table.characteristic_key(prefix, field_name, None)
        out[key] += 1


def _count_case(
    out: Counts,
    case: CaseFacts,
    period: Period,
    scoring: ScoringOptions,
    deadlines: SentenceDeadlines,
    memo: dict | None = None,
) -> None:
    """Add ``case`` to ``out`` for ``period``. ``memo`` keeps what does not depend on the period (the case's
    course, its state on a day) between the periods of one return."""
    memo = {} if memo is None else memo
    course = memo.get("course") or memo.setdefault("course", _Course.of(case))
    to_end = bisect_right(course.dates, period.end)
    if not to_end:
        return
    events = case.events[:to_end]
    inside = case.events[bisect_left(course.dates, period.start) : to_end]
    kinds = {e.kind for e in inside}

    # Pre-sentence
    requirement = course.requirement
    if "screening" in kinds:
        out["screened"] += 1
    ne = _first(inside, "not-eligible")
    if ne:
        assessed_first = any(e.kind == "assessment" and event_order(e) < event_order(ne) for e in events)
        total = "not_eligible_assessed" if assessed_first else "not_eligible"
        section = "not-eligible-assessed" if assessed_first else "not-eligible"
        out[total] += 1
        out[f"reason.{section}.{ne.data.get('reason_category', 'not-recorded')}"] += 1
    if "assessment" in kinds:
        out["assessed"] += 1
        out[f"assessed_{requirement}"] += 1
        _add_characteristics(out, "assessed", case, sentenced=False)
        assessment = _first(inside, "assessment")
        _add_support(out, "support", assessment.data if assessment else {}, RECOMMENDED)
    consents = course.consents
    if consents and consents[0].date in period:
        out["consented"] += 1
    out["consent_renewed"] += sum(1 for e in consents[1:] if e.date in period)
    cl = _first(inside, "cl-decision")
    if cl and cl.data.get("decision") in ("approved", "declined"):
        out["cl_decided"] += 1
        if cl.data["decision"] == "approved":
            out["cl_approved"] += 1
            out[f"cl_approved_{requirement}"] += 1
        else:
            out["cl_declined"] += 1
            out[f"cl_declined_{requirement}"] += 1
            out[f"reason.cl-declined.{cl.data.get('reason_category', 'not-recorded')}"] += 1

    # Sentence
    if "court-report-sent" in kinds:
        out["psr"] += 1
    for form in (e for e in inside if e.kind == "sentencer-feedback" and e.data.get("form")):
        out[f"feedback_{form.data['form']}"] += 1
    for adj in (e for e in inside if e.kind == "adjournment"):
        out["adjournments"] += 1
        out[f"reason.adjournment.{adj.data.get('reason_category', 'not-recorded')}"] += 1
    court = _first(inside, "court-outcome")
    if court and court.data.get("outcome") in ("accepted", "declined"):
        out["court_decided"] += 1
        if court.data["outcome"] == "accepted":
            out["court_accepted"] += 1
            out["order_sso" if court.data.get("order") == "SSO" else "order_co"] += 1
            _add_characteristics(out, "made", case, sentenced=True)
            combined = court.data.get("combined")
            out["type_drr" if combined == "DRR" else "type_atr" if combined == "ATR" else "type_mhtr"] += 1
            if sentenced_on_day(events):
                out["on_day"] += 1
            out[f"otherwise.{court.data.get('sentence_otherwise', table_spec.NOT_RECORDED_ID)}"] += 1
        else:
            out["court_declined"] += 1
            out[f"court_declined_{requirement}"] += 1
            out[f"reason.court-declined.{court.data.get('reason_category', 'not-recorded')}"] += 1

    # Post-sentence (the sentence, the meeting after it and the first session are the case's whole course: any of
    # them after the period's end is not in the period either)
    sentence = course.sentence
    if sentence is not None:
        meeting = course.meeting
        if meeting in period:
            days = (meeting - sentence).days
            out["meetings"] += 1
            out["meetings_14" if deadlines.met("case-meeting", sentence, meeting) else "meetings_late"] += 1
            out["meetings_days.sum"] += days
        first = course.first_session
        if first is not None and first in period:
            days = (first - sentence).days
            out["first_sessions"] += 1
            out["first_6w" if deadlines.met("first-session", sentence, first) else "first_late"] += 1
            out["first_days.sum"] += days
    for session in (e for e in inside if e.kind == "session" and not e.data.get(UNDATED)):
        key = SESSION_KEYS.get(session.data.get("outcome") or "")
        if key is not None:
            out[key] += 1
            if key != "sessions_cancelled":
                out["sessions_offered"] += 1
    for br in (e for e in inside if e.kind == "breach"):
        out["breaches"] += 1
        out[f"reason.breach.{br.data.get('reason_category', 'not-recorded')}"] += 1
        related = br.data.get("mhtr_related")
        out["breach_mhtr" if related is True else "breach_other" if related is False else "breach_unknown"] += 1
        out[f"breach_outcome.{br.data.get('outcome_category', 'not-recorded')}"] += 1
    if case.gp_registered_via_mhtr and case.gp_registered_date in period:
        out["gp_registered"] += 1

    # Completion
    completion = course.completion if course.completion and course.completion.date <= period.end else None
    withdrawal = _first(inside, "withdrawal")
    if withdrawal is not None:
        out["withdrawn"] += 1
        out[f"reason.withdrawal.{withdrawal.data.get('reason_category', 'not-recorded')}"] += 1
    made = bool(court and court.data.get("outcome") == "accepted")
    first_in = sentence is not None and course.first_session is not None and course.first_session in period
    completed = completion is not None and completion.date in period
    _add_balance(out, case, period, memo, made, first_in, completed, withdrawal is not None)
    if completion is not None:
        for months, due in course.follow_ups_due:
            if due in period and not case.archived_by(due):
                out[f"fu{months}_due"] += 1
    for fu in (e for e in inside if e.kind == "follow-up" and e.data.get("months") in (3, 6, 12)):
        out[f"fu{fu.data['months']}_done"] += 1
    if completion is not None and completion.date in period:
        out["completed"] += 1
        _add_accommodation(out, case, completion)
        _add_support(out, "referred", completion.data, REFERRED)
        finished = _attended_before(events, completion.date) >= 2
        for key, value in _outcome_counts(case.scores, finished, scoring).items():
            out[key] += value
    if any(day in period for day in course.follow_up_forms):
        for day, key, value, better in _follow_up_scores(case.scores, scoring):
            if day in period:
                out[f"{key}.scored"] += 1
                out[f"{key}.mean.sum"] += value
                out[f"{key}.improved"] += better


def _order_state(case: CaseFacts, day: date, memo: dict) -> str | None:
    """Where the case's order stood at the end of ``day``: "waiting" (made, no session attended yet), "treating",
    or None (no active order: not sentenced, ended, or the case archived)."""
    course = memo.get("course") or memo.setdefault("course", _Course.of(case))
    if course.sentence is None or course.sentence > day:
        return None
    upto = bisect_right(course.dates, day)
    state = memo.get(("state", upto))
    if state is None:
        state = memo.setdefault(("state", upto), derive_state(case.events[:upto]))
    if not state.in_order or case.archived_by(day):
        return None
    return "treating" if state.stage == "in-treatment" else "waiting"


def _add_balance(
    out: Counts, case: CaseFacts, period: Period, memo: dict, made: bool, first: bool, completed: bool, withdrawn: bool
) -> None:
    """The case's caseload totals at the period's end and the day before it began, and its parts of the caseload
    identities (``exports.balance``), from what it counted in the period's flows: ``made`` (an MHTR made),
    ``first`` (its first session), ``completed``, ``withdrawn``. Every part is 0 or more and every identity holds for
    the case on its own, so they hold for any set of cases, and for returns merged by adding."""
    before = _order_state(case, period.start - timedelta(days=1), memo)
    after = _order_state(case, period.end, memo)
    if before is None and after is None and not (made or first or completed or withdrawn):
        return
    if after is not None:
        out["active"] += 1
        out[f"active_{after}"] += 1
    if before is not None:
        out[balance.BEFORE["active"]] += 1
        out[balance.BEFORE[f"active_{before}"]] += 1
    b_wait, b_treat = int(before == "waiting"), int(before == "treating")
    a_wait, a_treat = int(after == "waiting"), int(after == "treating")
    # a first session takes an order from awaiting to treatment when the order was awaiting one: at the start or
    # made in the period; otherwise it is a first session of a case that was not awaiting one
    first_moves = int(first and (b_wait or made))
    first_other = int(first) - first_moves
    ended_waiting = b_wait + int(made) - a_wait - first_moves
    entered_waiting = max(0, -ended_waiting)
    ended_waiting = max(0, ended_waiting)
    ended_treating = b_treat + first_moves - a_treat
    entered_treating = max(0, -ended_treating)
    ended_treating = max(0, ended_treating)
    # what ended each order: a completion, else a withdrawal, else something else (archived)
    c_left, w_left = int(completed), int(withdrawn)
    completed_treating = min(c_left, ended_treating)
    withdrawn_treating = min(w_left, ended_treating - completed_treating)
    c_left, w_left = c_left - completed_treating, w_left - withdrawn_treating
    withdrawn_waiting = min(w_left, ended_waiting)
    completed_waiting = min(c_left, ended_waiting - withdrawn_waiting)
    parts = {
        balance.ENTERED_WAITING: entered_waiting,
        balance.ENTERED_TREATING: entered_treating,
        balance.FIRST_OTHER: first_other,
        balance.COMPLETED_WAITING: completed_waiting,
        balance.WAITING_OTHER: ended_waiting - withdrawn_waiting - completed_waiting,
        balance.TREATING_OTHER: ended_treating - completed_treating - withdrawn_treating,
        balance.COMPLETED_OTHER: c_left - completed_waiting,
        balance.WITHDRAWN_OTHER: w_left - withdrawn_waiting,
        balance.WAITING_ENDED: ended_waiting,
        balance.TREATING_ENDED: ended_treating,
        balance.ENDED: ended_waiting + ended_treating,
        balance.WITHDRAWN_WAITING: withdrawn_waiting,
        balance.WITHDRAWN_TREATING: withdrawn_treating,
        balance.COMPLETED_TREATING: completed_treating,
        balance.WAITING_THROUGH: b_wait + int(made) + entered_waiting + first_other,
        balance.TREATING_THROUGH: b_treat + int(first) + entered_treating,
        balance.ACTIVE_THROUGH: b_wait + b_treat + int(made) + entered_waiting + entered_treating,
    }
    parts[balance.ENDED_ALL] = parts[balance.ENDED] + parts[balance.COMPLETED_OTHER] + parts[balance.WITHDRAWN_OTHER]
    for key, n in parts.items():
        out[key] += n


def _add_support(out: Counts, key: str, data: Mapping, prefix: str) -> None:
    """A case's support recommended at assessment (``key`` "support") or referrals at completion ("referred"): one
    count per category ticked, and the case once as any, none or not recorded."""
    ticked = data.get(prefix) or ()
    for cid in ticked:
        out[f"{key}.{cid}"] += 1
    if ticked:
        out[f"{key}_any"] += 1
    else:
        out[f"{key}_none" if data.get(f"{prefix}_{NONE}") else f"{key}_not_recorded"] += 1


SETTLED = ACCOMMODATION_CHOICES[0][0]
_ACCOMMODATION_ID = {label: cid for cid, label in ACCOMMODATION_CHOICES}


def _add_accommodation(out: Counts, case: CaseFacts, completion: Event) -> None:
    """The accommodation at the start (the client's record) and at the end (the completion's), and the change."""
    start = _ACCOMMODATION_ID.get(case.fields.get("accommodation") or "")
    end = completion.data.get("accommodation_end")
    out[f"accom_start.{start or table_spec.NOT_RECORDED_ID}"] += 1
    out[f"accom_end.{end or table_spec.NOT_RECORDED_ID}"] += 1
    if start is None or end is None:
        out["accom_unknown"] += 1
    elif start == end:
        out["accom_same"] += 1
    else:
        out["accom_settled" if end == SETTLED else "accom_moved"] += 1


@dataclass(frozen=True)
class _Course:
    """What one case's events say whatever the period: worked out once per return (``_count_case``'s memo)."""

    dates: list[date]  # each event's date, in the events' order (so sorted)
    requirement: str  # the key suffix of the requirement proposed
    consents: list[Event]
    sentence: date | None  # the accepted court outcome
    meeting: date | None  # the first case management meeting on or after it
    first_session: date | None  # the first attended session (``first_attended``)
    completion: Event | None
    follow_ups_due: tuple[tuple[int, date], ...]  # (months, the day it falls due) after the completion
    follow_up_forms: tuple[date, ...]  # the days of the case's follow-up questionnaires

    @classmethod
    def of(cls, case: CaseFacts) -> _Course:
        events = case.events
        sentence = next(
            (e.date for e in events if e.kind == "court-outcome" and e.data.get("outcome") == "accepted"), None
        )
        meeting = None
        if sentence is not None:
            meeting = next((e.date for e in events if e.kind == "case-meeting" and e.date >= sentence), None)
        completion = _first(events, "completion")
        return cls(
            dates=[e.date for e in events],
            requirement=mhtr_table.REQUIREMENT_SUFFIX.get(case.requirement, "mhtr"),
            consents=[e for e in events if e.kind == "consent"],
            sentence=sentence,
            meeting=meeting,
            first_session=first_attended(events),
            completion=completion,
            follow_ups_due=tuple((m, add_months(completion.date, m)) for m in outcomes_table.FOLLOW_UP_MONTHS)
            if completion
            else (),
            follow_up_forms=tuple(s.date for s in case.scores if s.timepoint.startswith("follow-up")),
        )


def first_attended(events: Iterable[Event]) -> date | None:
    """The date of the case's first attended session, or None if there is none or its date is not known.

    A session imported without its own date (``vocabulary.stages.UNDATED``) sits on a stand-in date (the sheet's
    last session, completion or import date); counting it would put a first session in the wrong month and add
    weeks to "days from sentence to first session". When the first attended session is such a one, the case is
    left out of the first-session figures altogether (not timed by the next dated session, which was not the
    first); the sessions still count as attended wherever sessions are counted per case.
    """
    return _dated(next(_attended(events), None))


def last_attended(events: Iterable[Event]) -> date | None:
    """The date of the case's last attended session, or None (none, or its date not known: see ``first_attended``;
    an import puts the sessions it has no dates for before the sheet's last session date, which stays last)."""
    return _dated(next(_attended(reversed(list(events))), None))


def _attended(events: Iterable[Event]):
    return (e for e in events if e.kind == "session" and e.data.get("outcome") == "attended")


def _dated(session: Event | None) -> date | None:
    return None if session is None or session.data.get(UNDATED) else session.date


def _attended_before(events: Iterable[Event], completed: date) -> int:
    """Treatment sessions attended up to the completion (extra sessions after it are not treatment)."""
    return sum(
        1
        for e in events
        if e.kind == "session"
        and e.data.get("outcome") == "attended"
        and not e.data.get("extra")
        and e.date <= completed
    )


@lru_cache(maxsize=8192)
def _outcome_counts(scores: tuple[ScoreFact, ...], finished: bool, scoring: ScoringOptions) -> Mapping[str, float]:
    """What a completion adds to the outcome figures, from the case's forms: the same in every period that holds
    the completion, and in the preview and the return made from it (cached: forms are frozen, and the dict
    returned is only read). ``finished``: two or more sessions attended, without which no change is counted."""
    out: Counts = defaultdict(int)
    for who, prefix in (("self", "sush"), ("others", "others")):
        for when in ("start", "end"):
            flag = risk(scores, who, when, scoring)
            if flag is not None:
                out[f"{prefix}_{when}"] += 1
                out[f"{prefix}_{when}_yes" if flag else f"{prefix}_{when}_no"] += 1
    if not finished:
        return out
    out["finished"] += 1
    for instrument, k, *_ in outcomes_table.INSTRUMENTS:
        p = paired(scores, instrument, scoring)
        if p is None:
            continue
        out[f"{k}.pairs"] += 1
        out[f"{k}.mean_pre.sum"] += p.pre or 0.0
        out[f"{k}.mean_post.sum"] += p.post or 0.0
        _count_paired(out, k, p)
    p = paired_iapt(scores, scoring)
    if p is not None:
        out["iapt.pairs"] += 1
        _count_paired(out, "iapt", p)
    for instrument, k, *_ in outcomes_table.PLAIN_INSTRUMENTS:
        pair = scored_pair(scores, instrument, scoring)
        if pair is not None:
            out[f"{k}.pairs"] += 1
            out[f"{k}.mean_pre.sum"] += pair[0]
            out[f"{k}.mean_post.sum"] += pair[1]
    return out


@lru_cache(maxsize=8192)
def _follow_up_scores(
    scores: tuple[ScoreFact, ...], scoring: ScoringOptions
) -> tuple[tuple[date, str, float, bool], ...]:
    """Each instrument's score at each follow-up: (the form's date, which counts it in its period, the key, the
    score, reliably better than before treatment); cached as ``_outcome_counts`` is."""
    out = []
    for months in outcomes_table.FOLLOW_UP_MONTHS:
        for instrument, k, *_ in outcomes_table.INSTRUMENTS:
            found = follow_up(scores, instrument, months, scoring)
            if found is not None:
                out.append((found[0].date, f"fu{months}.{k}", found[1], found[2]))
    return tuple(out)


def _count_paired(out: Counts, k: str, p) -> None:
    out[f"{k}.improved"] += p.improved
    out[f"{k}.deteriorated"] += p.deteriorated
    out[f"{k}.caseness"] += p.caseness_pre
    if p.caseness_pre:
        out[f"{k}.recovered"] += p.recovered
        out[f"{k}.reliable_recovery"] += p.reliable_recovery


def period_figures(
    cases: Iterable[CaseFacts], period: Period, scoring: ScoringOptions, deadlines: SentenceDeadlines
) -> Figures:
    """Every count and sum of the layout for ``period`` (means and rates are added by ``finish``); scores,
    change and recovery under the service's ``scoring`` settings (``exports.outcomes``); a case meeting and a first
    session "within" the deadlines of the service's checklist (``records.clocks.sentence_deadlines``)."""
    out = empty_figures()
    for case in cases:
        _count_case(out, case, period, scoring, deadlines)
    return finish(out)


def return_figures(
    cases: Iterable[CaseFacts], first: date, scoring: ScoringOptions, deadlines: SentenceDeadlines
) -> tuple[dict[str, Figures], tuple[Figures, ...]]:
    """A return's figures in one pass over the cases: ``({"month": ..., "rolling": ...}, the eleven months before
    the month)``, oldest first, each with its caseload totals and the parts of the caseload identities (the
    rolling column is suppressed with them: ``exports.suppression.rolling_hidden``). A case is counted in full only
    in the months it touches; in the others, where its order stood (nothing else can have changed). What does not
    depend on the period (outcomes, follow-up scores) is worked out once per case."""
    month, rolling = return_periods(first)
    earlier = months_before(first)
    index = {(p.start.year, p.start.month): i for i, p in enumerate(earlier)}
    figures: dict[str, Counts] = {"month": empty_figures(), "rolling": empty_figures()}
    history: list[Counts] = [empty_figures() for _ in earlier]
    for case in cases:
        memo: dict = {}
        _count_case(figures["rolling"], case, rolling, scoring, deadlines, memo)
        _count_case(figures["month"], case, month, scoring, deadlines, memo)
        touched = _months_touched(case)
        sentenced = memo["course"].sentence is not None
        for key, i in index.items():
            if key in touched:
                _count_case(history[i], case, earlier[i], scoring, deadlines, memo)
            elif sentenced:  # nothing happened that month: only where its order stood, at both ends
                _add_balance(history[i], case, earlier[i], memo, False, False, False, False)
    return {k: finish(v) for k, v in figures.items()}, tuple(finish(h) for h in history)


def _months_touched(case: CaseFacts) -> set[tuple[int, int]]:
    """The (year, month) of every day on which something the flows count can fall for ``case``: its events, its
    forms, its GP registration, and the follow-ups due after its completion."""
    days = [e.date for e in case.events] + [s.date for s in case.scores]
    if case.gp_registered_date is not None:
        days.append(case.gp_registered_date)
    completion = _first(case.events, "completion")
    if completion is not None:
        days += [add_months(completion.date, m) for m in outcomes_table.FOLLOW_UP_MONTHS]
    return {(d.year, d.month) for d in days}


def finish(values: Mapping[str, float | int | None]) -> Figures:
    """Add the means (sum / n) and rates (100 * num / den) to counts and sums; None where n or den is 0."""
    out: Figures = dict(values)
    for key, m in L.MEASURES.items():
        if m.kind in ("mean", "rate"):
            num, den = out.get(m.num) or 0, out.get(m.den) or 0
            out[key] = None if not den else (num / den) * (100 if m.kind == "rate" else 1)
    return out
