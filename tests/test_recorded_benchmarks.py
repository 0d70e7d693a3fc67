"""The recorded benchmark outputs that lessons 02 and 03 show: complete, and reproduced on a cheap slice.

Each slice re-runs one small piece of a benchmark with the benchmark's own code and setting, and compares with
the recorded figure within a band (trained numbers differ in their last bits across CPUs; see COURSE_NOTES).
"""

import pytest

from course_utils.recorded import recorded_benchmark


def test_exposure_bias_record_is_complete_and_not_a_smoke_run():
    record = recorded_benchmark("exposure_bias")
    assert not record["smoke"]
    setting = record["setting"]
    runs = {(row["regime"], row["seed"]) for row in record["curves"] if row["epoch"] == setting["epochs"]}
    assert runs == {
        (regime, seed)
        for regime in ("teacher forcing", "free running", "scheduled sampling")
        for seed in setting["seeds"]
    }
    assert len(setting["seeds"]) >= 3
    timing = record["timing"]
    assert timing["fit steady seconds per epoch"] > 0 and timing["loop steady seconds per epoch"] > 0


@pytest.mark.benchmark
def test_exposure_bias_slice_reproduces_the_recorded_start_of_seed_0(benchmark_module):
    from course_utils.teacher_forcing_harness import train_regime

    exposure = benchmark_module("exposure_bias")
    record = recorded_benchmark("exposure_bias")
    setting = record["setting"]
    arrays, vocabularies = exposure.date_arrays(setting["train_size"], setting["test_size"])
    model = exposure.build_date_model(vocabularies, seed=0)
    curve, _ = train_regime(
        model,
        arrays[0],
        arrays[1],
        "teacher forcing",
        epochs=setting["epochs"],
        learning_rate=setting["learning_rate"],
        seed=0,
        evaluate_every=2,
        stop_after=2,
        log=lambda _: None,
    )
    recorded = next(
        row for row in record["curves"] if row["regime"] == "teacher forcing" and row["seed"] == 0 and row["epoch"] == 2
    )
    for measure in ("teacher-forced accuracy", "free-running accuracy"):
        assert curve[-1][measure] == pytest.approx(recorded[measure], abs=0.05), measure


def test_bleu_vs_pairs_record_is_complete_and_rises():
    record = recorded_benchmark("bleu_vs_pairs")
    assert not record["smoke"]
    points = sorted(record["points"], key=lambda point: point["training pairs"])
    assert [point["training pairs"] for point in points] == [1_000, 2_000, 4_000, 8_000, 16_000, 32_000]
    assert all(point["steps"] == record["setting"]["steps"] for point in points)
    held_out = [point["held-out BLEU"] for point in points]
    assert held_out[:4] == sorted(held_out[:4]) and held_out[3] > held_out[0] + 4  # rises up to 8,000 pairs


@pytest.mark.benchmark
def test_bleu_vs_pairs_slice_reproduces_the_smallest_point(benchmark_module):
    bleu = benchmark_module("bleu_vs_pairs")
    record = recorded_benchmark("bleu_vs_pairs")
    smallest = min(record["points"], key=lambda point: point["training pairs"])
    again = bleu.bleu_for_size(smallest["training pairs"], smallest["steps"])
    assert again["held-out BLEU"] == pytest.approx(smallest["held-out BLEU"], abs=1.5)
    assert again["training BLEU"] == pytest.approx(smallest["training BLEU"], abs=5)
