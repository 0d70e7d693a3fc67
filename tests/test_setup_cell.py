"""The set-up cell's Colab steps (clone, check, install), run offline against a local clone address.

The cell is run as Colab runs it, with ``google.colab`` present, in a fresh interpreter whose working directory is
a temporary folder. The course it clones is a small stand-in repository (a ``course_utils`` package that says where
it came from), so that pip can build it offline in a second; pip installs into a temporary target folder instead
of this environment. The Colab replica (`make colab`) installs the real course the same way.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from course_utils.repository import CLONE_FOLDER, CLONE_URL, setup_cell_source

STAND_IN_PYPROJECT = """[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "course-utils"
version = "0.0.0"
dependencies = [{dependencies}]

[tool.setuptools]
packages = ["course_utils"]
"""


def git(*arguments, cwd):
    subprocess.run(["git", *arguments], cwd=cwd, check=True, capture_output=True)


def stand_in_course(folder: Path, dependencies: str = "") -> str:
    """A git repository holding a package named course_utils; returns its clone address."""
    (folder / "course_utils").mkdir(parents=True)
    (folder / "course_utils" / "__init__.py").write_text("ORIGIN = 'the stand-in course'\n")
    (folder / "pyproject.toml").write_text(STAND_IN_PYPROJECT.format(dependencies=dependencies))
    git("init", "--quiet", cwd=folder)
    git("add", ".", cwd=folder)
    git("-c", "user.name=test", "-c", "user.email=test@example.org", "commit", "--quiet", "-m", "course", cwd=folder)
    return folder.as_uri()


def colab_steps() -> str:
    """The cell up to the import of course_utils.environment: everything it does in Colab before the course runs."""
    source = setup_cell_source()
    return source[: source.index("from course_utils.environment import set_up")]


def run_in_colab(steps: str, clone_url: str, workdir: Path) -> subprocess.CompletedProcess:
    """Run ``steps`` with ``google.colab`` present and the course's address replaced by ``clone_url``, then import
    course_utils and print where it came from. ``-S``: this environment's own (editable) course_utils is not on the
    path, only the folder pip installs into."""
    target = workdir / "site"
    pretend = "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')\n"
    after = "\nimport course_utils\nprint(course_utils.ORIGIN, course_utils.__file__)\n"
    code = pretend + steps.replace(CLONE_URL, clone_url) + after
    environment = {
        **os.environ,
        "PYTHONPATH": str(target),
        "PIP_TARGET": str(target),  # pip installs here, not into the test's environment
        "PIP_NO_INDEX": "1",  # offline
        "PIP_NO_BUILD_ISOLATION": "0",  # build with this environment's setuptools (pip reads "0" as: no isolation)
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
    }
    return subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=workdir,
        env=environment,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "colab").mkdir()
    return tmp_path / "colab"


def test_the_cell_clones_installs_and_imports_the_course(tmp_path, workdir):
    result = run_in_colab(colab_steps(), stand_in_course(tmp_path / "origin"), workdir)
    assert result.returncode == 0, result.stderr
    assert (workdir / CLONE_FOLDER / "course_utils" / "__init__.py").is_file()
    origin, location = result.stdout.split()[-4:-1], result.stdout.split()[-1]
    assert " ".join(origin) == "the stand-in course" and location.startswith(str(workdir / "site"))


def test_a_clone_that_fails_stops_the_cell_at_once_with_the_address(tmp_path, workdir):
    missing = (tmp_path / "no-such-repository").as_uri()
    result = run_in_colab(colab_steps(), missing, workdir)
    assert result.returncode != 0
    assert f"Could not clone {missing}" in result.stderr and "check the address and the internet" in result.stderr
    assert "ModuleNotFoundError" not in result.stderr  # it stops there, not later at an import
    assert not (workdir / CLONE_FOLDER).exists()


def test_a_folder_that_is_not_the_course_is_named_with_the_fix(tmp_path, workdir):
    (workdir / CLONE_FOLDER).mkdir()  # e.g. a clone interrupted earlier
    result = run_in_colab(colab_steps(), stand_in_course(tmp_path / "origin"), workdir)
    assert result.returncode != 0
    assert f"{CLONE_FOLDER}/ holds no course_utils/: delete it (!rm -rf {CLONE_FOLDER})" in result.stderr


def test_an_install_that_fails_stops_the_cell_with_pip_named(tmp_path, workdir):
    unreachable = '"a-package-no-index-offers>=1"'  # offline, pip cannot resolve it
    result = run_in_colab(colab_steps(), stand_in_course(tmp_path / "origin", unreachable), workdir)
    assert result.returncode != 0
    assert "pip could not install the course" in result.stderr and "ModuleNotFoundError" not in result.stderr


def test_the_checks_above_would_see_a_cell_without_its_checks(tmp_path, workdir):
    """Without its checks (the cell's steps as plain commands), a failed clone surfaces only later, at the import:
    the test of the clone failure above is what tells the two apart."""
    steps = colab_steps()
    unchecked = steps[: steps.index("    if not os.path.isdir(folder):")] + (
        "    subprocess.run(['git', 'clone', '--quiet', '--depth', '1', course, folder])\n"
        "    subprocess.run([sys.executable, '-m', 'pip', 'install', '--quiet', f'./{folder}'])\n"
    )
    result = run_in_colab(unchecked, (tmp_path / "no-such-repository").as_uri(), workdir)
    assert result.returncode != 0 and "Could not clone" not in result.stderr
    assert "ModuleNotFoundError" in result.stderr
