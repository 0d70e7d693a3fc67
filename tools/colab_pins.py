"""Write constraints-colab.txt, Colab's Python and package versions, from Colab's published runtime in tools/colab/.

    python tools/colab_pins.py

Re-run it when Colab moves: replace tools/colab/pip-freeze.txt and os-info.txt with the new files from the public
repository googlecolab/backend-info, put a first line in each saying where it comes from (as now: "# Copied from
googlecolab/backend-info, commit <commit>, <date> ..."), run this, then `make colab`. tests/test_colab_pins.py
fails when constraints-colab.txt is not what this writes.

The pins are every ``name==version`` line of Colab's freeze, not only the course's packages: pip then gives any
dependency it resolves Colab's version whenever Colab has that package, and a package Colab lacks is never pinned.
Lines that install from a direct URL (``name @ https://...``, e.g. torch or google-colab) are left out: the
package index does not serve them. The header line ``# colab-python: X.Y`` is Colab's Python, read by the Makefile
and tools/check_colab_versions.py.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FREEZE = ROOT / "tools" / "colab" / "pip-freeze.txt"
OS_INFO = ROOT / "tools" / "colab" / "os-info.txt"
PREINSTALLED = ROOT / "tools" / "colab" / "preinstalled.txt"
CONSTRAINTS = ROOT / "constraints-colab.txt"
PYTHON_HEADER = "# colab-python: "
PROVENANCE_START = "# Copied from "


def normalised(name: str) -> str:
    """A package name as pip compares names (PEP 503): case, '-', '_' and '.' do not matter."""
    return re.sub(r"[-_.]+", "-", name).lower()


def content_lines(path: Path) -> list[str]:
    """The lines of a requirements-style file without comments and blank lines."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line]


def read_pins(path: Path) -> tuple[dict[str, str], list[str]]:
    """``{name: version}`` of the ``name==version`` lines of a freeze or constraints file, and the direct-URL names."""
    pins, direct_urls = {}, []
    for line in content_lines(path):
        if " @ " in line:
            direct_urls.append(line.split(" @ ", 1)[0].strip())
            continue
        name, separator, version = line.partition("==")
        if not separator or not version.strip():
            raise SystemExit(f"{path}: '{line}' is neither 'name==version' nor 'name @ url'. Is it a pip freeze?")
        pins[name.strip()] = version.strip()
    return pins, direct_urls


def read_provenance(path: Path) -> str:
    """The first line of a copy of Colab's files, which says where it comes from."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    if not first.startswith(PROVENANCE_START):
        raise SystemExit(
            f"{path}: the first line is {first!r}, expected one saying where the copy comes from, e.g. "
            f"'{PROVENANCE_START}googlecolab/backend-info, commit a72407924822, 2026-08-19'. Add it."
        )
    return first[len(PROVENANCE_START) :]


def colab_python(os_info: Path) -> str:
    """Colab's Python version, e.g. '3.13.15', from the 'Python 3.13.15' line of its os-info.txt."""
    for line in os_info.read_text(encoding="utf-8").splitlines():
        found = re.fullmatch(r"Python (\d+\.\d+\.\d+)", line.strip())
        if found:
            return found[1]
    raise SystemExit(f"{os_info}: no line like 'Python 3.13.15'. Is it Colab's os-info.txt?")


def pinned_python(constraints: Path = CONSTRAINTS) -> str:
    """Colab's Python ('major.minor') as constraints-colab.txt states it in its header."""
    for line in constraints.read_text(encoding="utf-8").splitlines():
        if line.startswith(PYTHON_HEADER):
            return line[len(PYTHON_HEADER) :].strip()
    raise SystemExit(f"{constraints}: no line '{PYTHON_HEADER}X.Y'. Write the file anew: python tools/colab_pins.py")


def constraints_text(freeze: Path = FREEZE, os_info: Path = OS_INFO, preinstalled: Path = PREINSTALLED) -> str:
    """The text of constraints-colab.txt made from Colab's freeze and os-info."""
    pins, direct_urls = read_pins(freeze)
    pinned = {normalised(name) for name in pins}
    missing = [name for name in content_lines(preinstalled) if normalised(name) not in pinned]
    if missing:
        raise SystemExit(
            f"{preinstalled} lists {', '.join(missing)}, but Colab's freeze ({freeze}) has no such package. "
            "Colab no longer ships it: remove it from that list (the set-up cell must install it) or fix the name."
        )
    provenance = read_provenance(freeze)
    if read_provenance(os_info) != provenance:
        raise SystemExit(f"{freeze} and {os_info} come from different sources (their first lines): copy both anew.")
    python = colab_python(os_info)
    header = [
        "# Google Colab's runtime as pins: its Python, and every package of its pip freeze that the index serves.",
        f"# Made by tools/colab_pins.py from tools/colab/, copied from {provenance}",
        "# Do not edit: when Colab moves, copy its new files into tools/colab/ and run `python tools/colab_pins.py`.",
        "# `make colab` installs tools/colab/preinstalled.txt under these pins (README, The Colab replica).",
        f"# Left out, installed from direct URLs in Colab: {', '.join(sorted(direct_urls, key=normalised))}.",
        f"# Colab has Python {python}; a replica needs the same major.minor:",
        f"{PYTHON_HEADER}{'.'.join(python.split('.')[:2])}",
    ]
    lines = [f"{name}=={pins[name]}" for name in sorted(pins, key=normalised)]
    return "\n".join(header + lines) + "\n"


def main() -> None:
    text = constraints_text()
    unchanged = CONSTRAINTS.is_file() and CONSTRAINTS.read_text(encoding="utf-8") == text
    if not unchanged:  # an untouched file keeps its time, so that make does not rebuild .venv-colab for nothing
        CONSTRAINTS.write_text(text, encoding="utf-8")
    pins, _ = read_pins(CONSTRAINTS)
    done = "Already up to date" if unchanged else "Wrote"
    print(f"{done}: {CONSTRAINTS.relative_to(ROOT)}, Python {pinned_python()} and {len(pins)} package pins.")


if __name__ == "__main__":
    sys.exit(main())
