"""Checks for the lessons' exercises: each says "correct", "not answered yet", or raises with what is wrong.

A check calls the learner's function on cases whose answers are computed independently (by Keras, or by
the reference solutions in ``course_utils.solutions``), so a wrong answer is rejected, never waved through.
"""

from collections.abc import Callable

import numpy as np

from course_utils import solutions


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
            raise WrongAnswer(
                f"{name}: for ({_arguments(arguments)}) expected a result of shape "
                f"{np.shape(expected)}, got shape {np.shape(got)}."
            )
        close = np.isclose(got, expected, atol=tolerance, rtol=1e-5)
        if not close.all():
            if np.ndim(expected) == 0:
                where, expected_part, got_part = "", expected, got
            else:  # name the first row that differs
                row = int(np.argmin(close.reshape(len(close), -1).all(axis=1)))
                where, expected_part, got_part = f" in row {row}", np.asarray(expected)[row], np.asarray(got)[row]
            raise WrongAnswer(
                f"{name}: for ({_arguments(arguments)}) the result differs{where}: "
                f"expected {_brief(expected_part)}, got {_brief(got_part)}."
            )
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
    run_check(
        "last real state",
        answer,
        [((np.asarray(unmasked_outputs), mask.copy()), np.asarray(masked_final_state))],
        tolerance=1e-5,
    )


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
        raise WrongAnswer(
            f"field errors: for predictions {predictions} and references {references} expected {expected}, got {got}."
        )
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
    (_, target_in), target_out = teacher_forcing_arrays(
        targets, targets, vocabulary, vocabulary, source_length=3, target_length=4
    )
    run_check("decoder input", answer, [((target_out.copy(), vocabulary.start_id, vocabulary.end_id), target_in)])


def check_brevity_penalty(answer: Callable[[int, int], float]) -> None:
    """``answer(c, r)`` must equal sacrebleu's brevity penalty for hypothesis length c and reference length r."""
    from sacrebleu.metrics.bleu import BLEU

    def sacrebleu_bp(c, r):  # sacrebleu's BLEU of a hypothesis whose n-grams are all right is 100 * BP
        return BLEU.compute_bleu([c] * 4, [c] * 4, sys_len=c, ref_len=r).bp

    cases = [((c, r), sacrebleu_bp(c, r)) for c, r in [(10, 10), (12, 10), (8, 10), (5, 10), (4, 16)]]
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
    cases = [
        ((true_tokens, predicted, coins, p), np.where(coins < p, true_tokens, predicted)) for p in (1.0, 0.0, 0.6, 0.31)
    ]
    run_check("next input", answer, cases)


def check_token_accuracy(answer: Callable[[np.ndarray, np.ndarray], float]) -> None:
    """``answer(predicted, target)``: share of non-padding target positions predicted right."""
    target = np.array([[5, 6, 2, 0, 0], [7, 2, 0, 0, 0], [5, 5, 5, 5, 2]])
    predicted = np.array([[5, 9, 2, 0, 0], [7, 2, 4, 4, 4], [5, 5, 5, 5, 5]])
    real = target != 0
    run_check("token accuracy", answer, [((predicted, target), float((predicted == target)[real].mean()))])


# Lesson 04 ------------------------------------------------------------------------------------------------


def check_additive_scores(answer: Callable) -> None:
    """``answer(s, H, W, U, v)`` must equal the scores BahdanauAttention computes with the same weights."""
    import keras
    from keras import ops

    from course_utils.attention import BahdanauAttention

    rng = np.random.default_rng(4)
    cases = []
    for d_q, d_v, units, length in [(3, 4, 5, 6), (8, 8, 2, 3)]:
        s, H = rng.normal(size=d_q).astype("float32"), rng.normal(size=(length, d_v)).astype("float32")
        layer = BahdanauAttention(units)
        layer(s[None], H[None])  # build
        W, U = layer.query_projection.kernel.numpy(), layer.values_projection.kernel.numpy()
        v = layer.v.numpy()
        projected = ops.expand_dims(layer.query_projection(s[None][:, None]), 2) + ops.expand_dims(
            layer.values_projection(H[None]), 1
        )
        expected = np.asarray(ops.sum(ops.tanh(projected) * layer.v, axis=-1))[0, 0]  # the layer's own scores
        cases.append(((s, H, W, U, v), expected))
    keras.utils.set_random_seed(0)
    run_check("additive scores", answer, cases, tolerance=1e-5)


def check_masked_softmax(answer: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> None:
    """``answer(scores, mask)`` must equal course_utils.attention.masked_softmax (0 where masked, rows sum to 1)."""
    from course_utils.attention import masked_softmax

    rng = np.random.default_rng(5)
    scores = rng.normal(size=(4, 6)).astype("float32") * 3
    mask = np.arange(6)[None, :] < np.array([[6], [4], [1], [2]])
    expected = np.asarray(masked_softmax(scores[:, None, :], mask))[:, 0]
    run_check("masked softmax", answer, [((scores.copy(), mask.copy()), expected)], tolerance=1e-6)


def check_bahdanau_parameter_count(answer: Callable[[int, int, int], int]) -> None:
    """``answer(d_q, d_v, units)`` must equal the parameter count of a built BahdanauAttention(units)."""
    from course_utils.attention import BahdanauAttention

    cases = []
    for d_q, d_v, units in [(8, 8, 5), (128, 64, 10), (1, 2, 3)]:
        layer = BahdanauAttention(units)
        layer(np.zeros((1, d_q), "float32"), np.zeros((1, 2, d_v), "float32"))
        cases.append(((d_q, d_v, units), layer.count_params()))
    run_check("Bahdanau parameter count", answer, cases)


# Lesson 05 ------------------------------------------------------------------------------------------------


def check_luong_scores(answer: Callable) -> None:
    """``answer(h, H, W_a)`` must equal LuongAttention's dot (W_a None) or general scores."""
    from course_utils.attention import LuongAttention

    rng = np.random.default_rng(6)
    h, H = rng.normal(size=8).astype("float32"), rng.normal(size=(5, 8)).astype("float32")
    cases = []
    for score in ("dot", "general"):
        layer = LuongAttention(score)
        _, weights = layer(h[None], H[None])
        W_a = layer.W_a.kernel.numpy() if score == "general" else None
        keys = H if W_a is None else np.asarray(layer.W_a(H[None]))[0]
        cases.append(((h, H, W_a), keys @ h))  # the scores whose softmax the layer returned
        np.testing.assert_allclose(np.exp(keys @ h) / np.exp(keys @ h).sum(), np.asarray(weights)[0], atol=1e-5)
    run_check("Luong scores", answer, cases, tolerance=1e-4)


def check_attentional_state(answer: Callable) -> None:
    """``answer(context, h, W_c)`` must equal the LuongDecoder's h̃ = tanh([c; h] @ W_c)."""
    import keras

    rng = np.random.default_rng(7)
    context, h = rng.normal(size=6).astype("float32"), rng.normal(size=4).astype("float32")
    combine = keras.layers.Dense(4, activation="tanh", use_bias=False)
    expected = np.asarray(combine(np.concatenate([context, h])[None]))[0]
    run_check("attentional state", answer, [((context, h, combine.kernel.numpy()), expected)], tolerance=1e-5)


def check_normalised_score(answer: Callable[[float, int, float], float]) -> None:
    """``answer(log_probability, length, alpha)`` must equal log_probability / length ** alpha."""
    cases = [((lp, n, a), lp / n**a) for lp, n, a in [(-4.0, 4, 0.6), (-4.0, 8, 0.6), (-1.5, 3, 1.0), (-2.0, 5, 0.0)]]
    run_check("normalised score", answer, cases)


# Lesson 07 ------------------------------------------------------------------------------------------------


def check_looks_like_softmax(answer: Callable[[np.ndarray, int], bool]) -> None:
    """``answer(weights, input_length)``: True only for non-negative rows summing to 1 with zero padding."""
    good = np.array([[0.7, 0.3, 0.0, 0.0], [0.1, 0.9, 0.0, 0.0]])
    cases = [
        ((good, 2), True),
        ((good, 1), False),  # weight beyond the input length
        ((good * 3, 2), False),  # scores, not weights
        ((np.array([[1.2, -0.2, 0.0]]), 2), False),  # negative weight
        ((np.array([[0.5, 0.25, 0.25]]), 2), False),  # padding received weight
        ((np.array([[0.5, 0.5, 0.0]]), 2), True),
    ]

    def as_number(*arguments):  # True/False compared as 1.0/0.0; "..." still means "not answered"
        result = answer(*arguments)
        return float(bool(result)) if _answered(result) else result

    run_check("looks like softmax", as_number, [(arguments, float(expected)) for arguments, expected in cases])


def check_on_field(answer: Callable) -> None:
    """``answer(step_weights, field_mask)``: every row uniform over its field's positions, nothing elsewhere."""
    weights = np.array([[0.1, 0.6, 0.2, 0.1, 0.0], [0.5, 0.1, 0.1, 0.2, 0.1]])
    month = np.array([[False, False, True, True, False], [True, True, True, False, False]])
    cases = [((weights, month), solutions.on_field(weights, month)), ((weights[:1], month[:1]), [[0, 0, 0.5, 0.5, 0]])]
    run_check("on field", answer, cases)


def _tiny_bahdanau_model():
    """A small untrained Bahdanau date model (seeded): cheap, and its outputs depend on the attention."""
    import random

    import keras

    from course_utils import dates
    from course_utils.seq2seq import Seq2Seq

    source_vocabulary, target_vocabulary = dates.vocabularies()
    keras.utils.set_random_seed(1)
    model = Seq2Seq(
        source_vocabulary,
        target_vocabulary,
        source_length=dates.SOURCE_LENGTH,
        target_length=dates.TARGET_LENGTH,
        attention="bahdanau",
        embedding_dim=8,
        units=8,
    )
    rng = random.Random(1)
    texts = [f.render(dates.random_date(rng)) for f in dates.FORMATS * 4]
    return model, source_vocabulary.encode_batch(texts, length=dates.SOURCE_LENGTH)


def check_changed_share(answer: Callable) -> None:
    """``answer(model, source, steps)``: share of outputs whose characters at ``steps`` change when the weights of
    those steps are made uniform over each input's real characters (course_utils.intervention)."""
    model, source = _tiny_bahdanau_model()
    cases = [((model, source, steps), solutions.changed_share(model, source, steps)) for steps in ([8, 9], [0], [5, 6])]
    run_check("changed share", answer, cases)


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
        if not _answered(got):
            print("allowed after: not answered yet. Replace the `...` in the exercise cell and run it again.")
            return
        expected = solutions.allowed_after(prefix)
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
    allowed = solutions.allowed_after(prefix)
    if len(prefix) == 9 and prefix[5:7] == "02" and prefix[8] == "2":
        allowed.discard("9")
    return allowed
