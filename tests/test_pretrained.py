"""The models in models/ load and still reproduce the held-out scores recorded when `make models` saved them."""

import pytest

from course_utils import pretrained

# Trained results vary slightly across CPUs (floating point), so a few predictions may flip: allow a little.
TOLERANCE = {"exact match": 0.005, "BLEU": 0.5}


def reproduces_documented_score(name, model):
    documented = pretrained.documented_scores()[name]
    score = pretrained.evaluate(name, model)
    return abs(score - documented["score"]) <= TOLERANCE[documented["metric"]], (
        f"{name}: {documented['metric']} {score:.4f}, documented {documented['score']}"
    )


@pytest.mark.parametrize("name", sorted(pretrained.RECIPES))
def test_saved_model_loads_and_reproduces_its_documented_score(name):
    reproduced, message = reproduces_documented_score(name, pretrained.load(name))
    assert reproduced, message


def test_the_score_check_rejects_a_model_with_other_weights():
    """The same architecture with fresh (untrained) weights must not pass as the saved model."""
    from course_utils.seq2seq import Seq2Seq

    saved = pretrained.load("dates-dot")
    untrained = Seq2Seq.from_config(saved.get_config())
    reproduced, message = reproduces_documented_score("dates-dot", untrained)
    assert not reproduced, message


def test_every_recipe_has_a_saved_model_and_a_score():
    assert sorted(pretrained.documented_scores()) == sorted(pretrained.RECIPES)
    assert all((pretrained.models_folder() / f"{name}.keras").is_file() for name in pretrained.RECIPES)


def test_the_documented_scores_are_good_enough_for_lesson_07():
    scores = pretrained.documented_scores()
    assert all(scores[f"dates-{kind}"]["score"] >= 0.99 for kind in ("bahdanau", "dot", "general", "concat"))
    assert scores["fra-eng-bahdanau"]["score"] > 15 and scores["fra-eng-general"]["score"] > 15


def test_unknown_or_missing_models_are_explained(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="No pretrained model"):
        pretrained.load("dates-transformer")
    monkeypatch.setattr(pretrained, "models_folder", lambda: tmp_path)
    with pytest.raises(FileNotFoundError, match="make models"):
        pretrained.load("dates-dot")
