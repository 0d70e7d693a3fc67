"""The date models' one definition (course_utils.date_models): what it builds, and that the saved dates-* models and
pretrained's recipes are models of those sizes and that recipe."""

import json
import subprocess
import sys
import zipfile

import numpy as np
import pytest

from course_utils import dates, pretrained
from course_utils.date_models import EPOCHS, LEARNING_RATE, SIZES, TRANSFORMER_SIZES, date_model
from course_utils.vocabulary import Vocabulary

SCORES = ["bahdanau", "dot", "general", "concat"]


def unnamed(config):
    """A model's config without its layer names (numbered per process: seq2_seq, seq2_seq_1, ...)."""
    if isinstance(config, dict):
        return {key: unnamed(value) for key, value in config.items() if key != "name"}
    return [unnamed(value) for value in config] if isinstance(config, list) else config


def saved_config(name: str) -> dict:
    """The model config stored in models/<name>.keras (read from the archive, without Keras)."""
    with zipfile.ZipFile(pretrained.models_folder() / f"{name}.keras") as archive:
        return json.loads(archive.read("config.json"))["config"]


@pytest.mark.parametrize("attention", [None, "general"])
def test_date_model_is_a_seq2seq_of_the_date_task_with_the_sizes(attention):
    from course_utils.seq2seq import Seq2Seq

    source_vocabulary, target_vocabulary = dates.vocabularies()
    lengths = dict(source_length=dates.SOURCE_LENGTH, target_length=dates.TARGET_LENGTH)
    by_hand = Seq2Seq(source_vocabulary, target_vocabulary, **lengths, attention=attention, **SIZES)
    assert unnamed(date_model(attention).get_config()) == unnamed(by_hand.get_config())


def test_date_model_takes_other_sizes_and_builds_the_transformer():
    from course_utils.transformer import Transformer

    assert date_model(None, units=8).units == 8 and date_model(None).units == SIZES["units"]
    transformer = date_model("transformer", positional=False)
    assert isinstance(transformer, Transformer)
    config = transformer.get_config()
    assert {key: config[key] for key in TRANSFORMER_SIZES} == dict(TRANSFORMER_SIZES) and not config["positional"]
    source = np.ones((2, dates.SOURCE_LENGTH), "int32")
    assert transformer((source, np.ones((2, dates.TARGET_LENGTH), "int32"))).shape == (2, dates.TARGET_LENGTH, 14)


@pytest.mark.parametrize("attention", SCORES)
def test_the_saved_date_models_and_their_recipes_are_those_defined_here(attention):
    """A change of SIZES or of the recipe needs `make models` (and new scores): this says so."""
    saved, recipe = saved_config(f"dates-{attention}"), pretrained.RECIPES[f"dates-{attention}"]
    assert {key: saved[key] for key in SIZES} == dict(SIZES) and saved["attention"] == attention
    assert (saved["source_length"], saved["target_length"]) == (dates.SOURCE_LENGTH, dates.TARGET_LENGTH)
    saved_vocabularies = tuple(Vocabulary.from_config(saved[f"{side}_vocabulary"]) for side in ("source", "target"))
    assert saved_vocabularies == dates.vocabularies()
    assert (recipe.task, recipe.attention, recipe.embedding_dim, recipe.units) == ("dates", attention, *SIZES.values())
    assert (recipe.epochs, recipe.learning_rate) == (EPOCHS, LEARNING_RATE)


def test_the_sizes_cannot_be_changed_in_place():
    with pytest.raises(TypeError):
        SIZES["units"] = 128


def test_reading_the_settings_loads_no_keras():
    """pretrained builds its recipes from date_models before set_up() runs: neither may import Keras."""
    code = (
        "import sys, course_utils.pretrained, course_utils.date_models; "
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'keras', 'tensorflow'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
