"""Sentence-pair tasks for lessons 02–05 and 08: French → English (word level) and Korean → English.

French → English follows Alammar's "je suis étudiant → I am a student", and puts the smaller vocabulary on
the output side (every decoder step pays a softmax over the output vocabulary). Korean is modelled per
character (syllable): at word level its vocabulary is far too sparse for 5,749 pairs.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from course_utils.sentence_pairs import load_pairs, word_tokens
from course_utils.seq2seq_data import teacher_forcing_arrays
from course_utils.vocabulary import Vocabulary


@dataclass
class TranslationData:
    """Prepared pairs (columns source, target, reference), vocabularies and padded lengths."""

    train: pd.DataFrame
    test: pd.DataFrame
    source_vocabulary: Vocabulary
    target_vocabulary: Vocabulary
    source_length: int
    target_length: int
    requested_train_size: int | None = None  # what was asked for, when it may be more than the data holds

    def sizes(self) -> str:
        """How many pairs each split holds, and when the training set is smaller than asked, why."""
        text = f"{len(self.train)} training and {len(self.test)} test pairs"
        if self.requested_train_size is not None and self.requested_train_size > len(self.train):
            text += f" ({self.requested_train_size} asked for: the data holds no more, so all of them are used)"
        return text

    def arrays(self, frame: pd.DataFrame):
        """((source, target_in), target_out) for teacher forcing; see seq2seq.teacher_forcing_arrays."""
        return teacher_forcing_arrays(
            frame.source,
            frame.target,
            self.source_vocabulary,
            self.target_vocabulary,
            source_length=self.source_length,
            target_length=self.target_length,
        )

    def source_ids(self, frame: pd.DataFrame) -> np.ndarray:
        return self.source_vocabulary.encode_batch(list(frame.source), length=self.source_length)


def split_pairs(pairs: pd.DataFrame, train_size: int, test_size: int, seed: int):
    """A seeded random split into disjoint training and test pairs (no test source text is in training).

    Pairs that repeat a source sentence count once: the sizes asked for are checked against the distinct ones.
    """
    shuffled = pairs.sample(frac=1.0, random_state=seed).drop_duplicates("source")
    if train_size + test_size > len(shuffled):
        raise ValueError(
            f"Asked for {train_size:,} + {test_size:,} pairs, but there are only {len(shuffled):,} with distinct "
            f"source sentences (of {len(pairs):,} pairs). Ask for at most {len(shuffled) - test_size:,} training "
            f"pairs, or pass at_most=True to take all there are."
        )
    test = shuffled.iloc[:test_size]
    train = shuffled.iloc[test_size : test_size + train_size]  # distinct sources: none of them is a test source
    return train.reset_index(drop=True), test.reset_index(drop=True)


def french_english(
    train_size: int = 12_000,
    test_size: int = 1_000,
    seed: int = 0,
    min_count: int = 3,
    max_tokens: int = 10,
    *,
    at_most: bool = False,
) -> TranslationData:
    """French → English at word level, both sides at most ``max_tokens`` tokens (punctuation included).

    Words seen fewer than ``min_count`` times in training become <unk>. The limits keep every decoder step's
    softmax small: on a CPU, the output layer is most of the cost. With ``at_most=True``, ``train_size`` is an
    upper bound (e.g. a size scaled by COURSE_SCALE): when the data holds fewer pairs, all of them are used, and
    ``sizes()`` says so. Without it, asking for more pairs than there are raises.
    """
    pairs = load_pairs("fra-eng")
    prepared = pd.DataFrame(
        {"source": pairs.french.map(word_tokens), "target": pairs.english.map(word_tokens), "reference": pairs.english}
    )
    lengths = prepared.source.str.split().str.len().combine(prepared.target.str.split().str.len(), max)
    prepared = prepared[lengths <= max_tokens]
    requested = train_size
    if at_most:
        train_size = min(train_size, prepared.source.nunique() - test_size)
    train, test = split_pairs(prepared, train_size, test_size, seed)
    source_vocabulary = Vocabulary.from_texts(train.source, level="word", min_count=min_count, unknown=True)
    target_vocabulary = Vocabulary.from_texts(train.target, level="word", min_count=min_count, unknown=True)
    source_length = max(len(text.split()) for text in prepared.source)
    target_length = max(len(text.split()) for text in prepared.target) + 1  # + <end>
    return TranslationData(
        train, test, source_vocabulary, target_vocabulary, source_length, target_length, requested_train_size=requested
    )


def korean_english(
    test_size: int = 300, seed: int = 0, max_characters: int = 24, max_tokens: int = 10
) -> TranslationData:
    """Korean (characters) → English (words): Korean sides of at most ``max_characters``, English of at most
    ``max_tokens`` tokens."""
    pairs = load_pairs("kor-eng")
    prepared = pd.DataFrame(
        {"source": pairs.korean, "target": pairs.english.map(word_tokens), "reference": pairs.english}
    )
    prepared = prepared[
        (prepared.source.str.len() <= max_characters) & (prepared.target.str.split().str.len() <= max_tokens)
    ]
    train, test = split_pairs(prepared, prepared.source.nunique() - test_size, test_size, seed)  # all the rest
    source_vocabulary = Vocabulary.from_texts(train.source, level="char", unknown=True)
    target_vocabulary = Vocabulary.from_texts(train.target, level="word", unknown=True)  # every English word: few pairs
    target_length = max(len(text.split()) for text in prepared.target) + 1
    return TranslationData(train, test, source_vocabulary, target_vocabulary, max_characters, target_length)
