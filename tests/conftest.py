"""Shared test set-up: TensorFlow's variables (quiet logs, GPU memory growth) before anything imports it, and the
fixtures several test files use.

The fixtures import Keras and the models inside their bodies, so that collecting a test file that needs neither
(test_vocabulary.py, say) does not load TensorFlow.
"""

import importlib.util
import os

import pytest

from course_utils.environment import set_tensorflow_variables
from course_utils.paths import course_root
from course_utils.vocabulary import Vocabulary

if os.environ.get("PYTEST_XDIST_WORKER"):
    # make test runs one worker per core: each worker's TensorFlow gets one thread per pool, not one per core,
    # so that two workers do not share two cores among four threads (13 % less time on three of the slowest files)
    os.environ.setdefault("TF_NUM_INTRAOP_THREADS", "1")
    os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")
set_tensorflow_variables()


@pytest.fixture(scope="session")
def toy_source():
    """The toy task's source vocabulary: the characters "abcdefgh " (ids 3 to 11)."""
    return Vocabulary(list("abcdefgh "))


@pytest.fixture(scope="session")
def toy_target():
    """The toy task's target vocabulary: the characters "xyz" (ids 3 to 5)."""
    return Vocabulary(list("xyz"))


@pytest.fixture(scope="session")
def toy_model(toy_source, toy_target):
    """toy_model(attention, seed=0, **settings): an untrained Seq2Seq on the toy vocabularies, Keras seeded with
    ``seed`` first. Source length 10, target length 6, embedding 8 and 8 units unless ``settings`` say otherwise."""
    import keras

    from course_utils.seq2seq import Seq2Seq

    def build(attention=None, seed=0, **settings):
        keras.utils.set_random_seed(seed)
        sizes = {"source_length": 10, "target_length": 6, "embedding_dim": 8, "units": 8, **settings}
        return Seq2Seq(toy_source, toy_target, attention=attention, **sizes)

    return build


@pytest.fixture(scope="session")
def small_date_model():
    """small_date_model(attention, seed=0, **settings): an untrained date model (``date_models.date_model``) with
    embedding 8 and 8 units, Keras seeded with ``seed`` first."""
    import keras

    from course_utils.date_models import date_model

    def build(attention, seed=0, **settings):
        keras.utils.set_random_seed(seed)
        return date_model(attention, **{"embedding_dim": 8, "units": 8, **settings})

    return build


@pytest.fixture(scope="session")
def benchmark_module():
    """benchmark_module(name): the script benchmarks/<name>.py, imported as a module (benchmarks/ is no package)."""

    def load(name):
        spec = importlib.util.spec_from_file_location(name, course_root() / "benchmarks" / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    return load


TOY_TEXTS = ["abc", "hg fed", "a", "bead cafe"]  # four toy sources of different lengths


@pytest.fixture(scope="session")
def built_toy_model(toy_model, toy_source):
    """built_toy_model(attention, seed=0, **settings) -> (model, source): a ``toy_model`` called once (so built)
    on ``source``, the ids (4, 10) of TOY_TEXTS, with a target_in of ones (4, 6)."""
    import numpy as np

    def build(attention=None, seed=0, **settings):
        model = toy_model(attention, seed, **settings)
        source = toy_source.encode_batch(TOY_TEXTS, length=10)
        model((source, np.ones((len(TOY_TEXTS), 6), "int32")))
        return model, source

    return build


def shared(build):
    """``build(*arguments)`` memoised for the session: the same model for the same arguments, so that tests which
    only read a model share its building and its traced decoding graphs. Every hand-out first checks that the
    weights are still those it was built with: a test that changes a shared model fails there, and should build a
    model of its own instead."""
    import numpy as np

    made = {}

    def get(*arguments):
        if arguments not in made:
            built = build(*arguments)
            model = built[0] if isinstance(built, tuple) else built
            made[arguments] = built, model, [np.array(w) for w in model.get_weights()]
        built, model, weights = made[arguments]
        for now, then in zip(model.get_weights(), weights, strict=True):
            assert np.array_equal(now, then), f"a test changed the shared model {arguments}: build one of its own"
        return built

    return get


@pytest.fixture(scope="session")
def shared_toy_model(built_toy_model):
    """shared_toy_model(attention=None, seed=0, input_feeding=False) -> (model, source): ``built_toy_model``'s,
    one per arguments for the session (see ``shared``). Only for tests that do not change the model."""
    get = shared(lambda attention, seed, input_feeding: built_toy_model(attention, seed, input_feeding=input_feeding))
    return lambda attention=None, seed=0, input_feeding=False: get(attention, seed, input_feeding)


@pytest.fixture(scope="session")
def translations_tool():
    """tools/translations.py as a module (it is a script beside the tools, not part of the package)."""
    spec = importlib.util.spec_from_file_location("translations", course_root() / "tools" / "translations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
