"""A client's outcomes over a course of treatment, defined once: which two forms are compared, and what their change,
reliable change and recovery are, for each measure and for PHQ-9 and GAD-7 together (NHS Talking Therapies).

The Client screen's outcomes view (``records.questionnaire_records.outcomes``), the completion letter
(``letters.scores``) and the monthly return (``exports.outcomes``) all call these functions, so they cannot
disagree about the same client.

The rules (SPEC 9; the choices where it is silent are the project's):

- Only forms that can be scored count, under the service's scoring settings: an unscorable first form is not the
  baseline (it would leave change and recovery blank although a baseline exists).
- "First" is the first scorable form of the measure and "last" the last scorable one of treatment, when it is a
  later form than the first. Outcome follow-ups (3, 6 and 12 months after completion) are not the end of
  treatment and are never "last".
- PHQ-9 and GAD-7 together take each measure's own first and last forms (the NHS Talking Therapies data set
  compares a referral's first and last scores on each measure, not only forms given on the same day), and need
  both measures repeated.

The arithmetic is ``questionnaires.change`` and ``questionnaires.iapt_outcome``. A form is anything with
``instrument``, ``date``, ``timepoint`` and ``items`` (attributes or keys): a stored administration or the
return's de-identified score.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from questionnaires.options import ScoringOptions
from questionnaires.outcomes import change, iapt_outcome
from questionnaires.scoring import score

FOLLOW_UP_PREFIX = "follow-up"
PAIR = ("PHQ-9", "GAD-7")


def _get(form: Any, name: str) -> Any:
    return form[name] if isinstance(form, dict) else getattr(form, name)


@lru_cache(maxsize=65536)
def scored(instrument: str, items: tuple, options: ScoringOptions) -> dict:
    """``questionnaires.score``, cached (the options are frozen, so they are part of the key); do not change the
    dict it returns."""
    return score(instrument, list(items), options)


def form_score(form: Any, options: ScoringOptions) -> dict:
    """The form's score under ``options``."""
    return scored(_get(form, "instrument"), tuple(_get(form, "items")), options)


def is_follow_up(form: Any) -> bool:
    return str(_get(form, "timepoint")).startswith(FOLLOW_UP_PREFIX)


def treatment_forms(forms: Sequence[Any], instrument: str, options: ScoringOptions) -> list[Any]:
    """The scorable forms of ``instrument`` given during treatment (follow-ups left out), in the order given."""
    return [
        f
        for f in forms
        if _get(f, "instrument") == instrument and not is_follow_up(f) and form_score(f, options).get("valid")
    ]


def first_and_last(forms: Sequence[Any], instrument: str, options: ScoringOptions) -> tuple[Any | None, Any | None]:
    """The first and last scorable forms of treatment; the last is None unless it is a later form."""
    valid = treatment_forms(forms, instrument, options)
    if not valid:
        return None, None
    first, last = valid[0], valid[-1]
    return first, (last if last is not first else None)


def measure_change(forms: Sequence[Any], instrument: str, options: ScoringOptions) -> dict | None:
    """``questionnaires.change`` from the first to the last form of treatment, with their dates as ``from`` and
    ``to``; None without two scorable forms."""
    first, last = first_and_last(forms, instrument, options)
    if first is None or last is None:
        return None
    out = change(instrument, list(_get(first, "items")), list(_get(last, "items")), options)
    out["from"], out["to"] = _get(first, "date"), _get(last, "date")
    return out


def talking_therapies(forms: Sequence[Any], options: ScoringOptions) -> dict | None:
    """``questionnaires.iapt_outcome`` of PHQ-9 and GAD-7 together, each from its first to its last form of
    treatment, with ``from`` (the earlier first) and ``to`` (the later last); None unless both were repeated."""
    ends = {name: first_and_last(forms, name, options) for name in PAIR}
    if any(first is None or last is None for first, last in ends.values()):
        return None
    out = iapt_outcome(
        {name: list(_get(first, "items")) for name, (first, _) in ends.items()},
        {name: list(_get(last, "items")) for name, (_, last) in ends.items()},
        options,
    )
    out["from"] = min(str(_get(first, "date")) for first, _ in ends.values())
    out["to"] = max(str(_get(last, "date")) for _, last in ends.values())
    return out
