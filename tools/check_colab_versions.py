"""Fail unless this interpreter is Colab's Python and the installed packages are the pins of a constraints file.

    python tools/check_colab_versions.py constraints-colab.txt

`make colab-versions` runs it before the unit tests, so that a passing run really was under Colab's versions.
"""

import platform
import sys
from importlib.metadata import PackageNotFoundError, version

PYTHON = "3.13"  # Colab's Python (see constraints-colab.txt)


def pins(path: str) -> dict[str, str]:
    """``name==version`` lines of a constraints file (comments and blank lines skipped)."""
    found = {}
    for line in open(path, encoding="utf-8"):
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, wanted = line.partition("==")
            if not wanted:
                raise SystemExit(f"{path}: '{line}' is not a pin (name==version).")
            found[name.strip()] = wanted.strip()
    return found


def main(path: str) -> None:
    problems = []
    if not platform.python_version().startswith(PYTHON + "."):
        problems.append(f"Python {platform.python_version()}, expected {PYTHON}")
    for name, wanted in pins(path).items():
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != wanted:
            problems.append(f"{name} {installed}, expected {wanted}")
    if problems:
        raise SystemExit("Not Colab's versions: " + "; ".join(problems))
    installed = ", ".join(f"{name} {version(name)}" for name in pins(path))
    print(f"Colab's versions: Python {platform.python_version()}, {installed}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "constraints-colab.txt")
