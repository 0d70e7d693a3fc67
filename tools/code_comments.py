"""The comments of a notebook code cell, found with Python's tokenizer: read them, replace them, or strip them.

A *block* is either a run of whole-line comments at the same indentation (one thought wrapped over lines) or one
comment at the end of a line of code. Directives stay as they are and are never blocks: nbval markers, ``noqa``,
``fmt:``, ``type:`` and a taught cell's ``Canonical copy`` line. A ``#`` inside a string is not a comment, since the
tokenizer reads strings. IPython lines (``%magic``, ``!shell``) are not Python: they are read as blank lines.
"""

import io
import re
import tokenize
import unicodedata
from dataclasses import dataclass

DIRECTIVE = re.compile(r"^#\s*(NBVAL_|noqa|fmt:|type:|pragma|Canonical copy)")


@dataclass(frozen=True)
class Block:
    first_row: int  # 0-based line numbers in the cell, inclusive
    last_row: int
    column: int  # where the "#" stands
    inline: bool  # after code on the same line
    text: str  # the comment's words, lines joined by "\n", without "#" and the one space after it


def _comment_tokens(source: str) -> list[tuple[int, int, str]] | None:
    """(row, column, text) of each comment token, or None when the cell is not Python the tokenizer reads."""
    lines = source.split("\n")
    readable = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in lines)
    try:
        return [
            (token.start[0] - 1, token.start[1], token.string)
            for token in tokenize.generate_tokens(io.StringIO(readable).readline)
            if token.type == tokenize.COMMENT
        ]
    except (tokenize.TokenError, SyntaxError):
        return None


def _words(comment: str) -> str:
    return comment[2:] if comment.startswith("# ") else comment[1:]


def blocks(source: str) -> list[Block]:
    """The cell's translatable comment blocks, top to bottom (none when the tokenizer cannot read the cell)."""
    lines = source.split("\n")
    found: list[Block] = []
    run: list[tuple[int, int, str]] = []

    def close_run():
        if run:
            text = "\n".join(_words(comment) for _, _, comment in run)
            found.append(Block(run[0][0], run[-1][0], run[0][1], False, text))
            run.clear()

    for row, column, comment in _comment_tokens(source) or []:
        whole_line = not lines[row][:column].strip()
        if DIRECTIVE.match(comment):
            close_run()
        elif not whole_line:
            close_run()
            found.append(Block(row, row, column, True, _words(comment)))
        elif run and row == run[-1][0] + 1 and column == run[-1][1]:
            run.append((row, column, comment))
        else:
            close_run()
            run.append((row, column, comment))
    close_run()
    return found


def replaced(source: str, translations: dict[int, str]) -> str:
    """The source with block number n's words replaced by ``translations[n]`` (the others kept)."""
    lines = source.split("\n")
    for number, block in reversed(list(enumerate(blocks(source)))):
        if number not in translations:
            continue
        words = translations[number].split("\n")
        if block.inline:
            lines[block.first_row] = lines[block.first_row][: block.column] + "# " + words[0]
        else:
            indent = lines[block.first_row][: block.column]
            new = [f"{indent}# {line}".rstrip() if line else f"{indent}#" for line in words]
            lines[block.first_row : block.last_row + 1] = new
    return "\n".join(lines)


def without_comments(source: str) -> list[str]:
    """The cell's code with every comment removed: its non-blank lines, right-stripped (for comparing editions)."""
    lines = source.split("\n")
    for row, column, _ in reversed(_comment_tokens(source) or []):
        lines[row] = lines[row][:column]
    return [line.rstrip() for line in lines if line.strip()]


def width(line: str) -> int:
    """A line's width as ruff counts it for the line-length limit: East Asian wide characters count two."""
    return sum(2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in line)
