"""Text pairs become the arrays a seq2seq model trains on (data modules: no Keras involved)."""

import numpy as np

from course_utils import dates
from course_utils.vocabulary import END_ID, PAD_ID, START_ID


def test_date_training_arrays_decode_back_to_the_split():
    splits = dates.make_splits(seed=0, train_size=50, test_size=10, ood_size=5)
    (source, target_in), target_out = dates.training_arrays(splits.train)
    source_vocabulary, target_vocabulary = dates.vocabularies()
    assert source.shape == (50, dates.SOURCE_LENGTH) and target_out.shape == target_in.shape == (
        50,
        dates.TARGET_LENGTH,
    )
    assert source_vocabulary.decode_batch(source) == list(splits.train.text)
    assert target_vocabulary.decode_batch(target_out) == list(splits.train.iso)  # decoding stops at <end>
    assert (target_in[:, 0] == START_ID).all() and (target_out[:, -1] == END_ID).all()  # ISO dates fill the length
    np.testing.assert_array_equal(target_in[:, 1:], target_out[:, :-1])  # shifted by one, <end> never an input
    assert not (target_in == END_ID).any() and (source[source == PAD_ID].size > 0)
