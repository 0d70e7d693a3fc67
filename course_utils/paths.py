"""Find the course's ``data/`` folder from ``notebooks/``, the repository root, any sub-folder, or a Colab clone."""

import os
from pathlib import Path

from course_utils.repository import CLONE_FOLDER

ROOT_VARIABLE = "COURSE_ROOT"


def _is_course_root(folder: Path) -> bool:
    return (folder / "data" / "README.md").is_file() and (folder / "course_utils").is_dir()


def _candidates():
    if os.environ.get(ROOT_VARIABLE):
        yield Path(os.environ[ROOT_VARIABLE])
    here = Path.cwd().resolve()
    yield from [here, *here.parents]
    yield here / CLONE_FOLDER  # Colab: the set-up cell clones the course into the working directory
    package = Path(__file__).resolve().parent
    yield from package.parents  # an editable install or a checkout on sys.path


def course_root() -> Path:
    """The folder that holds ``data/`` and ``course_utils/``."""
    for folder in _candidates():
        if _is_course_root(folder):
            return folder
    raise FileNotFoundError(
        f"Could not find the course folder (one with data/README.md and course_utils/) from the working "
        f"directory {Path.cwd()} or its parents. Run the notebook from inside the course repository, or set "
        f"the environment variable {ROOT_VARIABLE} to the repository's path."
    )


def data_path(file_name: str) -> Path:
    """The path of ``data/<file_name>``; a clear error lists the files there when it is missing."""
    folder = course_root() / "data"
    path = folder / file_name
    if not path.is_file():
        available = ", ".join(sorted(p.name for p in folder.iterdir() if p.is_file()))
        raise FileNotFoundError(f"No file {file_name!r} in {folder}. Files there: {available}.")
    return path
