"""Where the course is published: the one setting that the Colab badges and the Colab clone are made from.

Publishing under another address is a one-line change to ``REPOSITORY``; ``make notebooks`` then rewrites
each notebook's badge and set-up cell, and ``tests/test_notebook_hygiene.py`` checks they agree.
"""

import re

REPOSITORY = "seq2seq-attention-course/seq2seq-attention-keras"  # GitHub "owner/name"; not decided yet
BRANCH = "main"
CLONE_FOLDER = "seq2seq-attention-keras"  # folder the Colab set-up cell clones into

# The kernelspec JupyterLab stores in a notebook run with the course's kernel; `make notebooks` stores the same, with
# the kernel's full language_info, so that opening a lesson does not mark it modified.
NOTEBOOK_KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO_KEYS = (
    "codemirror_mode",
    "file_extension",
    "mimetype",
    "name",
    "nbconvert_exporter",
    "pygments_lexer",
    "version",
)

CLONE_URL = f"https://github.com/{REPOSITORY}.git"
COLAB_BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"

# Patterns of a lesson's opening cell, read by tools/execute_notebooks.py, tools/translations.py and the hygiene test.
BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]*)\)")  # any "Open In Colab" badge; group 1: its address
STATED_MINUTES = {  # the stated CPU run time, per edition; group 1: the minutes
    "en": re.compile(r"\*\*CPU run time:\*\*[^0-9]*(\d+(?:\.\d+)?) minutes?"),
    "ko": re.compile(r"\*\*CPU 실행 시간:\*\*[^\n]*?(\d+(?:\.\d+)?) ?분"),
}


def colab_url(notebook_file: str) -> str:
    """The "Open in Colab" address of ``notebooks/<notebook_file>``."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/notebooks/{notebook_file}"


def colab_badge(notebook_file: str) -> str:
    """The Markdown of the "Open in Colab" badge for ``notebooks/<notebook_file>``."""
    return f"[![Open In Colab]({COLAB_BADGE_IMAGE})]({colab_url(notebook_file)})"


def setup_cell_source() -> str:
    """The source of every notebook's set-up cell (the first code cell); ``make notebooks`` writes it.

    In Colab it clones the course and installs it; each step that fails stops the cell at once with what went
    wrong and what to do (git is told never to ask for a password: a wrong address fails instead of waiting).
    ``tests/test_setup_cell.py`` runs these steps against a local clone address.
    """
    return f"""# Set-up: run this first. In Colab it fetches the course and installs course_utils (keeping Colab's
# TensorFlow and Keras), stopping at once with the fix if a step fails; elsewhere `make lab` installed it.
# NBVAL_IGNORE_OUTPUT
import sys

if "google.colab" in sys.modules:
    import importlib
    import os
    import subprocess

    course = "{CLONE_URL}"
    folder = "{CLONE_FOLDER}"
    if not os.path.isdir(folder):
        clone = ["git", "clone", "--quiet", "--depth", "1", course, folder]
        no_prompt = {{**os.environ, "GIT_TERMINAL_PROMPT": "0"}}  # fail at once rather than ask for a password
        if subprocess.run(clone, env=no_prompt, stdin=subprocess.DEVNULL).returncode != 0:
            raise SystemExit(f"Could not clone {{course}} (git says why above): check the address and the internet.")
    if not os.path.isfile(os.path.join(folder, "course_utils", "__init__.py")):
        raise SystemExit(f"{{folder}}/ holds no course_utils/: delete it (!rm -rf {{folder}}) and run this cell again.")
    if subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", f"./{{folder}}"]).returncode != 0:
        raise SystemExit("pip could not install the course (its message is above): run this cell again.")
    importlib.invalidate_caches()  # the package pip just installed becomes importable in this session

from course_utils.environment import set_up

env = set_up(seed=0)  # seeds, op determinism; hides TensorFlow's start-up notices; prints versions and device"""
