"""benchmarks/recorded/uniform_attention.json, which lesson 08 shows: complete, fair, and not a smoke run."""

import pytest

from course_utils.date_models import EPOCHS
from course_utils.recorded import recorded_benchmark


def test_uniform_attention_record_has_both_models_on_the_same_seeds_and_epochs():
    record = recorded_benchmark("uniform_attention")
    runs = {(run["attention"], run["seed"]): run for run in record["runs"]}
    assert set(runs) == {(attention, seed) for attention in ("learned", "uniform") for seed in (0, 1, 2)}
    for run in runs.values():
        assert [point["epoch"] for point in run["curve"]] == list(range(1, EPOCHS + 1))
        assert all(0.0 <= point["test"] <= 1.0 for point in run["curve"])
    # the uniform model lacks exactly Luong general's W_a (128 x 128): otherwise the same model
    assert runs[("learned", 0)]["parameters"] - runs[("uniform", 0)]["parameters"] == 128 * 128
    assert "10,000 train" in record["data"]


@pytest.mark.benchmark
def test_the_uniform_attention_benchmark_smoke_run_finishes_with_both_models():
    import json
    import subprocess
    import sys

    from course_utils.paths import course_root

    result = subprocess.run(
        [sys.executable, "benchmarks/uniform_attention.py", "--smoke"],
        cwd=course_root(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    runs = json.loads(result.stdout.strip().splitlines()[-1])
    assert [(run["attention"], run["seed"]) for run in runs] == [("learned", 0), ("uniform", 0)]
    assert runs[0]["parameters"] - runs[1]["parameters"] == 128 * 128 and "written" not in result.stdout
