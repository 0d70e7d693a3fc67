"""What the course's two models share: ``seq2seq.Seq2Seq`` (lessons 02–08) and ``transformer.Transformer`` (09).

Each joins an encoder and a decoder with one call signature, which ``course_utils.decoding`` relies on:

    encoder_outputs, state, mask = encoder(source)
    logits, state, weights = decoder(target_in, state, encoder_outputs, mask)

and carries its vocabularies and the lengths it was built for, so that ``decoding.translate`` and
``date_normalization.normalize_dates`` can take text directly.
"""

import keras

from course_utils.vocabulary import Vocabulary


class EncoderDecoder(keras.Model):
    """Encoder + decoder, trained with teacher forcing: (source, target_in) -> logits (batch, T_out, vocabulary).

    A subclass builds ``self.encoder`` and ``self.decoder`` and adds its own settings to ``get_config``. This
    class is not registered for saving: a saved file names the subclass (``course_utils>Seq2Seq``,
    ``course_utils>Transformer``), and its config holds the keys written here.
    """

    def __init__(self, source_vocabulary, target_vocabulary, *, source_length, target_length, **kwargs):
        super().__init__(**kwargs)
        if isinstance(source_vocabulary, dict):  # when loaded from a saved config
            source_vocabulary, target_vocabulary = map(Vocabulary.from_config, (source_vocabulary, target_vocabulary))
        self.source_vocabulary, self.target_vocabulary = source_vocabulary, target_vocabulary
        self.source_length, self.target_length = source_length, target_length

    def build(self, input_shape):
        """Build every weight with one eager call on a batch of one (a length Keras does not know becomes 1).

        Left to itself, Keras builds a layer that has no ``build`` method (the encoder, the decoders) by a symbolic
        run of its ``call`` before the real one: for this model, two more traces of every part. Such a layer holds
        only other layers, which build themselves when first called, so it is marked built and the one call builds
        everything, in the same order and with the same initial weights. A toy Bahdanau model's first call took
        1.7-2.1 s the default way and 0.45-0.52 s so, and loading it from a file 1.7-2.8 s and 0.3 s (2-core CPU)."""
        for layer in self._flatten_layers(include_self=False):
            if type(layer).build is keras.layers.Layer.build:  # no build of its own: only layers inside
                layer.built = True
        source_shape, target_shape = input_shape
        ones = [keras.ops.ones((1, shape[1] or 1), "int32") for shape in (source_shape, target_shape)]
        self.teacher_forced(*ones)

    def call(self, inputs):
        source, target_in = inputs
        logits, _ = self.teacher_forced(source, target_in)
        return logits

    def teacher_forced(self, source, target_in):
        """Logits (batch, T_out, vocabulary) and the decoder's attention weights (batch, T_out, T_in), or None for
        a decoder without attention, when the decoder is fed the true target."""
        encoder_outputs, state, mask = self.encoder(source)
        logits, _, weights = self.decoder(target_in, state, encoder_outputs, mask)
        return logits, weights

    def get_config(self):
        return {
            **super().get_config(),
            "source_vocabulary": self.source_vocabulary.get_config(),
            "target_vocabulary": self.target_vocabulary.get_config(),
            "source_length": self.source_length,
            "target_length": self.target_length,
        }
