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


# Lesson 06 ------------------------------------------------------------------------------------------------


def ordinal(day: int) -> str:
    """11, 12 and 13 take "th"; otherwise the last digit decides."""
    if 11 <= day % 100 <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th') }"


def two_digit_year(yy: int) -> int:
    """Pivot at 50: 50-99 -> 1950-1999, 00-49 -> 2000-2049."""
    return 1900 + yy if yy >= 50 else 2000 + yy


def field_errors(predictions: list[str], references: list[str]) -> dict[str, float]:
    """Compare the characters of each field of "YYYY-MM-DD"."""
    fields = {"year": slice(0, 4), "month": slice(5, 7), "day": slice(8, 10)}
    return {
        name: float(np.mean([p[part] != r[part] for p, r in zip(predictions, references)]))
        for name, part in fields.items()
    }


# Lesson 02 ------------------------------------------------------------------------------------------------


def decoder_input(target_out: np.ndarray, start_id: int, end_id: int) -> np.ndarray:
    """Shift right behind <start>; the <end> that moves into the last real slot becomes padding."""
    shifted = np.concatenate([np.full((len(target_out), 1), start_id), target_out[:, :-1]], axis=1)
    return np.where(shifted == end_id, 0, shifted)


def brevity_penalty(c: int, r: int) -> float:
    """1 for hypotheses longer than the reference, exp(1 - r / c) otherwise."""
    return 1.0 if c > r else float(np.exp(1 - r / c))


def padding_share(target_out: np.ndarray) -> float:
    return float(np.mean(target_out == 0))


# Lesson 03 ------------------------------------------------------------------------------------------------


def inverse_sigmoid(step: float, k: float) -> float:
    return k / (k + float(np.exp(step / k)))


def next_input(true_tokens, predicted_tokens, coins, teacher_probability):
    return np.where(coins < teacher_probability, true_tokens, predicted_tokens)


def token_accuracy(predicted: np.ndarray, target: np.ndarray) -> float:
    real = target != 0
    return float((predicted == target)[real].mean())


# Lesson 04 ------------------------------------------------------------------------------------------------


def additive_scores(s, H, W, U, v):
    """vᵀ tanh(W s + U h_j) for every row h_j of H."""
    return np.tanh(s @ W + H @ U) @ v


def masked_softmax_numpy(scores, mask):
    shifted = np.where(mask, scores - scores.max(axis=1, keepdims=True), -np.inf)
    exponentials = np.exp(shifted)  # exp(-inf) = 0 on masked positions
    return exponentials / exponentials.sum(axis=1, keepdims=True)


def bahdanau_parameter_count(d_q, d_v, units):
    """W (d_q x units), U (d_v x units), v (units)."""
    return units * (d_q + d_v + 1)


# Lesson 05 ------------------------------------------------------------------------------------------------


def luong_scores(h, H, W_a):
    """dot: H @ h; general: (H @ W_a) @ h (W_a projects the encoder outputs to the decoder's size)."""
    keys = H if W_a is None else H @ W_a
    return keys @ h


def attentional_state(context, h, W_c):
    return np.tanh(np.concatenate([context, h]) @ W_c)


def normalised_score(log_probability, length, alpha):
    return log_probability / length**alpha


def allowed_after(prefix):
    """The characters that can follow ``prefix`` in a real date 1950-01-01 .. 2049-12-31 ("<end>" after 10)."""
    if len(prefix) == 10:
        return {"<end>"} if prefix in _next_characters() else set()
    return set(_next_characters().get(prefix, ()))


def _next_characters():
    """prefix -> the characters that follow it in some date of the range (built once)."""
    if not _NEXT:
        import datetime

        day = datetime.date(1950, 1, 1)
        while day.year < 2050:
            text = day.isoformat()
            for n in range(10):
                _NEXT.setdefault(text[:n], set()).add(text[n])
            _NEXT[text] = {"<end>"}
            day += datetime.timedelta(days=1)
    return _NEXT


_NEXT: dict[str, set] = {}


# Lesson 07 ------------------------------------------------------------------------------------------------


def looks_like_softmax(weights, input_length):
    weights = np.asarray(weights)
    return bool(
        (weights >= 0).all()
        and np.allclose(weights.sum(axis=1), 1.0, atol=1e-5)
        and (weights[:, input_length:] == 0).all()
    )


def on_field(step_weights, field_mask):
    """Each row (batch, T) replaced by uniform weights over the positions where ``field_mask`` is True."""
    field_mask = np.asarray(field_mask, dtype=float)
    return field_mask / field_mask.sum(axis=1, keepdims=True)


def changed_share(model, source, steps):
    """Share of outputs whose characters at ``steps`` change when those steps attend uniformly to the input."""
    from course_utils.intervention import intervened_decode, spread_over

    source = np.asarray(source)
    before, _ = intervened_decode(model, source, {})
    after, _ = intervened_decode(model, source, {step: spread_over(source != 0) for step in steps})
    return float(np.mean((before[:, steps] != after[:, steps]).any(axis=1)))
