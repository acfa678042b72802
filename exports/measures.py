"""The figures of a monthly return, counted from de-identified case facts. Pure: no database, no files.

``period_figures`` counts every measure of ``exports.layout`` for one period: whole-number counts, and the sums
behind the means. ``finish`` then computes the means and rates from them, the same way for a fresh return and
for returns merged from several practitioners. What "in the period" means for each measure is written beside
it in ``exports.layout`` (and on the return's About sheet): in short, an event counts in the period its date
falls in, a case counts once per measure, and "active" is read on the period's last day.

An archived case (``records.archive``: opened by mistake, a duplicate, transferred) counts for what happened
while it was open, so a past month's return reads the same after it is put away; but from its archive date on it
is not active caseload, and nothing is expected of it (its follow-ups falling due after it was archived are not
counted as due). The events of a duplicate still count in their months: the archive reason is free text, so a
duplicate cannot be told from a transfer, and dropping a transferred case's assessment or sentence would
under-count work that was done.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from exports import layout as L
from exports.facts import CaseFacts
from exports.outcomes import paired, paired_iapt, sush
from exports.periods import Period
from questionnaires.options import ScoringOptions
from records.clocks import SentenceDeadlines
from records.dates import add_months
from records.stages import UNDATED, Event, derive_state

CHARACTERISTIC_FIELDS = tuple(f for f, _, _ in L.CHARACTERISTICS)

Figures = dict[str, float | int | None]


def empty_figures() -> Figures:
    return {**dict.fromkeys(L.COUNT_KEYS, 0), **dict.fromkeys(L.SUM_KEYS, 0.0)}


def _first(events: Iterable[Event], kind: str) -> Event | None:
    return next((e for e in events if e.kind == kind), None)


def _characteristic(case: CaseFacts, field_name: str, *, at_end: bool) -> str | None:
    if field_name == "age_band":
        return case.age_band_end if at_end else case.age_band_assessed
    return case.fields.get(field_name)


def _add_characteristics(out: Figures, prefix: str, case: CaseFacts, *, at_end: bool) -> None:
    for field_name in CHARACTERISTIC_FIELDS:
        key = L.characteristic_key(prefix, field_name, _characteristic(case, field_name, at_end=at_end))
        if key not in out:  # a value that is not one of the return's categories
            key = L.characteristic_key(prefix, field_name, None)
        out[key] += 1


def _count_case(
    out: Figures, case: CaseFacts, period: Period, scoring: ScoringOptions, deadlines: SentenceDeadlines
) -> None:
    events = case.events_to(period.end)
    if not events:
        return
    inside = [e for e in events if e.date in period]
    kinds = {e.kind for e in inside}

    # Pre-sentence
    if "screening" in kinds:
        out["screened"] += 1
    ne = _first(inside, "not-eligible")
    if ne:
        out["not_eligible"] += 1
        out[f"reason.not-eligible.{ne.data.get('reason_category', 'not-recorded')}"] += 1
    if "assessment" in kinds:
        out["assessed"] += 1
        _add_characteristics(out, "assessed", case, at_end=False)
    if "consent" in kinds:
        out["consented"] += 1
    cl = _first(inside, "cl-decision")
    if cl and cl.data.get("decision") in ("approved", "declined"):
        out["cl_decided"] += 1
        if cl.data["decision"] == "approved":
            out["cl_approved"] += 1
        else:
            out["cl_declined"] += 1
            out[f"reason.cl-declined.{cl.data.get('reason_category', 'not-recorded')}"] += 1

    # Sentence
    if "court-report-sent" in kinds:
        out["psr"] += 1
    for adj in (e for e in inside if e.kind == "adjournment"):
        out["adjournments"] += 1
        out[f"reason.adjournment.{adj.data.get('reason_category', 'not-recorded')}"] += 1
    court = _first(inside, "court-outcome")
    if court and court.data.get("outcome") in ("accepted", "declined"):
        out["court_decided"] += 1
        if court.data["outcome"] == "accepted":
            out["court_accepted"] += 1
            out["order_sso" if court.data.get("order") == "SSO" else "order_co"] += 1
            combined = court.data.get("combined")
            out["type_drr" if combined == "DRR" else "type_atr" if combined == "ATR" else "type_mhtr"] += 1
            if court.data.get("sentenced_on_day"):
                out["on_day"] += 1
        else:
            out["court_declined"] += 1
            out[f"reason.court-declined.{court.data.get('reason_category', 'not-recorded')}"] += 1

    # Post-sentence
    sentence = next((e.date for e in events if e.kind == "court-outcome" and e.data.get("outcome") == "accepted"), None)
    if sentence is not None:
        meeting = next((e.date for e in events if e.kind == "case-meeting" and e.date >= sentence), None)
        if meeting in period:
            days = (meeting - sentence).days
            out["meetings"] += 1
            out["meetings_14" if deadlines.met("case-meeting", sentence, meeting) else "meetings_late"] += 1
            out["meetings_days.sum"] += days
        first = first_attended(events)
        if first is not None and first in period:
            days = (first - sentence).days
            out["first_sessions"] += 1
            out["first_6w" if deadlines.met("first-session", sentence, first) else "first_late"] += 1
            out["first_days.sum"] += days
    for br in (e for e in inside if e.kind == "breach"):
        out["breaches"] += 1
        related = br.data.get("mhtr_related")
        out["breach_mhtr" if related is True else "breach_other" if related is False else "breach_unknown"] += 1
        out[f"breach_outcome.{br.data.get('outcome_category', 'not-recorded')}"] += 1
    if case.gp_registered_via_mhtr and case.gp_registered_date in period:
        out["gp_registered"] += 1

    # Completion
    completion = _first(events, "completion")
    if "withdrawal" in kinds:
        out["withdrawn"] += 1
    state = derive_state(events)
    if state.in_order and not case.archived_by(period.end):
        out["active"] += 1
        out["active_treating" if state.stage == "in-treatment" else "active_waiting"] += 1
        _add_characteristics(out, "active", case, at_end=True)
    if completion is not None:
        for months in (3, 6, 12):
            due = add_months(completion.date, months)
            if due in period and not case.archived_by(due):
                out[f"fu{months}_due"] += 1
    for fu in (e for e in inside if e.kind == "follow-up" and e.data.get("months") in (3, 6, 12)):
        out[f"fu{fu.data['months']}_done"] += 1
    if completion is not None and completion.date in period:
        out["completed"] += 1
        _count_outcomes(out, case, events, completion.date, scoring)


def first_attended(events: Iterable[Event]) -> date | None:
    """The date of the case's first attended session, or None if there is none or its date is not known.

    A session imported without its own date (``records.stages.UNDATED``) sits on a stand-in date (the sheet's
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


def _count_outcomes(
    out: Figures, case: CaseFacts, events: list[Event], completed: date, scoring: ScoringOptions
) -> None:
    for when in ("start", "end"):
        flag = sush(case.scores, when, scoring)
        if flag is not None:
            out[f"sush_{when}"] += 1
            out[f"sush_{when}_yes" if flag else f"sush_{when}_no"] += 1
    attended = sum(
        1
        for e in events
        if e.kind == "session"
        and e.data.get("outcome") == "attended"
        and not e.data.get("extra")
        and e.date <= completed
    )
    if attended < 2:
        return
    out["finished"] += 1
    for instrument, k, *_ in L.INSTRUMENTS:
        p = paired(case.scores, instrument, scoring)
        if p is None:
            continue
        out[f"{k}.pairs"] += 1
        out[f"{k}.mean_pre.sum"] += p.pre or 0.0
        out[f"{k}.mean_post.sum"] += p.post or 0.0
        _count_paired(out, k, p)
    p = paired_iapt(case.scores, scoring)
    if p is not None:
        out["iapt.pairs"] += 1
        _count_paired(out, "iapt", p)


def _count_paired(out: Figures, k: str, p) -> None:
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


def finish(values: Mapping[str, float | int | None]) -> Figures:
    """Add the means (sum / n) and rates (100 * num / den) to counts and sums; None where n or den is 0."""
    out: Figures = dict(values)
    for key, m in L.MEASURES.items():
        if m.kind in ("mean", "rate"):
            num, den = out.get(m.num) or 0, out.get(m.den) or 0
            out[key] = None if not den else (num / den) * (100 if m.kind == "rate" else 1)
    return out
