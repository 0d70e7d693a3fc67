"""benchmarks/recorded/date_seeds.json (lesson 07's seed table and long no-attention run): its shape, and a cheap slice
re-measured: the saved model of the same recipe and seed (models/dates-general.keras) on the same splits."""

import json

import pytest

from course_utils.paths import course_root

RECORDED = course_root() / "benchmarks" / "recorded" / "date_seeds.json"


@pytest.fixture(scope="module")
def recorded():
    return json.loads(RECORDED.read_text(encoding="utf-8"))


def test_the_recording_holds_five_attention_seeds_and_a_long_run_without_attention(recorded):
    attention = [run for run in recorded["runs"] if run["attention"] == "general"]
    assert sorted(run["seed"] for run in attention) == [0, 1, 2, 3, 4]
    assert all(run["epochs"] == 4 and len(run["curve"]) == 4 for run in attention)
    long_run = [run for run in recorded["runs"] if run["attention"] is None]
    assert len(long_run) == 1 and long_run[0]["epochs"] == len(long_run[0]["curve"]) > 4
    for run in attention:  # the constrained decoding never writes an impossible date
        assert run["test_invalid_constrained"] == run["ood_invalid_constrained"] == 0
        assert 0 <= run["curve"][-1]["ood"] <= 1 and run["curve"][-1]["test"] >= 0.99


def test_seed_zero_matches_the_saved_model_of_the_same_recipe(recorded):
    from course_utils import dates, pretrained
    from course_utils.decoding import translate
    from course_utils.metrics import exact_match

    assert pretrained.RECIPES["dates-general"].epochs == 4  # the lesson's recipe, trained from seed 0
    splits = dates.make_splits(seed=0)
    model = pretrained.load("dates-general")
    seed_zero = next(run for run in recorded["runs"] if run["attention"] == "general" and run["seed"] == 0)
    ood = exact_match(translate(model, list(splits.ood.text)), list(splits.ood.iso))
    test = exact_match(translate(model, list(splits.test.text)), list(splits.test.iso))
    assert abs(ood - seed_zero["curve"][-1]["ood"]) < 0.03, (ood, seed_zero["curve"][-1]["ood"])
    assert abs(test - seed_zero["curve"][-1]["test"]) < 0.003
