"""The demo's people: synthetic names, addresses, GP practices, courts and officers, and NHS numbers from the
999 range the NHS reserves for testing, each passing the check digit and each given once (``synthetic_nhs_numbers``).
The benchmark's builder draws its people from here too.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from vocabulary.identity import ETHNICITIES, OFFENCE_TYPES, REFERRAL_SOURCES

FIRST = (
    "Aaron",
    "Bethany",
    "Callum",
    "Danielle",
    "Elliot",
    "Fatima",
    "Gareth",
    "Hannah",
    "Imran",
    "Jade",
    "Kieran",
    "Leanne",
    "Marcus",
    "Natalie",
    "Owen",
    "Priya",
    "Quinn",
    "Rebecca",
    "Shane",
    "Tasha",
    "Umar",
    "Vicky",
    "Wayne",
    "Yasmin",
    "Zoe",
    "Liam",
    "Chloe",
    "Ryan",
    "Sophie",
    "Dean",
)
LAST = (
    "Ashworth",
    "Bramley",
    "Carver",
    "Dunmore",
    "Ellison",
    "Fairbrother",
    "Garside",
    "Holloway",
    "Ingram",
    "Jarvis",
    "Kendrick",
    "Lockwood",
    "Marsden",
    "Norcross",
    "Oakley",
    "Pennington",
    "Radcliffe",
    "Shawcross",
    "Thornton",
    "Underwood",
    "Varley",
    "Whitworth",
    "Yardley",
    "Hussain",
    "Okafor",
    "Kowalski",
    "Begum",
)
STREETS = ("Mill Road", "Station Road", "Church Lane", "Victoria Street", "Lincoln Road", "Park Avenue")
TOWNS = (
    ("Peterborough", "PE1"),
    ("Cambridge", "CB1"),
    ("Huntingdon", "PE29"),
    ("Wisbech", "PE13"),
    ("March", "PE15"),
    ("St Neots", "PE19"),
)
PRACTICES = (
    ("Riverside Medical Practice", "2 Bridge Street"),
    ("Parkway Surgery", "14 Thorpe Road"),
    ("Orchard Health Centre", "Orchard Way"),
    ("Fenland Group Practice", "1 High Causeway"),
)
COURTS = ("Peterborough Magistrates' Court", "Cambridge Magistrates' Court", "Huntingdon Law Courts")
ROS = ("Sam Fletcher", "Jo Whitaker", "Chris Patel", "Alex Morgan")


def _check_digit(nine: list[int]) -> int | None:
    """The modulus-11 check digit of the first nine digits (None: no number is issued with them)."""
    check = 11 - sum(d * w for d, w in zip(nine, range(10, 1, -1), strict=True)) % 11
    return None if check == 10 else 0 if check == 11 else check


def synthetic_nhs_number(rng: random.Random) -> str:
    """A random 999-range test number with a valid modulus-11 check digit (not unique: a demo takes its numbers
    from ``synthetic_nhs_numbers``)."""
    while True:
        digits = [9, 9, 9] + [rng.randrange(10) for _ in range(6)]
        check = _check_digit(digits)
        if check is not None:
            return "".join(map(str, digits)) + str(check)


# A fixed permutation of the six digits after 999: k -> (k * STEP + OFFSET) mod 10**6 visits each of the million
# once (STEP shares no factor with 10), spread over the range rather than counting up from 999 000 000.
_STEP, _OFFSET = 737_087, 104_729


def synthetic_nhs_numbers() -> Iterator[str]:
    """Every 999-range test number with a valid check digit, each exactly once (about 909,000 of them), in an
    order that looks random. Unique by construction: a demo of any size never draws one twice (numbers drawn at
    random from the million collided after about a thousand clients)."""
    for k in range(10**6):
        body = (k * _STEP + _OFFSET) % 10**6
        nine = [9, 9, 9, *(int(c) for c in f"{body:06d}")]
        check = _check_digit(nine)
        if check is not None:
            yield "".join(map(str, nine)) + str(check)


def client_fields(rng: random.Random, i: int, today: date, nhs_number: str | None = None) -> dict:
    """A synthetic person's fields; ``nhs_number`` (from ``synthetic_nhs_numbers``) in place of a random one,
    which is still drawn so the rest of the person is what the seed always gave."""
    first, last = rng.choice(FIRST), rng.choice(LAST)
    town, pc = rng.choice(TOWNS)
    practice, paddr = rng.choice(PRACTICES)
    age_days = rng.randrange(19 * 365, 62 * 365)
    drawn = synthetic_nhs_number(rng)
    return {
        "name": f"{first} {last}",
        "dob": (today - timedelta(days=age_days)).isoformat(),
        "nhs_number": nhs_number or drawn,
        "gender": rng.choice(("Male", "Male", "Female", "Female", "Non-binary")),
        "ethnicity": rng.choice(ETHNICITIES[:3] * 4 + ETHNICITIES[3:]),
        "address": f"{rng.randrange(1, 120)} {rng.choice(STREETS)}, {town}",
        "postcode": f"{pc} {rng.randrange(1, 9)}{rng.choice('ABDEFGHJ')}{rng.choice('LNPQRSTU')}",
        "phone": f"07700 900{rng.randrange(100, 999)}",
        "gp_practice": practice,
        "gp_address": f"{paddr}, {town}",
        "gp_registered": rng.choice(("yes", "yes", "yes", "no")),
        "referral_source": rng.choice(REFERRAL_SOURCES[:-1]),
        "offence_type": rng.choice(OFFENCE_TYPES[:-1]),
        "court": rng.choice(COURTS),
        "ro_name": rng.choice(ROS),
        "ro_contact": "probation.demo@example.gov.uk",
        "risk_level": rng.choice(("Low", "Medium", "Medium", "High")),
        "accommodation": rng.choice(
            (
                "Settled (owner or tenant)",
                "Living with family or friends",
                "Temporary or emergency accommodation",
                "Supported housing",
            )
        ),
        "disability": rng.choice(("yes", "no", "no")),
        "caring": rng.choice(("yes", "no", "no", "no")),
        "armed_forces": rng.choice(("no",) * 9 + ("yes",)),
    }



def equality_fields(rng: random.Random, gender: str) -> dict:
    """The equality answers seed 004 asks to monitor that ``client_fields`` leaves out: looked after, EHC plan,
    pregnancy. Recorded for most people (a real service asks them at assessment), left blank for about one in
    eight, so the Month screen's list of what is missing shows a few real gaps rather than every client.

    A stream of its own (``rng``), so the people and histories the seed always gave stay the same.
    """
    out = {
        "looked_after": rng.choice(("no",) * 5 + ("yes",)),
        "ehc_plan": rng.choice(("no",) * 9 + ("yes",)),
        "pregnancy": rng.choice(("no",) * 11 + ("yes",)) if gender == "Female" else "no",
    }
    if rng.random() < 0.125:
        out.pop(rng.choice(sorted(out)))
    return out

