"""Fail unless this environment holds Colab's Python and Colab's versions: the check of the Colab replica.

    .venv-colab/bin/python tools/check_colab_versions.py

`make colab` runs it twice: after installing Colab's packages (tools/colab/preinstalled.txt under the pins of
constraints-colab.txt) and after installing the course the way a lesson's set-up cell does, so that a passing run
really was under Colab's versions. It fails when
- the Python is not Colab's major.minor (the ``# colab-python:`` line of constraints-colab.txt);
- a package of tools/colab/preinstalled.txt is missing, or any installed package that Colab has is not at Colab's
  version (the set-up cell's `pip install` must not replace one; in Colab it would, and ask for a restart);
- a package that Colab lacks is installed although neither the course nor the replica's test tools (nbval,
  pytest-xdist) need it through packages Colab lacks: Colab would not have it.
It prints every version it verified, and the packages that Colab lacks with what brought each.
"""

import json
import platform
import sys
from importlib.metadata import distribution, distributions
from pathlib import Path

from packaging.requirements import Requirement

from colab_pins import CONSTRAINTS, PREINSTALLED, content_lines, normalised, pinned_python, read_pins

# What the replica installs that Colab lacks on purpose: the course itself (the set-up cell) and the test tools.
REPLICA_ROOTS = ("course-utils", "nbval", "pytest-xdist")
ROOT_ROLES = {
    "course-utils": "installed by the set-up cell (as in Colab)",
    "nbval": "nbval and what it needs (the replica's test tool)",
    "pytest-xdist": "pytest-xdist and what it needs (two test processes)",
}


def installed_packages() -> dict[str, tuple[str, list[str]]]:
    """``{normalised name: (version, [normalised names it requires in this environment])}``."""
    environment = {"python_version": platform.python_version().rsplit(".", 1)[0], "extra": ""}
    found = {}
    for package in distributions():
        requires = []
        for text in package.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate(environment):
                requires.append(normalised(requirement.name))
        found[normalised(package.metadata["Name"])] = (package.version, requires)
    return found


def is_editable(name: str) -> bool:
    """Whether pip installed ``name`` in editable mode (``pip install -e``), from its direct_url.json."""
    direct_url = distribution(name).read_text("direct_url.json")
    return bool(direct_url and json.loads(direct_url).get("dir_info", {}).get("editable"))


def brought_by(installed: dict, colab: set[str]) -> dict[str, str]:
    """For each installed package Colab lacks that a replica root needs, the root that brings it.

    Requirements are followed through packages Colab lacks only: what Colab's own packages need, Colab has.
    """
    reasons, waiting = {}, [(root, root) for root in REPLICA_ROOTS if root in installed]
    while waiting:
        name, root = waiting.pop()
        if name in reasons or name in colab or name not in installed:
            continue
        reasons[name] = root
        waiting.extend((required, root) for required in installed[name][1])
    return reasons


def problems_and_report(constraints: Path = CONSTRAINTS, preinstalled: Path = PREINSTALLED) -> tuple[list, list]:
    """What differs from Colab (empty when nothing does), and the lines of the report of what was verified."""
    pins = {normalised(name): (name, version) for name, version in read_pins(constraints)[0].items()}
    installed = installed_packages()
    problems, report = [], []
    python = pinned_python(constraints)
    if platform.python_version().rsplit(".", 1)[0] != python:
        problems.append(f"Python is {platform.python_version()}, Colab's is {python}: make a new .venv-colab")
    report.append(f"Python {platform.python_version()} (Colab {python}.x)")

    course_packages = [normalised(name) for name in content_lines(preinstalled)]
    for name in course_packages:
        if name not in pins:
            problems.append(f"{preinstalled} lists {name}, which Colab's freeze lacks (python tools/colab_pins.py)")
        elif name not in installed:
            problems.append(f"{pins[name][0]} is not installed, Colab has {pins[name][1]}")
    verified = []
    for name in sorted(installed, key=lambda name: (name not in course_packages, name)):
        version = installed[name][0]
        if name in pins:
            if version != pins[name][1]:
                problems.append(f"{pins[name][0]} is {version}, Colab has {pins[name][1]}")
            else:
                verified.append(f"{pins[name][0]} {version}")
    report.append(f"Colab's versions ({len(verified)} packages, the course's first): " + ", ".join(verified))

    reasons = brought_by(installed, set(pins))
    extra = [name for name in installed if name not in pins]
    for name in extra:
        if name not in reasons:
            problems.append(
                f"{name} {installed[name][0]} is installed, but Colab lacks it and neither the course nor nbval or "
                "pytest-xdist needs it (if pip brought it for a Colab package that Colab runs without it, uninstall "
                "it where the Makefile uninstalls jedi)"
            )
    if "course-utils" in installed and is_editable("course-utils"):
        problems.append("course-utils is an editable install; the set-up cell installs a copy (pip install ./clone)")
    for root in REPLICA_ROOTS:
        brought = [f"{name} {installed[name][0]}" for name in sorted(extra) if reasons.get(name) == root]
        if brought:
            report.append(f"Not in Colab, {ROOT_ROLES[root]}: " + ", ".join(brought))
    return problems, report


def main() -> None:
    problems, report = problems_and_report()
    if problems:
        raise SystemExit(
            "Not Colab's runtime: " + "; ".join(problems) + ".\nIf a package's version moved when the course was "
            "installed, the set-up cell would move it in Colab too: widen that range in pyproject.toml. Otherwise "
            "start afresh: rm -rf .venv-colab && make colab (pins: constraints-colab.txt, tools/colab_pins.py)."
        )
    print("\n".join(report))


if __name__ == "__main__":
    sys.exit(main())
