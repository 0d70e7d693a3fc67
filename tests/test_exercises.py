"""Every exercise check accepts the reference solution, rejects a typical mistake, and spots '...'."""

import numpy as np
import pytest

from course_utils import exercises, solutions

CASES = {  # check -> (reference solution, a typical wrong answer)
    "check_gru_parameter_count": (solutions.gru_parameter_count, lambda d, u: 3 * (d * u + u * u + u)),
    "check_temperature": (solutions.apply_temperature, lambda p, t: (p / t) / (p / t).sum(axis=1, keepdims=True)),
    "check_last_real_state": (solutions.last_real_state, lambda outputs, mask: outputs[:, -1]),
    "check_ordinal": (solutions.ordinal, lambda d: f"{d}" + {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")),
    "check_two_digit_year": (solutions.two_digit_year, lambda yy: 1900 + yy),
    "check_field_errors": (
        solutions.field_errors,
        lambda p, r: {
            f: float(np.mean([a[s] != b[s] for a, b in zip(p, r)]))
            for f, s in {"year": slice(0, 4), "month": slice(8, 10), "day": slice(5, 7)}.items()
        },
    ),
    "check_decoder_input": (
        solutions.decoder_input,
        lambda t, s, e: np.concatenate([np.full((len(t), 1), s), t[:, :-1]], axis=1),
    ),
    "check_brevity_penalty": (solutions.brevity_penalty, lambda c, r: float(np.exp(1 - c / r)) if c <= r else 1.0),
    "check_padding_share": (solutions.padding_share, lambda t: float(np.mean(t != 0))),
    "check_inverse_sigmoid": (solutions.inverse_sigmoid, lambda step, k: 1 / (1 + np.exp(step / k))),
    "check_next_input": (solutions.next_input, lambda t, p, c, q: np.where(c > q, t, p)),
    "check_token_accuracy": (solutions.token_accuracy, lambda p, t: float(np.mean(p == t))),
    "check_additive_scores": (solutions.additive_scores, lambda s, H, W, U, v: np.tanh(s @ W) @ v + (H @ U) @ v),
    "check_masked_softmax": (
        solutions.masked_softmax_numpy,
        lambda s, m: np.exp(s) / np.exp(s).sum(axis=1, keepdims=True) * m,
    ),
    "check_bahdanau_parameter_count": (solutions.bahdanau_parameter_count, lambda d_q, d_v, u: u * (d_q + d_v)),
    "check_luong_scores": (solutions.luong_scores, lambda h, H, W: H @ h),
    "check_attentional_state": (solutions.attentional_state, lambda c, h, W: np.tanh(np.concatenate([h, c]) @ W)),
    "check_normalised_score": (solutions.normalised_score, lambda lp, n, a: lp * n**a),
    "check_looks_like_softmax": (solutions.looks_like_softmax, lambda w, n: bool(np.allclose(w.sum(1), 1))),
    "check_on_field": (solutions.on_field, lambda w, m: w * m),
    "check_changed_share": (
        solutions.changed_share,
        lambda model, source, steps: solutions.changed_share(model, source, [0, 1, 2, 3, 5, 6, 8, 9]),
    ),
    "check_allowed_after": (
        solutions.allowed_after,
        lambda prefix: set("0123456789-") if len(prefix) < 10 else {"<end>"},
    ),
}


def every_check():
    return sorted(name for name in dir(exercises) if name.startswith("check_"))


def test_every_check_has_a_case_here():
    assert every_check() == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_accepts_the_solution(name, capsys):
    getattr(exercises, name)(CASES[name][0])
    assert "correct" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_rejects_a_typical_mistake(name):
    with pytest.raises(exercises.WrongAnswer):
        getattr(exercises, name)(CASES[name][1])


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_says_not_answered_for_the_placeholder(name, capsys):
    placeholder = lambda *arguments: ...  # noqa: E731 - what the exercise cells start with
    getattr(exercises, name)(placeholder)
    assert "not answered yet" in capsys.readouterr().out


def test_expect_rejection_fails_loudly_when_a_check_accepts_a_wrong_answer():
    with pytest.raises(AssertionError, match="the check is broken"):
        exercises.expect_rejection(exercises.check_ordinal, solutions.ordinal)
