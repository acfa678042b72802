"""Checks on who a client is: NHS number check digit, names, dates of birth, the picklists of seed 004."""

from __future__ import annotations

import re
from datetime import date


class ValidationError(ValueError):
    """Input the user must correct; the message is one line meant for them."""


def normalise_nhs_number(text: str) -> str:
    """Digits only (``943 476 5919`` and ``943-476-5919`` are common ways of writing it)."""
    return re.sub(r"[\s-]", "", text or "")


def nhs_number_problem(text: str) -> str | None:
    """Why ``text`` is not a valid NHS number, or None if it is.

    The tenth digit is a modulus-11 check digit over the first nine, weighted 10 down to 2; a remainder
    giving 10 means the number was never issued.
    """
    digits = normalise_nhs_number(text)
    if not digits.isdigit() or len(digits) != 10:
        return f"NHS number {text!r} must be 10 digits"
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return f"NHS number {text!r} fails its check digit"
    return None


def format_nhs_number(digits: str) -> str:
    """``9434765919`` -> ``943 476 5919``, the way it is printed on NHS letters."""
    d = normalise_nhs_number(digits)
    return f"{d[:3]} {d[3:6]} {d[6:]}" if len(d) == 10 else d


def check_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("a name is required")
    if len(name) > 120:
        raise ValidationError("the name is longer than 120 characters")
    return name


def check_dob(dob: date, today: date) -> date:
    if dob > today:
        raise ValidationError(f"date of birth {dob:%d/%m/%Y} is in the future")
    if dob.year < today.year - 110:
        raise ValidationError(f"date of birth {dob:%d/%m/%Y} is more than 110 years ago")
    if age_on(dob, today) < 18:
        raise ValidationError(f"date of birth {dob:%d/%m/%Y} makes the client under 18; MHTRs are for adults")
    return dob


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


AGE_BANDS = ((18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 200))
EHC_PLAN_MAX_AGE = 25  # an Education, Health and Care Plan can run to a person's 25th birthday, not beyond


def field_applies(field: str, *, gender: str | None, age: int | None) -> bool:
    """Whether an equality field can apply to someone: pregnancy not to a person recorded as male, an EHC plan
    not to anyone over 25 (at assessment). The return counts such a field as "not applicable" and never asks for
    it; every other field applies to everyone."""
    if field == "pregnancy":
        return (gender or "").strip().casefold() != "male"
    if field == "ehc_plan":
        return age is None or age <= EHC_PLAN_MAX_AGE
    return True


def age_band(dob: date, on: date) -> str:
    """The band used in the monthly return (never the date of birth itself)."""
    age = age_on(dob, on)
    for lo, hi in AGE_BANDS:
        if lo <= age <= hi:
            return f"{lo}+" if hi >= 200 else f"{lo}-{hi}"
    return "under 18"


# Seed 004, "Referrals can be made by different parties including".
REFERRAL_SOURCES = (
    "Police custody officers",
    "Probation",
    "Legal representatives",
    "Liaison and Diversion",
    "Court staff",
    "Substance misuse services",
    "Community mental health services",
    "Self-referral",
    "Carers and family members",
    "Appropriate adults",
    "Other",
)

# Seed 004, "offences typically captured across the existing sites".
OFFENCE_TYPES = (
    "Public Order - Nuisance",
    "Harassment",
    "Drug offences",
    "Criminal Damage",
    "Arson",
    "Theft",
    "Burglary",
    "Robbery",
    "Fraud and Forgery",
    "Possession of an offensive weapon",
    "Possession of a firearm",
    "Violence against the person",
    "Murder - Manslaughter",
    "Sexual Offence",
    "Breach Court Order",
    "Vehicle Crime",
    "Motoring Offences",
    "Other",
)

GENDERS = ("Female", "Male", "Non-binary", "Other", "Prefer not to say")

# NHS Data Dictionary ethnic category (2001 census groups), as used in NHS returns.
ETHNICITIES = (
    "White - British",
    "White - Irish",
    "White - Any other White background",
    "Mixed - White and Black Caribbean",
    "Mixed - White and Black African",
    "Mixed - White and Asian",
    "Mixed - Any other mixed background",
    "Asian or Asian British - Indian",
    "Asian or Asian British - Pakistani",
    "Asian or Asian British - Bangladeshi",
    "Asian or Asian British - Any other Asian background",
    "Black or Black British - Caribbean",
    "Black or Black British - African",
    "Black or Black British - Any other Black background",
    "Other Ethnic Groups - Chinese",
    "Other Ethnic Groups - Any other ethnic group",
    "Not stated",
)

ACCOMMODATION = (
    "Settled (owner or tenant)",
    "Living with family or friends",
    "Supported housing",
    "Temporary or emergency accommodation",
    "Homeless / rough sleeping",
    "Other",
)

RISK_LEVELS = ("Low", "Medium", "High", "Very high")
YES_NO = ("Yes", "No", "Not known")


def pick(value: str | None, options: tuple[str, ...], field: str) -> str | None:
    """Match ``value`` to one of ``options`` without regard to case; refuse anything else by name."""
    if value is None or not str(value).strip():
        return None
    wanted = " ".join(str(value).split()).casefold()
    for opt in options:
        if opt.casefold() == wanted:
            return opt
    starts = [o for o in options if o.casefold().startswith(wanted)]
    if len(starts) == 1:
        return starts[0]
    raise ValidationError(f"{field} {value!r} is not one of: {', '.join(options)}")
