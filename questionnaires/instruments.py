"""The seven instruments as data: item count and range, keying, domains, missing-item limits, bands and
thresholds, with the wording the licences allow us to show.

Every number here comes from ``docs/SCORING.md`` (its section is named beside each instrument), so a
reader can check a rule against its source without reading the scoring code. Settings docs/SCORING.md grades L
(low confidence) are not here: they live in ``questionnaires.options.ScoringOptions``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction


@dataclass(frozen=True)
class Instrument:
    """One questionnaire: what a valid form looks like and how its score is read."""

    name: str
    title: str
    n_items: int
    low: int
    high: int
    period: str
    responses: tuple[str, ...]  # the label of each response value, ``low`` first
    items: tuple[str, ...]  # what the screen shows for each item
    reverse: frozenset[int] = frozenset()
    risk_self: tuple[int, ...] = ()
    risk_others: tuple[int, ...] = ()
    cutoff: Fraction | None = None  # caseness at or above
    rci: Fraction | None = None  # reliable change at or above
    bands: tuple[tuple[Fraction, str], ...] = ()  # (lower bound, label), ascending
    higher_is_better: bool = False
    copyright: str = ""
    aliases: tuple[str, ...] = field(default=())

    @property
    def risk_items(self) -> tuple[int, ...]:
        return tuple(sorted(self.risk_self + self.risk_others))

    @property
    def range_text(self) -> str:
        return f"{self.low}-{self.high}"

    def is_case(self, score: Fraction) -> bool:
        """Whether ``score`` is at or above the caseness cut-off (only asked of an instrument that has one)."""
        if self.cutoff is None:
            raise ValueError(f"{self.name} has no caseness cut-off")
        return score >= self.cutoff

    def is_reliable(self, delta: Fraction, *, strict: bool) -> bool:
        """Whether a change of ``delta`` reaches the reliable change index (``strict``: beyond it, not at it)."""
        if self.rci is None:
            raise ValueError(f"{self.name} has no reliable change index")
        return delta > self.rci if strict else delta >= self.rci


def _bands(*pairs: tuple[int | str, str]) -> tuple[tuple[Fraction, str], ...]:
    return tuple((Fraction(lo), label) for lo, label in pairs)


def band_of(bands: tuple[tuple[Fraction, str], ...], value: Fraction) -> str | None:
    """The label of the highest band whose lower bound ``value`` reaches (exact comparison)."""
    label = None
    for lower, name in bands:
        if value >= lower:
            label = name
    return label


BAND_WORDS = {
    "minimal": "minimal",
    "mild": "mild",
    "moderate": "moderate",
    "moderately_severe": "moderately severe",
    "severe": "severe",
    "healthy": "healthy",
    "low": "low",
    "moderate_severe": "moderate to severe",
    "high": "high",
    "very_high": "very high",
    "likely_well": "likely well",
    "subclinical": "subclinical",
    "significant_impairment": "significant impairment",
    "moderately_severe_or_worse": "moderately severe or worse",
}

CORE_COPYRIGHT = "© CORE System Trust: https://www.coresystemtrust.org.uk/copyright.pdf"
CORE_RESPONSES = ("Not at all", "Only occasionally", "Sometimes", "Often", "Most or all of the time")

# CORE-OM items as numbers with short labels (SCORING.md section 2, licence: the wording may only be shown unchanged
# with its copyright line; short labels let the practitioner key in from the paper form without reproducing it).
CORE_OM_LABELS = (
    "Felt terribly alone and isolated",
    "Felt tense, anxious or nervous",
    "Felt I have someone to turn to (+)",
    "Felt OK about myself (+)",
    "Felt totally lacking in energy",
    "Physically violent to others (risk)",
    "Able to cope when things go wrong (+)",
    "Troubled by aches and pains",
    "Thought of hurting myself (risk)",
    "Talking to people felt too much",
    "Tension stopped important things",
    "Happy with what I have done (+)",
    "Disturbed by unwanted thoughts",
    "Felt like crying",
    "Panic or terror",
    "Made plans to end my life (risk)",
    "Overwhelmed by my problems",
    "Difficulty sleeping",
    "Felt warmth for someone (+)",
    "Problems impossible to put aside",
    "Able to do most things I needed to (+)",
    "Threatened or intimidated someone (risk)",
    "Despairing or hopeless",
    "Better off dead (risk)",
    "Felt criticised by others",
    "Felt I have no friends",
    "Felt unhappy",
    "Unwanted images or memories",
    "Irritable with other people",
    "Thought I am to blame",
    "Optimistic about my future (+)",
    "Achieved things I wanted to (+)",
    "Felt humiliated or shamed",
    "Hurt myself physically or took risks (risk)",
)
CORE10_FROM_OM = (2, 3, 7, 10, 15, 16, 18, 23, 27, 28)

PHQ9 = Instrument(
    name="PHQ-9",
    title="Patient Health Questionnaire (PHQ-9)",
    n_items=9,
    low=0,
    high=3,
    period="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    responses=("Not at all", "Several days", "More than half the days", "Nearly every day"),
    items=(
        "Little interest or pleasure in doing things",
        "Feeling down, depressed, or hopeless",
        "Trouble falling or staying asleep, or sleeping too much",
        "Feeling tired or having little energy",
        "Poor appetite or overeating",
        "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
        "Trouble concentrating on things, such as reading the newspaper or watching television",
        "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so "
        "fidgety or restless that you have been moving around a lot more than usual",
        "Thoughts that you would be better off dead or of hurting yourself in some way",
    ),
    risk_self=(9,),
    cutoff=Fraction(10),
    rci=Fraction(6),
    bands=_bands((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "moderately_severe"), (20, "severe")),
    copyright="PHQ-9: developed by Drs Spitzer, Williams, Kroenke and colleagues; no permission required.",
    aliases=("phq9",),
)

GAD7 = Instrument(
    name="GAD-7",
    title="Generalised Anxiety Disorder Assessment (GAD-7)",
    n_items=7,
    low=0,
    high=3,
    period="Over the last 2 weeks, how often have you been bothered by the following problems?",
    responses=("Not at all", "Several days", "More than half the days", "Nearly every day"),
    items=(
        "Feeling nervous, anxious or on edge",
        "Not being able to stop or control worrying",
        "Worrying too much about different things",
        "Trouble relaxing",
        "Being so restless that it is hard to sit still",
        "Becoming easily annoyed or irritable",
        "Feeling afraid as if something awful might happen",
    ),
    cutoff=Fraction(8),
    rci=Fraction(4),
    bands=_bands((0, "minimal"), (5, "mild"), (10, "moderate"), (15, "severe")),
    copyright="GAD-7: developed by Drs Spitzer, Williams, Kroenke and colleagues; no permission required.",
    aliases=("gad7",),
)

CORE_OM = Instrument(
    name="CORE-OM",
    title="CORE Outcome Measure (CORE-OM, 34 items)",
    n_items=34,
    low=0,
    high=4,
    period="Over the last week (items 3, 4, 7, 12, 19, 21, 31 and 32 are reverse scored).",
    responses=CORE_RESPONSES,
    items=CORE_OM_LABELS,
    reverse=frozenset({3, 4, 7, 12, 19, 21, 31, 32}),
    risk_self=(9, 16, 24, 34),
    risk_others=(6, 22),
    cutoff=Fraction(10),
    rci=Fraction(5),
    bands=_bands((0, "healthy"), (6, "low"), (10, "mild"), (15, "moderate"), (20, "moderate_severe"), (25, "severe")),
    copyright=CORE_COPYRIGHT,
    aliases=("coreom", "core34", "core"),
)

CORE10 = Instrument(
    name="CORE-10",
    title="CORE-10",
    n_items=10,
    low=0,
    high=4,
    period="Over the last week (items 2 and 3 are reverse scored).",
    responses=CORE_RESPONSES,
    items=tuple(CORE_OM_LABELS[i - 1] for i in CORE10_FROM_OM),
    reverse=frozenset({2, 3}),
    risk_self=(6,),
    cutoff=Fraction(11),
    rci=Fraction(6),
    bands=_bands((0, "healthy"), (6, "low"), (11, "mild"), (15, "moderate"), (20, "moderate_severe"), (25, "severe")),
    copyright=CORE_COPYRIGHT,
    aliases=("core10",),
)

K10 = Instrument(
    name="K10",
    title="Kessler Psychological Distress Scale (K10)",
    n_items=10,
    low=1,
    high=5,
    period="In the past 4 weeks, about how often did you feel…",
    responses=("None of the time", "A little of the time", "Some of the time", "Most of the time",
               "All of the time"),
    items=(
        "Tired out for no good reason",
        "Nervous",
        "So nervous that nothing could calm you down",
        "Hopeless",
        "Restless or fidgety",
        "So restless you could not sit still",
        "Depressed",
        "That everything was an effort",
        "So sad that nothing could cheer you up",
        "Worthless",
    ),
    bands=_bands((10, "low"), (16, "moderate"), (22, "high"), (30, "very_high")),
    aliases=("k10", "kessler", "kessler10"),
)
K10_CRUFAD_BANDS = _bands((10, "likely_well"), (20, "mild"), (25, "moderate"), (30, "severe"))

WSAS = Instrument(
    name="WSAS",
    title="Work and Social Adjustment Scale (WSAS)",
    n_items=5,
    low=0,
    high=8,
    period="Because of my problem, my ability to… is impaired (0 not at all, 8 very severely; NA on item 1 "
           "if retired or not working for reasons unrelated to the problem).",
    responses=("Not at all", "", "Slightly", "", "Definitely", "", "Markedly", "", "Very severely"),
    items=(
        "Work (NA if retired or not working for other reasons)",
        "Home management",
        "Social leisure activities",
        "Private leisure activities",
        "Close relationships",
    ),
    bands=_bands((0, "subclinical"), (10, "significant_impairment"), (21, "moderately_severe_or_worse")),
    aliases=("wsas",),
)

GSE = Instrument(
    name="GSE",
    title="General Self-Efficacy Scale (GSE)",
    n_items=10,
    low=1,
    high=4,
    period="How true is each statement for you? (higher scores mean more self-efficacy)",
    responses=("Not at all true", "Hardly true", "Moderately true", "Exactly true"),
    items=(
        "Can solve difficult problems if I try hard enough",
        "Can find the means to get what I want if opposed",
        "Easy to stick to my aims and goals",
        "Can deal efficiently with unexpected events",
        "Resourceful enough to handle unforeseen situations",
        "Can solve most problems if I invest the effort",
        "Can remain calm facing difficulties",
        "Can usually find several solutions to a problem",
        "Can usually think of a solution when in trouble",
        "Can usually handle whatever comes my way",
    ),
    higher_is_better=True,
    copyright="GSE: Schwarzer & Jerusalem (1995).",
    aliases=("gse", "selfefficacy"),
)

INSTRUMENTS: dict[str, Instrument] = {i.name: i for i in (PHQ9, GAD7, CORE_OM, CORE10, K10, WSAS, GSE)}


def _key(text: str) -> str:
    return "".join(ch for ch in str(text).casefold() if ch.isalnum())


_BY_KEY = {_key(a): i.name for i in INSTRUMENTS.values() for a in (i.name, *i.aliases)}
