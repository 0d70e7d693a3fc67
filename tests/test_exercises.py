"""Every exercise check accepts the reference solution, rejects a typical mistake, spots '...', and leaves the
learner's random state as it found it."""

import random

import keras
import numpy as np
import pytest

from course_utils import exercises
from course_utils.seq2seq import LuongDecoder
from course_utils.exercises import (
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
    lesson07,
    lesson08,
    lesson09,
)


def unmoved_gap(encoder, ids, order):
    """A typical mistake: compares the shuffled input's outputs with the original's at the same positions."""
    shuffled = ids.copy()
    shuffled[:, : len(order)] = ids[:, order]
    before, after = (np.asarray(encoder(x)[0])[:, : len(order)] for x in (ids, shuffled))
    return float(np.abs(after - before).max())


CASES = {  # check -> (reference solution, a typical wrong answer)
    "check_temperature": (lesson01.apply_temperature, lambda p, t: (p / t) / (p / t).sum(axis=1, keepdims=True)),
    "check_last_real_state": (lesson01.last_real_state, lambda outputs, mask: outputs[:, -1]),
    "check_ordinal": (lesson07.ordinal, lambda d: f"{d}" + {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")),
    "check_two_digit_year": (lesson07.two_digit_year, lambda yy: 1900 + yy),
    "check_field_errors": (
        lesson07.field_errors,
        lambda p, r: {
            f: float(np.mean([a[s] != b[s] for a, b in zip(p, r)]))
            for f, s in {"year": slice(0, 4), "month": slice(8, 10), "day": slice(5, 7)}.items()
        },
    ),
    "check_decoder_input": (
        lesson02.decoder_input,
        lambda t, s, e: np.concatenate([np.full((len(t), 1), s), t[:, :-1]], axis=1),
    ),
    "check_reverse_source": (lesson02.reverse_source, lambda ids: np.flip(ids, axis=1)),
    "check_clipped_precision": (  # every match counted, none clipped
        lesson06.clipped_precision,
        lambda h, r, n: float(
            np.mean(
                [
                    tuple(h.split()[i : i + n]) in set(zip(*[r.split()[j:] for j in range(n)]))
                    for i in range(len(h.split()) - n + 1)
                ]
            )
        ),
    ),
    "check_schedule": (lesson03.faster_schedule, lesson03.lesson_schedule),
    "check_masked_softmax": (
        lesson04.masked_softmax_numpy,
        lambda s, m: np.exp(s) / np.exp(s).sum(axis=1, keepdims=True) * m,
    ),
    "check_bahdanau_parameter_count": (lesson04.bahdanau_parameter_count, lambda d_q, d_v, u: u * (d_q + d_v)),
    "check_luong_scores": (lesson05.luong_scores, lambda h, H, W: H @ h),
    "check_attentional_state": (lesson05.attentional_state, lambda c, h, W: np.tanh(np.concatenate([h, c]) @ W)),
    "check_looks_like_softmax": (lesson08.looks_like_softmax, lambda w, n: bool(np.allclose(w.sum(1), 1))),
    "check_on_field": (lesson08.on_field, lambda w, m: w * m),
    "check_changed_share": (
        lesson08.changed_share,
        lambda model, source, steps: lesson08.changed_share(model, source, [0, 1, 2, 3, 5, 6, 8, 9]),
    ),
    "check_attention_weights": (lesson09.attention_weights, lambda q, k, m: lesson09.attention_weights(q * 2, k, m)),
    "check_permutation_gap": (lesson09.permutation_gap, lambda e, ids, order: unmoved_gap(e, ids, order)),
    "check_head_alignment": (  # heads averaged first: one number for every head
        lesson09.head_alignment,
        lambda w, labels: np.full(len(w), lesson09.head_alignment(w.mean(axis=0, keepdims=True), labels)[0]),
    ),
    "check_key_value_cache": (  # attends over the cache but hands back the cache without the new position
        lesson09.self_attention_with_cache,
        lambda layer, new, cache: (lesson09.self_attention_with_cache(layer, new, cache)[0], cache),
    ),
    "check_warmup_rate": (  # warmup^-0.5 in place of warmup^-1.5
        lesson09.warmup_rate,
        lambda step, d_model, warmup: d_model**-0.5 * np.minimum(np.asarray(step) ** -0.5, step * warmup**-0.5),
    ),
    "check_decoder_without_previous_output": (lesson07.DecoderWithoutPreviousOutput, LuongDecoder),
    "check_flag_quality": (lesson07.flag_quality, lambda c, r, t: lesson07.flag_quality(c, r, t)[::-1]),
    "check_allowed_after": (
        lesson07.allowed_after,
        lambda prefix: set("0123456789-") if len(prefix) < 10 else {"<end>"},
    ),
}


MODEL_CASES = {  # checks that measure a trained model: check -> (reference solution, a typical wrong answer)
    "check_naive_accuracy": (lesson02.naive_accuracy, lesson02.real_token_accuracy),
    "check_copy_exact_match": (  # the reverse flag ignored
        lesson02.copy_exact_match,
        lambda model, test, reverse: lesson02.copy_exact_match(model, test, False),
    ),
    "check_cascade_ratio": (lesson03.cascade_ratio, lesson03.cascade_ratio_counting_padding),
}


def every_check():
    return sorted(name for name in dir(exercises) if name.startswith("check_"))


# checks that need a saved or small model (tests/test_attention_exercises.py, tests/test_teacher_forcing.py) or a
# lesson's own function (tests/test_lesson01_exercises.py)
MODEL_CHECKS = [
    "check_beam_settings",
    "check_length_and_brevity",  # tests/test_lesson06_exercises.py
    "check_padding_weight",
    "check_saturated_share",
    "check_hard_attention_bleu",  # and the next: tests/test_attention_exercises.py
    "check_last_word_bleu",
    "check_scaled_recurrence",
    "check_novel_share",
    "check_schedule_effect",  # and the next: tests/test_teacher_forcing.py
    "check_accuracy_drop",
]


def test_every_check_has_a_case_here():
    assert every_check() == sorted([*CASES, *MODEL_CASES, *MODEL_CHECKS])


@pytest.fixture(scope="module")
def model_check_arguments():
    """What each model check is called with beside the answer: small untrained models (a check compares the answer
    with its own measurement of the same model), and for the cascade 64 dates with 3 padding positions per target."""
    from course_utils import dates
    from course_utils.seq2seq import Seq2Seq, teacher_forcing_arrays
    from course_utils.translation import french_english

    data = french_english(train_size=200, test_size=50, seed=0)
    keras.utils.set_random_seed(0)
    translator = Seq2Seq(
        data.source_vocabulary,
        data.target_vocabulary,
        source_length=data.source_length,
        target_length=data.target_length,
        attention=None,
        embedding_dim=8,
        units=8,
    )
    (source_ids, target_in_ids), _ = data.arrays(data.test)
    translator((source_ids, target_in_ids))  # build, then make it predict padding everywhere: an untrained model
    bias = translator.decoder.output_layer.bias  # is wrong on real and padding positions alike, which hides the
    bias.assign(10.0 * np.eye(1, bias.shape[0], dtype="float32")[0])  # difference the check is about
    splits = dates.make_splits(seed=0, train_size=10, test_size=64)
    vocabularies = dates.vocabularies()
    length = dates.TARGET_LENGTH + 3
    (source, target_in), target_out = teacher_forcing_arrays(
        splits.test.text, splits.test.iso, *vocabularies, source_length=dates.SOURCE_LENGTH, target_length=length
    )
    from course_utils.copy_task import copy_task, copy_vocabulary
    from course_utils.training import fit_seq2seq

    digits, copy_train = copy_vocabulary(), copy_task(2_000, min_length=1, max_length=3, seed=0)
    (copy_source, copy_target_in), copy_target_out = teacher_forcing_arrays(
        copy_train.source, copy_train.target, digits, digits, source_length=3, target_length=4
    )
    keras.utils.set_random_seed(0)  # a small copier, trained a few seconds: it copies strings as written far
    copier = Seq2Seq(  # better than reversed ones, so a check that ignores the reverse flag is caught
        digits, digits, source_length=3, target_length=4, attention=None, embedding_dim=8, units=16
    )
    fit_seq2seq(copier, (copy_source, copy_target_in), copy_target_out, epochs=3, learning_rate=1e-2, verbose=0)
    date_models = []
    for seed in (0, 1):
        keras.utils.set_random_seed(seed)
        date_models.append(
            Seq2Seq(
                *vocabularies,
                source_length=dates.SOURCE_LENGTH,
                target_length=length,
                attention=None,
                embedding_dim=8,
                units=8,
            )
        )
    return {
        "check_naive_accuracy": (translator, data),
        "check_copy_exact_match": (copier, copy_task(200, min_length=1, max_length=3, seed=1)),
        "check_cascade_ratio": (date_models, (source, target_in, target_out)),
    }


@pytest.mark.parametrize("name", sorted(MODEL_CASES))
def test_model_check_accepts_the_solution_rejects_the_mistake_and_spots_the_placeholder(
    name, model_check_arguments, capsys
):
    check, (solution, mistake), arguments = getattr(exercises, name), MODEL_CASES[name], model_check_arguments[name]
    check(solution, *arguments)
    assert "correct" in capsys.readouterr().out
    with pytest.raises(exercises.WrongAnswer):
        check(mistake, *arguments)
    check(lambda *given: ..., *arguments)
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
        exercises.expect_rejection(exercises.check_ordinal, lesson07.ordinal)


def test_each_check_name_is_defined_once():
    assert sum(name.startswith("check_") for lesson in exercises.LESSONS for name in dir(lesson)) == len(
        exercises.CHECKS
    )


def random_draws_after(check=None):
    """What the learner's next random draws are (Python, NumPy, a new Keras layer), after seeding and ``check``."""
    keras.utils.set_random_seed(123)
    if check:
        check()
    layer = keras.layers.Dense(3)
    layer.build((None, 2))
    return random.random(), float(np.random.random()), layer.kernel.numpy().tolist()


@pytest.mark.parametrize("name", ["check_bahdanau_parameter_count", "check_last_real_state"])
def test_a_check_leaves_the_learners_random_state_alone(name, capsys):
    check, solution = getattr(exercises, name), CASES[name][0]
    assert random_draws_after(lambda: check(solution)) == random_draws_after()
    # the comparison can fail: the same check without its wrapper moves the learner's random state
    assert random_draws_after(lambda: check.__wrapped__(solution)) != random_draws_after()


@pytest.mark.parametrize(
    "name, constant",
    [
        ("check_looks_like_softmax", lambda weights, input_length: True),
        ("check_on_field", lambda weights, mask: np.full(np.shape(weights), 1 / np.shape(weights)[1])),
        ("check_changed_share", lambda model, source, steps: 0.0),
        ("check_changed_share", lambda model, source, steps: 0.918),  # lesson 08's table: day rows uniform
    ],
)
def test_lesson08_checks_reject_constants_and_a_copied_table_value(name, constant):
    with pytest.raises(exercises.WrongAnswer):
        getattr(exercises, name)(constant)


def test_changed_share_rejection_does_not_print_the_expected_share():
    with pytest.raises(exercises.WrongAnswer) as rejection:
        exercises.check_changed_share(lambda model, source, steps: 0.5)
    expected = lesson08.changed_share(*_first_changed_share_case())
    assert f"{expected:.4f}" not in str(rejection.value) and f"{expected:.3f}" not in str(rejection.value)


def _first_changed_share_case():
    """The first case of check_changed_share: the saved Bahdanau date model, 200 held-out dates, the year rows."""
    from course_utils import dates, pretrained

    model = pretrained.load("dates-bahdanau")
    texts = list(dates.make_splits(seed=0, train_size=10, test_size=200).test.text)
    return model, model.source_vocabulary.encode_batch(texts, length=model.source_length), [0, 1, 2, 3]
