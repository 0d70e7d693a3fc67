"""Vocabularies at character or word level: tokens to integer ids and back, with right padding.

Ids 0, 1 and 2 are always padding, start and end; id 3 is the unknown token when the vocabulary has one.
"""

import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

PAD, START, END, UNKNOWN = "<pad>", "<start>", "<end>", "<unk>"
PAD_ID, START_ID, END_ID, UNKNOWN_ID = 0, 1, 2, 3  # the same ids in every vocabulary
LEVELS = ("char", "word")


def describe_token(token: str) -> str:
    """'é' (U+00E9 LATIN SMALL LETTER E WITH ACUTE) — readable even for invisible characters."""
    if len(token) == 1:
        return f"{token!r} (U+{ord(token):04X} {unicodedata.name(token, 'unnamed character')})"
    return repr(token)


class Vocabulary:
    """Maps the tokens of texts to ids (``encode``) and ids back to text (``decode``)."""

    def __init__(self, tokens: Iterable[str], *, level: str = "char", unknown: bool = False):
        if level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, got {level!r}.")
        tokens = list(tokens)
        specials = [PAD, START, END] + ([UNKNOWN] if unknown else [])
        clashes = sorted(set(tokens) & set(specials))
        if clashes:
            raise ValueError(f"Tokens {clashes} are reserved for the special tokens; remove them from `tokens`.")
        if len(set(tokens)) != len(tokens):
            raise ValueError("`tokens` holds duplicates; pass each token once.")
        self.level = level
        self.tokens = specials + tokens  # id -> token
        self.ids = {token: index for index, token in enumerate(self.tokens)}  # token -> id
        self.pad_id, self.start_id, self.end_id = PAD_ID, START_ID, END_ID
        self.unknown_id = UNKNOWN_ID if unknown else None
        self.special_count = len(specials)  # ids below this are special tokens; real tokens follow

    def get_config(self) -> dict:
        """What ``from_config`` needs to rebuild this vocabulary (used when a model is saved)."""
        return {
            "tokens": self.tokens[self.special_count :],
            "level": self.level,
            "unknown": self.unknown_id is not None,
        }

    @classmethod
    def from_config(cls, config: dict) -> "Vocabulary":
        return cls(config["tokens"], level=config["level"], unknown=config["unknown"])

    def __eq__(self, other) -> bool:
        return isinstance(other, Vocabulary) and self.get_config() == other.get_config()

    @classmethod
    def from_texts(
        cls, texts: Iterable[str], *, level: str = "char", unknown: bool = False, min_count: int = 1
    ) -> "Vocabulary":
        """Build a vocabulary of every token seen at least ``min_count`` times, in sorted order."""
        counts = Counter(token for text in texts for token in cls.split(text, level))
        if not counts:
            raise ValueError("Cannot build a vocabulary from no text: `texts` was empty.")
        return cls(sorted(t for t, n in counts.items() if n >= min_count), level=level, unknown=unknown)

    @staticmethod
    def split(text: str, level: str) -> list[str]:
        """Characters, or words separated by whitespace."""
        return list(text) if level == "char" else text.split()

    def __len__(self) -> int:
        return len(self.tokens)

    def __repr__(self) -> str:
        specials = 4 if self.unknown_id else 3
        return (
            f"Vocabulary({self.level}-level, {len(self)} ids: {specials} special tokens "
            f"{self.tokens[:specials]}, then {self.tokens[specials : specials + 8]} ...)"
        )

    def encode(self, text: str, *, add_start: bool = False, add_end: bool = False) -> list[int]:
        """The ids of ``text``'s tokens, optionally framed by the start and end ids."""
        if not isinstance(text, str):
            raise TypeError(f"Vocabulary.encode expects a str, got {type(text).__name__}: {text!r:.60}.")
        tokens = self.split(text, self.level)
        if not tokens or not text.strip():
            raise ValueError("Cannot encode an empty text: pass at least one non-space character.")
        ids = []
        for position, token in enumerate(tokens):
            index = self.ids.get(token, self.unknown_id)
            if index is None:
                raise ValueError(
                    f"{describe_token(token)} at {self.level} position {position} of {text!r} is not in this "
                    f"vocabulary of {len(self)} tokens. Remove it from the text, or build the vocabulary "
                    f"with unknown=True to map unseen tokens to {UNKNOWN}."
                )
            ids.append(index)
        return [self.start_id] * add_start + ids + [self.end_id] * add_end

    def encode_batch(
        self, texts: Sequence[str], *, length: int | None = None, add_start: bool = False, add_end: bool = False
    ) -> np.ndarray:
        """Encode many texts into one int32 array of shape (len(texts), length), padded on the right."""
        if isinstance(texts, str):
            raise TypeError("encode_batch expects a list of texts, got one str; wrap it: [text].")
        rows = [self.encode(text, add_start=add_start, add_end=add_end) for text in texts]
        if not rows:
            raise ValueError("encode_batch got an empty list of texts.")
        longest = max(len(row) for row in rows)
        length = longest if length is None else length
        if longest > length:
            which = next(i for i, row in enumerate(rows) if len(row) == longest)
            raise ValueError(
                f"Text {which} ({texts[which]!r}) is {longest} tokens long with its markers, more than "
                f"length={length}. Shorten it, or encode with a larger length (a trained model only "
                f"accepts inputs up to the length it was built for)."
            )
        batch = np.full((len(rows), length), self.pad_id, dtype="int32")  # (batch, length)
        for i, row in enumerate(rows):
            batch[i, : len(row)] = row
        return batch

    def decode(self, ids: Iterable[int], *, stop_at_end: bool = True) -> str:
        """The text of ``ids``: stops at the end id, leaves out padding and start ids."""
        tokens = []
        for index in np.asarray(ids).tolist():
            if not 0 <= index < len(self):
                raise ValueError(f"Id {index} is outside this vocabulary of {len(self)} tokens (0..{len(self) - 1}).")
            if index == self.end_id and stop_at_end:
                break
            if index not in (self.pad_id, self.start_id, self.end_id):
                tokens.append(self.tokens[index])
        return ("" if self.level == "char" else " ").join(tokens)

    def decode_batch(self, batch: Iterable[Iterable[int]]) -> list[str]:
        """``decode`` for each row of a 2-D array of ids."""
        return [self.decode(row) for row in batch]
