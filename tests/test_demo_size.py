"""The demo at any size: NHS test numbers given once each (drawn at random from the million they collided after
about a thousand clients, and a demo of 2,000 failed), and every session planned within the order that the plan
itself made (a fortnightly plan of twelve sessions outran a six-month order, and the demo failed at about 150
clients when the order's end began to be enforced).
"""

from __future__ import annotations

import random
from datetime import date, datetime

from db import records as rec
from db.connection import connect
from demo.generator import fill_demo
from demo.histories import case_plan
from demo.people import synthetic_nhs_numbers
from service.core import checklist_of
from vocabulary.identity import nhs_number_problem
from vocabulary.stages import order_end

TODAY = date(2026, 12, 7)


def test_synthetic_nhs_numbers_are_valid_test_numbers_each_given_once():
    numbers = synthetic_nhs_numbers()
    first = [next(numbers) for _ in range(20_000)]
    assert len(set(first)) == len(first)
    assert all(n.startswith("999") and nhs_number_problem(n, test_numbers=True) is None for n in first)
    assert first[1][3:6] != first[0][3:6]  # spread over the range, not counting up


def test_every_planned_session_falls_within_the_order_the_plan_made():
    for seed in range(400):
        rng = random.Random(seed)
        for target in ("in-treatment", "completed", "closed", "withdrawn"):
            plan = case_plan(rng, target, TODAY)
            sentence = next((d, data) for kind, d, data in plan if kind == "court-outcome")
            end = order_end(sentence[0], sentence[1]["length_months"])
            sessions = [d for kind, d, _ in plan if kind == "session"]
            assert all(d <= end for d in sessions), (seed, target, end, sessions)


def test_a_demo_added_to_a_demo_gives_new_people_new_numbers(tmp_path):
    db = connect(tmp_path / "demo.db", create=True)
    try:
        now = datetime(2026, 12, 7, 12, 0)
        fill_demo(db, 24, 7, TODAY, now, checklist=checklist_of(db))
        fill_demo(db, 12, 7, TODAY, now, checklist=checklist_of(db))  # the same people again, as far as the seed goes
        held = rec.nhs_numbers_held(db)
        assert len(held) == rec.count_clients(db) == 36
    finally:
        db.close()


def test_the_benchmark_builder_plans_every_session_within_the_order():
    """The benchmark's ten-year service is built from plans of its own (``bench/build.py``); twelve to twenty
    sessions a week or a fortnight apart outran orders of six to twelve months, and the build stopped on the
    rule that sessions are held within the order."""
    from bench.build import CasePlan, _events

    for seed in range(300):
        for planned in (12, 16, 20):
            for interval in (7, 14):
                plan = CasePlan(date(2019, 3, 4), "completed", planned, interval, seed=seed, extras=2)
                events = _events(plan, TODAY)
                kind, sentence, data = next(e for e in events if e[0] == "court-outcome")
                end = order_end(sentence, data["length_months"])
                sessions = [d for k, d, e in events if k == "session" and not e.get("extra")]
                assert sessions and all(d <= end for d in sessions), (seed, planned, interval, end)
                assert data["length_months"] <= 24
