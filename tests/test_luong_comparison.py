"""The recorded comparison (benchmarks/recorded/luong_comparison.json) that lessons 04 and 05 show: complete, and a
cheap slice of it reproduced here (parameter counts of every configuration; one epoch of one configuration)."""

import math

import pytest

from course_utils.recorded import comparison_table, luong_comparison

CORE = [
    "vanilla (lesson 02 size)",
    "vanilla (size-matched)",
    "Bahdanau",
    "Luong dot, linear h̃",
    "Luong general, linear h̃",
    "Luong concat, linear h̃",
    "Luong general, tanh h̃",
    "Luong general + input feeding, linear h̃",
]


def test_the_recorded_comparison_has_seeds_of_five_epochs_for_every_core_configuration():
    recorded = luong_comparison()
    for name in CORE:
        runs = recorded["runs"][name]
        assert {"0", "1", "2"} <= set(runs), name  # 3 seeds, as lessons 04 and 05 state
        for run in runs.values():
            assert len(run["bleu"]) == len(run["loss"]) == len(run["epoch_seconds"]) == 5
            assert all(math.isfinite(b) and 0 <= b <= 100 for b in run["bleu"])


def test_recorded_parameter_counts_are_those_of_the_models_built_today(benchmark_module):
    module = benchmark_module("luong_comparison")
    data, _ = module.harness(smoke=False)
    recorded = luong_comparison()
    import numpy as np

    for name, runs in recorded["runs"].items():
        model = module.build(name, data, seed=0)
        model((np.ones((1, data.source_length), "int32"), np.ones((1, data.target_length), "int32")))
        assert {run["parameters"] for run in runs.values()} == {model.count_params()}, name  # every seed recorded


@pytest.mark.benchmark
def test_one_epoch_of_luong_dot_reproduces_the_recorded_loss(benchmark_module):
    """The slice: seed 0, first epoch, same schedule; a different CPU changes the last digits, not more."""
    module = benchmark_module("luong_comparison")
    recorded = luong_comparison()["runs"]["Luong dot, linear h̃"]["0"]["loss"][0]
    assert module.first_epoch_loss("Luong dot, linear h̃", seed=0) == pytest.approx(recorded, abs=0.03)


def test_comparison_table_summarises_seeds():
    recorded = {
        "runs": {
            "a": {
                "0": {"bleu": [5, 11], "epoch_seconds": [9, 2], "parameters": 7},
                "1": {"bleu": [4, 8], "epoch_seconds": [9, 4], "parameters": 7},
            }
        }
    }
    row = comparison_table(recorded).loc["a"]
    assert (row["BLEU mean"], row["BLEU min"], row["BLEU max"], row["s/epoch"]) == (9.5, 8, 11, 3)
    assert row["epoch reaching BLEU 10"] == "2 / –" and row["seeds"] == 2
