"""Korean edition: one gettext PO file per lesson, keyed to the English Markdown cells it translates.

    python tools/translations.py update [notebooks/NN_x.ipynb ...]   # create or refresh translations/ko/NN_x.po
    python tools/translations.py build  [notebooks/NN_x.ipynb ...]   # write notebooks/ko/NN_x.ipynb from both
    python tools/translations.py stats  [notebooks/NN_x.ipynb ...]   # cells and words translated per lesson

With no notebook named, each command covers every English lesson. ``make notebooks`` runs ``build`` for the
lessons it executed; ``make translations`` runs it alone (after a PO file changed: nothing is re-executed).

Each Markdown cell of an English lesson is one PO entry: ``msgctxt`` is the cell's id, ``msgid`` its English source,
``msgstr`` the Korean. ``update`` adds entries for new cells (empty ``msgstr``), drops entries whose cell is gone,
and when an English cell has changed since its translation was written marks the entry fuzzy, keeping the old
English as ``#| msgid`` so the translator sees what changed. Translators fill ``msgstr`` and remove the fuzzy flag.

``build`` copies the English notebook (code cells, outputs, execution counts, ids and metadata unchanged) and
replaces each Markdown cell's source by its Korean. It points the Colab badge at the Korean notebook and adds one
``../`` to relative links for the deeper folder (``../GLOSSARY.md`` becomes ``../../GLOSSARY.md``), except links to
sibling lessons (``02_vanilla_seq2seq.ipynb``), which then reach the Korean lessons. It refuses, naming each cell,
when a translation is missing or stale. Nobody edits a Korean notebook by hand: tests/test_translations.py checks
that each one is exactly what ``build`` makes from the current English notebook and PO file.
"""

import copy
import datetime
import re
import sys
from pathlib import Path

import nbformat
from babel.messages import pofile
from babel.messages.catalog import Catalog

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # course_utils from this checkout, also when run as a script
from course_utils.repository import BADGE, colab_badge  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import code_comments  # noqa: E402

TRANSLATIONS = ROOT / "translations" / "ko"
COMMENTS = TRANSLATIONS / "comments"  # the code cells' comments, one PO file per lesson (same file names)
LINE_LIMIT = 120  # ruff's line length (pyproject.toml): a translated comment must fit it, as the English does
NOTEBOOKS = ROOT / "notebooks"
KOREAN_FOLDER = "ko"  # the Korean notebooks live in notebooks/ko/, same file names
# Lessons whose translation is still being written (by lesson number). `build` skips them while incomplete, and
# tests/test_translations.py marks their checks as expected failures; it fails once one is complete, so that the
# number is removed here. The Korean edition is done when this is empty.
PENDING: frozenset[str] = frozenset()

# Link targets in Markdown: inline links and images `](target)` or `](target "title")`, reference definitions
# `[label]: target`, and HTML `src="..."` / `href="..."`.
LINK_TARGETS = (
    re.compile(r"(\]\()(<[^>]*>|[^)\s]+)"),
    re.compile(r"(^[ ]{0,3}\[[^\]]+\]:[ \t]*)(\S+)", re.MULTILINE),
    re.compile(r"""((?:src|href)=["'])([^"']+)"""),
)
ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|#|/)")  # a scheme (https:, mailto:), an anchor, or rooted
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
SIBLING_LESSON = re.compile(r"^\d\d_[\w-]+\.ipynb(?:#.*)?$")


def lesson_paths(arguments: list[str]) -> list[Path]:
    """English lesson notebooks named (a Korean notebook's path names its English one), or all of them."""
    if not arguments:
        return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    paths = []
    for argument in arguments:
        path = Path(argument).resolve()
        if path.parent.name == KOREAN_FOLDER:
            path = path.parent.parent / path.name
        if not path.exists():
            raise SystemExit(f"{argument}: no such English notebook (expected notebooks/NN_topic.ipynb).")
        paths.append(path)
    return paths


def po_path(english: Path) -> Path:
    return TRANSLATIONS / f"{english.stem}.po"


def comments_po_path(english: Path) -> Path:
    return COMMENTS / f"{english.stem}.po"


def korean_path(english: Path) -> Path:
    return english.parent / KOREAN_FOLDER / english.name


def is_pending(english: Path) -> bool:
    return english.name[:2] in PENDING


# Babel (2.18) reads a "#| msgid" line as a user comment (dropping repeated lines) and writes one wrapped at 76
# characters, which breaks a long or multi-line English cell; so the previous English is read and written here, in
# the form gettext's msgmerge writes it.
PREVIOUS = "#| msgid "
FORMAT_FLAGS = {"python-format", "python-brace-format"}


def previous_english(text: str) -> dict[str, str]:
    """The "#| msgid" block before each entry of a PO file's text, by the entry's msgctxt."""
    found, block = {}, []
    for line in text.splitlines():
        if line.startswith("#|"):
            block.append(line[len(PREVIOUS) :] if line.startswith(PREVIOUS) else line[2:].strip())
        elif line.startswith("msgctxt "):
            if block:
                found[pofile.denormalize(line[len("msgctxt ") :])] = pofile.denormalize("\n".join(block))
            block = []
        elif not line.startswith("#"):
            block = []
    return found


def read_catalog(path: Path) -> Catalog:
    if not path.exists():
        return Catalog(locale="ko", project="seq2seq-attention-keras", fuzzy=False)
    with path.open("rb") as handle:
        catalog = pofile.read_po(handle, locale="ko")
    previous = previous_english(path.read_text(encoding="utf-8"))
    for message in catalog:
        message.user_comments = [comment for comment in message.user_comments if not comment.startswith("|")]
        if message.context in previous:
            message.previous_id = [previous[message.context]]
    return catalog


HEADER = """\
# Korean translation of the course "Seq2seq & Attention with Keras": {what}.
# Written by the course's maintainers; how to translate: KOREAN.md. Licence: the course's (pyproject.toml).
#"""


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # The header names the course and the guide instead of Babel's placeholders (which Poedit shows translators).
    what = "code comments of one lesson" if path.parent.name == COMMENTS.name else "one lesson's Markdown cells"
    catalog.header_comment = HEADER.format(what=what)
    catalog.version = "0.1.0"
    catalog.msgid_bugs_address = "the course's issue tracker"
    catalog.last_translator = "course maintainers"
    catalog.language_team = "Korean edition (KOREAN.md)"
    if not isinstance(catalog.revision_date, datetime.datetime):
        catalog.revision_date = catalog.creation_date
    for message in catalog:
        message.flags -= FORMAT_FLAGS  # Babel adds them again whenever it reads a "%" or "{}" (see updated_catalog)
    with path.open("wb") as handle:
        pofile.write_po(handle, catalog, width=0, omit_header=False, include_previous=False, sort_output=False)
    text = path.read_text(encoding="utf-8")
    for message in catalog:
        if message.id and message.previous_id:
            quoted = pofile.normalize(message.previous_id[0], width=0).split("\n")
            previous = "".join(f"{PREVIOUS}{line}\n" if n == 0 else f"#| {line}\n" for n, line in enumerate(quoted))
            context = f"msgctxt {pofile.normalize(message.context, width=0)}\n"
            text = text.replace(context, previous + context, 1)
    path.write_text(text, encoding="utf-8")


def markdown_cells(notebook) -> list:
    return [cell for cell in notebook.cells if cell.cell_type == "markdown"]


def has_translatable_comments(cell) -> bool:
    """A code cell whose comments the Korean edition translates: not one whose stored output is an error (its
    traceback shows the English source)."""
    return cell.cell_type == "code" and not any(output.output_type == "error" for output in cell.outputs)


def comment_entries(notebook) -> list[tuple[str, str]]:
    """(context, English) of each comment block of the code cells: context ``<cell id>/<n>``, n-th block of the cell.

    A cell whose stored output is an error is left out: its traceback shows the English source."""
    return [
        (f"{cell.id}/{number}", block.text)
        for cell in notebook.cells
        if has_translatable_comments(cell)
        for number, block in enumerate(code_comments.blocks(cell.source))
    ]


def updated_catalog(notebook, existing: Catalog) -> Catalog:
    """The PO catalog for the notebook's Markdown cells, keeping what ``existing`` already translates."""
    return merged_catalog([(cell.id, cell.source) for cell in markdown_cells(notebook)], existing)


def updated_comment_catalog(notebook, existing: Catalog) -> Catalog:
    """The PO catalog for the notebook's code comments, keeping what ``existing`` already translates."""
    return merged_catalog(comment_entries(notebook), existing)


def merged_catalog(entries: list[tuple[str, str]], existing: Catalog) -> Catalog:
    """A catalog of ``entries`` (context, English): new ones empty, changed ones fuzzy with the old English kept."""
    old = {message.context: message for message in existing if message.id}
    # The header's dates stay as they were, so that an update that changes no entry changes nothing in the file.
    catalog = Catalog(
        locale="ko",
        project="seq2seq-attention-keras",
        fuzzy=False,
        creation_date=existing.creation_date,
        revision_date=existing.revision_date,
    )
    for context, english in entries:
        previous = old.get(context)
        if previous is None:
            message = catalog.add(english, string="", context=context)
        elif previous.id == english:
            message = catalog.add(
                english,
                string=previous.string,
                context=context,
                flags=previous.flags,
                previous_id=previous.previous_id if previous.fuzzy else (),
            )
        else:
            # The old English shown to the translator is the one the Korean translates (kept across changes).
            translated_english = previous.previous_id if previous.fuzzy and previous.previous_id else previous.id
            message = catalog.add(
                english, string=previous.string, context=context, flags={"fuzzy"}, previous_id=translated_english
            )
        # Babel flags a "%" or "{}" in the English as a Python format string; in Markdown it is none, and translation
        # tools (msgfmt -c, Poedit) would then reject a Korean that writes "63%" for "63 %".
        message.flags -= FORMAT_FLAGS
    return catalog


def update(notebook_path: Path) -> tuple[Catalog, Catalog]:
    """Bring the lesson's PO files in line with its English Markdown cells and code comments; return both."""
    notebook = nbformat.read(notebook_path, as_version=4)
    catalog = updated_catalog(notebook, read_catalog(po_path(notebook_path)))
    write_catalog(catalog, po_path(notebook_path))
    comments = updated_comment_catalog(notebook, read_catalog(comments_po_path(notebook_path)))
    write_catalog(comments, comments_po_path(notebook_path))
    return catalog, comments


# Checking a translation ---------------------------------------------------------------------------------------


def heading_of(source: str) -> str:
    first = source.strip().splitlines()[0] if source.strip() else ""
    return first if len(first) <= 60 else first[:57] + "..."


def translation_problems(notebook, catalog: Catalog, lesson: str) -> list[str]:
    """What stops the lesson's Korean notebook from being built, one readable line per cell (empty when none)."""
    po = f"translations/ko/{lesson}.po"
    run_update = f"run `python tools/translations.py update notebooks/{lesson}.ipynb`"
    by_cell = {message.context: message for message in catalog if message.id}
    found = []
    for cell in markdown_cells(notebook):
        where = f"{lesson}, cell {cell.id} ({heading_of(cell.source)!r})"
        message = by_cell.get(cell.id)
        if message is None:
            found.append(f"{where}: missing — {po} has no entry for this cell: {run_update}, then translate it")
        elif message.id != cell.source:
            found.append(
                f"{where}: stale — the English cell changed since {po} was updated: {run_update} (it marks the "
                "entry fuzzy), retranslate it, then remove the fuzzy flag"
            )
        elif message.fuzzy:
            found.append(
                f"{where}: stale — marked fuzzy in {po} (the English changed since it was translated): compare the "
                "old English (#| msgid) with the new, retranslate the msgstr, then remove the fuzzy flag"
            )
        elif not message.string.strip():
            found.append(f"{where}: missing — the msgstr in {po} is empty: translate the cell")
        else:
            found += [f"{where}: {problem}" for problem in content_problems(cell.source, message.string)]
    gone = sorted(set(by_cell) - {cell.id for cell in markdown_cells(notebook)})
    if gone:
        found.append(f"{lesson}: {po} has entries for cells no longer in the lesson ({', '.join(gone)}): {run_update}")
    return found


def comment_problems(notebook, comments: Catalog, lesson: str) -> list[str]:
    """What stops the lesson's code comments from being translated, one readable line per comment (empty when none)."""
    po = f"translations/ko/comments/{lesson}.po"
    run_update = f"run `python tools/translations.py update notebooks/{lesson}.ipynb`"
    by_context = {message.context: message for message in comments if message.id}
    entries = comment_entries(notebook)
    found = []
    for context, english in entries:
        where = f"{lesson}, code comment {context} ({heading_of(english)!r})"
        message = by_context.get(context)
        if message is None:
            found.append(f"{where}: missing — {po} has no entry for this comment: {run_update}, then translate it")
        elif message.id != english:
            found.append(f"{where}: stale — the English comment changed since {po} was updated: {run_update}")
        elif message.fuzzy:
            found.append(f"{where}: stale — marked fuzzy in {po}: retranslate the msgstr, then remove the fuzzy flag")
        elif not message.string.strip():
            found.append(f"{where}: missing — the msgstr in {po} is empty: translate the comment")
    if found:
        return found
    for cell in notebook.cells:
        korean = translated_code(cell, by_context)
        if korean is None:
            continue
        for number, block in enumerate(code_comments.blocks(cell.source)):
            if block.inline and "\n" in by_context[f"{cell.id}/{number}"].string:
                found.append(
                    f"{lesson}, code comment {cell.id}/{number}: the English is a comment at the end of a line of "
                    "code: keep its translation on one line"
                )
        # Only the lines the translation wrote are measured: one kept from the English (a directive) is the English's.
        english_lines = set(cell.source.split("\n"))
        for line in korean.split("\n"):
            if line not in english_lines and code_comments.width(line) > LINE_LIMIT:
                found.append(
                    f"{lesson}, cell {cell.id}: a translated line is {code_comments.width(line)} columns wide "
                    f"(Hangul counts two), over the {LINE_LIMIT} the code keeps: wrap the comment in {po} "
                    f"({line.strip()[:40]!r}...)"
                )
    gone = sorted(set(by_context) - {context for context, _ in entries})
    if gone:
        listed = ", ".join(gone)
        found.append(f"{lesson}: {po} has entries for comments no longer in the lesson ({listed}): {run_update}")
    return found


def translated_code(cell, by_context: dict) -> str | None:
    """The code cell's source with its comments in Korean, or None for a cell that keeps its English."""
    if not has_translatable_comments(cell):
        return None
    number_of_blocks = len(code_comments.blocks(cell.source))
    if not number_of_blocks:
        return None
    return code_comments.replaced(
        cell.source, {number: by_context[f"{cell.id}/{number}"].string for number in range(number_of_blocks)}
    )


def link_targets(markdown: str) -> list[str]:
    return sorted(match.group(2) for pattern in LINK_TARGETS for match in pattern.finditer(markdown))


def content_problems(english: str, korean: str) -> list[str]:
    """A translation keeps the English cell's links, numbers and heading level (KOREAN.md)."""
    found = []
    if link_targets(english) != link_targets(korean):
        found.append(
            f"the links differ from the English (English {link_targets(english)}, Korean {link_targets(korean)}): "
            "keep every link target exactly as in the English, translate only the link text"
        )
    english_numbers = NUMBER.findall(BADGE.sub("", english))
    korean_digits = BADGE.sub("", korean).replace(",", "")
    missing = sorted({number for number in english_numbers if number.replace(",", "") not in korean_digits})
    if missing:
        found.append(
            f"the numbers {missing} of the English do not appear in the Korean: every number the English states must "
            "appear identically (KOREAN.md)"
        )
    english_level = re.match(r"#*", english.lstrip()).group()
    if re.match(r"#*", korean.lstrip()).group() != english_level:
        found.append(f"the cell should start like the English ({english_level or 'no heading'!r}) — keep its heading")
    return found


# Building a Korean notebook -------------------------------------------------------------------------------------


def relink(target: str) -> str:
    """A link target of an English lesson, as seen from notebooks/ko/ (sibling lessons stay: they are Korean too)."""
    bracketed = target.startswith("<") and target.endswith(">")
    bare = target[1:-1] if bracketed else target
    if ABSOLUTE.match(bare) or SIBLING_LESSON.match(bare):
        return target
    return f"<../{bare}>" if bracketed else f"../{bare}"


def localise_markdown(korean: str, file_name: str) -> str:
    """The Korean cell as it sits in notebooks/ko/: the badge opens the Korean notebook, relative links reach."""
    for pattern in LINK_TARGETS:
        korean = pattern.sub(lambda match: match.group(1) + relink(match.group(2)), korean)
    return BADGE.sub(lambda _: colab_badge(f"{KOREAN_FOLDER}/{file_name}"), korean)


class TranslationIncomplete(Exception):
    """The lesson's translation is missing or stale somewhere; ``problems`` says where and what to do."""

    def __init__(self, lesson: str, problems: list[str]):
        self.lesson, self.problems = lesson, problems
        super().__init__("\n".join(problems))


def korean_notebook(english_path: Path, catalog: Catalog | None = None, english=None, comments: Catalog | None = None):
    """The Korean notebook that ``build`` writes for ``english_path`` (raises TranslationIncomplete)."""
    english = english if english is not None else nbformat.read(english_path, as_version=4)
    catalog = catalog if catalog is not None else read_catalog(po_path(english_path))
    comments = comments if comments is not None else read_catalog(comments_po_path(english_path))
    problems = translation_problems(english, catalog, english_path.stem)
    problems += comment_problems(english, comments, english_path.stem)
    if problems:
        raise TranslationIncomplete(english_path.stem, problems)
    if not markdown_cells(english) or not BADGE.search(english.cells[0].source):
        raise SystemExit(f"{english_path.name}: the first cell must be Markdown holding the 'Open In Colab' badge.")
    korean = copy.deepcopy(english)
    by_cell = {message.context: message for message in catalog if message.id}
    for cell in markdown_cells(korean):
        cell.source = localise_markdown(by_cell[cell.id].string, english_path.name)
    by_comment = {message.context: message for message in comments if message.id}
    for cell in korean.cells:
        code = translated_code(cell, by_comment)
        if code is not None:
            cell.source = code
    if not BADGE.search(korean.cells[0].source):
        raise TranslationIncomplete(
            english_path.stem,
            [f"{english_path.stem}, first cell: the Korean lacks the Colab badge: keep it as in the English"],
        )
    return korean


def notebook_text(notebook) -> str:
    """The file's text, as nbformat.write stores it."""
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def build(english_path: Path) -> Path:
    """Write notebooks/ko/<lesson>.ipynb; return its path (raises TranslationIncomplete)."""
    target = korean_path(english_path)
    text = notebook_text(korean_notebook(english_path))
    target.parent.mkdir(exist_ok=True)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        target.write_text(text, encoding="utf-8")
    return target


def counts(english_path: Path) -> dict:
    """Markdown cells and words of the lesson, and how many of them are translated (non-empty, not fuzzy)."""
    notebook = nbformat.read(english_path, as_version=4)
    by_cell = {message.context: message for message in read_catalog(po_path(english_path)) if message.id}
    done = [
        by_cell[cell.id]
        for cell in markdown_cells(notebook)
        if cell.id in by_cell
        and by_cell[cell.id].id == cell.source
        and by_cell[cell.id].string.strip()
        and not by_cell[cell.id].fuzzy
    ]
    return {
        "cells": len(markdown_cells(notebook)),
        "translated": len(done),
        "english_words": sum(len(cell.source.split()) for cell in markdown_cells(notebook)),
        "translated_english_words": sum(len(message.id.split()) for message in done),
        "korean_words": sum(len(message.string.split()) for message in done),
    }


def main(arguments: list[str]) -> None:
    command = arguments[:1]
    if command == ["update"]:
        for path in lesson_paths(arguments[1:]):
            for kind, catalog in zip(("Markdown cells", "code comments"), update(path)):
                untranslated = sum(1 for m in catalog if m.id and not m.string)
                fuzzy = sum(1 for m in catalog if m.id and m.fuzzy)
                print(
                    f"{path.name}: {len(catalog)} {kind}, {untranslated} untranslated, {fuzzy} changed since translated"
                )
    elif command == ["build"]:
        refused = []
        for path in lesson_paths(arguments[1:]):
            try:
                target = build(path)
            except TranslationIncomplete as error:
                if is_pending(path):
                    tally = counts(path)
                    print(
                        f"{path.name}: Korean notebook not built — translation pending "
                        f"({tally['translated']} of {tally['cells']} cells; PENDING in tools/translations.py)"
                    )
                    continue
                refused.append(error)
                continue
            print(f"{path.name}: built {target.relative_to(ROOT)}")
        if refused:
            lines = [line for error in refused for line in error.problems]
            names = ", ".join(f"notebooks/{KOREAN_FOLDER}/{error.lesson}.ipynb" for error in refused)
            raise SystemExit(
                f"\nNot built: {names}. The Korean translation is missing or stale here:\n  "
                + "\n  ".join(lines)
                + "\nThen run `make translations` (no re-execution needed)."
            )
    elif command == ["stats"]:
        print(f"{'lesson':<32} {'cells':>11} {'English words':>14} {'Korean words':>13}")
        for path in lesson_paths(arguments[1:]):
            tally = counts(path)
            print(
                f"{path.stem:<32} {tally['translated']:>4} of {tally['cells']:<4} "
                f"{tally['translated_english_words']:>6} of {tally['english_words']:<5} {tally['korean_words']:>13}"
            )
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
