"""The scoring choices ``docs/SCORING.md`` grades L (a convention, not a sourced rule).

They are settings, with docs/SCORING.md's choice as the default, so a service that decides otherwise changes one
value instead of the code. The app stores them in its settings table under the names in ``SETTING_NAMES``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields


@dataclass(frozen=True)
class ScoringOptions:
    """``risk_threshold``: the lowest response that counts as endorsing a risk item (SCORING.md 10; default 1, any
    endorsement). ``k10_max_missing``: K10 items that may be missing and prorated (SCORING.md 6; default 2).
    ``core_om_non_risk_max_missing``: CORE-OM non-risk items that may be missing (SCORING.md D2; default 3).
    ``reliable_change_strict``: reliable change needs a change greater than the threshold rather than equal
    to or greater (SCORING.md D8; default False, "6 or more")."""

    risk_threshold: int = 1
    k10_max_missing: int = 2
    core_om_non_risk_max_missing: int = 3
    reliable_change_strict: bool = False


DEFAULT = ScoringOptions()
SETTING_NAMES = {f.name: f"scoring.{f.name}" for f in fields(ScoringOptions)}


def options_from_settings(settings: dict[str, str]) -> ScoringOptions:
    """Build options from stored settings (strings), ignoring names that are absent; bad values raise ValueError."""
    values: dict = {}
    for f in fields(ScoringOptions):
        raw = settings.get(SETTING_NAMES[f.name])
        if raw is None or str(raw).strip() == "":
            continue
        text = str(raw).strip().lower()
        if f.type in ("bool", bool):
            if text not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(f"{SETTING_NAMES[f.name]} is true or false, not {raw!r}")
            values[f.name] = text in ("true", "yes", "1")
        else:
            if not text.isdigit():
                raise ValueError(f"{SETTING_NAMES[f.name]} is a whole number, not {raw!r}")
            values[f.name] = int(text)
    opts = ScoringOptions(**values)
    if not 1 <= opts.risk_threshold <= 3:
        raise ValueError("scoring.risk_threshold is 1, 2 or 3")
    if not 0 <= opts.k10_max_missing <= 5:
        raise ValueError("scoring.k10_max_missing is between 0 and 5")
    if not 0 <= opts.core_om_non_risk_max_missing <= 3:
        raise ValueError("scoring.core_om_non_risk_max_missing is between 0 and 3 (10% of 28 items)")
    return opts
