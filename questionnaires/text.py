"""Responses as people type them, and scores in words.

``parse_responses`` turns typed tokens into item values (``2``, ``-`` for missing, ``NA`` for WSAS item 1, or a
whole form as one run of digits) and leaves range and count checks to ``score``, which reports them as an
invalid form rather than an exception. ``summary_line`` is the one line the screen, the command line, the
health-system entry and the letters all use, so a score reads the same everywhere.
"""

from __future__ import annotations

from questionnaires.instruments import BAND_WORDS, INSTRUMENTS
from questionnaires.scoring import NA, ResponseError, _in_range, canonical_name, instrument

MISSING_TOKENS = {"-", "", "?", "none", "missing", "blank", "null"}
NA_TOKENS = {"na", "n/a"}


def parse_token(token: object, number: int) -> int | str | None:
    """One response: an int, None (missing) or "NA"; anything else is a ResponseError naming the item."""
    if token is None:
        return None
    if isinstance(token, bool):
        raise ResponseError(f"item {number}: {token!r} is not a response")
    if isinstance(token, int):
        return token
    text = str(token).strip()
    low = text.casefold()
    if low in MISSING_TOKENS:
        return None
    if low in NA_TOKENS:
        return NA
    try:
        return int(text)
    except ValueError:
        raise ResponseError(
            f"item {number}: {text!r} is not a response; type a number, '-' for a missing item"
        ) from None


def parse_responses(instrument: str, tokens: list) -> list[int | str | None]:
    """Typed tokens to item values. A single run such as ``12301-201`` with one character per item is split,
    since every instrument's responses are single digits."""
    canonical_name(instrument)  # an unknown instrument is refused before any token
    tokens = list(tokens)
    if len(tokens) == 1 and isinstance(tokens[0], str):
        run = tokens[0].strip()
        if len(run) > 1 and all(ch.isdigit() or ch == "-" for ch in run):
            tokens = list(run)
    return [parse_token(t, n) for n, t in enumerate(tokens, start=1)]


def why_refused(name: str, items: list) -> str | None:
    """Why a form cannot be taken at all, naming each item and the reason (``item 4: 4 is outside 0-3``), or
    the count (``3 responses given; PHQ-9 has 9 items``); None for a form that can be read.

    ``score`` reports these only as ``item_out_of_range`` / ``wrong_item_count`` (SCORING.md 13), which is enough for
    a program but not for someone correcting what they typed. Too many missing items is not a reason to
    refuse: such a form is stored and shown as not scorable."""
    ins = instrument(name)
    if len(items) != ins.n_items:
        given = f"{len(items)} response{'' if len(items) == 1 else 's'} given"
        return f"{given}; {ins.name} has {ins.n_items} items"
    problems = []
    for number, value in enumerate(items, start=1):
        if value is None or _in_range(ins, value) or (value == NA and ins.name == "WSAS" and number == 1):
            continue
        if value == NA:
            only = "WSAS item 1" if ins.name == "WSAS" else f"WSAS item 1, not {ins.name}"
            problems.append(f"item {number}: NA (not applicable) is only for {only}")
        else:
            problems.append(f"item {number}: {value} is outside {ins.range_text}")
    return "; ".join(problems) or None


def band_words(label: str | None) -> str:
    return BAND_WORDS.get(label or "", (label or "").replace("_", " "))


def _number(result: dict) -> str:
    name = result.get("instrument")
    if name in ("CORE-OM", "CORE-10"):
        return f"{result['clinical']:.1f}"
    if name == "GSE":
        return f"{result['total']} (mean {result['mean']:.2f})"
    return str(result["total"])


def _why_invalid(result: dict) -> str:
    error = result.get("error")
    ins = INSTRUMENTS.get(result.get("instrument") or "")
    if error == "wrong_item_count" and ins:
        return f"it has {ins.n_items} items"
    if error == "item_out_of_range" and ins:
        return f"a response is outside {ins.range_text}"
    if error == "too_many_missing":
        n = result.get("n_missing")
        return f"too many items missing ({n})" if n is not None else "too many items missing"
    return str(error or "not scorable").replace("_", " ")


def risk_words(result: dict) -> str:
    """'risk: item 9 = 2' style words for the flags, or '' when nothing is endorsed."""
    name = result.get("instrument")
    if name == "PHQ-9" and result.get("sush_flag"):
        return f"RISK: item 9 = {result.get('item9')}"
    if name == "CORE-OM" and result.get("any_risk_flag"):
        return "RISK: items " + ", ".join(map(str, result.get("risk_items_endorsed") or []))
    if name == "CORE-10" and result.get("sush_flag"):
        return "RISK: item 6 endorsed"
    return ""


def summary_line(result: dict) -> str:
    """``PHQ-9 12 (moderate), clinical range; RISK: item 9 = 2`` — or why the form could not be scored."""
    name = result.get("instrument", "")
    risk = risk_words(result)
    if not result.get("valid"):
        text = f"{name} not scored: {_why_invalid(result)}"
        return f"{text}; {risk}" if risk else text
    parts = [f"{name} {_number(result)}"]
    band = result.get("band") or result.get("band_abs")
    extra = []
    if band:
        extra.append(band_words(band) + (" (ABS)" if result.get("band_abs") else ""))
    if result.get("prorated"):
        extra.append(f"prorated, {result['n_missing']} missing")
    if extra:
        parts[0] += f" ({', '.join(extra)})"
    if result.get("caseness") is True:
        parts.append("clinical range")
    elif result.get("caseness") is False:
        parts.append("below clinical cut-off")
    text = ", ".join(parts)
    return f"{text}; {risk}" if risk else text
