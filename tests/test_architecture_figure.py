"""The architecture figure is drawn from a real Seq2Seq: its labels carry the model's sizes and α's."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils.plotting import plot_seq2seq_architecture, seq2seq_sizes  # noqa: E402
from course_utils.seq2seq import Seq2Seq  # noqa: E402
from course_utils.vocabulary import Vocabulary  # noqa: E402

SOURCE, TARGET = Vocabulary("je suis étudiant .".split()), Vocabulary("i am a student .".split())
SOURCE_TOKENS, OUTPUT_TOKENS = "je suis étudiant .".split(), "i am a student . <end>".split()


def model(attention, **settings):
    return Seq2Seq(
        SOURCE, TARGET, source_length=5, target_length=7, attention=attention, embedding_dim=16, units=24, **settings
    )


def texts(ax):
    return [text.get_text() for text in ax.texts]


def test_vanilla_figure_shows_the_final_state_as_the_only_link():
    ax = plot_seq2seq_architecture(model(None), SOURCE_TOKENS, OUTPUT_TOKENS)
    joined = " ".join(texts(ax))
    assert "48 numbers" in joined and "GRU 48" in joined and "bidirectional GRU 2 × 24" in joined
    assert not any("c_" in text for text in texts(ax))
    plt.close("all")


@pytest.mark.parametrize(
    "attention, settings, where",
    [("bahdanau", {}, "s_{t-1}"), ("general", {}, "h_t"), ("dot", {"input_feeding": True}, "h_t")],
)
def test_attention_figure_labels_the_weights_of_the_step(attention, settings, where):
    weights = np.random.default_rng(0).dirichlet(np.ones(4), size=6)
    ax = plot_seq2seq_architecture(model(attention, **settings), SOURCE_TOKENS, OUTPUT_TOKENS, weights=weights, step=3)
    labels = texts(ax)
    assert [f"{a:.2f}" for a in weights[3]] == [t for t in labels if t.startswith("0.") or t.startswith("1.")]
    assert any(where in text for text in labels)
    assert seq2seq_sizes(model(attention, **settings))["input feeding"] == bool(settings)
    plt.close("all")


def test_attention_figure_needs_weights_and_a_step_that_fit():
    with pytest.raises(ValueError, match="needs the attention weights"):
        plot_seq2seq_architecture(model("bahdanau"), SOURCE_TOKENS, OUTPUT_TOKENS)
    with pytest.raises(ValueError, match="step in"):
        plot_seq2seq_architecture(model("bahdanau"), SOURCE_TOKENS, OUTPUT_TOKENS, weights=np.ones((6, 4)) / 4, step=6)


@pytest.mark.parametrize("activation, shown", [("tanh", "\\tanh(W_c[c; h])"), (None, "\\tilde h = W_c[c; h]")])
def test_luong_figure_names_the_activation_of_its_combined_state(activation, shown):
    weights = np.random.default_rng(0).dirichlet(np.ones(4), size=6)
    figure_model = model("general", luong_activation=activation)
    ax = plot_seq2seq_architecture(figure_model, SOURCE_TOKENS, OUTPUT_TOKENS, weights=weights, step=3)
    assert any(shown in text for text in texts(ax))
    assert activation == "tanh" or not any("tanh" in text for text in texts(ax))
    plt.close("all")


@pytest.mark.parametrize("attention", [None, "bahdanau", "general"])
def test_figure_names_what_the_output_layer_scores_words_or_characters(attention):
    characters = Vocabulary(list("0123456789-"), level="char")
    char_model = Seq2Seq(
        SOURCE, characters, source_length=5, target_length=7, attention=attention, embedding_dim=16, units=24
    )
    weights = None if attention is None else np.full((6, 4), 0.25)
    step = None if attention is None else 3
    words = Vocabulary("i am a student .".split(), level="word")
    word_model = Seq2Seq(
        SOURCE, words, source_length=5, target_length=7, attention=attention, embedding_dim=16, units=24
    )
    for figure_model, unit in [(char_model, f"{len(characters)} characters"), (word_model, f"{len(words)} words")]:
        joined = " ".join(
            texts(plot_seq2seq_architecture(figure_model, SOURCE_TOKENS, OUTPUT_TOKENS, weights=weights, step=step))
        )
        assert f"→ {unit}" in joined, joined
        plt.close("all")
