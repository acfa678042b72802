"""Checks on who a client is: NHS number check digit, names, dates of birth, the picklists of seed 004."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import date


class ValidationError(ValueError):
    """Input the user must correct; the message is one line meant for them."""


def quoted(value: object, limit: int = 40) -> str:
    """``value`` as a refusal quotes it: in quotes, escaped, and cut short past ``limit`` characters, so a
    message never repeats a whole cell or argument back (a 400 MB string made a 400 MB line)."""
    text = str(value)
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


# Separators people type inside an NHS number: spaces of any kind, the hyphen and the dashes word processors put
# in its place (en dash, non-breaking hyphen, minus sign).
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]")

# Which numbers the NHS issues, by their first nine digits (the tenth is the check digit): Wikipedia, "NHS number",
# section "Format, number ranges, and check characters" (read December 2026), summarising NHS Digital's
# allocation. England, Wales and the Isle of Man: 400 000 000 to 499 999 999 and 600 000 000 to 799 999 999;
# England also issues 3xx xxx xxx, but 320 000 001 to 399 999 999 belong to Northern Ireland's Health and Care
# numbers and 010 100 000 to 311 299 999 to Scotland's CHI numbers (neither is an NHS number in England). A
# number outside these ranges was never issued: it is a typing slip the check digit happened to let through, or
# made up. 999 000 000 to 999 999 999 is reserved for testing (never issued to a patient): the demo and the
# tests use it, and only a database of synthetic people accepts it (``test_numbers``).
ISSUED_RANGES = ((311_300_000, 320_000_000), (400_000_000, 499_999_999), (600_000_000, 799_999_999))
TEST_RANGE = (999_000_000, 999_999_999)


def record_id(value: object, what: str) -> int:
    """A record's number as typed (a task, an appointment, an event): ASCII digits only, and no more of them than
    SQLite's integers hold (``int()`` alone takes ``" +1_0"``, Arabic-Indic digits, and numbers SQLite cannot
    store, which ended in a traceback)."""
    text = str(value).strip()
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise ValidationError(f"{what} id {quoted(value)} must be a number")
    return int(text)


def normalise_nhs_number(text: str) -> str:
    """The number as stored and compared: Unicode NFKC (full-width digits become ASCII) with the spaces and
    hyphens people type taken out. The one normaliser for typing, import, the duplicate check and searches;
    anything but ten ASCII digits after it is refused by ``nhs_number_problem``."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text or ""))


def ascii_digits(text: str) -> str:
    """Every digit in ``text``, in any script, as an ASCII digit, and nothing else: for finding an NHS number
    mentioned in free text however it was typed (Arabic-Indic or full-width digits, spaces, dashes)."""
    return "".join(str(unicodedata.decimal(ch)) for ch in unicodedata.normalize("NFKC", text or "") if ch.isdecimal())


def nhs_number_problem(text: str, *, test_numbers: bool = False) -> str | None:
    """Why ``text`` is not a valid NHS number, or None if it is.

    Ten ASCII digits after ``normalise_nhs_number`` (digits of another script would make a second record of the
    same person that the duplicate check and a subject access request both miss). The tenth is a modulus-11
    check digit over the first nine, weighted 10 down to 2; a remainder giving 10 means the number was never
    issued, and so does one digit throughout (``000 000 0000``) or a number outside ``ISSUED_RANGES``. The test
    range passes only with ``test_numbers`` (the demo and the tests' databases).
    """
    digits = normalise_nhs_number(text)
    if not re.fullmatch(r"[0-9]{10}", digits):
        return f"NHS number {quoted(text)} must be 10 digits (0-9; spaces and hyphens may separate them)"
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    if check == 10 or check != int(digits[9]):
        return f"NHS number {quoted(text)} fails its check digit"
    shown = format_nhs_number(digits)
    if len(set(digits)) == 1:
        return f"NHS number {shown} is not one the NHS issues (the same digit throughout)"
    stem = int(digits[:9])
    if TEST_RANGE[0] <= stem <= TEST_RANGE[1]:
        if test_numbers:
            return None
        return f"NHS number {shown} is an NHS test number (999...), accepted only in the demo and test databases"
    if not any(lo <= stem <= hi for lo, hi in ISSUED_RANGES):
        return f"NHS number {shown} is outside the ranges the NHS issues numbers from; check it"
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
    raise ValidationError(f"{field} {quoted(value)} is not one of: {', '.join(options)}")


def not_registered_with_gp(record: Mapping[str, object]) -> bool:
    """Whether a client's record says they are not registered with a GP (``gp_registered`` is ``no``; not known is
    not the same). The one reading of it for every screen, command and document: the GP letter then asks the
    practice on record to register them, rather than writing to it about "your patient"."""
    return record.get("gp_registered") == "no"


def gp_words(record: Mapping[str, object]) -> str:
    """A client's GP in a few words for a summary line: the practice, ``not registered`` (with the practice on
    record, which the GP letter asks to register them), or empty when nothing is recorded. A header that named the
    practice alone read as the client's own GP for someone who has none."""
    practice = str(record.get("gp_practice") or "")
    if not_registered_with_gp(record):
        return f"not registered ({practice})" if practice else "not registered"
    return practice
