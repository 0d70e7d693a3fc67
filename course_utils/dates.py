"""The date-normalisation task of Ng's Sequence Models course (week 3): "July 20th 1969" -> "1969-07-20".

Dates come from a fixed range with our own seeded generator (never "until today"), rendered with Babel in
many formats: Babel's standard styles in English and Korean, custom patterns (calendar year ``yyyy``/``yy``,
never the week-year ``YYYY``/``YY``), and ordinal forms Babel does not produce. The range 1950–2049 keeps
two-digit years well-posed (50–99 mean 19xx, 00–49 mean 20xx); ``best_achievable_exact_match`` shows what a
wider range would cost.
"""

import datetime
import hashlib
import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import pandas as pd
from babel import Locale
from babel.dates import format_date, get_date_format, get_month_names, tokenize_pattern

# Aliases: exercises/lesson09.py and tests/test_exercise_oracles.py import these from here (their home is
# date_alignment).
from course_utils.date_alignment import ISO_FIELDS as ISO_FIELDS
from course_utils.date_alignment import alignment_score as alignment_score
from course_utils.seq2seq_data import teacher_forcing_arrays
from course_utils.vocabulary import Vocabulary

FIRST_DATE, LAST_DATE = datetime.date(1950, 1, 1), datetime.date(2049, 12, 31)
SOURCE_LENGTH = 32  # characters a date model reads (the longest format has 29)
TARGET_LENGTH = 11  # "YYYY-MM-DD" and <end>


FIELD_OF_LETTER = {"y": "year", "M": "month", "d": "day", "E": "weekday"}  # Babel pattern letters we use
Piece = tuple[str, str]  # (text, field): field is "year", "month", "day", "weekday" or "" for literal text


class BabelPattern:
    """Babel's standard style ("short", "medium", "long", "full") or a pattern such as "d MMMM yyyy"."""

    def __init__(self, style_or_pattern: str, locale: str = "en_US"):
        if "Y" in style_or_pattern:
            raise ValueError(
                f"Pattern {style_or_pattern!r} uses 'Y', the week-based year: late-December dates "
                f"would get the next year. Use 'yyyy' or 'yy'."
            )
        styles = ("short", "medium", "long", "full")
        self.pattern = (
            get_date_format(style_or_pattern, locale=locale).pattern if style_or_pattern in styles else style_or_pattern
        )
        self.locale = locale
        self.tokens = tokenize_pattern(self.pattern)
        self._babel_locale = Locale.parse(locale)  # parsed once: format_date would parse the name at every call

    def text(self, date: datetime.date) -> str:
        return format_date(date, self.pattern, locale=self._babel_locale)

    def pieces(self, date: datetime.date) -> list[Piece]:
        """The text field by field: the same characters as ``text``, each piece labelled with its field."""
        return [
            (value, "")
            if kind == "chars"
            else (format_date(date, value[0] * value[1], locale=self._babel_locale), FIELD_OF_LETTER[value[0]])
            for kind, value in self.tokens
        ]


class Written:
    """A format Babel does not produce, written piece by piece by ``make_pieces(date)``."""

    def __init__(self, make_pieces: Callable[[datetime.date], list[Piece]]):
        self.pieces = make_pieces

    def text(self, date: datetime.date) -> str:
        return "".join(text for text, _ in self.pieces(date))


class Cased:
    """Another format in upper or lower case."""

    def __init__(self, inner, case: str):
        self.inner, self.case = inner, case

    def text(self, date: datetime.date) -> str:
        return getattr(self.inner.text(date), self.case)()

    def pieces(self, date: datetime.date) -> list[Piece]:
        return [(getattr(text, self.case)(), field) for text, field in self.inner.pieces(date)]


@dataclass(frozen=True)
class DateFormat:
    """One way of writing a date."""

    name: str
    renderer: BabelPattern | Written | Cased
    held_out: bool = False  # True: never in training; used for the out-of-distribution split

    def render(self, date: datetime.date) -> str:
        return self.renderer.text(date)

    def field_labels(self, date: datetime.date) -> list[str]:
        """For each character of ``render(date)``, the field it writes ("year", "month", ...) or ""."""
        return [field for text, field in self.renderer.pieces(date) for _ in text]


def babel_format(style_or_pattern: str, locale: str = "en_US") -> BabelPattern:
    """Babel's standard style or a pattern (calendar year ``yyyy``/``yy``; ``Y`` is refused)."""
    return BabelPattern(style_or_pattern, locale)


def ordinal(day: int) -> str:
    """1 -> '1st', 2 -> '2nd', 3 -> '3rd', 11 -> '11th', 22 -> '22nd'."""
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


@cache
def month_name(month: int, width: str = "wide") -> str:
    return get_month_names(width, locale="en_US")[month]


def _ordinal_month_first(date):  # July 20th 1969
    return [
        (month_name(date.month), "month"),
        (" ", ""),
        (ordinal(date.day), "day"),
        (" ", ""),
        (str(date.year), "year"),
    ]


def _ordinal_day_first(date):  # 20th July 1969
    return [
        (ordinal(date.day), "day"),
        (" ", ""),
        (month_name(date.month), "month"),
        (" ", ""),
        (str(date.year), "year"),
    ]


def _ordinal_phrase(date):  # the 20th of July, 1969
    return [
        ("the ", ""),
        (ordinal(date.day), "day"),
        (" of ", ""),
        (month_name(date.month), "month"),
        (", ", ""),
        (str(date.year), "year"),
    ]


FORMATS = [
    DateFormat("en_US short (M/d/yy)", babel_format("short")),
    DateFormat("en_US medium", babel_format("medium")),
    DateFormat("en_US long", babel_format("long")),
    DateFormat("en_US full", babel_format("full")),
    DateFormat("d MMM yyyy", babel_format("d MMM yyyy")),
    DateFormat("d MMMM yyyy", babel_format("d MMMM yyyy")),
    DateFormat("EEEE d MMMM yyyy", babel_format("EEEE d MMMM yyyy")),
    DateFormat("MMMM d yyyy", babel_format("MMMM d yyyy")),
    DateFormat("dd.MM.yy", babel_format("dd.MM.yy")),
    DateFormat("dd.MM.yyyy", babel_format("dd.MM.yyyy")),
    DateFormat("yyyy/MM/dd", babel_format("yyyy/MM/dd")),
    DateFormat("ordinal, month first", Written(_ordinal_month_first)),
    DateFormat("ordinal, day first", Written(_ordinal_day_first)),
    DateFormat("en_US long, upper case", Cased(babel_format("long"), "upper")),
    DateFormat("d MMM yyyy, lower case", Cased(babel_format("d MMM yyyy"), "lower")),
    DateFormat("ordinal, month first, lower case", Cased(Written(_ordinal_month_first), "lower")),
    DateFormat("ko_KR short (yy. M. d.)", babel_format("short", "ko_KR")),
    DateFormat("ko_KR medium", babel_format("medium", "ko_KR")),
    DateFormat("ko_KR long", babel_format("long", "ko_KR")),
    DateFormat("ko_KR full", babel_format("full", "ko_KR")),
    # Held out of training: new arrangements of characters the model has seen.
    DateFormat("ordinal phrase", Written(_ordinal_phrase), held_out=True),
    DateFormat("EEE, MMM d, yyyy", babel_format("EEE, MMM d, yyyy"), held_out=True),
    DateFormat("yyyy/M/d", babel_format("yyyy/M/d"), held_out=True),
]
FORMATS_BY_NAME = {f.name: f for f in FORMATS}
TRAINED_FORMATS = [f for f in FORMATS if not f.held_out]
HELD_OUT_FORMATS = [f for f in FORMATS if f.held_out]


def iso(date: datetime.date) -> str:
    return date.isoformat()  # YYYY-MM-DD


def random_date(rng: random.Random, first=FIRST_DATE, last=LAST_DATE) -> datetime.date:
    """A uniform date in [first, last], from ``rng.random()`` only (its sequence is stable across Pythons)."""
    return first + datetime.timedelta(days=int(rng.random() * ((last - first).days + 1)))


def sample_dates(count: int, formats: Sequence[DateFormat], rng: random.Random, exclude=frozenset()) -> pd.DataFrame:
    """``count`` examples with distinct texts, none of them in ``exclude``: columns text, iso, format."""
    rows, seen = [], set(exclude)
    while len(rows) < count:
        date, date_format = random_date(rng), formats[int(rng.random() * len(formats))]
        text = date_format.render(date)
        if text not in seen:
            seen.add(text)
            rows.append((text, iso(date), date_format.name))
    return pd.DataFrame(rows, columns=["text", "iso", "format"])


@dataclass
class DateSplits:
    """train and test use the trained formats; ood uses only held-out formats. No text is in two splits."""

    train: pd.DataFrame
    test: pd.DataFrame
    ood: pd.DataFrame

    def digest(self) -> str:
        """sha256 of every split's rows: the same seed gives the same digest on any day and machine."""
        hasher = hashlib.sha256()
        for name in ("train", "test", "ood"):
            for row in getattr(self, name).itertuples(index=False):
                hasher.update(f"{name}\t{row.text}\t{row.iso}\t{row.format}\n".encode())
        return hasher.hexdigest()


def make_splits(seed: int = 0, train_size: int = 10_000, test_size: int = 2_000, ood_size: int = 1_000) -> DateSplits:
    """Deterministic splits without leakage: test texts are drawn first, and training never reuses one."""
    rng = random.Random(seed)
    test = sample_dates(test_size, TRAINED_FORMATS, rng)
    train = sample_dates(train_size, TRAINED_FORMATS, rng, exclude=frozenset(test.text))
    ood = sample_dates(ood_size, HELD_OUT_FORMATS, rng)
    return DateSplits(train=train, test=test, ood=ood)


def alphabet(formats: Sequence[DateFormat] = FORMATS) -> list[str]:
    """Every character the formats can produce: all months, weekdays and digits, rendered in every format."""
    probe = [datetime.date(2000 + (i % 10), 1 + i % 12, 1 + (i * 7) % 28) for i in range(84)]  # each month & weekday
    return sorted({character for f in formats for date in probe for character in f.render(date)})


def all_dates(first=FIRST_DATE, last=LAST_DATE):
    return [first + datetime.timedelta(days=d) for d in range((last - first).days + 1)]


def best_achievable_exact_match(formats: Sequence[DateFormat], first=FIRST_DATE, last=LAST_DATE) -> float:
    """The exact match of an oracle that knows the whole distribution (dates uniform, each listed format equally
    likely: a format listed twice, by name, is twice as likely).

    Every date in the range is rendered in every format; a text that several dates render to can only be
    answered right for the most common of them. 1.0 means the task is well-posed.
    """
    dates = all_dates(first, last)
    answers = [iso(date) for date in dates]
    listed = Counter(f.name for f in formats)  # name -> how often the list holds it
    distinct = {f.name: f for f in formats}
    first_answer: dict[str, tuple[str, int]] = {}  # text -> (the date it was first rendered from, weight)
    repeated: dict[str, Counter] = {}  # only texts rendered from more than one (date, format): date -> weight
    for name, weight in listed.items():
        for date, answer in zip(dates, answers):
            text = distinct[name].render(date)
            if text in first_answer:
                repeated.setdefault(text, Counter({first_answer[text][0]: first_answer[text][1]}))[answer] += weight
            else:
                first_answer[text] = (answer, weight)
    right = sum(weight for text, (_, weight) in first_answer.items() if text not in repeated)
    right += sum(max(counter.values()) for counter in repeated.values())
    return right / (len(dates) * len(formats))


# The Coursera assignment's generator (nmt_utils.py of Ng's Sequence Models, week 3), as written there: Faker's
# date_object() (1970-01-01 .. the day it runs), en_US, "full" ten times in the list, week-year letters YYY/YY,
# then lower case and commas removed; the label is the date's isoformat().
COURSERA_PATTERNS = (
    ["short", "medium", "long"]
    + ["full"] * 10
    + [
        "d MMM YYY",
        "d MMMM YYY",
        "dd MMM YYY",
        "d MMM, YYY",
        "d MMMM, YYY",
        "dd, MMM YYY",
        "d MM YY",
        "d MMMM YYY",
        "MMMM d YYY",
        "MMMM d, YYY",
        "dd.MM.YY",
    ]
)
COURSERA_FIRST_DATE = datetime.date(1970, 1, 1)


class AssignmentPattern:
    """A pattern rendered the way the Coursera generator does: lower case, commas removed, ``Y`` allowed."""

    def __init__(self, style_or_pattern: str, calendar_year: bool = False):
        self.pattern = style_or_pattern.replace("Y", "y") if calendar_year else style_or_pattern

    def text(self, date: datetime.date) -> str:
        return format_date(date, self.pattern, locale="en_US").lower().replace(",", "")


def coursera_formats(calendar_year: bool = False) -> list[DateFormat]:
    """The assignment's 24 formats; ``calendar_year=True`` repairs its week-year letters (YYY -> yyy)."""
    return [DateFormat(pattern, AssignmentPattern(pattern, calendar_year)) for pattern in COURSERA_PATTERNS]


def vocabularies() -> tuple[Vocabulary, Vocabulary]:
    """Character vocabularies: every character any format can write, and the 11 of an ISO date."""
    return Vocabulary(alphabet()), Vocabulary(list("-0123456789"))


def training_arrays(frame: pd.DataFrame):
    """((source, target_in), target_out) of a split's dates (``text`` → ``iso``) for teacher forcing, encoded with
    ``vocabularies()`` at the task's lengths."""
    source_vocabulary, target_vocabulary = vocabularies()
    return teacher_forcing_arrays(
        frame.text,
        frame.iso,
        source_vocabulary,
        target_vocabulary,
        source_length=SOURCE_LENGTH,
        target_length=TARGET_LENGTH,
    )
