"""The benchmarks still run: each script's --smoke slice (tiny data, one epoch) ends with its JSON figures."""

import ast
import json
import subprocess
import sys

import pytest

from course_utils.paths import course_root

pytestmark = pytest.mark.benchmark  # make benchmark-checks, not make unit-tests

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
    assert figures["speedup_min"] <= figures["speedup"] <= figures["speedup_max"]
    assert len(figures["speedup_per_seed"]) == len(figures["seeds"]) == 1
    assert figures["course_tracing_seconds_per_seed"][0] > 0 and figures["baseline_tracing_seconds_per_seed"][0] > 0


def test_the_date_seed_benchmark_smoke_run_finishes_with_its_runs():
    result = subprocess.run(
        [sys.executable, "benchmarks/date_seeds.py", "--smoke"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    runs = json.loads(result.stdout.strip().splitlines()[-1])
    assert [run["attention"] for run in runs] == ["general", None]
    assert runs[0]["ood_invalid_constrained"] == 0


def smoke_output(script):
    """The lines a benchmark's --smoke run prints, after checking that it succeeded."""
    result = subprocess.run(
        [sys.executable, f"benchmarks/{script}", "--smoke"], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()


def test_the_bleu_by_training_size_smoke_run_finishes_with_its_point():
    figures = json.loads(smoke_output("bleu_vs_pairs.py")[-1])
    assert figures["smoke"] is True and figures["benchmark"] == "bleu_vs_pairs"
    (point,) = figures["points"]
    assert point["training pairs"] == 1_000 and point["steps"] == 20
    assert 0 <= point["held-out BLEU"] <= 100 and 0 <= point["training BLEU"] <= 100
    assert len(point["examples"]) == 8 and all(example["model"] is not None for example in point["examples"])


def test_the_exposure_bias_smoke_run_finishes_with_its_curves_and_timing():
    figures = json.loads(smoke_output("exposure_bias.py")[-1])
    assert figures["smoke"] is True and figures["setting"]["train_size"] == 256
    assert len(figures["timing"]["fit epoch seconds"]) == len(figures["timing"]["loop epoch seconds"]) == 2
    assert figures["timing"]["fit steady seconds per epoch"] > 0
    assert len(figures["curves"]) == 2  # one regime, evaluated after each of its 2 epochs
    assert all(0 <= curve["exact match"] <= 1 for curve in figures["curves"]), figures["curves"]


def test_the_luong_comparison_smoke_run_trains_both_configurations():
    lines = smoke_output("luong_comparison.py")
    for config in ["Luong general, tanh h̃", "Luong general + input feeding, linear h̃"]:
        (line,) = [line for line in lines if line.startswith(config + " {")]
        record = line[len(config) + 1 :]
        assert record.startswith('{"loss": [') and '"bleu": [' in record, line


def test_the_transformer_comparison_smoke_run_trains_a_date_model_and_times_both_kinds():
    records = {}
    for line in smoke_output("transformer_comparison.py"):
        name, _, record = line.partition(" {")
        if record:
            records[name] = ast.literal_eval("{" + record)
    assert sorted(records) == ["8", "Luong general"]
    trained = records["Luong general"]
    assert len(trained["loss"]) == len(trained["score"]) == 1 and trained["parameters"] > 0
    assert 0 <= trained["score"][0] <= 1  # exact match
    assert records["8"]["recurrent"] > 0 and records["8"]["Transformer"] > 0  # seconds per step
