"""The course's training recipe for a Seq2Seq: Adam with a cosine-decayed learning rate, a loss and an accuracy that
ignore padding, and ``fit`` with the same batch size the schedule was computed for.

    history = fit_seq2seq(model, inputs, targets, epochs=6, learning_rate=5e-3, verbose=2)

is ``compile_seq2seq`` with decay over ``epochs × ceil(n / batch_size)`` steps (every step of the run, so the
rate reaches its floor exactly when training ends), then ``model.fit`` with that ``batch_size``.
"""

import keras
from keras import ops

from course_utils.batches import BATCH_SIZE, training_steps  # lessons import both from here
from course_utils.vocabulary import PAD_ID

FINAL_RATE_SHARE = 0.05  # the cosine schedule ends at 5 % of the starting rate


def masked_accuracy(y_true, logits):
    """Share of real (non-padding) target tokens whose highest logit is the right token."""
    real = ops.not_equal(y_true, PAD_ID)  # (batch, T_out)
    correct = ops.equal(ops.cast(ops.argmax(logits, axis=-1), y_true.dtype), y_true)
    return ops.sum(ops.cast(correct & real, "float32")) / ops.maximum(ops.sum(ops.cast(real, "float32")), 1.0)


def compile_seq2seq(model, *, learning_rate=5e-3, decay_steps=None):
    """Adam (with cosine decay over ``decay_steps`` when given), loss and accuracy that ignore padding.

    jit_compile is set to False on purpose: Keras' GRU layers use cuDNN on a GPU, which XLA cannot compile,
    and Keras would otherwise decide by itself ("auto") differently on CPU and GPU.
    """
    if decay_steps:
        learning_rate = keras.optimizers.schedules.CosineDecay(learning_rate, decay_steps, alpha=FINAL_RATE_SHARE)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=PAD_ID),
        metrics=[masked_accuracy],
        jit_compile=False,
    )
    return model


def fit_seq2seq(model, inputs, targets, *, epochs, batch_size=BATCH_SIZE, learning_rate=5e-3, **fit_keywords):
    """Compile ``model`` with the course's recipe and train it; returns ``fit``'s History.

    The cosine decay covers exactly the steps this fit takes. ``fit_keywords`` go to ``model.fit`` (``verbose``,
    ``validation_data``, ``callbacks``, ...).
    """
    steps = training_steps(len(targets), epochs=epochs, batch_size=batch_size)
    compile_seq2seq(model, learning_rate=learning_rate, decay_steps=steps)
    return model.fit(inputs, targets, epochs=epochs, batch_size=batch_size, **fit_keywords)
