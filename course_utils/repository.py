"""Where the course is published: the one setting that the Colab badges and the Colab clone are made from.

Publishing under another address is a one-line change to ``REPOSITORY``; ``make notebooks`` then rewrites
each notebook's badge and set-up cell, and ``tests/test_notebook_hygiene.py`` checks they agree.
"""

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


def colab_url(notebook_file: str) -> str:
    """The "Open in Colab" address of ``notebooks/<notebook_file>``."""
    return f"https://colab.research.google.com/github/{REPOSITORY}/blob/{BRANCH}/notebooks/{notebook_file}"


def colab_badge(notebook_file: str) -> str:
    """The Markdown of the "Open in Colab" badge for ``notebooks/<notebook_file>``."""
    return f"[![Open In Colab]({COLAB_BADGE_IMAGE})]({colab_url(notebook_file)})"


def setup_cell_source() -> str:
    """The source of every notebook's set-up cell (the first code cell); ``make notebooks`` writes it."""
    return f"""# Set-up: run this first. In Colab it fetches the course and installs course_utils (keeping Colab's
# TensorFlow and Keras); elsewhere the course is already installed by `make lab`.
# NBVAL_IGNORE_OUTPUT
import sys

if "google.colab" in sys.modules:
    course = "{CLONE_URL}"
    !test -d {CLONE_FOLDER} || git clone --quiet --depth 1 {{course}} {CLONE_FOLDER}
    !pip install --quiet ./{CLONE_FOLDER}

from course_utils.environment import set_up

env = set_up(seed=0)  # seeds, op determinism; hides TensorFlow's start-up notices; prints versions and device"""
