"""Before-and-after scores of one case, as the return counts them (``docs/SCORING.md`` section 9).

Which two forms are compared, and their change, reliable change and recovery, are ``questionnaires.course``, the
one definition the Client screen and the completion letter use too; this module turns them into the return's
counts. Scores are recomputed from the raw items, so a correction to the scoring rules corrects the return.

Every function takes the service's scoring settings (``questionnaires.ScoringOptions``, read once per export with
``records.questionnaire_records.scoring_options``) and has no default for them: the return must count reliable change,
validity and risk exactly as the screens and letters show them (a service that sets
``scoring.reliable_change_strict`` would otherwise send the chair figures its own screens contradict).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from exports.facts import ScoreFact
from questionnaires import course
from questionnaires.options import ScoringOptions

SUSH_INSTRUMENTS = ("PHQ-9", "CORE-OM")


def score(instrument: str, items: tuple, options: ScoringOptions) -> dict:
    """One form's score under ``options`` (cached in ``questionnaires.course``)."""
    return course.scored(instrument, items, options)


def score_value(instrument: str, result: dict) -> float | None:
    """The number the return reports: the clinical score (0-40) for CORE, the integer total otherwise."""
    if not result or not result.get("valid"):
        return None
    value = result.get("clinical") if instrument.upper().startswith("CORE") else result.get("total")
    return None if value is None else float(value)


def _treatment(scores: Sequence[ScoreFact], instrument: str) -> list[ScoreFact]:
    """Every form of ``instrument`` during treatment, scorable or not (a risk flag is read from any form)."""
    return [s for s in scores if s.instrument == instrument and not course.is_follow_up(s)]


def first_and_last(
    scores: Sequence[ScoreFact], instrument: str, options: ScoringOptions
) -> tuple[ScoreFact | None, ScoreFact | None]:
    """The first and last scorable forms of treatment (``questionnaires.course.first_and_last``)."""
    return course.first_and_last(scores, instrument, options)


@dataclass(frozen=True)
class Paired:
    """One case's change on one instrument (or on PHQ-9 and GAD-7 together: ``pre``/``post`` are None)."""

    pre: float | None
    post: float | None
    caseness_pre: bool
    improved: bool
    deteriorated: bool
    recovered: bool
    reliable_recovery: bool


def paired(scores: Sequence[ScoreFact], instrument: str, options: ScoringOptions) -> Paired | None:
    """The case's before/after outcome on ``instrument`` (``questionnaires.course.measure_change``), or None
    without two scorable forms."""
    ch = course.measure_change(scores, instrument, options)
    if ch is None or ch.get("caseness_pre") is None:
        return None
    return Paired(
        pre=score_value(instrument, ch["pre"]),
        post=score_value(instrument, ch["post"]),
        caseness_pre=bool(ch.get("caseness_pre")),
        improved=bool(ch.get("reliable_improvement")),
        deteriorated=bool(ch.get("reliable_deterioration")),
        recovered=bool(ch.get("recovery")),
        reliable_recovery=bool(ch.get("reliable_recovery")),
    )


def paired_iapt(scores: Sequence[ScoreFact], options: ScoringOptions) -> Paired | None:
    """PHQ-9 and GAD-7 together (``questionnaires.course.talking_therapies``), or None unless both were repeated."""
    out = course.talking_therapies(scores, options)
    if out is None or out.get("caseness_pre") is None:
        return None
    return Paired(
        pre=None,
        post=None,
        caseness_pre=bool(out.get("caseness_pre")),
        improved=bool(out.get("reliable_improvement")),
        deteriorated=bool(out.get("reliable_deterioration")),
        recovered=bool(out.get("recovery")),
        reliable_recovery=bool(out.get("reliable_recovery")),
    )


def scored_pair(scores: Sequence[ScoreFact], instrument: str, options: ScoringOptions) -> tuple[float, float] | None:
    """The first and last scores of an instrument with no reliable-change rule (WSAS, K10), or None without two
    valid forms: the return shows their means before and after, not change categories."""
    first, last = first_and_last(scores, instrument, options)
    if first is None or last is None:
        return None
    pre = score_value(instrument, score(first.instrument, first.items, options))
    post = score_value(instrument, score(last.instrument, last.items, options))
    return None if pre is None or post is None else (pre, post)


def follow_up(
    scores: Sequence[ScoreFact], instrument: str, months: int, options: ScoringOptions
) -> tuple[ScoreFact, float, bool] | None:
    """The case's last valid ``months``-month follow-up form of ``instrument``, its score, and whether it is
    reliably better than the first form before treatment (``questionnaires.change``); None without one."""
    import questionnaires

    timepoint = f"follow-up-{months}"
    forms = [s for s in scores if s.instrument == instrument and s.timepoint == timepoint]
    forms = [s for s in forms if score(s.instrument, s.items, options).get("valid")]
    if not forms:
        return None
    form = forms[-1]
    value = score_value(instrument, score(form.instrument, form.items, options))
    if value is None:
        return None
    first, _ = first_and_last(scores, instrument, options)
    better = False
    if first is not None:
        better = bool(questionnaires.change(instrument, list(first.items), list(form.items), options).get(
            "reliable_improvement"
        ))
    return form, value, better


RISK_FLAGS = {
    "self": (SUSH_INSTRUMENTS, "sush_flag"),
    "others": (("CORE-OM",), "risk_to_others_flag"),
}


def risk(scores: Sequence[ScoreFact], who: str, when: str, options: ScoringOptions) -> bool | None:
    """Risk to ``who`` ("self": PHQ-9 item 9 and the CORE-34 risk-to-self items; "others": the CORE-34
    risk-to-others items) at the ``"start"`` (first forms) or ``"end"`` (their last, later forms).

    True if any of those forms endorses a risk item (at the service's ``risk_threshold``), False if they were
    answered and none does, None if unknown. Invalid forms still count: a risk flag is never hidden by missing
    items (SCORING.md 1.7).
    """
    instruments, flag_name = RISK_FLAGS[who]
    flags = []
    for instrument in instruments:
        forms = _treatment(scores, instrument)
        if not forms:
            continue
        if when == "start":
            form = forms[0]
        elif len(forms) > 1:
            form = forms[-1]
        else:
            continue
        flags.append(score(form.instrument, form.items, options).get(flag_name))
    if any(f is True for f in flags):
        return True
    if any(f is False for f in flags):
        return False
    return None

