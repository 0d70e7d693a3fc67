"""The arithmetic of lesson 03's training step: its loss is the masked mean cross-entropy of the tokens it fed, and
its update is one optimizer step along that loss's gradient (not only that the code reads right)."""

import numpy as np
import pytest
import tensorflow as tf

import keras
from course_utils.decoding import allowed
from course_utils.seq2seq import Seq2Seq, teacher_forcing_arrays
from course_utils.teacher_forcing import train_step
from course_utils.vocabulary import START_ID, Vocabulary

SOURCE = Vocabulary(list("abcdefgh "))
TARGET = Vocabulary(list("xyz"))


def setting(attention="general"):
    keras.utils.set_random_seed(0)
    model = Seq2Seq(SOURCE, TARGET, source_length=10, target_length=5, attention=attention, embedding_dim=8, units=8)
    (source, target_in), target_out = teacher_forcing_arrays(
        ["abc", "hg fed", "a"], ["xyz", "zx", "yyyy"], SOURCE, TARGET, source_length=10, target_length=5
    )
    model((source, target_in))  # build
    return model, source, target_in, target_out


def masked_mean_cross_entropy(logits, target_out):
    """By hand: -log p(target) averaged over the real (non-padding) target positions."""
    log_p = tf.nn.log_softmax(logits, axis=-1)  # (batch, T_out, vocabulary)
    picked = tf.gather(log_p, target_out, axis=-1, batch_dims=2)  # (batch, T_out)
    real = tf.cast(target_out != 0, log_p.dtype)
    return -tf.reduce_sum(picked * real) / tf.reduce_sum(real)


@pytest.mark.parametrize("attention", [None, "general"], ids=str)
def test_teacher_forcing_step_is_the_masked_loss_and_one_sgd_step(attention):
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


def test_free_running_step_feeds_the_models_own_predictions():
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
