"""Checks for the lessons' exercises: each says "correct", "not answered yet", or raises with what is wrong.

A check calls the learner's function on cases whose answers are computed independently (by Keras, or by
the reference solutions in ``course_utils.solutions``), so a wrong answer is rejected, never waved through.
"""

from collections.abc import Callable

import numpy as np


class WrongAnswer(AssertionError):
    """The learner's answer disagrees with the expected one; the message says where."""


def _answered(value) -> None:
    return value is not Ellipsis and value is not None


def run_check(name: str, answer: Callable, cases: list[tuple[tuple, object]], *, tolerance: float = 1e-6) -> None:
    """Call ``answer(*arguments)`` for each case and compare with its expected value.

    Prints "correct" when all agree, or a hint when the answer still returns ``...``; raises WrongAnswer
    naming the first case that disagrees.
    """
    for arguments, expected in cases:
        try:
            got = answer(*arguments)
        except NotImplementedError:
            got = None
        if not _answered(got):
            print(f"{name}: not answered yet. Replace the `...` in the exercise cell and run it again.")
            return
        if np.shape(got) != np.shape(expected):
            raise WrongAnswer(f"{name}: for ({_arguments(arguments)}) expected a result of shape "
                              f"{np.shape(expected)}, got shape {np.shape(got)}.")
        close = np.isclose(got, expected, atol=tolerance, rtol=1e-5)
        if not close.all():
            if np.ndim(expected) == 0:
                where, expected_part, got_part = "", expected, got
            else:  # name the first row that differs
                row = int(np.argmin(close.reshape(len(close), -1).all(axis=1)))
                where, expected_part, got_part = f" in row {row}", np.asarray(expected)[row], np.asarray(got)[row]
            raise WrongAnswer(f"{name}: for ({_arguments(arguments)}) the result differs{where}: "
                              f"expected {_brief(expected_part)}, got {_brief(got_part)}.")
    print(f"{name}: correct ({len(cases)} cases checked).")


def expect_rejection(check: Callable[[Callable], None], wrong_answer: Callable) -> None:
    """Show that ``check`` rejects ``wrong_answer``; raise if it does not (then the check would be useless)."""
    try:
        check(wrong_answer)
    except WrongAnswer as rejection:
        print(f"Rejected, as it should be. {rejection}")
        return
    raise AssertionError(f"{getattr(check, '__name__', check)} accepted a wrong answer: the check is broken.")


def _arguments(arguments: tuple) -> str:
    return ", ".join(f"array of shape {np.shape(a)}" if np.ndim(a) else repr(a) for a in arguments)


def _brief(value) -> str:
    array = np.asarray(value)
    if array.ndim == 0:
        return repr(array.item())
    return np.array2string(array, precision=4, threshold=12, edgeitems=3, max_line_width=1000)


# Lesson 01 ------------------------------------------------------------------------------------------------

def check_gru_parameter_count(answer: Callable[[int, int], int]) -> None:
    """``answer(input_dim, units)`` must equal the parameter count of ``keras.layers.GRU(units)``."""
    import keras

    cases = []
    for input_dim, units in [(1, 1), (3, 4), (16, 128), (50, 7)]:
        layer = keras.layers.GRU(units)
        layer.build((None, None, input_dim))
        cases.append(((input_dim, units), layer.count_params()))
    run_check("GRU parameter count", answer, cases)


def check_temperature(answer: Callable[[np.ndarray, float], np.ndarray]) -> None:
    """``answer(probabilities, temperature)`` must rescale each row as softmax(log p / temperature)."""
    rows = np.array([[0.5, 0.3, 0.2], [0.1, 0.1, 0.8], [0.25, 0.25, 0.5]])
    cases = []
    for temperature in (1.0, 0.5, 2.0, 0.1):
        scaled = rows ** (1.0 / temperature)
        cases.append(((rows.copy(), temperature), scaled / scaled.sum(axis=1, keepdims=True)))
    run_check("temperature", answer, cases)


def check_last_real_state(answer: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """``answer(outputs, mask)`` must pick each row's output at its last real (unmasked) step.

    ``outputs`` come from a GRU run *without* the mask, so the steps after a row's end processed padding.
    The expected value is the final state of the same GRU run *with* the mask.
    """
    import keras

    lengths = np.array([5, 3, 1, 4])
    mask = np.arange(5)[None, :] < lengths[:, None]  # (batch, time), right padding
    inputs = np.random.default_rng(1).normal(size=(4, 5, 3)).astype("float32")
    inputs[~mask] = 0.0  # padding positions hold zero vectors, as an embedding of id 0 might
    layer = keras.layers.GRU(6, return_sequences=True, return_state=True, seed=1)
    unmasked_outputs, _ = layer(inputs)  # (batch, time, units)
    _, masked_final_state = layer(inputs, mask=mask)  # (batch, units)
    run_check("last real state", answer, [((np.asarray(unmasked_outputs), mask.copy()),
                                                   np.asarray(masked_final_state))], tolerance=1e-5)


# Lesson 06 ------------------------------------------------------------------------------------------------

def check_ordinal(answer: Callable[[int], str]) -> None:
    """``answer(day)`` must write the English ordinal: 1st, 2nd, 3rd, 4th, ..., 11th, 12th, 13th, ..., 31st."""
    endings = {1: "st", 2: "nd", 3: "rd"}
    cases = [((day,), f"{day}{'th' if day in (11, 12, 13) else endings.get(day % 10, 'th')}") for day in range(1, 32)]
    _run_text_check("ordinal", answer, cases)


def check_two_digit_year(answer: Callable[[int], int]) -> None:
    """``answer(yy)`` must give the year in 1950–2049 that ends in yy (the course's well-posed range)."""
    cases = [((yy,), next(year for year in range(1950, 2050) if year % 100 == yy)) for yy in range(100)]
    run_check("two-digit year", answer, cases)


def check_field_errors(answer: Callable[[list, list], dict]) -> None:
    """``answer(predictions, references)`` must return the year, month and day error rates of ISO dates."""
    references = ["1969-07-20", "2001-12-31", "1999-01-05", "2049-06-30"]
    predictions = ["1969-07-21", "2001-12-31", "1999-05-01", "2048-06-30"]
    expected = {"year": 0.25, "month": 0.25, "day": 0.5}
    got = answer(list(predictions), list(references))
    if not _answered(got):
        print("field errors: not answered yet. Replace the `...` in the exercise cell and run it again.")
        return
    if not isinstance(got, dict) or sorted(got) != sorted(expected):
        raise WrongAnswer(f"field errors: expected a dict with keys {sorted(expected)}, got {got!r}.")
    wrong = {field: got[field] for field in expected if not np.isclose(got[field], expected[field])}
    if wrong:
        raise WrongAnswer(f"field errors: for predictions {predictions} and references {references} expected "
                          f"{expected}, got {got}.")
    print("field errors: correct.")


def _run_text_check(name: str, answer: Callable, cases: list[tuple[tuple, str]]) -> None:
    for arguments, expected in cases:
        got = answer(*arguments)
        if not _answered(got):
            print(f"{name}: not answered yet. Replace the `...` in the exercise cell and run it again.")
            return
        if got != expected:
            raise WrongAnswer(f"{name}: for {arguments[0]!r} expected {expected!r}, got {got!r}.")
    print(f"{name}: correct ({len(cases)} cases checked).")


# Lesson 02 ------------------------------------------------------------------------------------------------

def check_decoder_input(answer: Callable[[np.ndarray, int, int], np.ndarray]) -> None:
    """``answer(target_out, start_id, end_id)``: <start> y_1 … y_m then padding, <end> never an input."""
    from course_utils.seq2seq import teacher_forcing_arrays
    from course_utils.vocabulary import Vocabulary

    vocabulary = Vocabulary(list("abc"))
    targets = ["abc", "a", "cab", "bb"]
    (_, target_in), target_out = teacher_forcing_arrays(targets, targets, vocabulary, vocabulary,
                                                        source_length=3, target_length=4)
    run_check("decoder input", answer, [((target_out.copy(), vocabulary.start_id, vocabulary.end_id), target_in)])


def check_brevity_penalty(answer: Callable[[int, int], float]) -> None:
    """``answer(c, r)`` must equal sacrebleu's brevity penalty for hypothesis length c and reference length r."""
    from sacrebleu.metrics.bleu import BLEU

    cases = [((c, r), BLEU.compute_bp(c, r)) for c, r in [(10, 10), (12, 10), (8, 10), (5, 10), (1, 4)]]
    run_check("brevity penalty", answer, cases)


def check_padding_share(answer: Callable[[np.ndarray], float]) -> None:
    """``answer(target_out)`` must be the share of positions holding padding (id 0)."""
    rng = np.random.default_rng(2)
    cases = []
    for lengths in ([3, 5, 1], [7, 7], [2, 4, 6, 1]):
        batch = np.zeros((len(lengths), 8), dtype="int32")
        for row, length in enumerate(lengths):
            batch[row, :length] = rng.integers(3, 9, size=length)
        cases.append(((batch,), float(np.mean(batch == 0))))
    run_check("padding share", answer, cases)


# Lesson 03 ------------------------------------------------------------------------------------------------

def check_inverse_sigmoid(answer: Callable[[float, float], float]) -> None:
    """``answer(step, k)`` must equal k / (k + exp(step / k))."""
    cases = [((step, k), k / (k + np.exp(step / k))) for step, k in [(0, 10), (10, 10), (50, 10), (300, 60), (5, 1)]]
    run_check("inverse sigmoid", answer, cases)


def check_next_input(answer: Callable[[np.ndarray, np.ndarray, np.ndarray, float], np.ndarray]) -> None:
    """``answer(true, predicted, coins, p)``: the true token where coin < p, else the predicted one."""
    true_tokens, predicted = np.array([5, 6, 7, 8, 9]), np.array([15, 16, 17, 18, 19])
    coins = np.array([0.05, 0.5, 0.95, 0.3, 0.7])
    cases = [((true_tokens, predicted, coins, p), np.where(coins < p, true_tokens, predicted))
             for p in (1.0, 0.0, 0.6, 0.31)]
    run_check("next input", answer, cases)


def check_token_accuracy(answer: Callable[[np.ndarray, np.ndarray], float]) -> None:
    """``answer(predicted, target)``: share of non-padding target positions predicted right."""
    target = np.array([[5, 6, 2, 0, 0], [7, 2, 0, 0, 0], [5, 5, 5, 5, 2]])
    predicted = np.array([[5, 9, 2, 0, 0], [7, 2, 4, 4, 4], [5, 5, 5, 5, 5]])
    real = target != 0
    run_check("token accuracy", answer, [((predicted, target), float((predicted == target)[real].mean()))])
