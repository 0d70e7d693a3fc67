"""Lesson 03 (teacher forcing): each exercise's reference solution, then the check that accepts it.

Try the exercise first. A check calls the learner's function on cases and goes through the shared path in
``course_utils.exercises.checking``. The cascade's expected ratio comes from
``teacher_forcing_harness.error_cascade``; the schedule's properties and the wrong-input drop are measured by the
checks' own code; tests/test_exercise_oracles.py checks the reference solutions against hand-computed cases.
"""

import math
from collections.abc import Callable

import numpy as np

from course_utils.exercises.checking import NOT_ANSWERED, WrongAnswer, answered, brief, exercise_check, run_check
from course_utils.vocabulary import PAD_ID

LESSON_TOTAL_STEPS = 2370  # lesson 03's run: 30 epochs of 79 batches

# Solutions ------------------------------------------------------------------------------------------------


def cascade_ratio(errors: np.ndarray, real: np.ndarray) -> float:
    """P(error at t+1 | error at t) / P(error at t+1 | correct at t), pairs of real neighbouring positions only."""
    both = real[:, :-1] & real[:, 1:]
    now, then = errors[:, :-1][both], errors[:, 1:][both]
    return float(then[now].mean() / then[~now].mean())


def cascade_ratio_counting_padding(errors: np.ndarray, real: np.ndarray) -> float:
    """The typical mistake for ``cascade_ratio``: every neighbouring pair counted, padding included."""
    return float(errors[:, 1:][errors[:, :-1]].mean() / errors[:, 1:][~errors[:, :-1]].mean())


def faster_schedule(step: int, total_steps: int) -> float:
    """Inverse sigmoid decay with k a fortieth of the steps (the lesson's is a tenth): below 1/2 by epoch 4 of 30."""
    k = total_steps / 40
    return k / (k + math.exp(min(step / k, 50.0)))


def lesson_schedule(step: int, total_steps: int) -> float:
    """The lesson's scheduled sampling (k a tenth of the steps): the typical non-answer to "a schedule of your own"."""
    k = total_steps / 10
    return k / (k + math.exp(min(step / k, 50.0)))


def accuracy_drop(model, source, target_in, target_out, position: int, wrong_id: int) -> float:
    """Teacher-forced token accuracy over the real targets from ``position`` on, with every input true, minus the
    same accuracy when the input at ``position`` is replaced by ``wrong_id`` (the other inputs stay true)."""
    corrupted = target_in.copy()
    corrupted[:, position] = wrong_id
    later = (target_out != PAD_ID)[:, position:]

    def accuracy(inputs):
        predicted = np.asarray(model.teacher_forced(source, inputs)[0]).argmax(-1)[:, position:]
        return float((predicted == target_out[:, position:])[later].mean())

    return accuracy(target_in) - accuracy(corrupted)


def accuracy_with_wrong_input(model, source, target_in, target_out, position: int, wrong_id: int) -> float:
    """The typical mistake for ``accuracy_drop``: the accuracy with the wrong input, not its drop from the clean one."""
    corrupted = target_in.copy()
    corrupted[:, position] = wrong_id
    predicted = np.asarray(model.teacher_forced(source, corrupted)[0]).argmax(-1)[:, position:]
    return float((predicted == target_out[:, position:])[(target_out != PAD_ID)[:, position:]].mean())


# Checks ---------------------------------------------------------------------------------------------------


def free_running_ratio(model, test_arrays) -> float:
    """The cascade ratio of ``model``'s greedy (free-running) outputs, by teacher_forcing_harness.error_cascade."""
    from course_utils.decoding import greedy_decode
    from course_utils.teacher_forcing_harness import error_cascade

    source, _, target_out = test_arrays
    tokens, _ = greedy_decode(model, source)
    return error_cascade(tokens != target_out, target_out != PAD_ID)["ratio"]


@exercise_check
def check_cascade_ratio(answer: Callable, models, test_arrays) -> None:
    """``answer(errors, real)``: P(error at t+1 | error at t) / P(error at t+1 | correct at t) over neighbouring
    positions that are both real, measured here on the free-running outputs of each model in ``models``.

    test_arrays: (source, target_in, target_out). The expected value comes from teacher_forcing_harness.error_cascade.
    """
    from course_utils.decoding import greedy_decode
    from course_utils.teacher_forcing_harness import error_cascade

    source, _, target_out = test_arrays
    cases = []
    for model in models:
        tokens, _ = greedy_decode(model, source)
        errors, real = tokens != target_out, target_out != 0
        cases.append(((errors, real), error_cascade(errors, real)["ratio"]))
    # Date targets have no padding, so the models alone cannot tell an answer that ignores ``real``: a small case
    # with padded rows can (0.75 over real pairs; 1.0 when padding is counted).
    padded_errors = np.array([[1, 1, 0, 1, 1, 1], [0, 1, 1, 0, 1, 1], [0, 0, 1, 1, 0, 0]], dtype=bool)
    padded_real = np.array([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1]], dtype=bool)
    cases.append(((padded_errors, padded_real), error_cascade(padded_errors, padded_real)["ratio"]))

    def compare(got, expected, arguments):
        if np.ndim(got) == 0 and np.isclose(float(got), expected, rtol=1e-4, equal_nan=True):
            return None
        errors, real = arguments
        return (
            f"for a model with {int(errors[real].sum())} errors on real positions your ratio {brief(got)} is not the "
            "one measured here. Count only pairs of neighbouring positions that are both real"
        )

    run_check("cascade ratio", answer, cases, compare=compare)


def schedule_problem(values: np.ndarray, lesson_values: np.ndarray, margin: float) -> str | None:
    """What is wrong with a schedule's values over the trained steps, or None: between 0 and 1, never rising,
    starting above 1/2 (the truth first), and on average feeding the truth less often than the lesson's scheduled
    sampling over the same steps, by at least ``margin``."""
    if values.shape != lesson_values.shape or not np.isfinite(values).all():
        return f"expected one finite number per step ({len(lesson_values)}), got {brief(values)}"
    if values.min() < 0 or values.max() > 1:
        return f"a probability lies between 0 and 1; yours reaches {values.min():.3f} and {values.max():.3f}"
    if (np.diff(values) > 1e-9).any():
        return f"it rises at step {int(np.argmax(np.diff(values) > 1e-9)) + 1}; a schedule only decreases"
    if not values[0] > 0.5:
        return f"it should start above 1/2 (the truth first, as scheduled sampling does); it starts at {values[0]:.3f}"
    if values.mean() > lesson_values.mean() - margin:
        return (
            f"on average it feeds the truth with probability {values.mean():.3f}, the lesson's schedule "
            f"{lesson_values.mean():.3f}: yours should feed the model's own predictions more often "
            f"(by {margin} at least)"
        )
    return None


@exercise_check
def check_schedule(answer: Callable[[int, int], float], total_steps=LESSON_TOTAL_STEPS, trained_steps=632) -> None:
    """``answer(step, total_steps)``: a scheduled-sampling schedule that feeds the model's own predictions sooner
    than the lesson's; checked over the first ``trained_steps`` of a ``total_steps`` run (the exercise trains 8 of
    the 30 epochs) and over the whole run."""

    def values_over(total, trained):
        first = answer(0, total)
        if not answered(first):
            return first
        return np.array([float(answer(step, total)) for step in range(trained)])

    def lesson_values(total, trained):  # the lesson's inverse sigmoid decay, k a tenth of the steps, written again
        k = total / 10
        return k / (k + np.exp(np.minimum(np.arange(trained) / k, 50.0)))

    cases = [  # (run, trained steps), (the lesson's values there, how much less often yours must feed the truth)
        ((total_steps, trained_steps), (lesson_values(total_steps, trained_steps), 0.05)),
        ((total_steps, total_steps), (lesson_values(total_steps, total_steps), 0.0)),
    ]
    run_check(
        "your schedule",
        values_over,
        cases,
        compare=lambda got, expected, arguments: (
            None
            if (problem := schedule_problem(np.asarray(got, float), *expected)) is None
            else f"over the first {arguments[1]} of {arguments[0]} steps, {problem}"
        ),
    )


@exercise_check
def check_schedule_effect(my_ratio, lowered, my_model, baseline_model, test_arrays) -> None:
    """``my_ratio``: the free-running cascade ratio of ``my_model`` on ``test_arrays``; ``lowered``: whether it is
    below ``baseline_model``'s (the lesson's scheduled sampling). The check measures both models itself."""
    if not (answered(my_ratio) and answered(lowered)):
        print(f"schedule effect: {NOT_ANSWERED}")
        return
    if my_model is None:
        raise WrongAnswer("schedule effect: my_model is None; train it with your schedule first.")
    if my_model is baseline_model:
        raise WrongAnswer("schedule effect: my_model is the lesson's own model; train a new one with your schedule.")
    mine, baseline = free_running_ratio(my_model, test_arrays), free_running_ratio(baseline_model, test_arrays)
    answers = {"your model's cascade ratio": my_ratio, "lower than scheduled sampling's": lowered}

    def compare(got, expected, arguments):
        if arguments[0] == "your model's cascade ratio":
            if np.ndim(got) == 0 and np.isclose(float(got), expected, rtol=1e-3):
                return None
            return f"{arguments[0]}: you gave {brief(got)}, which is not what the check measures on my_model"
        if isinstance(got, bool | np.bool_) and bool(got) == expected:
            return None
        return f"{arguments[0]}: you gave {got!r}; answer True or False from the two ratios you measured"

    cases = [(("your model's cascade ratio",), mine), (("lower than scheduled sampling's",), bool(mine < baseline))]
    run_check("schedule effect", answers.get, cases, compare=compare)


@exercise_check
def check_accuracy_drop(answer: Callable, models, test_arrays, wrong_inputs=((3, 8), (6, 3))) -> None:
    """``answer(model, source, target_in, target_out, position, wrong_id)``: how much one wrong input at
    ``position`` (the other inputs true) lowers the teacher-forced accuracy from that position on.

    Measured here for each model and each (position, wrong_id) in ``wrong_inputs``, by the check's own count.
    """
    source, target_in, target_out = test_arrays
    later = np.arange(target_out.shape[1])  # (T_out,): output positions

    def share_right(model, inputs, position):  # teacher-forced accuracy over the real targets from ``position`` on
        predicted = np.asarray(model.teacher_forced(source, inputs)[0]).argmax(-1)  # (n, T_out)
        counted = (target_out != PAD_ID) & (later >= position)
        return ((predicted == target_out) & counted).sum() / counted.sum()

    cases = []
    for model in models:
        for position, wrong_id in wrong_inputs:
            changed = np.where(np.arange(target_in.shape[1]) == position, wrong_id, target_in)  # (n, T_in)
            drop = float(share_right(model, target_in, position) - share_right(model, changed, position))
            cases.append(((model, source, target_in.copy(), target_out, position, wrong_id), drop))

    def compare(got, expected, arguments):
        if not np.array_equal(arguments[2], target_in):
            return "your function changed target_in in place; change a copy"
        if np.ndim(got) == 0 and np.isclose(float(got), expected, atol=1e-6):
            return None
        return (
            f"with a wrong input {arguments[5]} at position {arguments[4]} your drop {brief(got)} is not the one "
            "counted here. Return (accuracy with true inputs) - (accuracy with the one wrong input), both over the "
            "real targets from that position on"
        )

    run_check("accuracy drop", answer, cases, compare=compare)
