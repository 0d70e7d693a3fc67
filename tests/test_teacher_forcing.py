"""The arithmetic of lesson 03's training step: its loss is the masked mean cross-entropy of the tokens it fed, and
its update is one optimizer step along that loss's gradient (not only that the code reads right)."""

import subprocess
import sys

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


def test_the_harness_names_lesson_03_imports_from_here_are_the_harness_own():
    """train_regime and error_cascade moved to teacher_forcing_harness; lesson 03 still imports them from here."""
    from course_utils import teacher_forcing, teacher_forcing_harness
    from course_utils.teacher_forcing import error_cascade, train_regime

    assert train_regime is teacher_forcing_harness.train_regime
    assert error_cascade is teacher_forcing_harness.error_cascade
    with pytest.raises(AttributeError, match="no attribute 'evaluate_everything'"):
        teacher_forcing.evaluate_everything


def test_the_harness_can_be_imported_before_the_module_it_builds_on():
    """The two modules import each other (the aliases); importing the harness first, in a fresh interpreter, works."""
    code = (
        "import course_utils.teacher_forcing_harness; from course_utils.teacher_forcing import train_regime; "
        "print(train_regime.__module__)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "course_utils.teacher_forcing_harness", result.stderr[-2000:]
