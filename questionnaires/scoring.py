"""Scoring one administration exactly as ``docs/SCORING.md`` says (its section 13 is the interface).

Thresholds are tested with ``Fraction`` so a change of exactly 5.0 CORE points is 5 and not a hair below;
sum-scored totals are rounded half up (never Python's ``round``, which rounds 4.5 to 4); a missing risk item
makes its flag ``None`` (unknown) rather than ``False``, and a risk flag is read even from a form that cannot
be scored.
"""

from __future__ import annotations

from fractions import Fraction
from math import floor

from questionnaires.instruments import (
    _BY_KEY,
    CORE_OM,
    INSTRUMENTS,
    K10_CRUFAD_BANDS,
    Instrument,
    _key,
    band_of,
)
from questionnaires.options import DEFAULT, ScoringOptions

NA = "NA"
CORE_DOMAINS = {
    "wellbeing": (4, 14, 17, 31),
    "problems": (2, 5, 8, 11, 13, 15, 18, 20, 23, 27, 28, 30),
    "functioning": (1, 3, 7, 10, 12, 19, 21, 25, 26, 29, 32, 33),
    "risk": (6, 9, 16, 22, 24, 34),
}
CORE_DOMAINS["non_risk"] = tuple(sorted(CORE_DOMAINS["wellbeing"] + CORE_DOMAINS["problems"]
                                        + CORE_DOMAINS["functioning"]))
CORE_DOMAINS["all"] = tuple(range(1, 35))
CORE_MAX_MISSING = {"wellbeing": 0, "problems": 1, "functioning": 1, "risk": 0, "non_risk": 3, "all": 3}
K10_SKIPS = ((2, 3), (5, 6))  # (asked, skipped when the first is "none of the time")


class ResponseError(ValueError):
    """A response that is not a response at all (``x``), or an instrument we do not know."""


def canonical_name(instrument: str) -> str:
    """``phq9``, ``PHQ-9``, ``core34`` -> the instrument's name; case and hyphens do not matter."""
    name = _BY_KEY.get(_key(instrument or ""))
    if name is None:
        raise ResponseError(f"unknown questionnaire {instrument!r}: one of {', '.join(INSTRUMENTS)}")
    return name


def instrument(name: str) -> Instrument:
    return INSTRUMENTS[canonical_name(name)]


def half_up(value: Fraction) -> int:
    """Round half up (4.5 -> 5), on an exact value."""
    return floor(value + Fraction(1, 2))


def _f(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _check(ins: Instrument, items: list) -> str | None:
    """``wrong_item_count`` or ``item_out_of_range`` (SCORING.md 1.2), or None for a form that can be read."""
    if not isinstance(items, (list, tuple)) or len(items) != ins.n_items:
        return "wrong_item_count"
    for number, value in enumerate(items, start=1):
        if value is None:
            continue
        if value == NA and ins.name == "WSAS" and number == 1:
            continue
        if not _in_range(ins, value):
            return "item_out_of_range"
    return None


def _in_range(ins: Instrument, value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and ins.low <= value <= ins.high


def _risk_value(ins: Instrument, items: object, number: int) -> int | None:
    """The response to risk item ``number`` if it was given and is in range, else None."""
    if not isinstance(items, (list, tuple)) or len(items) < number:
        return None
    value = items[number - 1]
    return value if _in_range(ins, value) else None


def _flag(ins: Instrument, items: object, numbers: tuple[int, ...], opts: ScoringOptions) -> bool | None:
    """True if any item is endorsed; None if none is but one is unanswered; False only if all are answered 'no'."""
    values = [_risk_value(ins, items, n) for n in numbers]
    if any(v is not None and v >= opts.risk_threshold for v in values):
        return True
    if any(v is None for v in values):
        return None
    return False


def risk_items(name: str, items: list, options: ScoringOptions = DEFAULT) -> list[int]:
    """The risk items endorsed on a form (PHQ-9 9; CORE-OM 6, 9, 16, 22, 24, 34; CORE-10 6), whatever else is wrong."""
    ins = instrument(name)
    return [n for n in ins.risk_items if (v := _risk_value(ins, items, n)) is not None and v >= options.risk_threshold]


def _answered(items: list) -> list[int]:
    return [v for v in items if isinstance(v, int)]


def _sum_score(ins: Instrument, items: list, max_missing: int, result: dict) -> Fraction | None:
    """Prorated sum (mean of answered x item count), filling ``total``, ``total_exact``, ``prorated``."""
    answered = _answered(items)
    n_missing = ins.n_items - len(answered)
    result["n_missing"] = n_missing
    if n_missing > max_missing or not answered:
        result.update(valid=False, error="too_many_missing", total=None, total_exact=None, prorated=None)
        return None
    exact = Fraction(sum(answered) * ins.n_items, len(answered))
    result.update(valid=True, error=None, total=half_up(exact), total_exact=float(exact), prorated=n_missing > 0)
    return exact


def _invalid(result: dict, error: str, *fields: str) -> dict:
    result.update(valid=False, error=error)
    for name in fields:
        result[name] = None
    return result


def score(name: str, items: list, options: ScoringOptions = DEFAULT) -> dict:
    """Score one administration (SCORING.md section 13). An unscorable form is a result with ``valid: False``."""
    ins = instrument(name)
    scorer = _SCORERS[ins.name]
    result: dict = {"instrument": ins.name}
    error = _check(ins, items)
    return scorer(ins, list(items) if isinstance(items, (list, tuple)) else [], result, error, options)


def _phq_gad(ins: Instrument, items: list, result: dict, error: str | None, opts: ScoringOptions) -> dict:
    fields = ("n_missing", "total", "total_exact", "prorated", "band", "caseness")
    if ins.name == "PHQ-9":
        item9 = _risk_value(ins, items, 9)
        result["item9"] = item9
        result["sush_flag"] = _flag(ins, items, (9,), opts)
    if error:
        return _invalid(result, error, *fields)
    exact = _sum_score(ins, items, 2, result)
    if exact is None:
        return _invalid(result, "too_many_missing", "total", "total_exact", "prorated", "band", "caseness")
    total = Fraction(result["total"])
    result["band"] = band_of(ins.bands, total)
    result["caseness"] = ins.is_case(total)
    return result


def _core_om(ins: Instrument, items: list, result: dict, error: str | None, opts: ScoringOptions) -> dict:
    result["sush_flag"] = _flag(ins, items, ins.risk_self, opts)
    result["risk_to_others_flag"] = _flag(ins, items, ins.risk_others, opts)
    result["any_risk_flag"] = _flag(ins, items, ins.risk_items, opts)
    result["risk_items_endorsed"] = risk_items(ins.name, items, opts)
    if error:
        return _invalid(result, error, "keyed_items", "domains", "n_missing", "clinical", "raw_total", "band",
                        "caseness")
    keyed = _keyed(ins, items)
    result["keyed_items"] = keyed
    limits = dict(CORE_MAX_MISSING, non_risk=opts.core_om_non_risk_max_missing)
    domains: dict[str, dict] = {}
    exact: dict[str, Fraction | None] = {}
    for domain, numbers in CORE_DOMAINS.items():
        values = [v for v in (keyed[n - 1] for n in numbers) if v is not None]
        n_missing = len(numbers) - len(values)
        ok = n_missing <= limits[domain] and bool(values)
        mean = Fraction(sum(values), len(values)) if ok else None
        exact[domain] = mean
        domains[domain] = {"valid": ok, "n_missing": n_missing, "mean": _f(mean),
                           "clinical": _f(mean * 10) if mean is not None else None}
    result["domains"] = domains
    result["n_missing"] = domains["all"]["n_missing"]
    result["valid"] = domains["all"]["valid"]
    result["error"] = None if result["valid"] else "too_many_missing"
    mean_all = exact["all"]
    clinical = mean_all * 10 if result["valid"] and mean_all is not None else None
    result["clinical"] = _f(clinical)
    result["raw_total"] = sum(keyed) if result["n_missing"] == 0 else None
    result["band"] = band_of(ins.bands, clinical) if clinical is not None else None
    result["caseness"] = ins.is_case(clinical) if clinical is not None else None
    return result


def _keyed(ins: Instrument, items: list) -> list[int | None]:
    return [None if v is None else (ins.high - v if n in ins.reverse else v) for n, v in enumerate(items, start=1)]


def _core10(ins: Instrument, items: list, result: dict, error: str | None, opts: ScoringOptions) -> dict:
    result["sush_flag"] = _flag(ins, items, ins.risk_self, opts)
    if error:
        return _invalid(result, error, "keyed_items", "n_missing", "clinical", "mean", "prorated", "band",
                        "caseness")
    keyed = _keyed(ins, items)
    values = [v for v in keyed if v is not None]
    result["keyed_items"] = keyed
    result["n_missing"] = ins.n_items - len(values)
    if result["n_missing"] > 1:
        return _invalid(result, "too_many_missing", "clinical", "mean", "prorated", "band", "caseness")
    mean = Fraction(sum(values), len(values))
    clinical = mean * 10
    result.update(valid=True, error=None, clinical=float(clinical), mean=float(mean),
                  prorated=result["n_missing"] > 0, band=band_of(ins.bands, clinical),
                  caseness=ins.is_case(clinical))
    return result


def _k10(ins: Instrument, items: list, result: dict, error: str | None, opts: ScoringOptions) -> dict:
    fields = ("n_missing", "total", "total_exact", "prorated", "skip_rule_imputed", "band_abs", "band_crufad")
    if error:
        return _invalid(result, error, *fields)
    items = list(items)
    imputed = []
    for asked, skipped in K10_SKIPS:
        if items[asked - 1] == 1 and items[skipped - 1] is None:
            items[skipped - 1] = 1
            imputed.append(skipped)
    result["skip_rule_imputed"] = imputed
    exact = _sum_score(ins, items, opts.k10_max_missing, result)
    if exact is None:
        return _invalid(result, "too_many_missing", "total", "total_exact", "prorated", "band_abs", "band_crufad")
    total = Fraction(result["total"])
    result["band_abs"] = band_of(ins.bands, total)
    result["band_crufad"] = band_of(K10_CRUFAD_BANDS, total)
    return result


def _wsas(ins: Instrument, items: list, result: dict, error: str | None, opts: ScoringOptions) -> dict:
    result["work_item_na"] = bool(isinstance(items, list) and items and items[0] == NA)
    if error:
        return _invalid(result, error, "n_missing", "total", "total_exact", "prorated", "band")
    exact = _sum_score(ins, items, 1, result)  # N/A on item 1 counts as the one missing value (SCORING.md 7)
    if exact is None:
        return _invalid(result, "too_many_missing", "total", "total_exact", "prorated", "band")
    result["band"] = band_of(ins.bands, Fraction(result["total"]))
    return result


def _gse(ins: Instrument, items: list, result: dict, error: str | None, opts: ScoringOptions) -> dict:
    fields = ("n_missing", "mean", "total_exact", "total", "prorated")
    if error:
        return _invalid(result, error, *fields)
    exact = _sum_score(ins, items, 3, result)
    if exact is None:
        return _invalid(result, "too_many_missing", "mean", "total_exact", "total", "prorated")
    result["mean"] = float(exact / ins.n_items)
    return result


_SCORERS = {
    "PHQ-9": _phq_gad,
    "GAD-7": _phq_gad,
    "CORE-OM": _core_om,
    "CORE-10": _core10,
    "K10": _k10,
    "WSAS": _wsas,
    "GSE": _gse,
}
assert set(_SCORERS) == set(INSTRUMENTS) and CORE_OM.n_items == 34


def exact_value(name: str, items: list, options: ScoringOptions = DEFAULT) -> Fraction | None:
    """The exact value change is measured on: integer total (PHQ-9, GAD-7, K10, WSAS, GSE) or the unrounded
    CORE clinical score as a fraction, or None if the form cannot be scored."""
    ins = instrument(name)
    result = score(ins.name, items, options)
    if not result.get("valid"):
        return None
    if ins.name in ("CORE-OM", "CORE-10"):
        keyed = [v for v in _keyed(ins, list(items)) if v is not None]
        return Fraction(sum(keyed) * 10, len(keyed))
    return Fraction(result["total"])
