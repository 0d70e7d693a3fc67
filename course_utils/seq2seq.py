"""Encoder–decoder models: one encoder, four decoders with one call signature, and the model that joins them.

    logits, state, weights = decoder(target_in, state, encoder_outputs, encoder_mask)

target_in: (batch, T_out) token ids, starting with <start>; state: (batch, units); encoder_outputs:
(batch, T_in, 2 * encoder units); encoder_mask: (batch, T_in). logits: (batch, T_out, vocabulary); weights:
(batch, T_out, T_in) attention weights, or None for the decoder without attention. Calling a decoder with
T_out = 1 is one step of decoding, which is how ``course_utils.decoding`` generates. ``decoder_kind`` says which
of the four a decoder is; the model, ``plotting`` and ``intervention`` all ask it.

Lesson 02 writes Encoder and Decoder in the notebook, lesson 04 BahdanauDecoder, lesson 05 LuongDecoder and
InputFeedingDecoder; these are their canonical copies (tests/test_taught_code.py keeps them identical).
"""

import keras
from keras import ops

from course_utils.attention import MASKED_SCORE, BahdanauAttention, LuongAttention
from course_utils.encoder_decoder import EncoderDecoder
from course_utils.seq2seq_data import teacher_forcing_arrays as teacher_forcing_arrays  # lessons import it from here
from course_utils.training import compile_seq2seq as compile_seq2seq  # lessons import it from here
from course_utils.vocabulary import PAD_ID, START_ID

ATTENTION_KINDS = (None, "bahdanau", "dot", "general", "concat")
# decoder class -> its kind. By class name, so that the copy a lesson writes in its notebook counts as the class.
DECODER_KINDS = {
    "Decoder": "no attention",
    "BahdanauDecoder": "bahdanau",
    "LuongDecoder": "luong",
    "InputFeedingDecoder": "input feeding",
}


def allowed(logits):
    """Logits (..., vocabulary) with padding and <start> ruled out: a decoder never outputs them."""
    never = ops.arange(ops.shape(logits)[-1]) <= START_ID  # ids 0 (padding) and 1 (<start>)
    return ops.where(never, MASKED_SCORE, logits)


@keras.saving.register_keras_serializable(package="course_utils")
class Encoder(keras.layers.Layer):
    """Embeds source ids and reads them with a bidirectional GRU: one output per position, one final state."""

    def __init__(self, vocabulary_size, embedding_dim, units, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size, self.embedding_dim, self.units = vocabulary_size, embedding_dim, units
        self.embedding = keras.layers.Embedding(vocabulary_size, embedding_dim)
        self.rnn = keras.layers.Bidirectional(keras.layers.GRU(units, return_sequences=True, return_state=True))

    def call(self, source):
        mask = ops.not_equal(source, PAD_ID)  # (batch, T_in): True for real tokens (right padding with id 0)
        embedded = self.embedding(source)  # (batch, T_in, embedding_dim)
        outputs, forward, backward = self.rnn(embedded, mask=mask)  # (batch, T_in, 2u), (batch, u), (batch, u)
        state = ops.concatenate([forward, backward], axis=-1)  # the context vector: (batch, 2u)
        return outputs, state, mask

    def get_config(self):
        return {
            **super().get_config(),
            "vocabulary_size": self.vocabulary_size,
            "embedding_dim": self.embedding_dim,
            "units": self.units,
        }


@keras.saving.register_keras_serializable(package="course_utils")
class Decoder(keras.layers.Layer):
    """A GRU language model of the target, started from the encoder's final state (no attention)."""

    def __init__(self, vocabulary_size, embedding_dim, units, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size, self.embedding_dim, self.units = vocabulary_size, embedding_dim, units
        self.embedding = keras.layers.Embedding(vocabulary_size, embedding_dim)
        self.rnn = keras.layers.GRU(units, return_sequences=True, return_state=True)
        self.output_layer = keras.layers.Dense(vocabulary_size)

    def call(self, target_in, state, encoder_outputs=None, encoder_mask=None):
        outputs, state = self.rnn(self.embedding(target_in), initial_state=state)  # (batch, T_out, units)
        return self.output_layer(outputs), state, None  # logits: (batch, T_out, vocabulary)

    def get_config(self):
        return {
            **super().get_config(),
            "vocabulary_size": self.vocabulary_size,
            "embedding_dim": self.embedding_dim,
            "units": self.units,
        }


@keras.saving.register_keras_serializable(package="course_utils")
class BahdanauDecoder(keras.layers.Layer):
    """Attention inside the recurrence (Bahdanau et al. 2014): c_t from s_{t-1}, then s_t = GRU([y_{t-1}; c_t], s_{t-1})

    The output layer reads [s_t; c_t], so it is wider than the vanilla decoder's, which reads s_t alone. Simpler than
    the paper: s_0 is the encoder's final state (not tanh(W_s h←_1)), and one Dense layer replaces its maxout readout.
    """

    def __init__(self, vocabulary_size, embedding_dim, units, **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size, self.embedding_dim, self.units = vocabulary_size, embedding_dim, units
        self.embedding = keras.layers.Embedding(vocabulary_size, embedding_dim)
        self.attention = BahdanauAttention(units)
        self.cell = keras.layers.GRUCell(units)  # one step at a time: the context changes at every step
        self.output_layer = keras.layers.Dense(vocabulary_size)

    def call(self, target_in, state, encoder_outputs, encoder_mask=None):
        steps = target_in.shape[1]
        if steps is None:
            raise ValueError("BahdanauDecoder loops over the target steps, so it needs a known target length.")
        embedded = self.embedding(target_in)  # (batch, T_out, embedding_dim)
        all_logits, all_weights = [], []
        for t in range(steps):
            context, weights = self.attention(state, encoder_outputs, encoder_mask)  # c_t: (batch, 2u), (batch, T_in)
            cell_input = ops.concatenate([embedded[:, t], context], axis=-1)  # [y_{t-1}; c_t]
            output, state = self.cell(cell_input, state)  # s_t: (batch, units)
            all_logits.append(self.output_layer(ops.concatenate([output, context], axis=-1)))  # (batch, vocabulary)
            all_weights.append(weights)
        return ops.stack(all_logits, axis=1), state, ops.stack(all_weights, axis=1)

    def get_config(self):
        return {
            **super().get_config(),
            "vocabulary_size": self.vocabulary_size,
            "embedding_dim": self.embedding_dim,
            "units": self.units,
        }


@keras.saving.register_keras_serializable(package="course_utils")
class LuongDecoder(keras.layers.Layer):
    """Global attention after the recurrence (Luong et al. 2015): h_t, then c_t, then h̃_t = tanh(W_c[c_t; h_t])."""

    def __init__(self, vocabulary_size, embedding_dim, units, score="general", activation="tanh", **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size, self.embedding_dim, self.units, self.score = vocabulary_size, embedding_dim, units, score
        self.activation = activation  # Luong's tanh; lesson 05 measures what None (linear) changes
        self.embedding = keras.layers.Embedding(vocabulary_size, embedding_dim)
        self.rnn = keras.layers.GRU(units, return_sequences=True, return_state=True)
        self.attention = LuongAttention(score)
        self.combine = keras.layers.Dense(units, activation=activation, use_bias=False)  # W_c
        self.output_layer = keras.layers.Dense(vocabulary_size)

    def call(self, target_in, state, encoder_outputs, encoder_mask=None):
        outputs, state = self.rnn(self.embedding(target_in), initial_state=state)  # h_t: (batch, T_out, units)
        context, weights = self.attention(outputs, encoder_outputs, encoder_mask)  # (batch, T_out, 2u), (.., T_in)
        attentional = self.combine(ops.concatenate([context, outputs], axis=-1))  # h̃_t: (batch, T_out, units)
        return self.output_layer(attentional), state, weights

    def get_config(self):
        return {
            **super().get_config(),
            "vocabulary_size": self.vocabulary_size,
            "embedding_dim": self.embedding_dim,
            "units": self.units,
            "score": self.score,
            "activation": self.activation,
        }


@keras.saving.register_keras_serializable(package="course_utils")
class InputFeedingDecoder(keras.layers.Layer):
    """Luong attention with input feeding (Luong et al. 2015, section 3.3): h_t = GRU([y_{t-1}; h̃_{t-1}], h_{t-1}).

    h̃_{t-1} is known only after step t-1 has attended, so the decoder runs step by step. Its state is
    [h_t; h̃_t] (batch, 2 * units), so that the next call (one step of greedy or beam decoding) gets h̃ back;
    the encoder's state (batch, units) starts it with h̃_0 = 0.
    """

    def __init__(self, vocabulary_size, embedding_dim, units, score="general", activation="tanh", **kwargs):
        super().__init__(**kwargs)
        self.vocabulary_size, self.embedding_dim, self.units, self.score = vocabulary_size, embedding_dim, units, score
        self.activation = activation
        self.embedding = keras.layers.Embedding(vocabulary_size, embedding_dim)
        self.cell = keras.layers.GRUCell(units)  # reads [y_{t-1}; h̃_{t-1}]: embedding_dim + units wide
        self.attention = LuongAttention(score)
        self.combine = keras.layers.Dense(units, activation=activation, use_bias=False)  # W_c
        self.output_layer = keras.layers.Dense(vocabulary_size)

    def call(self, target_in, state, encoder_outputs, encoder_mask=None):
        steps = target_in.shape[1]
        if steps is None:
            raise ValueError("InputFeedingDecoder loops over the target steps, so it needs a known target length.")
        if state.shape[-1] == self.units:  # the encoder's state: no attentional state yet, h̃_0 = 0
            state = ops.concatenate([state, ops.zeros_like(state)], axis=-1)
        hidden, attentional = state[:, : self.units], state[:, self.units :]  # h_{t-1}, h̃_{t-1}: (batch, units)
        embedded = self.embedding(target_in)  # (batch, T_out, embedding_dim)
        all_logits, all_weights = [], []
        for t in range(steps):
            cell_input = ops.concatenate([embedded[:, t], attentional], axis=-1)  # [y_{t-1}; h̃_{t-1}]
            hidden, _ = self.cell(cell_input, hidden)  # h_t: (batch, units)
            context, weights = self.attention(hidden, encoder_outputs, encoder_mask)  # c_t: (batch, 2u), (.., T_in)
            attentional = self.combine(ops.concatenate([context, hidden], axis=-1))  # h̃_t: (batch, units)
            all_logits.append(self.output_layer(attentional))  # (batch, vocabulary)
            all_weights.append(weights)
        state = ops.concatenate([hidden, attentional], axis=-1)  # [h_t; h̃_t]: (batch, 2 * units)
        return ops.stack(all_logits, axis=1), state, ops.stack(all_weights, axis=1)

    def get_config(self):
        return {
            **super().get_config(),
            "vocabulary_size": self.vocabulary_size,
            "embedding_dim": self.embedding_dim,
            "units": self.units,
            "score": self.score,
            "activation": self.activation,
        }


def make_decoder(attention, vocabulary_size, embedding_dim, units, luong_activation="tanh", input_feeding=False):
    """The decoder for an attention kind: None, "bahdanau", or a Luong score ("dot", "general", "concat").

    ``input_feeding=True`` (Luong scores only) gives the InputFeedingDecoder.
    """
    if attention not in ATTENTION_KINDS:
        raise ValueError(f"attention must be one of {ATTENTION_KINDS}, got {attention!r}.")
    if input_feeding and attention in (None, "bahdanau"):
        raise ValueError(
            f"input_feeding is part of Luong's decoder: use a Luong score ('dot', 'general' or 'concat'), not "
            f"attention={attention!r} (Bahdanau's decoder already feeds c_t to its GRU)."
        )
    if input_feeding:
        return InputFeedingDecoder(vocabulary_size, embedding_dim, units, score=attention, activation=luong_activation)
    if attention is None:
        return Decoder(vocabulary_size, embedding_dim, units)
    if attention == "bahdanau":
        return BahdanauDecoder(vocabulary_size, embedding_dim, units)
    return LuongDecoder(vocabulary_size, embedding_dim, units, score=attention, activation=luong_activation)


def decoder_kind(decoder):
    """What a decoder is: "no attention", "bahdanau", "luong" or "input feeding" (Luong's, with input feeding).

    Read from the class (or the class it derives from) by name, so a lesson's own copy of a decoder counts.
    """
    for cls in type(decoder).__mro__:
        if cls.__name__ in DECODER_KINDS:
            return DECODER_KINDS[cls.__name__]
    raise TypeError(
        f"{type(decoder).__name__} is none of the course's decoders ({', '.join(DECODER_KINDS)}), so its kind "
        f"is unknown. Build the decoder with seq2seq.make_decoder, or derive it from one of those classes."
    )


def decoder_attention(decoder):
    """The attention kind a decoder implements: its Luong score, "bahdanau", or None (no attention)."""
    kind = decoder_kind(decoder)
    if kind in ("luong", "input feeding"):
        return decoder.score
    return "bahdanau" if kind == "bahdanau" else None


def decoder_input_feeding(decoder):
    """Whether a decoder feeds its attentional state h̃_{t-1} into the next step (Luong's input feeding)."""
    return decoder_kind(decoder) == "input feeding"


@keras.saving.register_keras_serializable(package="course_utils")
class Seq2Seq(EncoderDecoder):
    """Encoder + decoder, trained with teacher forcing: (source, target_in) -> logits (batch, T_out, vocabulary).

    It carries its vocabularies and the lengths it was built for (``encoder_decoder.EncoderDecoder``). The
    decoder is twice as wide as the encoder's GRU, so that it can start from the concatenated forward and backward
    final states. ``attention`` chooses
    the decoder: None (lesson 02), "bahdanau" (04), or Luong's "dot", "general" or "concat" (05), with
    ``input_feeding=True`` for Luong's input feeding (05).

    A lesson may pass the encoder and decoder it built instead. The parts are the truth: ``get_config`` saves
    the parts' own configurations (a Luong decoder's activation included), and settings passed along with parts
    must describe them (``luong_activation`` is only used when the model builds its own Luong decoder).
    """

    def __init__(
        self,
        source_vocabulary,
        target_vocabulary,
        *,
        source_length,
        target_length,
        attention=None,
        embedding_dim=32,
        units=64,
        luong_activation="tanh",
        input_feeding=False,
        encoder=None,
        decoder=None,
        **kwargs,
    ):
        super().__init__(
            source_vocabulary, target_vocabulary, source_length=source_length, target_length=target_length, **kwargs
        )
        self.encoder = encoder or Encoder(len(self.source_vocabulary), embedding_dim, units)
        self.decoder = decoder or make_decoder(
            attention, len(self.target_vocabulary), embedding_dim, 2 * units, luong_activation, input_feeding
        )
        check_parts(
            self.encoder,
            self.decoder,
            attention=attention,
            embedding_dim=embedding_dim,
            units=units,
            input_feeding=input_feeding,
        )

    # What the model is, read from its parts (never from a stored copy that could disagree with them).
    @property
    def attention_kind(self):
        return decoder_attention(self.decoder)

    @property
    def embedding_dim(self):
        return self.encoder.embedding_dim

    @property
    def units(self):
        return self.encoder.units

    @property
    def input_feeding(self):
        """Whether the decoder feeds h̃_{t-1} into its next step (lesson 05)."""
        return decoder_input_feeding(self.decoder)

    @property
    def luong_activation(self):
        """h̃_t's activation in a Luong decoder (lesson 05); None for other decoders."""
        return getattr(self.decoder, "activation", None)

    def get_config(self):
        return {
            **super().get_config(),  # the vocabularies and lengths
            "encoder": part_config(self.encoder),
            "decoder": part_config(self.decoder),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        if "decoder" not in config:  # saved before the parts were stored: rebuilt from the settings
            return cls(**config)
        encoder = keras.saving.deserialize_keras_object(config.pop("encoder"))
        decoder = keras.saving.deserialize_keras_object(config.pop("decoder"))
        settings = parts_settings(encoder, decoder)
        return cls(**config, **settings, encoder=encoder, decoder=decoder)


def part_config(layer):
    """A part's serialized config, without its build config: the model builds its parts when it is built."""
    config = keras.saving.serialize_keras_object(layer)
    config.pop("build_config", None)  # else Keras "builds" layers without a build() method and warns on stderr
    return config


def parts_settings(encoder, decoder):
    """Seq2Seq's settings that describe these parts."""
    return {
        "attention": decoder_attention(decoder),
        "embedding_dim": encoder.embedding_dim,
        "units": encoder.units,
        "input_feeding": decoder_input_feeding(decoder),
    }


def check_parts(encoder, decoder, **settings):
    """A clear error when the settings passed to Seq2Seq do not describe its encoder and decoder."""
    found = parts_settings(encoder, decoder)
    problems = [
        f"{name}={settings[name]!r} but the parts have {name}={found[name]!r}"
        for name in found
        if settings[name] != found[name]
    ]
    if decoder.embedding_dim != encoder.embedding_dim:
        problems.append(
            f"the decoder embeds in {decoder.embedding_dim} dimensions, the encoder in {encoder.embedding_dim}"
        )
    if decoder.units != 2 * encoder.units:
        problems.append(
            f"the decoder has {decoder.units} units; it starts from the encoder's forward and backward "
            f"states, so it needs 2 * {encoder.units} = {2 * encoder.units}"
        )
    if problems:
        raise ValueError(
            "Seq2Seq's settings and parts disagree: " + "; ".join(problems) + ". Pass settings that "
            "describe the encoder and decoder you pass, or leave the parts out and let the model build them."
        )
