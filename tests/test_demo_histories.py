"""The demo's court outcomes say "sentenced on the day" only where the dates show it: the return counts the tick,
and a tick drawn at random (it was, for 60% of orders made a week or more after the assessment) overstated the
demo's return."""

from __future__ import annotations

import random
from datetime import date

from demo.histories import case_plan
from vocabulary.stages import Event, sentenced_on_day

TODAY = date(2026, 12, 7)


def test_a_demo_order_is_ticked_sentenced_on_the_day_exactly_when_its_dates_show_it():
    seen = 0
    for seed in range(300):
        rng = random.Random(seed)
        for target in ("sentenced", "in-treatment", "completed", "withdrawn", "closed"):
            plan = case_plan(rng, target, TODAY)
            court = next(data for kind, _, data in plan if kind == "court-outcome")
            # the return's reading of the dates alone, without the stored tick
            events = [Event(k, d, {**data, "sentenced_on_day": False}) for k, d, data in plan]
            assert court["sentenced_on_day"] is sentenced_on_day(events), (seed, target, plan)
            seen += 1
    assert seen == 1500
