"""The recorded comparison that lesson 08 shows (benchmarks/recorded/transformer_comparison.json): complete, and a
cheap slice of it reproduced here (every parameter count; the first epoch of the Transformer on dates, seed 0)."""

import importlib.util
import math

import numpy as np
import pandas as pd
import pytest

from course_utils.paths import course_root
from course_utils.recorded import RNN_ROWS, score_table, transformer_comparison, transformer_tables


def benchmark_module():
    path = course_root() / "benchmarks" / "transformer_comparison.py"
    spec = importlib.util.spec_from_file_location("transformer_comparison", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_record_has_three_seeds_of_every_model_and_every_length():
    module, recorded = benchmark_module(), transformer_comparison()
    for name in module.DATE_MODELS:
        runs = recorded["dates"][name]
        assert sorted(runs) == ["0", "1", "2"], name
        for run in runs.values():
            assert len(run["score"]) == len(run["loss"]) == len(run["epoch_seconds"]) == module.DATE_EPOCHS
            assert all(0 <= s <= 1 for s in run["score"])
    long_runs = recorded["dates"][module.LONG_NAME]
    assert sorted(long_runs) == ["0", "1", "2"]
    assert all(len(run["score"]) == module.LONG_EPOCHS for run in long_runs.values())
    runs = recorded["fra-eng"]["Transformer"]
    assert sorted(runs) == ["0", "1", "2"]
    assert all(
        len(run["score"]) == module.FRA_EPOCHS and all(math.isfinite(b) for b in run["score"]) for run in runs.values()
    )
    assert set(recorded["fra-eng RNN rows"]) == set(RNN_ROWS)  # copied from luong_comparison.json when recorded
    assert sorted(int(n) for n in recorded["length"]) == module.LENGTHS
    assert all(row["recurrent"] > 0 and row["Transformer"] > 0 for row in recorded["length"].values())


def test_recorded_parameter_counts_are_those_of_the_models_built_today():
    module, recorded = benchmark_module(), transformer_comparison()
    from course_utils import dates

    for name in module.DATE_MODELS:
        model = module.date_model(name, seed=0)
        model((np.ones((1, dates.SOURCE_LENGTH), "int32"), np.ones((1, dates.TARGET_LENGTH), "int32")))
        assert model.count_params() == recorded["dates"][name]["0"]["parameters"], name
    data, _ = module.fra_harness()
    model = module.fra_transformer(data, seed=0)
    model((np.ones((1, data.source_length), "int32"), np.ones((1, data.target_length), "int32")))
    assert model.count_params() == recorded["fra-eng"]["Transformer"]["0"]["parameters"]
    assert math.ceil(len(data.train) / module.BATCH) == 188  # the steps per epoch the lesson's table uses


def test_one_epoch_of_the_date_transformer_reproduces_the_recorded_loss():
    """The slice: seed 0, first epoch, the full run's schedule; another CPU changes the last digits, not more."""
    module = benchmark_module()
    recorded = transformer_comparison()["dates"]["Transformer"]["0"]["loss"][0]
    assert module.first_epoch_loss("Transformer", seed=0) == pytest.approx(recorded, abs=0.03)


def test_score_table_summarises_seeds_and_steps():
    runs = {
        "a": {
            "0": {"score": [0.5, 0.995], "epoch_seconds": [9, 2], "parameters": 7},
            "1": {"score": [0.4, 0.9], "epoch_seconds": [9, 4], "parameters": 7},
        }
    }
    row = score_table(runs, "exact match", 0.99, steps_per_epoch=157).loc["a"]
    assert (row["exact match mean"], row["exact match min"], row["s/epoch"]) == (pytest.approx(0.9475), 0.9, 3)
    assert row["epoch reaching 0.99"] == "2 / –" and row["steps to 0.99"] == "314 / –"


def test_length_table_gives_the_ratio():
    table = transformer_tables({"length": {"32": {"recurrent": 0.2, "Transformer": 0.1}}})["length"]
    assert isinstance(table, pd.DataFrame) and table.loc[32, "recurrent / Transformer"] == pytest.approx(2.0)
