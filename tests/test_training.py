"""The training recipe: the cosine schedule spans exactly the steps fit takes, with the batch size fit uses."""

import numpy as np
import pytest

import keras
from course_utils.seq2seq_data import teacher_forcing_arrays
from course_utils.training import FINAL_RATE_SHARE, fit_seq2seq, training_steps


def test_training_steps_count_the_last_short_batch():
    assert training_steps(128, epochs=3, batch_size=64) == 6
    assert training_steps(129, epochs=3, batch_size=64) == 9  # 3 batches per epoch, the last of one example
    assert training_steps(10, epochs=2) == 2  # the course's batch size, 64
    with pytest.raises(ValueError, match="at least one example"):
        training_steps(0, epochs=3)


@pytest.mark.parametrize("examples, batch_size", [(40, 16), (33, 8)])
def test_the_schedule_ends_when_fit_ends(examples, batch_size, toy_model, toy_source, toy_target):
    model = toy_model(None, source_length=6, target_length=4, embedding_dim=4, units=4)
    rng = np.random.default_rng(0)
    texts = ["".join(rng.choice(list("abcdefgh"), size=rng.integers(1, 6))) for _ in range(examples)]
    inputs, targets = teacher_forcing_arrays(
        texts, ["xyz"] * examples, toy_source, toy_target, source_length=6, target_length=4
    )
    rates = []  # the rate in force at the end of each epoch
    record = keras.callbacks.LambdaCallback(on_epoch_end=lambda *_: rates.append(float(model.optimizer.learning_rate)))
    history = fit_seq2seq(
        model, inputs, targets, epochs=2, batch_size=batch_size, learning_rate=1e-2, verbose=0, callbacks=[record]
    )
    steps = training_steps(examples, epochs=2, batch_size=batch_size)
    assert int(model.optimizer.iterations) == steps
    # half way, the cosine is at its middle; at the end, at its floor: it spans exactly the steps fit took
    middle = 1e-2 * (FINAL_RATE_SHARE + (1 - FINAL_RATE_SHARE) * 0.5)
    np.testing.assert_allclose(rates, [middle, 1e-2 * FINAL_RATE_SHARE], rtol=1e-4)
    assert len(history.history["loss"]) == 2
