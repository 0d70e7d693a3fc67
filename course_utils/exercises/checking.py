"""The one path every exercise check takes: "not answered yet", "correct", or a WrongAnswer that says what differs.

A check builds its cases, (arguments, expected value) pairs computed without the learner's code (by Keras, the
package, a case worked out by hand, or the lesson's reference solution), and hands them to ``run_check``. Where the
reference solution gives the expected value, tests/test_exercise_oracles.py checks it against an oracle that shares
no code with it: a check cannot be more right than its reference. Every check is wrapped in ``exercise_check``,
which leaves the learner's random state as it found it: a check in the middle of a lesson does not change what
the cells after it compute.

Every verdict is printed in English and, on the next line, in Korean: both editions run the same code and store the
same outputs, and a Korean learner reads the verdict at the moment of being stuck. The details (which case, expected
and got) stay in the English line; the Korean line says what the verdict means and what to do.
"""

import functools
import random
from collections.abc import Callable

import numpy as np

NOT_ANSWERED = (
    "not answered yet. Replace the `...` in the exercise cell and run it again.\n"
    "  아직 답하지 않았습니다: 연습 문제 셀의 `...`를 답으로 바꾼 뒤 셀을 다시 실행하십시오."
)
CORRECT_KOREAN = "  정답입니다: 모든 사례에서 기대한 값과 같습니다."
WRONG_KOREAN = "  오답입니다: 무엇이 맞지 않는지(기대한 값과 답, 또는 확인할 점)는 위 영어 줄에 있습니다."
REJECTED_KOREAN = "  위 판정은 검사 셀이 일부러 넣은 오답에 대한 것입니다: 검사가 틀린 답을 알아보고 거부했습니다."


def correct(name: str, detail: str) -> str:
    """The verdict for an accepted answer, in English and Korean: ``detail`` says what was checked."""
    return f"{name}: correct ({detail}).\n{CORRECT_KOREAN}"


class WrongAnswer(AssertionError):
    """The learner's answer disagrees with the expected one; the message says where, and in Korean what it means."""

    def __init__(self, message: str):
        super().__init__(f"{message}\n{WRONG_KOREAN}")


def answered(value) -> bool:
    """False for what an exercise cell starts with (``...``) and for None."""
    return value is not Ellipsis and value is not None


def exercise_check(check: Callable) -> Callable:
    """Run ``check`` without a trace on the learner's random state.

    Python's ``random`` and NumPy's global generator are restored afterwards; Keras draws the default seeds of new
    layers from Python's generator, so the learner's next model starts from the same weights as without the check.
    """

    @functools.wraps(check)
    def wrapped(*arguments, **keywords):
        python_state, numpy_state = random.getstate(), np.random.get_state()
        try:
            return check(*arguments, **keywords)
        finally:
            random.setstate(python_state)
            np.random.set_state(numpy_state)

    return wrapped


def close_numbers(tolerance: float = 1e-6) -> Callable:
    """Compare numbers or arrays: same shape, then equal within ``tolerance``; names the first row that differs."""

    def compare(got, expected, arguments) -> str | None:
        if np.shape(got) != np.shape(expected):
            return (
                f"for ({describe(arguments)}) expected a result of shape {np.shape(expected)}, "
                f"got shape {np.shape(got)}"
            )
        close = np.isclose(got, expected, atol=tolerance, rtol=1e-5)
        if close.all():
            return None
        if np.ndim(expected) == 0:
            where, expected_part, got_part = "", expected, got
        else:  # name the first row that differs
            row = int(np.argmin(close.reshape(len(close), -1).all(axis=1)))
            where, expected_part, got_part = f" in row {row}", np.asarray(expected)[row], np.asarray(got)[row]
        differs = f"the result differs{where}: expected {brief(expected_part)}, got {brief(got_part)}"
        return f"for ({describe(arguments)}) {differs}"

    return compare


def same_text(got, expected, arguments) -> str | None:
    """Compare exactly (text, or any value with ==)."""
    return None if got == expected else f"for {arguments[0]!r} expected {expected!r}, got {got!r}"


def close_fields(got, expected, arguments) -> str | None:
    """Compare a dict of numbers field by field."""
    if not isinstance(got, dict) or sorted(got) != sorted(expected):
        return f"expected a dict with keys {sorted(expected)}, got {got!r}"
    if all(np.isclose(got[field], value) for field, value in expected.items()):
        return None
    return f"for ({describe(arguments)}) expected {expected}, got {got}"


def run_check(
    name: str,
    answer: Callable,
    cases: list[tuple[tuple, object]],
    *,
    tolerance: float = 1e-6,
    compare: Callable | None = None,
) -> None:
    """Call ``answer(*arguments)`` for each case and compare with its expected value.

    Prints "not answered yet" when the answer still returns ``...`` (or raises NotImplementedError), raises
    WrongAnswer naming the first case that disagrees, and prints "correct" when all agree.
    """
    compare = compare or close_numbers(tolerance)
    for arguments, expected in cases:
        try:
            got = answer(*arguments)
        except NotImplementedError:
            got = None
        if not answered(got):
            print(f"{name}: {NOT_ANSWERED}")
            return
        problem = compare(got, expected, arguments)
        if problem:
            raise WrongAnswer(f"{name}: {problem}.")
    print(correct(name, f"{len(cases)} {'case' if len(cases) == 1 else 'cases'} checked"))


def expect_rejection(check: Callable[[Callable], None], wrong_answer: Callable) -> None:
    """Show that ``check`` rejects ``wrong_answer``; raise if it does not (then the check would be useless)."""
    try:
        check(wrong_answer)
    except WrongAnswer as rejection:
        print(f"Rejected, as it should be. {rejection}\n{REJECTED_KOREAN}")
        return
    raise AssertionError(f"{getattr(check, '__name__', check)} accepted a wrong answer: the check is broken.")


def describe(arguments: tuple) -> str:
    return ", ".join(f"array of shape {np.shape(a)}" if np.ndim(a) else repr(a) for a in arguments)


def brief(value) -> str:
    array = np.asarray(value)
    if array.ndim == 0:
        return repr(array.item())
    return np.array2string(array, precision=4, threshold=12, edgeitems=3, max_line_width=1000)
