"""course_utils' own dependencies agree with requirements.txt, which explains each one."""

import re
import tomllib
from importlib.metadata import requires, version

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


def pyproject():
    return tomllib.loads((course_root() / "pyproject.toml").read_text(encoding="utf-8"))


def test_one_python_floor_the_code_runs_on():
    """Python 3.11 (tomllib, used above): pyproject's requires-python, ruff's target and both READMEs say so."""
    project = pyproject()
    assert project["project"]["requires-python"] == ">=3.11"
    assert project["tool"]["ruff"]["target-version"] == "py311"
    assert "You need Python 3.11 or newer" in (course_root() / "README.md").read_text(encoding="utf-8")
    assert "Python 3.11 이상" in (course_root() / "README.ko.md").read_text(encoding="utf-8")


def test_one_version_number():
    """The version is written once, in course_utils/__init__.py; pyproject.toml reads it from there."""
    import course_utils

    project = pyproject()
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "course_utils.__version__"}
    assert version("course-utils") == course_utils.__version__


def test_every_package_folder_is_installed():
    """A pip install (as in Colab) must carry every sub-package, e.g. course_utils.exercises."""
    folders = sorted(
        ".".join(path.parent.relative_to(course_root()).parts)
        for path in (course_root() / "course_utils").rglob("__init__.py")
    )
    assert sorted(pyproject()["tool"]["setuptools"]["packages"]) == folders
