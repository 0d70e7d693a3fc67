"""Every exercise check accepts the reference solution, rejects a typical mistake, and spots '...'."""

import numpy as np
import pytest

from course_utils import exercises, solutions

CASES = {  # check -> (reference solution, a typical wrong answer)
    "check_gru_parameter_count": (solutions.gru_parameter_count, lambda d, u: 3 * (d * u + u * u + u)),
    "check_temperature": (solutions.apply_temperature, lambda p, t: (p / t) / (p / t).sum(axis=1, keepdims=True)),
    "check_last_real_state": (solutions.last_real_state, lambda outputs, mask: outputs[:, -1]),
    "check_ordinal": (solutions.ordinal, lambda d: f"{d}" + {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")),
    "check_two_digit_year": (solutions.two_digit_year, lambda yy: 1900 + yy),
    "check_field_errors": (
        solutions.field_errors,
        lambda p, r: {
            f: float(np.mean([a[s] != b[s] for a, b in zip(p, r)]))
            for f, s in {"year": slice(0, 4), "month": slice(8, 10), "day": slice(5, 7)}.items()
        },
    ),
    "check_decoder_input": (
        solutions.decoder_input,
        lambda t, s, e: np.concatenate([np.full((len(t), 1), s), t[:, :-1]], axis=1),
    ),
    "check_brevity_penalty": (solutions.brevity_penalty, lambda c, r: float(np.exp(1 - c / r)) if c <= r else 1.0),
    "check_token_accuracy": (solutions.token_accuracy, lambda p, t: float(np.mean(p == t))),
    "check_additive_scores": (solutions.additive_scores, lambda s, H, W, U, v: np.tanh(s @ W) @ v + (H @ U) @ v),
    "check_masked_softmax": (
        solutions.masked_softmax_numpy,
        lambda s, m: np.exp(s) / np.exp(s).sum(axis=1, keepdims=True) * m,
    ),
    "check_bahdanau_parameter_count": (solutions.bahdanau_parameter_count, lambda d_q, d_v, u: u * (d_q + d_v)),
    "check_luong_scores": (solutions.luong_scores, lambda h, H, W: H @ h),
    "check_attentional_state": (solutions.attentional_state, lambda c, h, W: np.tanh(np.concatenate([h, c]) @ W)),
    "check_normalised_score": (solutions.normalised_score, lambda lp, n, a: lp * n**a),
    "check_looks_like_softmax": (solutions.looks_like_softmax, lambda w, n: bool(np.allclose(w.sum(1), 1))),
    "check_crop": (solutions.crop, lambda w, i, o: w[: len(i), : len(o)]),
    "check_field_share": (solutions.field_share, lambda row, labels, field: float(row[:2].sum())),
}


MODEL_CASES = {  # checks that measure a model: check -> (reference solution, a typical wrong answer)
    "check_naive_accuracy": (solutions.naive_accuracy, solutions.real_token_accuracy),
}
ARRAY_CASES = {  # checks that measure decoded outputs: check -> (solution, a typical wrong answer: padding counted)
    "check_cascade_ratio": (
        solutions.cascade_ratio,
        lambda e, r: float(e[:, 1:][e[:, :-1]].mean() / e[:, 1:][~e[:, :-1]].mean()),
    ),
}


def every_check():
    return sorted(name for name in dir(exercises) if name.startswith("check_"))


def test_every_check_has_a_case_here():
    assert every_check() == sorted([*CASES, *MODEL_CASES, *ARRAY_CASES])


@pytest.fixture(scope="module")
def small_translator():
    """An untrained lesson-02 model on 200 pairs: the model checks compare answers on the same model."""
    import keras

    from course_utils.seq2seq import Seq2Seq
    from course_utils.translation import french_english

    data = french_english(train_size=200, test_size=50, seed=0)
    keras.utils.set_random_seed(0)
    model = Seq2Seq(
        data.source_vocabulary,
        data.target_vocabulary,
        source_length=data.source_length,
        target_length=data.target_length,
        attention=None,
        embedding_dim=8,
        units=8,
    )
    return model, data


@pytest.mark.parametrize("name", sorted(MODEL_CASES))
def test_model_check_accepts_the_solution_rejects_the_mistake_and_spots_the_placeholder(name, small_translator, capsys):
    check, (solution, mistake) = getattr(exercises, name), MODEL_CASES[name]
    check(solution, *small_translator)
    assert "correct" in capsys.readouterr().out
    with pytest.raises(exercises.WrongAnswer):
        check(mistake, *small_translator)
    check(lambda *arguments: ..., *small_translator)
    assert "not answered yet" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_accepts_the_solution(name, capsys):
    getattr(exercises, name)(CASES[name][0])
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_rejects_a_typical_mistake(name):
    with pytest.raises(exercises.WrongAnswer):
        getattr(exercises, name)(CASES[name][1])


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_says_not_answered_for_the_placeholder(name, capsys):
    placeholder = lambda *arguments: ...  # noqa: E731 - what the exercise cells start with
    getattr(exercises, name)(placeholder)
    assert "not answered yet" in capsys.readouterr().out


def test_expect_rejection_fails_loudly_when_a_check_accepts_a_wrong_answer():
    with pytest.raises(AssertionError, match="the check is broken"):
        exercises.expect_rejection(exercises.check_ordinal, solutions.ordinal)


@pytest.fixture(scope="module")
def date_models_and_arrays():
    """Two untrained date models (seeds 0 and 1) and 64 held-out dates with 3 padding positions per target."""
    import keras

    from course_utils import dates
    from course_utils.seq2seq import Seq2Seq, teacher_forcing_arrays

    splits = dates.make_splits(seed=0, train_size=10, test_size=64)
    vocabularies = dates.vocabularies()
    (source, target_in), target_out = teacher_forcing_arrays(
        splits.test.text,
        splits.test.iso,
        *vocabularies,
        source_length=dates.SOURCE_LENGTH,
        target_length=dates.TARGET_LENGTH + 3,
    )
    models = []
    for seed in (0, 1):
        keras.utils.set_random_seed(seed)
        models.append(
            Seq2Seq(
                *vocabularies,
                source_length=dates.SOURCE_LENGTH,
                target_length=dates.TARGET_LENGTH + 3,
                attention=None,
                embedding_dim=8,
                units=8,
            )
        )
    return models, (source, target_in, target_out)


@pytest.mark.parametrize("name", sorted(ARRAY_CASES))
def test_array_check_accepts_the_solution_rejects_the_mistake_and_spots_the_placeholder(
    name, date_models_and_arrays, capsys
):
    check, (solution, mistake) = getattr(exercises, name), ARRAY_CASES[name]
    check(solution, *date_models_and_arrays)
    assert "correct" in capsys.readouterr().out
    with pytest.raises(exercises.WrongAnswer):
        check(mistake, *date_models_and_arrays)
    check(lambda *arguments: ..., *date_models_and_arrays)
    assert "not answered yet" in capsys.readouterr().out
