"""Reference solutions to the exercises. Try the exercise first; the checks in ``exercises`` accept these."""

import numpy as np


# Lesson 01 ------------------------------------------------------------------------------------------------

def gru_parameter_count(input_dim: int, units: int) -> int:
    """Three gates, each with an input kernel, a recurrent kernel and (Keras' reset_after form) two biases."""
    return 3 * (input_dim * units + units * units + 2 * units)


def apply_temperature(probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """Divide the log-probabilities by the temperature and renormalise each row."""
    logits = np.log(probabilities) / temperature
    logits -= logits.max(axis=-1, keepdims=True)
    scaled = np.exp(logits)
    return scaled / scaled.sum(axis=-1, keepdims=True)


def last_real_state(outputs: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """outputs (batch, time, units), mask (batch, time) -> (batch, units) at each row's last real step."""
    last = mask.sum(axis=1) - 1  # (batch,) index of the last real step, right padding
    return outputs[np.arange(len(outputs)), last]
