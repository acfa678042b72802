"""Before-and-after scores of one case, as the return counts them (``shared/scoring/SPEC.md`` section 9).

"Before" is a case's first valid administration of an instrument and "after" its last valid one that is later
than the first; follow-up administrations (3, 6, 12 months after completion) are neither. The arithmetic is
``questionnaires.change`` and ``questionnaires.iapt_outcome``: this module only chooses which two forms to
compare. Scores are recomputed from the raw items, so a correction to the scoring rules corrects the return.

Every function takes the service's scoring settings (``questionnaires.ScoringOptions``, read once per export with
``records.questionnaire_records.scoring_options``) and has no default for them: the return must count reliable change,
validity and risk exactly as the screens and letters show them (a service that sets
``scoring.reliable_change_strict`` would otherwise send the chair figures its own screens contradict).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from exports.facts import ScoreFact
from questionnaires.options import ScoringOptions

SUSH_INSTRUMENTS = ("PHQ-9", "CORE-OM")


@lru_cache(maxsize=65536)
def score(instrument: str, items: tuple, options: ScoringOptions) -> dict:
    """One form's score under ``options`` (cached: the options are frozen, so they are part of the key)."""
    import questionnaires

    return questionnaires.score(instrument, list(items), options)


def score_value(instrument: str, result: dict) -> float | None:
    """The number the return reports: the clinical score (0-40) for CORE, the integer total otherwise."""
    if not result or not result.get("valid"):
        return None
    value = result.get("clinical") if instrument.upper().startswith("CORE") else result.get("total")
    return None if value is None else float(value)


def _treatment(scores: Sequence[ScoreFact], instrument: str) -> list[ScoreFact]:
    return [s for s in scores if s.instrument == instrument and not s.timepoint.startswith("follow-up")]


def first_and_last(
    scores: Sequence[ScoreFact], instrument: str, options: ScoringOptions
) -> tuple[ScoreFact | None, ScoreFact | None]:
    """The first and last valid (non follow-up) administrations; the last is None unless it is a later form.

    Valid under ``options``: how many K10 or CORE-OM items may be missing is a service setting."""
    valid = [s for s in _treatment(scores, instrument) if score(s.instrument, s.items, options).get("valid")]
    if not valid:
        return None, None
    first, last = valid[0], valid[-1]
    return first, (last if last is not first else None)


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
    """The case's before/after outcome on ``instrument``, or None without two valid forms."""
    import questionnaires

    first, last = first_and_last(scores, instrument, options)
    if first is None or last is None:
        return None
    ch = questionnaires.change(instrument, list(first.items), list(last.items), options)
    if ch.get("caseness_pre") is None:
        return None
    return Paired(
        pre=score_value(instrument, ch.get("pre") or score(first.instrument, first.items, options)),
        post=score_value(instrument, ch.get("post") or score(last.instrument, last.items, options)),
        caseness_pre=bool(ch.get("caseness_pre")),
        improved=bool(ch.get("reliable_improvement")),
        deteriorated=bool(ch.get("reliable_deterioration")),
        recovered=bool(ch.get("recovery")),
        reliable_recovery=bool(ch.get("reliable_recovery")),
    )


def paired_iapt(scores: Sequence[ScoreFact], options: ScoringOptions) -> Paired | None:
    """PHQ-9 and GAD-7 together (NHS Talking Therapies), or None unless both have two valid forms."""
    import questionnaires

    phq_first, phq_last = first_and_last(scores, "PHQ-9", options)
    gad_first, gad_last = first_and_last(scores, "GAD-7", options)
    if None in (phq_first, phq_last, gad_first, gad_last):
        return None
    out = questionnaires.iapt_outcome(
        {"PHQ-9": list(phq_first.items), "GAD-7": list(gad_first.items)},
        {"PHQ-9": list(phq_last.items), "GAD-7": list(gad_last.items)},
        options,
    )
    if out.get("caseness_pre") is None:
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
    items (SPEC 1.7).
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

