"""The course's date models: lesson 07's Seq2Seq, or lesson 09's Transformer, on the date task.

One definition of their sizes and of lesson 07's training recipe, used by the lessons, by ``pretrained.RECIPES``
(the saved dates-* models) and by the benchmarks:

    keras.utils.set_random_seed(0)
    model = date_model("general")  # untrained; the date vocabularies and lengths, SIZES unless told otherwise
    fit_seq2seq(model, *dates.training_arrays(splits.train), epochs=EPOCHS, learning_rate=LEARNING_RATE)

Keras is imported inside ``date_model``: ``course_utils.pretrained`` reads the settings here before ``set_up()``
has run (see README, "The set-up rule").
"""

from types import MappingProxyType

from course_utils import dates

# Characters are few: embeddings of 32, a bidirectional GRU encoder of 64 units per direction (read-only).
SIZES = MappingProxyType({"embedding_dim": 32, "units": 64})
# d_model 64, 4 heads, feed-forward 128, 2 encoder and 2 decoder blocks (read-only).
TRANSFORMER_SIZES = MappingProxyType({"d_model": 64, "heads": 4, "feed_forward": 128, "layers": 2})
EPOCHS = 4  # lesson 07's recipe: 4 epochs of Adam at LEARNING_RATE, cosine decay, the course's batch size
LEARNING_RATE = 5e-3


def date_model(attention, **sizes):
    """An untrained date model: a ``Seq2Seq`` with ``attention`` (None, "bahdanau", "dot", "general", "concat")
    of ``SIZES``, or with ``attention="transformer"`` a ``Transformer`` of ``TRANSFORMER_SIZES``.

    ``sizes`` replace or add to those (``units=128``, ``luong_activation=None``, ``positional=False``, ...).
    Seed first (``keras.utils.set_random_seed``): the weights are drawn when the model is first called.
    """
    from course_utils.seq2seq import Seq2Seq
    from course_utils.transformer import Transformer

    vocabularies = dates.vocabularies()  # (source: every character a format writes, target: "-0123456789")
    lengths = dict(source_length=dates.SOURCE_LENGTH, target_length=dates.TARGET_LENGTH)
    if attention == "transformer":
        return Transformer(*vocabularies, **lengths, **{**TRANSFORMER_SIZES, **sizes})
    return Seq2Seq(*vocabularies, **lengths, attention=attention, **{**SIZES, **sizes})
