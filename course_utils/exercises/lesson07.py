"""Lesson 07 (date normalization): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. The expected answers of the ordinal, two-digit year and field errors are
worked out in the checks themselves; ``check_allowed_after`` compares with the reference solution
``allowed_after``, which tests/test_exercise_oracles.py checks against the trie of every date
(``date_normalization.date_constraint``).
"""

from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import WrongAnswer, answered, close_fields, exercise_check, run_check, same_text

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


def allowed_after(prefix):
    """The characters that can follow ``prefix`` in a real date 1950-01-01 .. 2049-12-31 ("<end>" after 10)."""
    if len(prefix) == 10:
        return {"<end>"} if prefix in _next_characters() else set()
    return set(_next_characters().get(prefix, ()))


def _next_characters():
    """prefix -> the characters that follow it in some date of the range (built once)."""
    if not _NEXT:
        import datetime

        day = datetime.date(1950, 1, 1)
        while day.year < 2050:
            text = day.isoformat()
            for n in range(10):
                _NEXT.setdefault(text[:n], set()).add(text[n])
            _NEXT[text] = {"<end>"}
            day += datetime.timedelta(days=1)
    return _NEXT


_NEXT: dict[str, set] = {}


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


@exercise_check
def check_allowed_after(answer: Callable, free_outputs=None) -> None:
    """``answer(prefix)``: the set of next characters of real dates 1950..2049; then, with ``free_outputs``, how
    many impossible dates among them this constraint would have stopped."""
    import datetime

    probes = [
        "",
        "1",
        "19",
        "20",
        "204",
        "2049-12-3",
        "1969-02-",
        "1969-02-2",
        "2000-02-2",
        "1900-02-2",
        "1969-04-3",
        "1969-1",
        "1969-0",
        "1969-13",
        "1969-07-20",
        "2050",
        "19",
    ]
    for day in range(0, 36525, 911):
        text = (datetime.date(1950, 1, 1) + datetime.timedelta(days=day)).isoformat()
        probes += [text[:n] for n in (5, 8, 9)]
    for prefix in probes:
        try:
            got = answer(prefix)
        except NotImplementedError:
            got = None
        if not answered(got):
            print("allowed after: not answered yet. Replace the `...` in the exercise cell and run it again.")
            return
        expected = allowed_after(prefix)
        if set(got) != expected:
            raise WrongAnswer(f"allowed after: for {prefix!r} expected {sorted(expected)}, got {sorted(set(got))}.")
    print(f"allowed after: correct ({len(probes)} prefixes checked).")
    if free_outputs is not None:

        def stopped(text):  # the first character the constraint would have refused
            return any(text[n] not in answer(text[:n]) for n in range(len(text))) or "<end>" not in answer(text)

        impossible = [text for text in free_outputs if not _real_date(text) and stopped(text)]
        print(f"Your constraint stops {len(impossible)} of the {len(free_outputs)} free outputs: {impossible[:5]}")


def _real_date(text):
    import datetime

    try:
        return len(text) == 10 and 1950 <= datetime.date.fromisoformat(text).year <= 2049
    except ValueError:
        return False


def allowed_after_without_leap_years(prefix):
    """A typical mistake, for the lesson's rejection cell: February always has 28 days."""
    allowed = allowed_after(prefix)
    if len(prefix) == 9 and prefix[5:7] == "02" and prefix[8] == "2":
        allowed.discard("9")
    return allowed
