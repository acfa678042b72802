"""Reads kept for one transaction (``db.transaction.kept_read``): a case and its events are read once per
transaction, until a write to them, and never outlive it."""

from __future__ import annotations

from datetime import date

import pytest

from db import records as rec
from db.transaction import transaction
from records import clients

DAY = date(2026, 11, 2)


def _reads(db) -> list[str]:
    """The SELECTs the connection runs from now on, as they run."""
    statements: list[str] = []

    def seen(sql: str) -> None:
        if sql.lstrip().upper().startswith("SELECT"):
            statements.append(sql)

    db.conn.set_trace_callback(seen)
    return statements


def _case(db) -> tuple[str, int]:
    ref = clients.add_client(db, {"name": "Ann Synthetic", "dob": "1990-02-03"}, DAY)
    return ref, rec.get_case(db, ref)["case_id"]


def test_a_transaction_reads_a_case_and_its_events_once_until_it_writes_them(db):
    ref, case_id = _case(db)
    statements = _reads(db)
    try:
        with transaction(db):
            assert [rec.get_case(db, r)["ref"] for r in (ref, ref.lower(), f" {ref} ")] == [ref] * 3
            assert rec.events_of_case(db, case_id) == [] and rec.events_of_case(db, case_id) == []
            case_reads = sum("FROM cases" in s for s in statements)
            event_reads = sum("FROM events AS e" in s for s in statements)
            assert (case_reads, event_reads) == (1, 1)

            rec.insert_event(db, case_id, "screening", DAY, {"outcome": "suitable"})
            assert [e["kind"] for e in rec.events_of_case(db, case_id)] == ["screening"]
            rec.update_case(db, case_id, {"ro_name": "Sam Officer"})
            assert rec.get_case(db, ref)["ro_name"] == "Sam Officer"
            rec.set_case_archived(db, case_id, "2026-11-03T10:00:00Z", "moved away")
            assert rec.get_case(db, ref)["case_archived_at"] == "2026-11-03T10:00:00Z"
            rec.update_client(db, rec.get_case(db, ref)["id"], {"phone": "01632 960000"})
            assert rec.get_case(db, ref)["phone"] == "01632 960000"
            assert sum("FROM events AS e" in s for s in statements) == 1  # the event recorded is placed, not read
            assert sum("FROM cases" in s for s in statements) == 4
    finally:
        db.conn.set_trace_callback(None)


def test_outside_a_transaction_every_read_goes_to_the_file(db):
    ref, case_id = _case(db)
    statements = _reads(db)
    try:
        rec.get_case(db, ref)
        rec.get_case(db, ref)
        rec.events_of_case(db, case_id)
        rec.events_of_case(db, case_id)
    finally:
        db.conn.set_trace_callback(None)
    assert sum("FROM cases" in s for s in statements) == 2
    assert sum("FROM events AS e" in s for s in statements) == 2


def test_nothing_kept_outlives_a_transaction_rolled_back(db):
    ref, case_id = _case(db)
    with pytest.raises(RuntimeError), transaction(db):
        rec.insert_event(db, case_id, "screening", DAY, {"outcome": "suitable"})
        rec.update_case(db, case_id, {"ro_name": "Sam Officer"})
        assert len(rec.events_of_case(db, case_id)) == 1
        assert rec.get_case(db, ref)["ro_name"] == "Sam Officer"
        raise RuntimeError("refused after the writes")
    with transaction(db):
        assert rec.events_of_case(db, case_id) == []
        assert rec.get_case(db, ref)["ro_name"] is None


def test_each_caller_gets_its_own_copy_of_what_was_kept(db):
    ref, case_id = _case(db)
    with transaction(db):
        rec.insert_event(db, case_id, "screening", DAY, {"outcome": "suitable"})
        first = rec.events_of_case(db, case_id)
        first[0]["data"]["outcome"] = "changed by a caller"
        first[0]["kind"] = "changed"
        first.clear()
        case = rec.get_case(db, ref)
        case["ref"] = "changed"
        again = rec.events_of_case(db, case_id)
        assert [(e["kind"], e["data"]["outcome"]) for e in again] == [("screening", "suitable")]
        assert rec.get_case(db, ref)["ref"] == ref


def test_a_due_date_in_working_days_is_counted_once_per_start_and_count():
    """Every event's tasks count working days from its date through the bank holiday calendar, day by day; the
    same (start, count) is worked out once and the answer is the same."""
    from checklists import workdays

    workdays.add_working_days.cache_clear()
    workdays.previous_working_day.cache_clear()
    christmas_eve = date(2026, 12, 24)
    first = workdays.add_working_days(christmas_eve, 2)
    assert first == date(2026, 12, 30)  # Christmas Day and Boxing Day (observed, the 28th) are not working days
    assert workdays.add_working_days(christmas_eve, 2) == first
    assert workdays.add_working_days.cache_info().hits == 1
    assert workdays.previous_working_day(date(2026, 12, 28)) == christmas_eve
    assert workdays.previous_working_day(date(2026, 12, 28)) == christmas_eve
    assert workdays.previous_working_day.cache_info().hits == 1



def test_an_event_recorded_takes_its_place_in_what_the_transaction_holds_as_a_new_read_would_give(db):
    """Recording an event puts it among the case's events held for the transaction (after every event up to its
    date: its ``seq`` is its own id) as the row stored reads back, without reading them all again or reading it;
    a correction makes them be read again."""
    ref, case_id = _case(db)
    days = [date(2026, 11, 5), date(2026, 11, 2), date(2026, 11, 5), date(2026, 11, 3), date(2026, 11, 2)]
    statements = _reads(db)
    whole = "FROM events AS e WHERE e.case_id"
    try:
        with transaction(db):
            assert rec.events_of_case(db, case_id) == []
            ids = [rec.insert_event(db, case_id, "session", d, {"outcome": "attended", "n": i})
                   for i, d in enumerate(days)]
            held = rec.events_of_case(db, case_id)
            assert sum(whole in s for s in statements) == 1  # before any event
            assert sum("FROM events AS e" in s for s in statements) == 1  # and no new one read back
        # Read again from the file, column for column (seq included): what the transaction held.
        assert rec.events_of_case(db, case_id) == held
        assert [e["date"] for e in held] == ["2026-11-02", "2026-11-02", "2026-11-03", "2026-11-05", "2026-11-05"]
        assert [e["id"] for e in held] == [ids[1], ids[4], ids[3], ids[0], ids[2]]
        with transaction(db):
            rec.events_of_case(db, case_id)
            fixed = rec.insert_event(db, case_id, "session", days[0], {"outcome": "attended", "n": 9}, corrects=ids[0])
            corrected = rec.events_of_case(db, case_id)
            assert sum(whole in s for s in statements) == 4  # the two reads outside, and again after the correction
    finally:
        db.conn.set_trace_callback(None)
    assert [e["id"] for e in corrected] == [ids[1], ids[4], ids[3], fixed, ids[2]]  # where the one it corrects was



def test_a_transaction_reads_the_settings_once_until_one_is_set(db):
    """Each questionnaire saved reads the service's scoring settings: within a transaction once, until one is set."""
    statements = _reads(db)
    try:
        with transaction(db):
            first = rec.all_settings(db)
            first["risk_threshold"] = "changed by a caller"
            assert rec.all_settings(db) == {k: v for k, v in first.items() if k != "risk_threshold"}
            assert sum("FROM settings" in s for s in statements) == 1
            rec.set_setting(db, "service_name", "Synthetic MHTR Service")
            assert rec.all_settings(db)["service_name"] == "Synthetic MHTR Service"
            assert sum("FROM settings" in s for s in statements) == 2
        rec.all_settings(db)
        assert sum("FROM settings" in s for s in statements) == 3
    finally:
        db.conn.set_trace_callback(None)


def test_a_rules_due_date_is_worked_out_once_per_rule_and_date():
    """Each event dates three or four tasks, most on the same few rules: a rule's due date for a date is worked out
    once (pure: a rule, a date, the fixed calendar), with the same answer, and a recurring rule is still refused."""
    import pytest

    from checklists import rules

    rules._due_after.cache_clear()
    friday = date(2026, 12, 18)
    two_weeks = rules.parse_rule("+2 weeks")
    assert two_weeks.due_after(friday) == date(2026, 12, 31)  # 1 January is a bank holiday: the Thursday before
    assert rules.parse_rule("+2 weeks").due_after(friday) == date(2026, 12, 31)
    assert rules._due_after.cache_info().hits == 1
    assert rules.parse_rule("+3 working days").due_after(date(2026, 12, 24)) == date(2026, 12, 31)
    with pytest.raises(rules.RuleError, match="for recurring tasks"):
        rules.parse_rule("friday").due_after(friday)
