"""Lesson 01's two measuring exercises: their checks accept the reference solution and reject typical mistakes."""

import numpy as np
import pytest
import tensorflow as tf

from course_utils import exercises
from course_utils.exercises import WrongAnswer, lesson01


def gradient_by_distance(layer, steps=60, batch=8, features=8):
    """Lesson 01's measurement (smaller batch): relative gradient norm by distance from the last step."""
    x = tf.constant(np.random.default_rng(0).normal(size=(batch, steps, features)), dtype="float32")
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x))
    norms = tf.reduce_mean(tf.norm(tape.gradient(total, x), axis=-1), axis=0).numpy()
    return norms[::-1] / norms[-1]


def scale_input_kernel(layer, scale):  # W_x instead of W_h
    layer.cell.kernel.assign(layer.cell.kernel.numpy() * scale)
    return layer


def test_scaled_recurrence_check(capsys):
    exercises.check_scaled_recurrence(lesson01.scale_recurrent_kernel, gradient_by_distance)
    assert "correct (2 cases checked)" in capsys.readouterr().out
    with pytest.raises(WrongAnswer):
        exercises.check_scaled_recurrence(scale_input_kernel, gradient_by_distance)
    with pytest.raises(WrongAnswer, match="return the SimpleRNN"):
        exercises.check_scaled_recurrence(lambda layer, scale: 36.0, gradient_by_distance)
    exercises.check_scaled_recurrence(lambda layer, scale: ..., gradient_by_distance)
    assert "not answered yet" in capsys.readouterr().out


def names_sampler(count, temperature=1.0, seed=0):
    """A stand-in for the lesson's sampler: the higher the temperature, the more unknown names."""
    rng = np.random.default_rng(seed)
    return ["known" if rng.random() > temperature / 2 else f"new{i}" for i in range(count)]


def test_novel_share_check(capsys):
    exercises.check_novel_share(lesson01.novel_share, names_sampler, {"known"})
    assert "correct (2 cases checked)" in capsys.readouterr().out
    with pytest.raises(WrongAnswer):
        exercises.check_novel_share(lambda sample, known, t: 0.5, names_sampler, {"known"})  # a constant
    with pytest.raises(WrongAnswer):  # counted on 12 names, as the lesson's printout does
        exercises.check_novel_share(
            lambda s, k, t: np.mean([n not in k for n in s(12, temperature=t, seed=1)]), names_sampler, {"known"}
        )
