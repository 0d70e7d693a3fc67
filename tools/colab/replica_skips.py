"""The unit tests the Colab replica skips, each with its reason (`make colab` loads this with ``-p replica_skips``).

A test is skipped here only when what it checks is not part of Colab's runtime: this checkout's own (editable)
install, or a run of a benchmark script (its --smoke run, or a slice that re-trains part of a recorded benchmark).
The benchmarks are maintainers' tools, run in the course's own environment (`.venv`, `make benchmark`) where their
records were made, never by a lesson; `make test` runs those tests. Every test of what a lesson relies on runs here,
the recorded files' own checks included. A listed test that no longer exists in a collected file is an error, so
that this list cannot go stale silently.
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
    "course's own environment where the records were made (make test runs it), never by a lesson on Colab"
)
SKIPS.update(
    dict.fromkeys(
        [
            "tests/test_benchmarks.py::test_the_date_benchmark_smoke_run_finishes_with_its_figures",
            "tests/test_benchmarks.py::test_the_date_seed_benchmark_smoke_run_finishes_with_its_runs",
            "tests/test_benchmarks.py::test_the_bleu_by_training_size_smoke_run_finishes_with_its_point",
            "tests/test_benchmarks.py::test_the_exposure_bias_smoke_run_finishes_with_its_curves_and_timing",
            "tests/test_benchmarks.py::test_the_luong_comparison_smoke_run_trains_both_configurations",
            "tests/test_benchmarks.py::test_the_transformer_comparison_smoke_run_trains_a_date_model_and_times_both_kinds",
            "tests/test_uniform_attention.py::test_the_uniform_attention_benchmark_smoke_run_finishes_with_both_models",
            "tests/test_recorded_benchmarks.py::test_exposure_bias_slice_reproduces_the_recorded_start_of_seed_0",
            "tests/test_recorded_benchmarks.py::test_bleu_vs_pairs_slice_reproduces_the_smallest_point",
            "tests/test_luong_comparison.py::test_one_epoch_of_luong_dot_reproduces_the_recorded_loss",
            "tests/test_transformer_comparison.py::test_one_epoch_of_the_date_transformer_reproduces_the_recorded_loss",
        ],
        BENCHMARK_RUN,
    )
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
        reason = SKIPS.get(listed_name(item))
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"Colab replica: {reason}"))
