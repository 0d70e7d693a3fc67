"""The benchmarks still run: each script's --smoke slice (tiny data, one epoch) ends with its JSON figures."""

import json
import subprocess
import sys

from course_utils.paths import course_root

ROOT = course_root()


def test_the_date_benchmark_smoke_run_finishes_with_its_figures():
    result = subprocess.run(
        [sys.executable, "benchmarks/dates.py", "--smoke"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["smoke"] is True and figures["decoded_texts"] == 100
    assert {"exact_match", "seconds_to_99", "speedup", "decode_seconds_2000", "peak_memory_mb"} <= set(figures)
    assert 0.0 <= figures["exact_match"] <= 1.0 and figures["decode_seconds_2000"] > 0


def test_the_date_seed_benchmark_smoke_run_finishes_with_its_runs():
    result = subprocess.run(
        [sys.executable, "benchmarks/date_seeds.py", "--smoke"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    runs = json.loads(result.stdout.strip().splitlines()[-1])
    assert [run["attention"] for run in runs] == ["general", None]
    assert runs[0]["ood_invalid_constrained"] == 0
