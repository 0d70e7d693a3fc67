"""Models trained by the course's own code and saved in models/, so that the lessons that load them stay within time.

Keras is imported inside the functions: ``python -m course_utils.pretrained`` must call ``set_up()`` before
TensorFlow is imported (see README, "The set-up rule").

Each model has a recipe here (data, sizes, epochs) built from the same course_utils pieces the lessons use.
``make models`` (maintainers) retrains them all, saves them as .keras files and writes their held-out scores
to models/scores.json; tests/test_pretrained.py checks that every file still loads and reproduces its score.

    python -m course_utils.pretrained [name ...]
"""

import json
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from course_utils.date_models import EPOCHS, LEARNING_RATE, SIZES
from course_utils.paths import course_root


@dataclass(frozen=True)
class Recipe:
    task: str  # "dates", "fra-eng" or "kor-eng"
    attention: str | None  # None: lesson 02's vanilla encoder-decoder
    epochs: int
    embedding_dim: int = 64
    units: int = 64
    learning_rate: float = 3e-3
    luong_activation: str | None = "tanh"
    transformer: dict | None = None  # attention "transformer": the sizes of a course_utils.transformer.Transformer


def date_recipe(attention: str) -> Recipe:
    """Lesson 07's date model and recipe (course_utils.date_models) with the scoring function ``attention``."""
    return Recipe("dates", attention, epochs=EPOCHS, learning_rate=LEARNING_RATE, **SIZES)


RECIPES = {
    "dates-bahdanau": date_recipe("bahdanau"),  # lesson 08 compares the four scoring functions
    "dates-dot": date_recipe("dot"),
    "dates-general": date_recipe("general"),
    "dates-concat": date_recipe("concat"),
    "fra-eng-bahdanau": Recipe("fra-eng", "bahdanau", epochs=10),
    "fra-eng-general": Recipe("fra-eng", "general", epochs=10, luong_activation=None),  # linear h̃: see lesson 05
    "fra-eng-dot": Recipe("fra-eng", "dot", epochs=10, luong_activation=None),  # lesson 05's heatmaps
    "fra-eng-concat": Recipe("fra-eng", "concat", epochs=10, luong_activation=None),
    "kor-eng-bahdanau": Recipe("kor-eng", "bahdanau", epochs=15, learning_rate=5e-3),
    # lesson 02, section 10: the vanilla encoder-decoder on Korean (10 epochs take about 80 s, past its budget)
    "kor-eng-vanilla": Recipe("kor-eng", None, epochs=10, units=128, learning_rate=5e-3),
    # lesson 04, section 4: the size-matched vanilla model (105 units: about the Bahdanau model's parameters)
    "fra-eng-vanilla-matched": Recipe("fra-eng", None, epochs=5, units=105),
    # lesson 09: seed 0 of benchmarks/transformer_comparison.py's French -> English Transformer, for its heatmaps
    "fra-eng-transformer": Recipe(
        "fra-eng", "transformer", epochs=5, transformer=dict(d_model=64, heads=4, feed_forward=256, layers=2)
    ),
}


def models_folder() -> Path:
    return course_root() / "models"


def task_data(task: str):
    """The training arrays, held-out inputs and references, and vocabularies of a task (all seeded)."""
    from course_utils import dates
    from course_utils.translation import french_english, korean_english

    if task == "dates":
        splits = dates.make_splits(seed=0)
        source_vocabulary, target_vocabulary = dates.vocabularies()
        inputs, targets = dates.training_arrays(splits.train)
        return dict(
            inputs=inputs,
            targets=targets,
            test_sources=list(splits.test.text),
            test_references=list(splits.test.iso),
            source_vocabulary=source_vocabulary,
            target_vocabulary=target_vocabulary,
            source_length=dates.SOURCE_LENGTH,
            target_length=dates.TARGET_LENGTH,
        )
    data = french_english() if task == "fra-eng" else korean_english()
    inputs, targets = data.arrays(data.train)
    return dict(
        inputs=inputs,
        targets=targets,
        test_sources=list(data.test.source),
        test_references=list(data.test.reference),
        source_vocabulary=data.source_vocabulary,
        target_vocabulary=data.target_vocabulary,
        source_length=data.source_length,
        target_length=data.target_length,
    )


def evaluate(name: str, model, data=None) -> float:
    """Held-out exact match (dates) or corpus BLEU (translation) of a model made by recipe ``name``."""
    from course_utils.decoding import translate
    from course_utils.metrics import corpus_bleu, exact_match

    task = RECIPES[name].task
    data = data or task_data(task)
    outputs = translate(model, data["test_sources"])
    if task == "dates":
        return exact_match(outputs, data["test_references"])
    return corpus_bleu(outputs, data["test_references"]).score


def build(name: str, data: dict):
    """The untrained model of recipe ``name``: a Seq2Seq (with or without attention) or a Transformer."""
    from course_utils.seq2seq import Seq2Seq
    from course_utils.transformer import Transformer

    recipe = RECIPES[name]
    vocabularies = data["source_vocabulary"], data["target_vocabulary"]
    lengths = dict(source_length=data["source_length"], target_length=data["target_length"])
    if recipe.attention == "transformer":
        return Transformer(*vocabularies, **lengths, **recipe.transformer)
    return Seq2Seq(
        *vocabularies,
        **lengths,
        attention=recipe.attention,
        embedding_dim=recipe.embedding_dim,
        units=recipe.units,
        luong_activation=recipe.luong_activation,
    )


def train(name: str):
    """Train the model of recipe ``name`` from seed 0; returns the model, its held-out score and test size."""
    import keras

    from course_utils.training import fit_seq2seq

    recipe = RECIPES[name]
    data = task_data(recipe.task)
    keras.utils.set_random_seed(0)
    model = build(name, data)
    fit_seq2seq(
        model, data["inputs"], data["targets"], epochs=recipe.epochs, learning_rate=recipe.learning_rate, verbose=2
    )
    return model, evaluate(name, model, data), len(data["test_sources"])


def without_optimizer(model):
    """A copy of a trained model with the same weights but no optimizer state (a third of the file size)."""
    copy = type(model).from_config(model.get_config())
    copy((np.ones((1, model.source_length), "int32"), np.ones((1, model.target_length), "int32")))  # build
    copy.set_weights(model.get_weights())
    return copy


def load(name: str):
    """The saved model of recipe ``name`` (a course_utils Seq2Seq or Transformer, ready for greedy_decode)."""
    import keras

    import course_utils.seq2seq  # noqa: F401 - registers the classes the files refer to
    import course_utils.transformer  # noqa: F401

    path = models_folder() / f"{name}.keras"
    if name not in RECIPES:
        raise ValueError(f"No pretrained model {name!r}; there are {sorted(RECIPES)}.")
    if not path.is_file():
        raise FileNotFoundError(f"{path} is missing. Run `make models` to train and save it.")
    return keras.models.load_model(path)


def documented_scores() -> dict:
    return json.loads((models_folder() / "scores.json").read_text(encoding="utf-8"))


def main(names: list[str]) -> None:
    from course_utils.environment import set_up

    set_up(seed=0)
    models_folder().mkdir(exist_ok=True)
    path = models_folder() / "scores.json"
    scores = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    for name in names or list(RECIPES):
        start = time.perf_counter()
        model, score, held_out_examples = train(name)
        without_optimizer(model).save(models_folder() / f"{name}.keras")
        metric = "exact match" if RECIPES[name].task == "dates" else "BLEU"
        scores[name] = {
            "metric": metric,
            "score": round(score, 4),
            "held_out_examples": held_out_examples,
            "train_seconds": round(time.perf_counter() - start),
        }
        print(f"{name}: {metric} {score:.4f} ({scores[name]['train_seconds']} s)", flush=True)
        path.write_text(json.dumps(scores, indent=2, sort_keys=True) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
