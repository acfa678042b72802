from datetime import date

import pytest

from vocabulary.dates import check_dob
from vocabulary.identity import ValidationError, age_band, format_nhs_number, nhs_number_problem, pick


@pytest.mark.parametrize("number", ["4010232137", "401 023 2137", "401-023-2137"])
def test_valid_nhs_numbers_pass(number):
    assert nhs_number_problem(number) is None


@pytest.mark.parametrize("number", ["9994765914", "999 476 5914", "999-476-5914"])
def test_test_numbers_pass_where_test_numbers_are_allowed(number):
    assert nhs_number_problem(number, test_numbers=True) is None
    assert "test number" in nhs_number_problem(number)


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("4010232138", "check digit"),  # last digit altered
        ("1234567890", "check digit"),  # remainder gives 10: never issued
        ("943476591", "10 digits"),
        ("94347659199", "10 digits"),
        ("94347659a9", "10 digits"),
        ("", "10 digits"),
    ],
)
def test_invalid_nhs_numbers_say_why(number, why):
    assert why in nhs_number_problem(number)


def test_nhs_number_printed_in_groups():
    assert format_nhs_number("9434765919") == "943 476 5919"


def test_date_of_birth_rules():
    today = date(2026, 11, 20)
    assert check_dob(date(1990, 2, 1), today) == date(1990, 2, 1)
    with pytest.raises(ValidationError, match="future"):
        check_dob(date(2027, 1, 1), today)
    with pytest.raises(ValidationError, match="under 18"):
        check_dob(date(2010, 1, 1), today)


def test_age_bands_at_edges():
    on = date(2026, 11, 20)
    assert age_band(date(2008, 11, 20), on) == "18-24"
    assert age_band(date(2001, 11, 21), on) == "18-24"  # 24 until tomorrow
    assert age_band(date(2001, 11, 20), on) == "25-34"
    assert age_band(date(1950, 1, 1), on) == "65+"


def test_picklist_matches_case_insensitively_and_refuses_unknown():
    assert pick("theft", ("Theft", "Burglary"), "offence type") == "Theft"
    assert pick("burg", ("Theft", "Burglary"), "offence type") == "Burglary"
    with pytest.raises(ValidationError, match="offence type 'piracy' is not one of"):
        pick("piracy", ("Theft", "Burglary"), "offence type")
