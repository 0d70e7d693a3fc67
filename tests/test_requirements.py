"""course_utils' own dependencies agree with requirements.txt, which explains each one."""

import re
from importlib.metadata import requires

from course_utils.paths import course_root


def is_requirement(line: str) -> bool:
    return bool(line.strip()) and not line.startswith("#")


def requirement_lines():
    text = (course_root() / "requirements.txt").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if is_requirement(line)]


def package_dependencies():
    return [re.sub(r"\s", "", dependency) for dependency in requires("course-utils")]


def test_package_dependencies_appear_with_the_same_ranges_in_requirements():
    assert package_dependencies(), "course_utils is not installed with its metadata (pip install -e .)"
    assert set(package_dependencies()) <= set(requirement_lines())


def test_tensorflow_and_keras_are_not_package_dependencies():
    """So that installing course_utils in Colab never replaces Colab's TensorFlow or Keras."""
    names = {re.split(r"[<>=!~]", dependency)[0].lower() for dependency in package_dependencies()}
    assert not names & {"tensorflow", "keras", "tf-keras"}


def test_every_requirement_is_explained_by_a_comment_above_it():
    lines = (course_root() / "requirements.txt").read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        if is_requirement(line):
            above = index - 1
            while above >= 0 and is_requirement(lines[above]):  # a group of requirements shares a comment
                above -= 1
            assert above >= 0 and lines[above].startswith("#"), f"requirements.txt: no comment explains {line!r}"
