"""The date task: formats, deterministic leak-free splits, the ambiguity ceiling, and the field labels."""

import datetime
import subprocess
import sys

import numpy as np
import pytest

from course_utils import dates

MOON = datetime.date(1969, 7, 20)
# sha256 of make_splits(seed=0) with Babel 2.18 (CLDR 47). A Babel upgrade that changes how a locale writes
# dates changes this too: then check the new renderings and update it.
SPLITS_DIGEST = "b998d127ec6133ec"


@pytest.fixture(scope="module")
def splits():
    return dates.make_splits(seed=0)


def test_the_course_examples_render_as_in_the_lessons():
    rendered = {f.name: f.render(MOON) for f in dates.FORMATS}
    assert rendered["ordinal, month first"] == "July 20th 1969"
    assert rendered["ordinal phrase"] == "the 20th of July, 1969"
    assert rendered["ko_KR full"] == "1969년 7월 20일 일요일"
    assert rendered["ko_KR medium"] == "1969. 7. 20."
    assert rendered["en_US short (M/d/yy)"] == "7/20/69"
    assert dates.iso(MOON) == "1969-07-20"


@pytest.mark.parametrize(
    "day, text",
    [
        (1, "1st"),
        (2, "2nd"),
        (3, "3rd"),
        (4, "4th"),
        (11, "11th"),
        (12, "12th"),
        (13, "13th"),
        (21, "21st"),
        (22, "22nd"),
        (23, "23rd"),
        (31, "31st"),
    ],
)
def test_ordinals(day, text):
    assert dates.ordinal(day) == text


def test_week_based_year_patterns_are_refused():
    """'YYYY' is the week-based year: 2008-12-29 belongs to week 1 of 2009."""
    with pytest.raises(ValueError, match="week-based year"):
        dates.babel_format("d MMM YYYY")


def test_splits_are_deterministic_across_processes(splits):
    assert splits.digest().startswith(SPLITS_DIGEST)
    code = "from course_utils.dates import make_splits; print(make_splits(seed=0).digest())"
    other = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": ""},
    ).stdout.strip()
    assert other == splits.digest()
    assert dates.make_splits(seed=1).digest() != splits.digest()


def test_splits_do_not_leak_and_keep_held_out_formats_apart(splits):
    assert (len(splits.train), len(splits.test), len(splits.ood)) == (10_000, 2_000, 1_000)
    assert not set(splits.train.text) & set(splits.test.text)
    assert not set(splits.train.text) & set(splits.ood.text)
    held_out = {f.name for f in dates.HELD_OUT_FORMATS}
    assert set(splits.ood.format) == held_out
    assert not set(splits.train.format) & held_out and not set(splits.test.format) & held_out
    assert splits.train.text.is_unique


def test_targets_are_the_iso_dates_of_the_texts(splits):
    renderers = {f.name: f.render for f in dates.FORMATS}
    for row in splits.test.head(300).itertuples():
        assert renderers[row.format](datetime.date.fromisoformat(row.iso)) == row.text
    years = splits.train.iso.str[:4].astype(int)
    assert years.min() >= 1950 and years.max() <= 2049


def test_the_alphabet_covers_every_character_of_the_splits(splits):
    seen = set("".join(splits.train.text) + "".join(splits.test.text) + "".join(splits.ood.text))
    assert seen <= set(dates.alphabet())
    assert max(splits.train.text.str.len()) <= dates.SOURCE_LENGTH


def test_the_task_is_well_posed_over_1950_to_2049():
    assert dates.best_achievable_exact_match(dates.FORMATS) == 1.0


def test_two_digit_years_over_two_centuries_cap_exact_match():
    """The ceiling computation does detect ambiguity: 'dd.MM.yy' over 1900-2099 is right only half the time."""
    two_digit = [f for f in dates.FORMATS if f.name == "dd.MM.yy"]
    ceiling = dates.best_achievable_exact_match(two_digit, datetime.date(1900, 1, 1), datetime.date(2099, 12, 31))
    assert 0.5 < ceiling < 0.501  # each text has two dates a century apart; 29 Feb 2000 has no twin


def test_a_format_listed_twice_counts_twice():
    """Two formats of equal weight: one ambiguous over 1900-2099 (0.5), one not (1.0); listing the second twice
    moves the ceiling from 0.75 to 5/6, as the Coursera list's ten "full" entries weigh that format."""
    first, last = datetime.date(1900, 1, 1), datetime.date(2099, 12, 31)
    two_digit, four_digit = dates.FORMATS_BY_NAME["dd.MM.yy"], dates.FORMATS_BY_NAME["dd.MM.yyyy"]
    once = dates.best_achievable_exact_match([two_digit, four_digit], first, last)
    twice = dates.best_achievable_exact_match([two_digit, four_digit, four_digit], first, last)
    assert abs(once - 0.75) < 0.001 and abs(twice - 5 / 6) < 0.001


def test_the_coursera_setting_has_unambiguous_two_digit_years():
    """1970-2025 with the week-year repaired is well-posed; as written, week-years mislabel texts near New Year."""
    end = datetime.date(2025, 12, 31)
    short = [f for f in dates.coursera_formats(calendar_year=True) if f.name in ("d MM YY", "dd.MM.YY", "short")]
    assert dates.best_achievable_exact_match(short, dates.COURSERA_FIRST_DATE, end) == 1.0
    as_written = dates.coursera_formats()
    assert len(as_written) == 24 and sum(f.name == "full" for f in as_written) == 10
    new_year = datetime.date(2002, 12, 30)  # a Monday: its week belongs to 2003
    written = {f.name: f.render(new_year) for f in as_written}
    assert written["d MMM YYY"] == "30 dec 2003" and written["short"] == "12/30/02"


def test_date_vocabularies():
    source_vocabulary, target_vocabulary = dates.vocabularies()
    assert target_vocabulary.tokens[3:] == list("-0123456789")
    assert "년" in source_vocabulary.tokens and np.all([c in source_vocabulary.tokens for c in "0123456789/.,"])


def test_field_pieces_join_to_the_rendered_text_for_every_format():
    rng = __import__("random").Random(3)
    for date_format in dates.FORMATS:
        for _ in range(60):
            date = dates.random_date(rng)
            labels = date_format.field_labels(date)
            assert "".join(text for text, _ in date_format.renderer.pieces(date)) == date_format.render(date)
            assert len(labels) == len(date_format.render(date))


def test_field_labels_mark_year_month_day_and_weekday():
    def spans(name):
        text, labels = dates.FORMATS_BY_NAME[name].render(MOON), dates.FORMATS_BY_NAME[name].field_labels(MOON)
        return {
            field: "".join(c for c, label in zip(text, labels) if label == field)
            for field in ("year", "month", "day", "weekday")
        }

    assert spans("ordinal, month first") == {"year": "1969", "month": "July", "day": "20th", "weekday": ""}
    assert spans("ko_KR full") == {"year": "1969", "month": "7월", "day": "20", "weekday": "일요일"}
    assert spans("en_US short (M/d/yy)") == {"year": "69", "month": "7", "day": "20", "weekday": ""}
    assert spans("en_US long, upper case")["month"] == "JULY"


def test_lesson_07s_caveat_about_the_ood_split_holds():
    """Lesson 07 says how far its ood split is from new text: yyyy/M/d writes the trained yyyy/MM/dd's text whenever
    month and day both have two digits (273 of its 1,696 texts at seed 0 with 5,000 ood texts), and 2 of the 5,000
    ood texts also occur in training."""
    splits = dates.make_splits(seed=0, ood_size=5_000)
    in_training = splits.ood.text.isin(set(splits.train.text))
    slashed = splits.ood[splits.ood.format == "yyyy/M/d"]
    trained_lookalikes = slashed.text.str.fullmatch(r"\d{4}/\d\d/\d\d")
    assert (len(slashed), int(trained_lookalikes.sum()), int(in_training.sum())) == (1_696, 273, 2)
