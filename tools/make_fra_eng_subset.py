"""Derive data/fra-eng-short.txt from the ManyThings fra-eng release (maintainers; the result ships in data/).

Rule: keep the first French translation listed for each English sentence, and only pairs where both
sides have at most 8 words (whitespace-separated). Lines are copied byte for byte, in file order.

    python tools/make_fra_eng_subset.py ../shared/data/raw/fra-eng.txt data/fra-eng-short.txt
"""

import sys

MAX_WORDS = 8


def main(source: str, target: str) -> None:
    seen, kept = set(), []
    with open(source, encoding="utf-8") as lines:
        for line in lines:
            english, french = line.rstrip("\n").split("\t")
            if english in seen:
                continue
            seen.add(english)
            if len(english.split()) <= MAX_WORDS and len(french.split()) <= MAX_WORDS:
                kept.append(line if line.endswith("\n") else line + "\n")
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        out.writelines(kept)
    print(f"{len(seen)} English sentences, {len(kept)} pairs kept -> {target}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
