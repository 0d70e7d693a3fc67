"""The lessons' exercises: one module per lesson (``lesson01`` … ``lesson09``), each reference solution beside the
check that accepts it, all going through one path (``checking``): "not answered yet", "correct", or a WrongAnswer
that says what differs. Checks leave the learner's random state as they found it.

Notebooks call ``exercises.check_<name>(answer)``: every ``check_*`` function of a lesson module is gathered here,
so a new check only needs to be written in its lesson's module (next to its solution, wrapped in
``@exercise_check``).
"""

from course_utils.exercises import (
    lesson01,
    lesson02,
    lesson03,
    lesson04,
    lesson05,
    lesson06,
    lesson07,
    lesson08,
    lesson09,
)
from course_utils.exercises.checking import WrongAnswer, expect_rejection, run_check

LESSONS = (lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07, lesson08, lesson09)
CHECKS = {name: getattr(lesson, name) for lesson in LESSONS for name in dir(lesson) if name.startswith("check_")}
globals().update(CHECKS)

__all__ = ["LESSONS", "CHECKS", "WrongAnswer", "expect_rejection", "run_check", *CHECKS]
