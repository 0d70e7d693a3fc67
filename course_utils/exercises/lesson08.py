"""Lesson 08 (attention heatmaps): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. ``check_looks_like_softmax`` has hand-labelled cases; ``check_on_field`` and
``check_changed_share`` compare with the reference solutions ``on_field`` and ``changed_share``, which
tests/test_exercise_oracles.py checks against ``intervention.spread_over`` and against decoding with constant
scores.
"""

from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import answered, exercise_check, run_check

# Solutions ------------------------------------------------------------------------------------------------


def looks_like_softmax(weights, input_length):
    weights = np.asarray(weights)
    return bool(
        (weights >= 0).all()
        and np.allclose(weights.sum(axis=1), 1.0, atol=1e-5)
        and (weights[:, input_length:] == 0).all()
    )


def on_field(step_weights, field_mask):
    """Each row (batch, T) replaced by uniform weights over the positions where ``field_mask`` is True."""
    field_mask = np.asarray(field_mask, dtype=float)
    return field_mask / field_mask.sum(axis=1, keepdims=True)


def changed_share(model, source, steps):
    """Share of outputs whose characters at ``steps`` change when those steps attend uniformly to the input."""
    from course_utils.intervention import intervened_decode, spread_over

    source = np.asarray(source)
    before, _ = intervened_decode(model, source, {})
    after, _ = intervened_decode(model, source, {step: spread_over(source != 0) for step in steps})
    return float(np.mean((before[:, steps] != after[:, steps]).any(axis=1)))


# Checks ---------------------------------------------------------------------------------------------------


@exercise_check
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
        return float(bool(result)) if answered(result) else result

    run_check("looks like softmax", as_number, [(arguments, float(expected)) for arguments, expected in cases])


@exercise_check
def check_on_field(answer: Callable) -> None:
    """``answer(step_weights, field_mask)``: every row uniform over its field's positions, nothing elsewhere."""
    weights = np.array([[0.1, 0.6, 0.2, 0.1, 0.0], [0.5, 0.1, 0.1, 0.2, 0.1]])
    month = np.array([[False, False, True, True, False], [True, True, True, False, False]])
    cases = [((weights, month), on_field(weights, month)), ((weights[:1], month[:1]), [[0, 0, 0.5, 0.5, 0]])]
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


@exercise_check
def check_changed_share(answer: Callable) -> None:
    """``answer(model, source, steps)``: share of outputs whose characters at ``steps`` change when the weights of
    those steps are made uniform over each input's real characters (course_utils.intervention). Two models: the saved
    Bahdanau date model on 200 held-out dates, whose outputs depend on where it looks (so its three cases differ and
    0 is none of them), and a small untrained one, whose characters at the chosen steps never change while later
    ones sometimes do (so an answer that counts every changed character is caught there)."""
    run_check("changed share", answer, _changed_share_cases(), compare=_share_without_the_answer)


_SAVED_MODEL_STEPS = ([0, 1, 2, 3], [5, 6], [8, 9])
_TINY_MODEL_STEPS = ([0], [5, 6])
_expected_shares: list[float] = []  # the reference shares, measured on the first call (see _changed_share_cases)


def _changed_share_cases():
    """check_changed_share's cases, on a freshly loaded saved model and a fresh tiny one every call (an answer may
    change the model it is given). Their expected shares are the same on every call (the saved model and the seeded
    tiny one are), so they are measured once per process, on the first call's models before any answer sees them:
    each costs two decodings of 200 dates."""
    from course_utils import dates, pretrained

    model = pretrained.load("dates-bahdanau")
    texts = list(dates.make_splits(seed=0, train_size=10, test_size=200).test.text)
    source = model.source_vocabulary.encode_batch(texts, length=model.source_length)
    tiny_model, tiny_source = _tiny_bahdanau_model()
    settings = [(model, source, steps) for steps in _SAVED_MODEL_STEPS]
    settings += [(tiny_model, tiny_source, steps) for steps in _TINY_MODEL_STEPS]
    if not _expected_shares:
        shares = [changed_share(*arguments) for arguments in settings]
        _expected_shares.extend(shares)
    return list(zip(settings, _expected_shares))


def _share_without_the_answer(got, expected, arguments) -> str | None:
    """Compare two shares; the message names the case and the learner's number, never the expected one (the
    first case is the measurement the exercise then asks for)."""
    if np.ndim(got) != 0:
        return f"expected one number (a share in [0, 1]), got a result of shape {np.shape(got)}"
    if np.isclose(got, expected, atol=1e-6):
        return None
    _, source, steps = arguments
    return (
        f"on {len(source)} dates with steps {list(steps)}, {float(got):.4f} is not the share of outputs whose "
        "characters at those steps change"
    )
