"""Run a lesson's set-up cell as Colab runs it, in a folder that stands for Colab's working directory (/content).

    .venv-colab/bin/python tools/colab/run_setup_cell.py CONTENT_FOLDER

The set-up cell (``course_utils.repository.setup_cell_source``, which every lesson carries) clones the course into
the working directory and installs the clone with `pip install`, when ``google.colab`` is loaded. This runs the cell
up to its import of ``course_utils.environment`` (the steps it takes in Colab before the course runs), unchanged,
in a fresh interpreter (this one's Python: run this with the replica's) with ``google.colab`` present and one
change: the address cloned is this checkout instead of GitHub, as in tests/test_setup_cell.py. `git clone` of it
takes the committed HEAD, as Colab takes the pushed commit: uncommitted changes are not in the replica (this says
so; commit them, locally, to test them). The lessons then run the rest of the cell themselves.
"""

import os
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(CHECKOUT))  # course_utils.repository from this checkout: where the set-up cell is written

from course_utils.repository import CLONE_URL, setup_cell_source  # noqa: E402 (after the path is set)

SET_UP_IMPORT = "from course_utils.environment import set_up"  # where the cell's Colab steps end
PRETEND_COLAB = "import sys, types\nsys.modules['google.colab'] = types.ModuleType('google.colab')\n"


def colab_steps(clone_address: str) -> str:
    """The set-up cell up to the import of set_up, with ``clone_address`` where it has the course's GitHub address."""
    source = setup_cell_source()
    if CLONE_URL not in source or SET_UP_IMPORT not in source:
        raise SystemExit(
            f"The set-up cell no longer holds the clone address {CLONE_URL} and the line '{SET_UP_IMPORT}', which "
            f"{Path(__file__).name} needs to run its Colab steps against this checkout. The cell:\n{source}"
        )
    return PRETEND_COLAB + source[: source.index(SET_UP_IMPORT)].replace(CLONE_URL, clone_address)


def note_uncommitted_changes() -> None:
    """Say which commit the replica installs, and that uncommitted changes are not in it."""
    git = ["git", "-C", str(CHECKOUT)]
    head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True)
    changed = subprocess.run([*git, "status", "--porcelain"], capture_output=True, text=True, check=True)
    print(f"The Colab replica installs commit {head.stdout.strip()} (HEAD of {CHECKOUT}).")
    if changed.stdout.strip():
        count = len(changed.stdout.splitlines())
        print(f"Note: {count} uncommitted changes (git status) are NOT in it; commit them (locally) to test them.")


def main(content_folder: str) -> None:
    content = Path(content_folder)
    if content.exists() and any(content.iterdir()):
        raise SystemExit(f"{content} is not empty; a Colab runtime starts from an empty /content. Remove it first.")
    content.mkdir(parents=True, exist_ok=True)
    note_uncommitted_changes()
    environment = {
        **os.environ,
        # CI may check out a detached HEAD; git's advice about it (which Colab never prints) is noise here.
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "advice.detachedHead",
        "GIT_CONFIG_VALUE_0": "false",
    }
    print(f"Running the set-up cell's Colab steps in {content}, cloning {CHECKOUT.as_uri()}", flush=True)
    cell = subprocess.run([sys.executable, "-c", colab_steps(CHECKOUT.as_uri())], cwd=content, env=environment)
    if cell.returncode != 0:
        raise SystemExit(f"The set-up cell's Colab steps failed in {content} (its message is above).")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
