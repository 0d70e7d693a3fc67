"""Lesson 07 (date normalization): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. The expected answers of the ordinal, two-digit year and field errors are
worked out in the checks themselves; ``check_allowed_after`` compares with the reference solution
``allowed_after``, which tests/test_exercise_oracles.py checks against the trie of every date
(``date_normalization.date_constraint``). ``check_decoder_without_previous_output`` compares the learner's decoder
with Luong's decoder fed ``<start>`` at every step, then re-measures the learner's trained model;
``check_flag_quality`` counts flags and errors one answer at a time, then re-measures the learner's threshold.
"""

from collections.abc import Callable

import numpy as np
from keras import ops

from course_utils.exercises.checking import (
    NOT_ANSWERED,
    WrongAnswer,
    answered,
    close_fields,
    correct,
    exercise_check,
    run_check,
    same_text,
)
from course_utils.seq2seq import LuongDecoder
from course_utils.vocabulary import START_ID

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


class DecoderWithoutPreviousOutput(LuongDecoder):
    """Ng's post-attention decoder: the GRU is fed <start> at every step, never the previous output y<t-1>."""

    def call(self, target_in, state, encoder_outputs, encoder_mask=None):
        blind = ops.full_like(target_in, START_ID)  # (batch, T_out): the same token at every step
        return super().call(blind, state, encoder_outputs, encoder_mask)


def flag_quality(confidence, right, threshold):
    """The flag "confidence < threshold" as a detector of wrong answers: (precision, recall)."""
    flagged, wrong = np.asarray(confidence) < threshold, ~np.asarray(right, dtype=bool)
    caught = np.sum(flagged & wrong)
    return float(caught / max(flagged.sum(), 1)), float(caught / max(wrong.sum(), 1))


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
            print(f"allowed after: {NOT_ANSWERED}")
            return
        expected = allowed_after(prefix)
        if set(got) != expected:
            raise WrongAnswer(f"allowed after: for {prefix!r} expected {sorted(expected)}, got {sorted(set(got))}.")
    print(correct("allowed after", f"{len(probes)} prefixes checked"))
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


@exercise_check
def check_decoder_without_previous_output(
    answer, trained=None, measured=None, texts=None, references=None, baseline=None
) -> None:
    """``answer``: a decoder class built like ``LuongDecoder(vocabulary_size, embedding_dim, units)`` that never
    reads y<t-1>. Compared with LuongDecoder, same weights, fed <start> at every step. Then, with ``trained`` (a
    date model using it), ``measured`` (its exact match on ``texts``) is measured again here."""
    name = "decoder without y<t-1>"
    reference = LuongDecoder(14, 4, 8, score="general")
    try:
        decoder = answer(14, 4, 8)  # vocabulary, embedding, units: a LuongDecoder with its "general" score
    except NotImplementedError:
        decoder = None
    if not answered(decoder):
        print(f"{name}: {NOT_ANSWERED}")
        return
    rng = np.random.default_rng(7)
    state = rng.normal(size=(3, 8)).astype("float32")  # (batch, units)
    encoder_outputs = rng.normal(size=(3, 5, 8)).astype("float32")  # (batch, T_in, units)
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0], [1, 1, 1, 1, 0]], dtype=bool)
    inputs = [rng.integers(3, 14, size=(3, 4)).astype("int32") for _ in range(2)]  # two different y<t-1> rows
    expected = reference.call(np.full((3, 4), START_ID, "int32"), state, encoder_outputs, mask)
    for part in ("embedding", "rnn", "attention", "combine", "output_layer"):
        if not hasattr(decoder, part):
            raise WrongAnswer(f"{name}: the decoder has no `{part}`; derive it from LuongDecoder and keep its layers.")
    built = decoder.call(inputs[0], state, encoder_outputs, mask)  # builds the layers, then they get the same weights
    if not answered(built):
        print(f"{name}: {NOT_ANSWERED}")
        return
    if not isinstance(built, (tuple, list)) or len(built) != 3:
        raise WrongAnswer(f"{name}: call must return (logits, state, weights) as LuongDecoder does.")
    for layer in ("embedding", "rnn", "attention", "combine", "output_layer"):
        getattr(decoder, layer).set_weights(getattr(reference, layer).get_weights())
    for target_in in inputs:
        got = decoder.call(target_in, state, encoder_outputs, mask)
        if np.shape(got[0]) != np.shape(expected[0]):
            raise WrongAnswer(f"{name}: logits of shape {np.shape(got[0])}, expected {np.shape(expected[0])}.")
        if not np.allclose(np.asarray(got[0]), np.asarray(expected[0]), atol=1e-5):
            raise WrongAnswer(
                f"{name}: with the same weights, state and encoder outputs, the logits for y<t-1> = "
                f"{target_in[0].tolist()} differ from LuongDecoder's fed <start> at every step: the output "
                "still depends on the previous outputs, or the step is not Luong's."
            )
    print(correct(name, f"the same logits for {len(inputs)} different histories"))
    if trained is None:
        return
    from course_utils.decoding import translate
    from course_utils.metrics import exact_match

    if not isinstance(trained.decoder, answer):
        raise WrongAnswer(f"{name}: the trained model's decoder is a {type(trained.decoder).__name__}, not yours.")
    again = exact_match(translate(trained, list(texts)), list(references))
    if not answered(measured) or abs(float(measured) - again) > 1e-9:
        raise WrongAnswer(f"{name}: `measured` ({measured!r}) is not this model's exact match on these texts.")
    against = "" if baseline is None else f" (with y<t-1>: {baseline:.1%})"
    print(f"Without y<t-1>: exact match {again:.1%} on {len(texts)} held-out dates{against}.")


@exercise_check
def check_flag_quality(answer, confidence=None, right=None, threshold=None) -> None:
    """``answer(confidence, right, threshold)`` -> (precision, recall) of the flag "confidence < threshold" as a
    detector of wrong answers. Then, with the lesson's ``confidence`` and ``right``, the learner's ``threshold``
    must catch at least half of the wrong answers."""
    name = "flag quality"
    probabilities = [0.1, 0.3, 0.45, 0.8, 0.95, 0.99, 0.6]
    right_answers = [False, True, True, False, True, True, False]

    def counted(chosen):  # one answer at a time
        caught = flagged = wrong = 0
        for p, is_right in zip(probabilities, right_answers):
            flagged += p < chosen
            wrong += not is_right
            caught += p < chosen and not is_right
        return (caught / flagged, caught / wrong)

    cases = [((probabilities, right_answers, chosen), counted(chosen)) for chosen in (0.5, 0.9, 0.35)]
    before = _printed_correct(name, answer, cases)
    if not before or confidence is None:
        return
    if not answered(threshold):
        print(
            f"{name}: choose a threshold: replace the `...` and run the cell again.\n"
            "  문턱값을 고르세요: `...`를 바꾸고 셀을 다시 실행합니다."
        )
        return
    precision, recall = answer(confidence, right, threshold)
    flagged, wrong = np.asarray(confidence) < threshold, ~np.asarray(right, dtype=bool)
    if recall < 0.5:
        raise WrongAnswer(
            f"{name}: at threshold {threshold} the flag catches {int(np.sum(flagged & wrong))} of the "
            f"{int(wrong.sum())} wrong answers (recall {recall:.0%}); raise the threshold until it catches half."
        )
    print(
        f"At threshold {threshold}: {int(flagged.sum())} of {len(flagged)} answers flagged, precision "
        f"{precision:.1%}, recall {recall:.1%}."
    )


def _printed_correct(name, answer, cases) -> bool:
    """run_check, and whether it accepted the answer (False when not answered yet)."""
    import contextlib
    import io

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        run_check(name, answer, cases)
    print(printed.getvalue(), end="")
    return "correct" in printed.getvalue()
