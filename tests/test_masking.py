"""MASKED_SCORE, the one score the package gives what a mask rules out: exactly no weight, in float32 and float16.

In float16 the old -1e9 is -inf, and a softmax over a row that is all -inf is NaN; 65504 is the largest float16.
"""

import numpy as np
import pytest
from keras import ops

from course_utils.attention import MASKED_SCORE, masked_softmax
from course_utils.seq2seq import allowed
from course_utils.transformer import scaled_dot_product_attention


def test_the_masked_score_is_a_finite_float16_whose_exponential_is_zero():
    assert np.isfinite(np.float16(MASKED_SCORE)) and np.exp(np.float16(MASKED_SCORE)) == 0
    assert np.exp(np.float32(MASKED_SCORE)) == 0


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_masked_positions_get_exactly_no_weight(dtype):
    scores = ops.convert_to_tensor(np.array([[[2.0, 30.0, -1.0]]]), dtype=dtype)  # (batch 1, T_q 1, T_v 3)
    weights = ops.convert_to_numpy(masked_softmax(scores, np.array([[True, False, True]])))
    assert weights[0, 0, 1] == 0 and weights.sum() == pytest.approx(1, abs=1e-3)


@pytest.mark.parametrize("dtype", ["float32", "float16"])
def test_a_row_with_nothing_allowed_stays_finite(dtype):
    """Not a case the lessons reach (no input is all padding), but a mask must not turn into NaN."""
    weights = masked_softmax(ops.zeros((1, 1, 4), dtype=dtype), np.zeros((1, 4), bool))
    np.testing.assert_allclose(ops.convert_to_numpy(weights), 0.25)
    query = key = value = ops.ones((1, 3, 4), dtype=dtype)
    _, weights = scaled_dot_product_attention(query, key, value, mask=np.zeros((1, 3, 3), bool))
    np.testing.assert_allclose(ops.convert_to_numpy(weights), 1 / 3, rtol=1e-3)


def test_ruled_out_logits_stay_finite_in_float16():
    logits = ops.convert_to_numpy(allowed(ops.zeros((2, 5), dtype="float16")))  # (batch, vocabulary)
    assert np.isfinite(logits).all() and (logits[:, :2] == MASKED_SCORE).all() and (logits[:, 2:] == 0).all()
