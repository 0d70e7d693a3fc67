"""Training regimes for a decoder: teacher forcing, free running and scheduled sampling (lesson 03).

One training step covers all three: at every decoder step the next input is the true previous token with
probability ``teacher_probability``, else the model's own prediction. 1.0 is teacher forcing, 0.0 is free
running, and a probability that decays over training is scheduled sampling (Bengio et al. 2015).
Lesson 03 shows ``train_step`` and ``teacher_probability`` in the notebook; these are their canonical copies.
The harness that trains and scores with them is ``course_utils.teacher_forcing_harness``.
"""

import math

import keras
import tensorflow as tf
from keras import ops

from course_utils.seq2seq import allowed
from course_utils.vocabulary import PAD_ID

REGIMES = ("teacher forcing", "free running", "scheduled sampling")
loss_per_token = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=PAD_ID, reduction=None)


def teacher_probability(regime, step, total_steps):
    """The chance that the decoder is fed the true previous token at this training step."""
    if regime == "teacher forcing":
        return 1.0
    if regime == "free running":
        return 0.0
    k = total_steps / 10  # inverse sigmoid decay k / (k + exp(step / k)): from about 1 down to about 0
    return k / (k + math.exp(min(step / k, 50.0)))


def train_step(model, optimizer, source, target_in, target_out, teacher_probability, seed_generator):
    """One gradient step; the decoder runs one token at a time so that it can be fed its own predictions."""
    with tf.GradientTape() as tape:
        encoder_outputs, state, mask = model.encoder(source, training=True)
        token = target_in[:, :1]  # (batch, 1): <start>
        step_losses = []
        for t in range(target_out.shape[1]):
            logits, state, _ = model.decoder(token, state, encoder_outputs, mask, training=True)  # (batch, 1, V)
            step_losses.append(loss_per_token(target_out[:, t : t + 1], logits))  # (batch, 1), 0 on padding
            if t + 1 < target_in.shape[1]:
                predicted = ops.cast(ops.argmax(allowed(logits[:, -1]), axis=-1), target_in.dtype)  # (batch,)
                coin = keras.random.uniform(ops.shape(predicted), seed=seed_generator)
                token = ops.where(coin < teacher_probability, target_in[:, t + 1], predicted)[:, None]
        real = ops.cast(ops.not_equal(target_out, PAD_ID), "float32")  # (batch, T_out)
        loss = ops.sum(ops.concatenate(step_losses, axis=1) * real) / ops.sum(real)
    gradients = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(gradients, model.trainable_variables))
    return loss
