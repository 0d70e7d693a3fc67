"""A saved Seq2Seq is the model it held: its configuration comes from its parts, and settings that disagree with
the parts are refused. Every decoder the course builds goes through a .keras file and comes back identical."""

import numpy as np
import pytest

import keras
from course_utils.decoding import greedy_decode
from course_utils.seq2seq import BahdanauDecoder, Encoder, LuongDecoder, Seq2Seq

EMBEDDING, UNITS = 8, 8  # the toy model's sizes (tests/conftest.py); the decoder is 2 * UNITS wide

# (id, Seq2Seq settings, the decoder a lesson passes in (made from the target vocabulary), or None to let the model
# build it). Every decoder the
# course builds, every Luong score, and every activation of h̃ the lessons use (tanh, linear) plus another one.
VARIANTS = [
    ("no attention", {"attention": None}, None),
    ("bahdanau", {"attention": "bahdanau"}, None),
    *[(f"luong {score}", {"attention": score}, None) for score in ("dot", "general", "concat")],
    *[(f"luong {score} linear", {"attention": score, "luong_activation": None}, None) for score in ("dot", "general")],
    ("luong general relu", {"attention": "general", "luong_activation": "relu"}, None),
    *[(f"input feeding {score}", {"attention": score, "input_feeding": True}, None) for score in ("dot", "general")],
    ("input feeding general linear", {"attention": "general", "input_feeding": True, "luong_activation": None}, None),
    (  # lesson 05 builds its Luong decoders itself, with a linear h̃, and passes them in
        "luong decoder passed in, linear",
        {"attention": "general"},
        lambda target: LuongDecoder(len(target), EMBEDDING, 2 * UNITS, score="general", activation=None),
    ),
    (
        "bahdanau decoder passed in",
        {"attention": "bahdanau"},
        lambda target: BahdanauDecoder(len(target), EMBEDDING, 2 * UNITS),
    ),
]


@pytest.fixture
def build(built_toy_model, toy_target):
    """build(settings, make_decoder=None, seed=0) -> (model, source): a built toy model with these settings."""

    def make(settings, make_decoder=None, seed=0):
        decoder = make_decoder(toy_target) if make_decoder else None
        return built_toy_model(seed=seed, decoder=decoder, **settings)

    return make


@pytest.mark.parametrize("settings, make_decoder", [v[1:] for v in VARIANTS], ids=[v[0] for v in VARIANTS])
def test_save_and_load_give_the_same_model(tmp_path, settings, make_decoder, build, toy_source, toy_target):
    model, source = build(settings, make_decoder)
    model.save(tmp_path / "model.keras")
    loaded = keras.models.load_model(tmp_path / "model.keras")
    assert type(loaded.decoder) is type(model.decoder)
    assert loaded.decoder.get_config() == model.decoder.get_config()  # e.g. a Luong decoder's activation
    assert (loaded.attention_kind, loaded.luong_activation) == (model.attention_kind, model.luong_activation)
    assert loaded.input_feeding == model.input_feeding == settings.get("input_feeding", False)
    assert loaded.source_vocabulary == toy_source and loaded.target_vocabulary == toy_target
    assert (loaded.source_length, loaded.target_length, loaded.units, loaded.embedding_dim) == (10, 6, UNITS, EMBEDDING)
    target_in = np.random.default_rng(0).integers(1, len(toy_target), size=(len(source), 6)).astype("int32")
    np.testing.assert_array_equal(np.asarray(loaded((source, target_in))), np.asarray(model((source, target_in))))
    np.testing.assert_array_equal(greedy_decode(loaded, source)[0], greedy_decode(model, source)[0])


def test_the_model_reports_what_its_parts_are(build):
    model, _ = build({"attention": "general"}, dict((v[0], v[2]) for v in VARIANTS)["luong decoder passed in, linear"])
    assert (model.attention_kind, model.luong_activation) == ("general", None)  # not the default "tanh"


@pytest.mark.parametrize(
    "settings, parts, words",
    [
        (
            {"attention": "general"},
            lambda source, target: {"decoder": BahdanauDecoder(len(target), EMBEDDING, 2 * UNITS)},
            "attention='general' but the parts have attention='bahdanau'",
        ),
        (
            {"attention": None},
            lambda source, target: {"decoder": LuongDecoder(len(target), EMBEDDING, 2 * UNITS, score="dot")},
            "attention=None but the parts have attention='dot'",
        ),
        (
            {"attention": None, "units": 16},
            lambda source, target: {"encoder": Encoder(len(source), EMBEDDING, UNITS)},
            "units=16 but the parts have units=8",
        ),
        (
            {"attention": "bahdanau"},
            lambda source, target: {"decoder": BahdanauDecoder(len(target), EMBEDDING, UNITS)},
            r"the decoder has 8 units; .* needs 2 \* 8 = 16",
        ),
    ],
    ids=["general setting, Bahdanau decoder", "no attention, Luong decoder", "units", "narrow decoder"],
)
def test_settings_that_disagree_with_the_parts_are_refused(settings, parts, words, toy_model, toy_source, toy_target):
    with pytest.raises(ValueError, match=words):
        toy_model(**settings, **parts(toy_source, toy_target))


def test_a_file_saved_before_parts_were_stored_still_loads(build):
    """models/ holds files whose config has only the settings: they are rebuilt from them."""
    model, _ = build({"attention": "dot", "luong_activation": None})
    config = {k: v for k, v in model.get_config().items() if k not in ("encoder", "decoder")}
    config.update(attention="dot", embedding_dim=EMBEDDING, units=UNITS, luong_activation=None)
    rebuilt = Seq2Seq.from_config(config)
    assert (rebuilt.attention_kind, rebuilt.luong_activation, rebuilt.units) == ("dot", None, UNITS)
