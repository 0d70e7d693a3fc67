"""The harness of lesson 03 and benchmarks/exposure_bias.py: train a date model under one regime with
``teacher_forcing.train_step``, timed, and score it after each epoch, including how errors cascade.

``evaluate`` and ``accuracy_by_position`` score any course Seq2Seq model (lesson 03 also measures a saved
translator with them).
"""

import math
import time

import keras
import numpy as np
import tensorflow as tf

from course_utils.decoding import greedy_decode
from course_utils.teacher_forcing import REGIMES, teacher_probability, train_step
from course_utils.training import BATCH_SIZE, FINAL_RATE_SHARE, training_steps
from course_utils.vocabulary import PAD_ID


def error_cascade(errors, real):
    """How one mistake leads to the next: P(error at t+1 | error at t) and P(error at t+1 | correct at t).

    errors, real: (n, T) booleans (a wrong token; a real, non-padding target position). Only pairs of adjacent
    positions that are both real count. Returns both probabilities, their ratio and the number of errors at t.
    """
    errors, real = np.asarray(errors, dtype=bool), np.asarray(real, dtype=bool)
    if errors.shape != real.shape or errors.ndim != 2:
        raise ValueError(
            f"errors and real must be 2-D boolean arrays of one shape, got {errors.shape} and {real.shape}."
        )
    both = real[:, :-1] & real[:, 1:]
    now, then = errors[:, :-1][both], errors[:, 1:][both]
    after_error = float(then[now].mean()) if now.any() else math.nan
    after_correct = float(then[~now].mean()) if (~now).any() else math.nan
    ratio = after_error / after_correct if after_correct > 0 else math.nan
    return {
        "P(err | err before)": after_error,
        "P(err | correct before)": after_correct,
        "ratio": ratio,
        "errors": int(now.sum()),
    }


def evaluate(model, source, target_in, target_out):
    """Held-out scores of a date model: token accuracy with the true prefix (teacher-forced) and with its own
    predictions fed back (free-running, greedy), exact match, and the error cascade under both decodings.

    Under teacher-forced decoding a mistake is never fed back, so its cascade measures only how errors cluster
    because some inputs are hard; the free-running cascade adds what feeding a mistake back does.
    """
    logits, _ = model.teacher_forced(source, target_in)
    forced = np.asarray(logits).argmax(-1)  # (n, T_out)
    free, _ = greedy_decode(model, source)  # (n, T_out)
    real = target_out != PAD_ID
    forced_errors, free_errors = forced != target_out, free != target_out
    free_cascade, forced_cascade = error_cascade(free_errors, real), error_cascade(forced_errors, real)
    return {
        "teacher-forced accuracy": float((~forced_errors)[real].mean()),
        "free-running accuracy": float((~free_errors)[real].mean()),
        "exact match": float((~free_errors | ~real).all(axis=1).mean()),
        "free P(err | err)": free_cascade["P(err | err before)"],
        "free P(err | correct)": free_cascade["P(err | correct before)"],
        "forced P(err | err)": forced_cascade["P(err | err before)"],
        "forced P(err | correct)": forced_cascade["P(err | correct before)"],
    }


def accuracy_by_position(model, source, target_in, target_out):
    """Token accuracy at each output position, with the true prefix (teacher-forced) and with the model's own
    predictions fed back (free-running, greedy), over the rows whose reference is still real there.

    Returns {"position": 1..T_out, "real targets": count, "teacher-forced": accuracy, "free-running": accuracy},
    each a list over positions; a position with no real target has accuracy NaN.
    """
    logits, _ = model.teacher_forced(source, target_in)
    forced = np.asarray(logits).argmax(-1)  # (n, T_out)
    free, _ = greedy_decode(model, source)  # (n, T_out)
    real = target_out != PAD_ID
    counts = real.sum(axis=0)  # (T_out,)

    def accuracy(predicted):
        right = ((predicted == target_out) & real).sum(axis=0)
        return [float(r / c) if c else math.nan for r, c in zip(right, counts)]

    return {
        "position": list(range(1, target_out.shape[1] + 1)),
        "real targets": [int(c) for c in counts],
        "teacher-forced": accuracy(forced),
        "free-running": accuracy(free),
    }


def train_regime(
    model,
    arrays,
    test_arrays,
    regime,
    *,
    epochs,
    batch_size=BATCH_SIZE,
    learning_rate=3e-3,
    seed=0,
    evaluate_every=1,
    stop_after=None,
    probability=None,
    log=print,
):
    """Train ``model`` under ``regime`` with ``train_step``; evaluate on ``test_arrays`` with the clock stopped.

    arrays, test_arrays: (source, target_in, target_out). Adam with the course's cosine decay over ``epochs``;
    ``stop_after`` stops after that many epochs of the same schedule (a slice of a longer run). ``probability``,
    a function (step, total_steps) -> chance of feeding the true token, replaces the regime's schedule.
    Returns (curve, timing): one dict per evaluated epoch; the first step's seconds (tracing included) and
    the seconds of each epoch's training, evaluation and that first step left out.
    """
    if regime not in REGIMES and probability is None:
        raise ValueError(f"Unknown regime {regime!r}: use one of {REGIMES}, or pass probability=.")
    chance = probability or (lambda step, total: teacher_probability(regime, step, total))
    last = min(stop_after or epochs, epochs)
    source, target_in, target_out = arrays
    total_steps = training_steps(len(source), epochs=epochs, batch_size=batch_size)
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, total_steps, alpha=FINAL_RATE_SHARE)
    optimizer = keras.optimizers.Adam(schedule)
    seed_generator = keras.random.SeedGenerator(seed)
    step_function = tf.function(lambda s, ti, to, p: train_step(model, optimizer, s, ti, to, p, seed_generator))
    order = np.random.default_rng(seed)
    curve, epoch_seconds, first_step_seconds, step = [], [], None, 0
    for epoch in range(1, last + 1):
        shuffled, losses, start = order.permutation(len(source)), [], time.perf_counter()
        for first in range(0, len(shuffled), batch_size):
            batch = shuffled[first : first + batch_size]
            fed_truth = tf.constant(chance(step, total_steps), "float32")
            step_start = time.perf_counter()
            losses.append(float(step_function(source[batch], target_in[batch], target_out[batch], fed_truth)))
            if first_step_seconds is None:
                first_step_seconds = time.perf_counter() - step_start
                start += first_step_seconds  # the one-off tracing is reported apart from the epoch
            step += 1
        epoch_seconds.append(time.perf_counter() - start)
        if epoch % evaluate_every == 0 or epoch == last:
            scores = evaluate(model, *test_arrays)
            curve.append(
                {
                    "regime": regime,
                    "seed": seed,
                    "epoch": epoch,
                    "training loss": float(np.mean(losses)),
                    "teacher probability": chance(step, total_steps),
                    **scores,
                }
            )
            log(
                f"{regime:>18} seed {seed} epoch {epoch:>2}: loss {curve[-1]['training loss']:.3f}, teacher-forced "
                f"{scores['teacher-forced accuracy']:.3f}, free-running {scores['free-running accuracy']:.3f}, "
                f"exact {scores['exact match']:.3f}, cascade {scores['free P(err | err)']:.2f} vs "
                f"{scores['free P(err | correct)']:.2f} ({sum(epoch_seconds):.0f} s)"
            )
    return curve, {"first step seconds": first_step_seconds, "epoch seconds": epoch_seconds}
