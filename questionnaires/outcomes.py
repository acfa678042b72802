"""Change between two administrations, and the NHS Talking Therapies paired PHQ-9 + GAD-7 outcome (SCORING.md 9).

Change is always "positive means better": pre minus post for every instrument where a higher score is worse,
post minus pre for the GSE. Outcomes that the sources do not define (reliable change for K10, WSAS and GSE;
recovery for someone who was not at caseness to begin with) are ``None``, never ``False``.
"""

from __future__ import annotations

from fractions import Fraction

from questionnaires.instruments import Instrument
from questionnaires.options import DEFAULT, ScoringOptions
from questionnaires.scoring import canonical_name, exact_value, instrument, score

OUTCOME_FIELDS = ("change", "reliable_improvement", "reliable_deterioration", "caseness_pre", "caseness_post",
                  "recovery", "reliable_recovery")
IAPT_FIELDS = ("phq9_change", "gad7_change", "caseness_pre", "caseness_post", "reliable_improvement",
               "reliable_deterioration", "no_reliable_change", "recovery", "reliable_recovery")


def _reliable(ins: Instrument, delta: Fraction, opts: ScoringOptions) -> bool:
    return ins.is_reliable(delta, strict=opts.reliable_change_strict)


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def change(name: str, pre: list, post: list, options: ScoringOptions = DEFAULT) -> dict:
    """First-to-latest change on one instrument, with reliable change, caseness and recovery (SCORING.md 9.1)."""
    ins = instrument(name)
    out: dict = {"instrument": ins.name, "pre": score(ins.name, pre, options), "post": score(ins.name, post, options)}
    out.update(dict.fromkeys(OUTCOME_FIELDS))
    a, b = exact_value(ins.name, pre, options), exact_value(ins.name, post, options)
    if a is None or b is None:
        return out
    delta = b - a if ins.higher_is_better else a - b
    out["change"] = _number(delta)
    if ins.rci is None or ins.cutoff is None:
        return out
    improved, worse = _reliable(ins, delta, options), _reliable(ins, -delta, options)
    case_pre, case_post = a >= ins.cutoff, b >= ins.cutoff
    out.update(reliable_improvement=improved, reliable_deterioration=worse, caseness_pre=case_pre,
               caseness_post=case_post)
    if case_pre:
        out["recovery"] = not case_post
        out["reliable_recovery"] = (not case_post) and improved
    return out


def _pair(forms: dict) -> dict[str, list | None]:
    named = {canonical_name(k): v for k, v in (forms or {}).items()}
    return {"PHQ-9": named.get("PHQ-9"), "GAD-7": named.get("GAD-7")}


def iapt_outcome(pre: dict, post: dict, options: ScoringOptions = DEFAULT) -> dict:
    """The paired PHQ-9 + GAD-7 outcome: caseness on either, recovery below both, reliable improvement on
    either with neither reliably worse (SCORING.md 9.2). Any unscorable form makes every outcome ``None``."""
    pre_forms, post_forms = _pair(pre), _pair(post)
    out: dict = {
        "pre": {k: score(k, v or [], options) for k, v in pre_forms.items()},
        "post": {k: score(k, v or [], options) for k, v in post_forms.items()},
    }
    out.update(dict.fromkeys(IAPT_FIELDS))
    scored = {
        (when, k): exact_value(k, forms[k] or [], options)
        for when, forms in (("pre", pre_forms), ("post", post_forms))
        for k in ("PHQ-9", "GAD-7")
    }
    values = {key: v for key, v in scored.items() if v is not None}
    if len(values) < len(scored):
        return out
    phq, gad = instrument("PHQ-9"), instrument("GAD-7")
    phq_change = values["pre", "PHQ-9"] - values["post", "PHQ-9"]
    gad_change = values["pre", "GAD-7"] - values["post", "GAD-7"]
    better = _reliable(phq, phq_change, options) or _reliable(gad, gad_change, options)
    worse = _reliable(phq, -phq_change, options) or _reliable(gad, -gad_change, options)
    case_pre = phq.is_case(values["pre", "PHQ-9"]) or gad.is_case(values["pre", "GAD-7"])
    case_post = phq.is_case(values["post", "PHQ-9"]) or gad.is_case(values["post", "GAD-7"])
    out.update(
        phq9_change=int(phq_change),
        gad7_change=int(gad_change),
        caseness_pre=case_pre,
        caseness_post=case_post,
        reliable_improvement=better and not worse,
        reliable_deterioration=worse and not better,
        no_reliable_change=not ((better and not worse) or (worse and not better)),
    )
    if case_pre:
        out["recovery"] = not case_post
        out["reliable_recovery"] = (not case_post) and out["reliable_improvement"]
    return out
