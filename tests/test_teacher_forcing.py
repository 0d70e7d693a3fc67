"""The arithmetic of lesson 03's training step: its loss is the masked mean cross-entropy of the tokens it fed, and
its update is one optimizer step along that loss's gradient (not only that the code reads right)."""

import numpy as np
import pytest
import tensorflow as tf

import keras
from course_utils.decoding import allowed
from course_utils.seq2seq import teacher_forcing_arrays
from course_utils.teacher_forcing import train_step
from course_utils.vocabulary import START_ID


@pytest.fixture
def setting(toy_model, toy_source, toy_target):
    """setting(attention="general") -> a built toy model, and the arrays of three toy pairs (target length 5)."""

    def build(attention="general"):
        model = toy_model(attention, target_length=5)
        (source, target_in), target_out = teacher_forcing_arrays(
            ["abc", "hg fed", "a"], ["xyz", "zx", "yyyy"], toy_source, toy_target, source_length=10, target_length=5
        )
        model((source, target_in))  # build
        return model, source, target_in, target_out

    return build


def masked_mean_cross_entropy(logits, target_out):
    """By hand: -log p(target) averaged over the real (non-padding) target positions."""
    log_p = tf.nn.log_softmax(logits, axis=-1)  # (batch, T_out, vocabulary)
    picked = tf.gather(log_p, target_out, axis=-1, batch_dims=2)  # (batch, T_out)
    real = tf.cast(target_out != 0, log_p.dtype)
    return -tf.reduce_sum(picked * real) / tf.reduce_sum(real)


@pytest.mark.parametrize("attention", [None, "general"], ids=str)
def test_teacher_forcing_step_is_the_masked_loss_and_one_sgd_step(attention, setting):
    model, source, target_in, target_out = setting(attention)
    with tf.GradientTape() as tape:
        expected = masked_mean_cross_entropy(model.teacher_forced(source, target_in)[0], target_out)
    gradients = [np.asarray(tf.convert_to_tensor(g)) for g in tape.gradient(expected, model.trainable_variables)]
    before = [v.numpy() for v in model.trainable_variables]
    optimizer = keras.optimizers.SGD(learning_rate=0.5)
    loss = train_step(model, optimizer, source, target_in, target_out, 1.0, keras.random.SeedGenerator(0))
    assert np.isclose(float(loss), float(expected), atol=1e-5)
    for old, variable, gradient in zip(before, model.trainable_variables, gradients):
        np.testing.assert_allclose(variable.numpy(), old - 0.5 * gradient, atol=1e-5)


def test_free_running_step_feeds_the_models_own_predictions(setting):
    """With teacher probability 0 the loss is that of the prefix the model writes itself, step by step."""
    model, source, target_in, target_out = setting()
    prefix = np.full((len(source), 1), START_ID, "int32")
    for t in range(target_out.shape[1] - 1):  # the prediction at step t is the input of step t + 1
        logits = model.teacher_forced(source, prefix)[0][:, t]
        prefix = np.concatenate([prefix, np.asarray(allowed(logits)).argmax(-1).astype("int32")[:, None]], axis=1)
    expected = masked_mean_cross_entropy(model.teacher_forced(source, prefix)[0], target_out)
    assert not (prefix == target_in).all()  # the model's own prefix is not the true one, so this tests something
    loss = train_step(
        model, keras.optimizers.SGD(0.0), source, target_in, target_out, 0.0, keras.random.SeedGenerator(0)
    )
    assert np.isclose(float(loss), float(expected), atol=1e-5)


def test_accuracy_by_position_counts_only_real_targets_and_agrees_with_evaluate(setting):
    """Per position, the accuracies weighted by their real targets add up to evaluate()'s token accuracies."""
    from course_utils.teacher_forcing_harness import accuracy_by_position, evaluate

    model, source, target_in, target_out = setting(None)
    by_position = accuracy_by_position(model, source, target_in, target_out)
    overall = evaluate(model, source, target_in, target_out)
    assert by_position["real targets"] == list((target_out != 0).sum(axis=0))
    counts = np.array(by_position["real targets"])
    for name in ("teacher-forced", "free-running"):
        right = np.nansum(np.array(by_position[name]) * counts)
        assert right / counts.sum() == pytest.approx(overall[f"{name} accuracy"])
    # at the first position both decodings read <start> from the same state: the same predictions
    assert by_position["teacher-forced"][0] == pytest.approx(by_position["free-running"][0])


@pytest.fixture(scope="module")
def biased_date_models():
    """Two untrained date models whose output layer favours one digit each (1 and 0), so that they are right on
    some positions and their cascade ratios and accuracy drops are defined and differ; and 64 held-out dates."""
    from course_utils import dates
    from course_utils.seq2seq import Seq2Seq

    splits = dates.make_splits(seed=0, train_size=10, test_size=64)
    vocabularies = dates.vocabularies()
    (source, target_in), target_out = teacher_forcing_arrays(
        splits.test.text, splits.test.iso, *vocabularies, source_length=dates.SOURCE_LENGTH, target_length=11
    )
    models = []
    for seed, digit in ((0, "1"), (1, "0")):
        keras.utils.set_random_seed(seed)
        model = Seq2Seq(*vocabularies, source_length=dates.SOURCE_LENGTH, target_length=11, embedding_dim=8, units=8)
        model((source[:1], target_in[:1]))  # build
        bias = model.decoder.output_layer.bias
        bias.assign(2.0 * np.eye(1, bias.shape[0], vocabularies[1].tokens.index(digit), dtype="float32")[0])
        models.append(model)
    return models, (source, target_in, target_out)


def test_schedule_effect_check_measures_both_models_itself(biased_date_models, capsys):
    from course_utils import exercises
    from course_utils.exercises.lesson03 import free_running_ratio

    (mine, baseline), test_arrays = biased_date_models
    ratio, baseline_ratio = free_running_ratio(mine, test_arrays), free_running_ratio(baseline, test_arrays)
    assert np.isfinite([ratio, baseline_ratio]).all() and ratio != baseline_ratio
    lowered = bool(ratio < baseline_ratio)
    exercises.check_schedule_effect(ratio, lowered, mine, baseline, test_arrays)
    assert "correct" in capsys.readouterr().out
    for wrong in [(baseline_ratio, lowered), (ratio, not lowered), (ratio, "yes"), (4.769, lowered)]:
        with pytest.raises(exercises.WrongAnswer):
            exercises.check_schedule_effect(*wrong, mine, baseline, test_arrays)
    with pytest.raises(exercises.WrongAnswer, match="lesson's own model"):
        exercises.check_schedule_effect(baseline_ratio, False, baseline, baseline, test_arrays)
    exercises.check_schedule_effect(..., ..., mine, baseline, test_arrays)
    assert "not answered yet" in capsys.readouterr().out


def test_accuracy_drop_check_accepts_the_solution_and_rejects_typical_mistakes(biased_date_models, capsys):
    from course_utils import exercises
    from course_utils.exercises import lesson03

    models, test_arrays = biased_date_models
    exercises.check_accuracy_drop(lesson03.accuracy_drop, models, test_arrays)
    assert "correct" in capsys.readouterr().out

    def in_place(model, source, target_in, target_out, position, wrong_id):
        clean = lesson03.accuracy_drop(model, source, target_in, target_out, position, wrong_id)
        target_in[:, position] = wrong_id  # the mistake: the caller's array changed
        return clean

    for mistake in (lesson03.accuracy_with_wrong_input, in_place):
        with pytest.raises(exercises.WrongAnswer):
            exercises.check_accuracy_drop(mistake, models, test_arrays)
    exercises.check_accuracy_drop(lambda *given: ..., models, test_arrays)
    assert "not answered yet" in capsys.readouterr().out
