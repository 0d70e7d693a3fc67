"""Load the sentence-pair files in ``data/`` (Tatoeba via ManyThings) into tables, with clean spacing.

French text uses narrow no-break spaces (U+202F) and thin spaces (U+2009) before ``! ? :``, and sometimes
a typographic apostrophe; ``normalize_text`` turns them into plain spaces and ``'``.
"""

import re
from pathlib import Path

import pandas as pd

from course_utils.paths import data_path

PAIR_FILES = {  # name -> (file in data/, columns)
    "fra-eng": ("fra-eng-short.txt", ["english", "french"]),
    "kor-eng": ("kor-eng.txt", ["english", "korean", "credit"]),
}
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f]+")
_PUNCTUATION = re.compile(r'([.,!?;:"«»¿¡])')


class MalformedLineError(ValueError):
    """A line of a sentence-pair file does not have the expected tab-separated columns."""


def normalize_text(text: str) -> str:
    """Plain spaces for no-break, narrow and thin spaces; ``'`` for the typographic apostrophe."""
    return _SPACES.sub(" ", text.replace("\u2019", "'")).strip()


def word_tokens(text: str) -> str:
    """Lower-case words with punctuation split off, joined by spaces: "Je suis étudiant !" -> "je suis étudiant !"."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(r" \1 ", normalize_text(text).lower())).strip()


def detokenize(words: str) -> str:
    """Undo ``word_tokens``' punctuation split for display and scoring: "i am a student ." -> "i am a student."."""
    return re.sub(r" ([.,!?;:])", r"\1", words.replace("<unk>", "UNK"))


def read_pairs(path: Path | str, columns: list[str]) -> pd.DataFrame:
    """Read a tab-separated file with exactly ``len(columns)`` columns per line, text normalised."""
    path = Path(path)
    rows = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != len(columns) or not all(field.strip() for field in fields):
                raise MalformedLineError(
                    f"{path.name}, line {number}: expected {len(columns)} non-empty tab-separated columns "
                    f"({', '.join(columns)}), found {len(fields)}: {line.rstrip()!r:.80}. Fix or delete that line."
                )
            rows.append([normalize_text(field) for field in fields])
    return pd.DataFrame(rows, columns=columns)


def load_pairs(name: str) -> pd.DataFrame:
    """The pairs of ``name`` ("fra-eng" or "kor-eng") as a table, one row per pair, in file order."""
    if name not in PAIR_FILES:
        raise ValueError(f"Unknown sentence-pair set {name!r}; choose one of {sorted(PAIR_FILES)}.")
    file_name, columns = PAIR_FILES[name]
    return read_pairs(data_path(file_name), columns)


JUDGEMENTS = ("acceptable", "worse")  # the two verdicts of data/judged-outputs.tsv


def load_judgements(model: str, decoding: str) -> pd.DataFrame:
    """The course's human verdicts on one decoder's held-out outputs (data/judged-outputs.tsv), for lesson 06's
    error analysis: one row per output, with its test index, French source, output and judgement, "acceptable" (a
    translation a reader would accept) or "worse" (worse than the reference)."""
    table = pd.read_csv(data_path("judged-outputs.tsv"), sep="\t", keep_default_na=False)
    chosen = table[(table.model == model) & (table.decoding == decoding)]
    if chosen.empty:
        known = sorted(set(zip(table.model, table.decoding)))
        raise ValueError(f"No judged outputs of {model!r} with {decoding!r}; judged are (model, decoding): {known}.")
    unknown = sorted(set(chosen.judgement) - set(JUDGEMENTS))
    if unknown:
        raise ValueError(f"data/judged-outputs.tsv: judgements must be one of {JUDGEMENTS}, found {unknown}.")
    return chosen.drop(columns=["model", "decoding"]).reset_index(drop=True)
