"""Questionnaire instruments as data and pure scoring, as ``docs/SCORING.md`` section 13 sets out.

No database and no screen: the app stores raw item responses and asks this package for the score every time,
so a correction to a rule corrects every stored result.
"""

from questionnaires.instruments import INSTRUMENTS, Instrument
from questionnaires.options import DEFAULT, ScoringOptions, options_from_settings
from questionnaires.outcomes import change, iapt_outcome
from questionnaires.scoring import NA, ResponseError, canonical_name, half_up, instrument, risk_items, score
from questionnaires.text import band_words, parse_responses, parse_token, risk_words, summary_line, why_refused

__all__ = [
    "DEFAULT",
    "INSTRUMENTS",
    "NA",
    "Instrument",
    "ResponseError",
    "ScoringOptions",
    "band_words",
    "canonical_name",
    "change",
    "half_up",
    "iapt_outcome",
    "instrument",
    "options_from_settings",
    "parse_responses",
    "parse_token",
    "risk_items",
    "risk_words",
    "score",
    "summary_line",
    "why_refused",
]
