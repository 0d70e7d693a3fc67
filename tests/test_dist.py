"""The instructors' bundle (``make dist``), unpacked in a temporary folder: its checksum, its contents, and lesson 01
run from it with nbval, offline, importing the bundle's own course_utils and reading its own data.

Run by ``make dist-test`` (which ``make test`` runs after building the site and the bundle): it needs the built
bundle, named by the environment variable DIST_BUNDLE, and is skipped without it (the unit tests do not build the
website). "Offline": the lesson needs nothing from the network (its data ship in the bundle), and the run's
HTTP(S) proxy variables point at a closed local port, so that any download a library tried would fail.
"""

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from course_utils import __version__

BUNDLE = os.environ.get("DIST_BUNDLE")
LESSON = "notebooks/01_rnn_recap.ipynb"

pytestmark = pytest.mark.skipif(not BUNDLE, reason="needs DIST_BUNDLE=dist/...zip: run make dist-test")


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("bundle")
    with zipfile.ZipFile(BUNDLE) as archive:
        archive.extractall(folder)
    (top,) = folder.iterdir()
    return top


def test_name_and_checksum():
    bundle = Path(BUNDLE)
    assert bundle.name == f"seq2seq-attention-keras-{__version__}.zip"
    digest, name = bundle.with_suffix(".zip.sha256").read_text(encoding="utf-8").split()
    assert name == bundle.name
    assert digest == hashlib.sha256(bundle.read_bytes()).hexdigest()


def test_contents(unpacked):
    english = sorted(path.name for path in (unpacked / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    korean = sorted(path.name for path in (unpacked / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))
    assert len(english) >= 9 and korean and set(korean) <= set(english)
    for page in ["site/index.html", "site/en/index.html", "site/ko/index.html", "site/en/glossary.html"]:
        assert (unpacked / page).is_file(), page
    assert {f"site/en/{name[:-6]}.html" for name in english} <= {
        path.relative_to(unpacked).as_posix() for path in (unpacked / "site" / "en").glob("*.html")
    }
    for name in ["README.md", "README.ko.md", "GLOSSARY.md", "CHANGELOG.md", "pyproject.toml", "requirements.txt",
                 "data/README.md", "models/README.md", "course_utils/__init__.py"]:  # fmt: skip
        assert (unpacked / name).is_file(), name
    assert list((unpacked / "models").glob("*.keras"))
    assert not list(unpacked.rglob("__pycache__"))


def offline_environment(unpacked: Path) -> dict:
    closed = "http://127.0.0.1:9"
    environment = {key: value for key, value in os.environ.items() if key != "COURSE_ROOT"}
    environment.update(PYTHONPATH=str(unpacked), HTTP_PROXY=closed, HTTPS_PROXY=closed, http_proxy=closed,
                       https_proxy=closed, NO_PROXY="", no_proxy="")  # fmt: skip
    return environment


def test_the_bundle_is_what_a_lesson_imports(unpacked):
    """From the bundle's notebooks/, Python finds the bundle's course_utils and data, not the checkout's."""
    found = subprocess.run(
        [sys.executable, "-c", "import course_utils.paths as p; print(p.__file__); print(p.course_root())"],
        cwd=unpacked / "notebooks", env=offline_environment(unpacked), capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert Path(found[0]).resolve().is_relative_to(unpacked.resolve())
    assert Path(found[1]).resolve() == unpacked.resolve()


def test_lesson_01_runs_from_the_bundle(unpacked):
    """nbval over lesson 01 in the bundle: a fresh kernel, every cell's output compared with the stored one."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval", "--nbval-current-env", "--nbval-cell-timeout=600",
         "--nbval-sanitize-with", "notebooks/nbval_sanitize.cfg", "-p", "no:cacheprovider", "-q", LESSON],
        cwd=unpacked, env=offline_environment(unpacked), capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
