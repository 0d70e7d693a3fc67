"""The unit tests the Colab replica skips, each with its reason (`make colab` loads this with ``-p replica_skips``).

A test is skipped here only when what it checks is not part of Colab's runtime: this checkout's own (editable)
install, or a run of a benchmark script (its --smoke run, or a slice that re-trains part of a recorded benchmark).
The benchmarks are maintainers' tools, run in the course's own environment (`.venv`, `make benchmark`) where their
records were made, never by a lesson; those tests are marked ``benchmark`` and `make test` runs them
(`make benchmark-checks`). Every test of what a lesson relies on runs here, the recorded files' own checks included.
A listed test that no longer exists in a collected file is an error, so that this list cannot go stale silently.
"""

import pytest

SKIPS = {
    "tests/test_environment_and_paths.py::test_course_root_found_from_notebooks_folder_and_elsewhere": (
        "it checks that an editable install finds the course through the package's own location; the set-up cell "
        "installs a copy into site-packages, which finds the course through the clone folder in the working "
        "directory instead (test_colab_clone_folder_is_found checks that)"
    ),
}

BENCHMARK_RUN = (
    "it runs a benchmark script or re-trains a slice of a recorded benchmark: a maintainer's tool, run in the "
    "course's own environment where the records were made (make benchmark-checks), never by a lesson on Colab"
)


def listed_name(item) -> str:
    """A test's node id without its parameters: ``tests/test_x.py::test_y``."""
    return item.nodeid.split("[", 1)[0]


def pytest_collection_modifyitems(config, items):
    collected_files = {item.nodeid.split("::", 1)[0] for item in items}
    collected_tests = {listed_name(item) for item in items}
    stale = [test for test in SKIPS if test.split("::", 1)[0] in collected_files and test not in collected_tests]
    if stale:
        raise pytest.UsageError(f"{__file__} skips tests that no longer exist: {', '.join(stale)}. Remove them.")
    for item in items:
        reason = SKIPS.get(listed_name(item)) or (BENCHMARK_RUN if item.get_closest_marker("benchmark") else None)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"Colab replica: {reason}"))
