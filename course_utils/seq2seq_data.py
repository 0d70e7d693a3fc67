"""The arrays a seq2seq model trains on, made from text pairs (a data module: no Keras, no TensorFlow)."""

import numpy as np

from course_utils.vocabulary import PAD_ID


def teacher_forcing_arrays(sources, targets, source_vocabulary, target_vocabulary, *, source_length, target_length):
    """Encode text pairs for teacher forcing: ((source, target_in), target_out), all right-padded int32.

    source (n, source_length); target_in (n, target_length) = <start> y_1 … y_m; target_out (n, target_length)
    = y_1 … y_m <end>: at every step the decoder is fed the true previous token and must predict the next.
    """
    source = source_vocabulary.encode_batch(list(sources), length=source_length)
    framed = target_vocabulary.encode_batch(list(targets), length=target_length + 1, add_start=True, add_end=True)
    target_in = np.where(framed[:, :-1] == target_vocabulary.end_id, PAD_ID, framed[:, :-1])  # <end> is never an input
    return (source, target_in), framed[:, 1:]
