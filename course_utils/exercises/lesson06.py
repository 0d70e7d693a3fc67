"""Lesson 06 (date normalization): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases whose answers are computed independently
and goes through the shared path in ``course_utils.exercises.checking``.
"""

from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import close_fields, exercise_check, run_check, same_text

# Solutions ------------------------------------------------------------------------------------------------


def ordinal(day: int) -> str:
    """11, 12 and 13 take "th"; otherwise the last digit decides."""
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def two_digit_year(yy: int) -> int:
    """Pivot at 50: 50-99 -> 1950-1999, 00-49 -> 2000-2049."""
    return 1900 + yy if yy >= 50 else 2000 + yy


def field_errors(predictions: list[str], references: list[str]) -> dict[str, float]:
    """Compare the characters of each field of "YYYY-MM-DD"."""
    fields = {"year": slice(0, 4), "month": slice(5, 7), "day": slice(8, 10)}
    return {
        name: float(np.mean([p[part] != r[part] for p, r in zip(predictions, references)]))
        for name, part in fields.items()
    }


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
def check_ordinal(answer: Callable[[int], str]) -> None:
    """``answer(day)`` must write the English ordinal: 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 31st."""
    endings = {1: "st", 2: "nd", 3: "rd"}
    cases = [((day,), f"{day}{'th' if day in (11, 12, 13) else endings.get(day % 10, 'th')}") for day in range(1, 32)]
    run_check("ordinal", answer, cases, compare=same_text)


@exercise_check
def check_two_digit_year(answer: Callable[[int], int]) -> None:
    """``answer(yy)`` must give the year in 1950–2049 that ends in yy (the course's well-posed range)."""
    cases = [((yy,), next(year for year in range(1950, 2050) if year % 100 == yy)) for yy in range(100)]
    run_check("two-digit year", answer, cases)


@exercise_check
def check_field_errors(answer: Callable[[list, list], dict]) -> None:
    """``answer(predictions, references)`` must return the year, month and day error rates of ISO dates."""
    references = ["1969-07-20", "2001-12-31", "1999-01-05", "2049-06-30"]
    predictions = ["1969-07-21", "2001-12-31", "1999-05-01", "2048-06-30"]
    expected = {"year": 0.25, "month": 0.25, "day": 0.5}
    run_check("field errors", answer, [((predictions, references), expected)], compare=close_fields)
