"""The Korean edition is complete, current, and built from the English notebooks (nothing executed here).

For every English lesson: each Markdown cell has a Korean translation in translations/ko/NN_x.po that is non-empty,
not fuzzy, and keyed to the cell's current English (otherwise "missing" or "stale", naming the cell and the fix);
and notebooks/ko/NN_x.ipynb exists and is exactly what ``tools/translations.py build`` makes from the current
English notebook and PO file, so its code, outputs and metadata are the English ones and nobody edited it by hand.
Lessons listed in ``PENDING`` (tools/translations.py) are still being translated: their checks are expected to
fail, and fail the suite once they pass, so that the lesson is taken off the list. The last tests feed broken cases
to show that the checks reject them.
"""

import copy
import importlib.util
import sys

import nbformat
import pytest
from babel.messages.catalog import Catalog

from course_utils.paths import course_root

ROOT = course_root()
_spec = importlib.util.spec_from_file_location("translations", ROOT / "tools" / "translations.py")
translations = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("translations", translations)
_spec.loader.exec_module(translations)
code_comments = sys.modules["code_comments"]  # tools/code_comments.py, imported by the tool

ENGLISH = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PENDING_MARK = pytest.mark.xfail(
    strict=True, reason="translation pending: PENDING in tools/translations.py (remove the lesson once translated)"
)


def lessons():
    return [
        pytest.param(path, id=path.stem, marks=[PENDING_MARK] if translations.is_pending(path) else [])
        for path in ENGLISH
    ]


def read(path):
    return nbformat.read(path, as_version=4)


def differences(stored, built) -> list[str]:
    """Where a stored Korean notebook differs from what the build makes, cell by cell, in words."""
    found = []
    if stored.metadata != built.metadata:
        found.append("the notebook's metadata")
    if len(stored.cells) != len(built.cells):
        return found + [f"the number of cells ({len(stored.cells)} stored, {len(built.cells)} built)"]
    for number, (mine, theirs) in enumerate(zip(stored.cells, built.cells)):
        where = f"cell {number} ({theirs.get('id')}, {theirs.cell_type})"
        for key in ("cell_type", "id", "source", "metadata", "outputs", "execution_count", "attachments"):
            if mine.get(key) != theirs.get(key):
                found.append(f"{where}: its {key}")
    return found or ["the file's text (formatting)"]


def identity_problems(english_path, stored_text: str | None, catalog=None, english=None, comments=None) -> list[str]:
    """Why the stored Korean notebook is not what the build makes (empty when it is)."""
    korean = f"notebooks/ko/{english_path.name}"
    rebuild = f"run `make translations NOTEBOOKS=notebooks/{english_path.name}` (never edit {korean} by hand)"
    if stored_text is None:
        return [f"{korean} does not exist: translate translations/ko/{english_path.stem}.po, then {rebuild}"]
    built = translations.korean_notebook(english_path, catalog, english, comments)
    if stored_text == translations.notebook_text(built):
        return []
    where = "; ".join(differences(nbformat.reads(stored_text, as_version=4), built))
    return [f"{korean} is not what the build makes from the English notebook and the PO file ({where}): {rebuild}"]


@pytest.mark.parametrize("english_path", lessons())
def test_every_markdown_cell_and_code_comment_has_a_current_translation(english_path):
    catalog = translations.read_catalog(translations.po_path(english_path))
    problems = translations.translation_problems(read(english_path), catalog, english_path.stem)
    comments = translations.read_catalog(translations.comments_po_path(english_path))
    problems += translations.comment_problems(read(english_path), comments, english_path.stem)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("english_path", lessons())
def test_korean_notebook_is_exactly_the_build_of_the_english_one(english_path):
    korean = translations.korean_path(english_path)
    stored = korean.read_text(encoding="utf-8") if korean.exists() else None
    problems = identity_problems(english_path, stored)
    assert not problems, "\n".join(problems)


def test_every_korean_notebook_and_po_file_belongs_to_an_english_lesson():
    english = {path.stem for path in ENGLISH}
    korean = {path.stem for path in (ROOT / "notebooks" / "ko").glob("*.ipynb")}
    folders = (translations.TRANSLATIONS, translations.COMMENTS)
    po_files = {path.stem for folder in folders for path in folder.glob("*.po")}
    assert korean <= english, f"Korean notebooks without an English lesson: {sorted(korean - english)}"
    assert po_files <= english, f"PO files without an English lesson: {sorted(po_files - english)}"


def test_pending_lessons_are_named_by_lesson_number():
    assert all(len(number) == 2 and number.isdigit() for number in translations.PENDING)


# The checks reject what they should --------------------------------------------------------------------------


def stand_in(catalog):
    for message in catalog:
        message.string = message.id if message.id else message.string
    return catalog


@pytest.fixture
def translated_lesson(monkeypatch, tmp_path):
    """Lesson 01 with a complete stand-in translation (each msgstr is its English), so that these tests show what the
    checks reject whatever state the real PO files are in. Its code comments' stand-in is what the build reads."""
    path = ENGLISH[0]
    english = read(path)
    catalog = stand_in(translations.updated_catalog(english, Catalog(locale="ko")))
    comments = stand_in(translations.updated_comment_catalog(english, Catalog(locale="ko")))
    comments_po = tmp_path / "comments.po"
    translations.write_catalog(comments, comments_po)
    monkeypatch.setattr(translations, "comments_po_path", lambda english_path: comments_po)
    return path, english, catalog


def test_a_changed_english_cell_is_stale_until_retranslated(translated_lesson):
    path, english, catalog = translated_lesson
    assert translations.translation_problems(english, catalog, path.stem) == []
    changed = copy.deepcopy(english)
    cell = translations.markdown_cells(changed)[1]
    cell.source += "\n\nOne more sentence."
    problems = translations.translation_problems(changed, catalog, path.stem)
    assert len(problems) == 1 and "stale" in problems[0] and cell.id in problems[0] and "update" in problems[0]
    with pytest.raises(translations.TranslationIncomplete, match=f"{cell.id}.*stale"):
        translations.korean_notebook(path, catalog, changed)
    # `update` marks the entry fuzzy and keeps the English the Korean translates; fuzzy is still stale.
    updated = translations.updated_catalog(changed, catalog)
    entry = next(message for message in updated if message.context == cell.id)
    assert entry.fuzzy and entry.string and list(entry.previous_id) != [cell.source]
    problems = translations.translation_problems(changed, updated, path.stem)
    assert len(problems) == 1 and "stale" in problems[0] and "fuzzy" in problems[0]
    # Retranslated and the flag removed: buildable again.
    entry.flags.discard("fuzzy")
    assert translations.translation_problems(changed, updated, path.stem) == []


def test_a_removed_translation_or_a_new_cell_is_missing(translated_lesson):
    path, english, catalog = translated_lesson
    emptied = copy.deepcopy(catalog)
    target = translations.markdown_cells(english)[2].id
    next(message for message in emptied if message.context == target).string = ""
    problems = translations.translation_problems(english, emptied, path.stem)
    assert len(problems) == 1 and "missing" in problems[0] and target in problems[0]
    with pytest.raises(translations.TranslationIncomplete, match=f"{target}.*missing"):
        translations.korean_notebook(path, emptied, english)
    added = copy.deepcopy(english)
    added.cells.append(nbformat.v4.new_markdown_cell("A new paragraph.", id="new-cell"))
    problems = translations.translation_problems(added, catalog, path.stem)
    assert len(problems) == 1 and "missing" in problems[0] and "new-cell" in problems[0] and "update" in problems[0]


def test_a_translation_that_drops_a_link_or_a_number_is_rejected(translated_lesson):
    path, english, catalog = translated_lesson
    broken = copy.deepcopy(catalog)
    summary = next(message for message in broken if "(../GLOSSARY.md)" in message.string)
    summary.string = summary.string.replace("(../GLOSSARY.md)", "(GLOSSARY.md)").replace("1e-6", "a tiny error")
    problems = "\n".join(translations.translation_problems(english, broken, path.stem))
    assert "links differ" in problems and "numbers" in problems and "'6'" in problems


def test_a_hand_edited_korean_notebook_is_rejected(translated_lesson):
    path, english, catalog = translated_lesson
    built = translations.korean_notebook(path, catalog, english)
    assert identity_problems(path, translations.notebook_text(built), catalog, english) == []
    edited = copy.deepcopy(built)
    code = [cell for cell in edited.cells if cell.cell_type == "code" and cell.outputs]
    code[1].outputs[0]["text"] = "edited by hand\n"
    code[2].source += "\n# changed"
    translations.markdown_cells(edited)[-1].source += " 덧붙인 문장."
    problems = identity_problems(path, translations.notebook_text(edited), catalog, english)
    assert len(problems) == 1 and "make translations" in problems[0]
    for expected in (f"{code[1].id}, code): its outputs", f"{code[2].id}, code): its source", "markdown): its source"):
        assert expected in problems[0]
    assert "does not exist" in identity_problems(path, None)[0]


def test_links_are_rewritten_for_the_deeper_folder_and_the_badge_opens_the_korean_notebook():
    relink = translations.relink
    assert relink("../GLOSSARY.md") == "../../GLOSSARY.md"
    assert relink("../data/README.md#licence") == "../../data/README.md#licence"
    assert relink("figures/step.png") == "../figures/step.png"
    assert relink("<../GLOSSARY.md>") == "<../../GLOSSARY.md>"
    for unchanged in ("02_vanilla_seq2seq.ipynb", "03_teacher_forcing.ipynb#summary", "https://keras.io", "#top"):
        assert relink(unchanged) == unchanged
    source = (
        "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
        "(https://colab.research.google.com/github/o/r/blob/main/notebooks/01_rnn_recap.ipynb)\n"
        "[용어집](../GLOSSARY.md), [다음](02_vanilla_seq2seq.ipynb), ![그림](../data/a.png),\n"
        '<img src="../data/b.png">\n'
        "[ref]: ../README.md"
    )
    localised = translations.localise_markdown(source, "01_rnn_recap.ipynb")
    for expected in (
        "/notebooks/ko/01_rnn_recap.ipynb)",
        "(../../GLOSSARY.md)",
        "(02_vanilla_seq2seq.ipynb)",
        "(../../data/a.png)",
        'src="../../data/b.png"',
        "[ref]: ../../README.md",
    ):
        assert expected in localised


def test_the_po_file_keeps_the_translated_english_of_a_changed_cell(translated_lesson, tmp_path):
    path, english, catalog = translated_lesson
    changed = copy.deepcopy(english)
    cell = next(cell for cell in translations.markdown_cells(changed) if "\n" in cell.source and "\\" in cell.source)
    original = cell.source
    cell.source += "\n\nOne more line."
    po = tmp_path / f"{path.stem}.po"
    translations.write_catalog(translations.updated_catalog(changed, catalog), po)
    text = po.read_text(encoding="utf-8")
    assert "#| msgid" in text and "python-format" not in text and "python-brace-format" not in text
    entry = next(message for message in translations.read_catalog(po) if message.context == cell.id)
    assert entry.fuzzy and list(entry.previous_id) == [original]
    # Changed again before anyone retranslated: the old English stays the one the Korean translates.
    cell.source += " And another."
    translations.write_catalog(translations.updated_catalog(changed, translations.read_catalog(po)), po)
    entry = next(message for message in translations.read_catalog(po) if message.context == cell.id)
    assert entry.fuzzy and list(entry.previous_id) == [original]
    # Updating an unchanged lesson changes nothing in the file.
    before = po.read_text(encoding="utf-8")
    translations.write_catalog(translations.updated_catalog(changed, translations.read_catalog(po)), po)
    assert po.read_text(encoding="utf-8") == before


# Code comments ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("english_path", lessons())
def test_the_korean_code_is_the_english_code_with_only_its_comments_translated(english_path):
    korean = translations.korean_path(english_path)
    english_cells = [cell for cell in read(english_path).cells if cell.cell_type == "code"]
    korean_cells = [cell for cell in read(korean).cells if cell.cell_type == "code"] if korean.exists() else []
    assert len(korean_cells) == len(english_cells), f"{korean}: not built, or another number of code cells"
    translated = 0
    for mine, theirs in zip(korean_cells, english_cells):
        assert code_comments.without_comments(mine.source) == code_comments.without_comments(theirs.source), mine.id
        translated += mine.source != theirs.source
    assert translated >= len(english_cells) // 2, "fewer than half the code cells have Korean comments"


def test_comments_are_found_by_the_tokenizer_grouped_and_replaced():
    source = (
        "# first line of a thought\n"
        "# its second line\n"
        "x = '# not a comment'  # after code\n"
        "%timeit x\n"
        "# NBVAL_IGNORE_OUTPUT\n"
        "    # indented, another block\n"
    )
    found = code_comments.blocks(source)
    assert [block.text for block in found] == [
        "first line of a thought\nits second line",
        "after code",
        "indented, another block",
    ]
    assert [block.inline for block in found] == [False, True, False]
    korean = code_comments.replaced(source, {0: "생각 하나를\n세 줄에\n씁니다", 1: "코드 뒤", 2: "들여 쓴 블록"})
    assert "# 생각 하나를\n# 세 줄에\n# 씁니다\nx = '# not a comment'  # 코드 뒤\n" in korean
    assert "%timeit x\n# NBVAL_IGNORE_OUTPUT\n    # 들여 쓴 블록\n" in korean
    assert code_comments.without_comments(korean) == code_comments.without_comments(source)
    assert code_comments.without_comments("y = 1  # a\n") != code_comments.without_comments("y = 2  # a\n")
    assert code_comments.width("# 한국어") == 2 + 6


def test_untranslated_too_wide_or_split_comments_are_rejected(translated_lesson):
    path, english, catalog = translated_lesson
    comments = translations.read_catalog(translations.comments_po_path(path))
    assert translations.comment_problems(english, comments, path.stem) == []
    by_kind = {}
    for cell in english.cells:
        for number, block in enumerate(code_comments.blocks(cell.source) if cell.cell_type == "code" else []):
            by_kind.setdefault(block.inline, f"{cell.id}/{number}")
    broken = copy.deepcopy(comments)
    entries = {message.context: message for message in broken if message.id}
    entries[by_kind[False]].string = ""
    entries[by_kind[True]].flags.add("fuzzy")
    problems = translations.comment_problems(english, broken, path.stem)
    assert len(problems) == 2 and "missing" in problems[0] + problems[1] and "fuzzy" in problems[0] + problems[1]
    with pytest.raises(translations.TranslationIncomplete, match="code comment"):
        translations.korean_notebook(path, catalog, english, broken)
    broken = copy.deepcopy(comments)
    entries = {message.context: message for message in broken if message.id}
    entries[by_kind[True]].string = "두 줄로\n나눈 줄 끝 주석"
    entries[by_kind[False]].string = "가" * 70
    problems = "\n".join(translations.comment_problems(english, broken, path.stem))
    assert "keep its translation on one line" in problems and "columns wide" in problems


def test_a_wide_line_the_translation_keeps_from_the_english_is_not_its_to_wrap(translated_lesson):
    path, english, catalog = translated_lesson
    comments = translations.read_catalog(translations.comments_po_path(path))
    cell = next(cell for cell in english.cells if cell.cell_type == "code" and code_comments.blocks(cell.source))
    directive = "# Canonical copy: " + "x" * 120  # kept as English by code_comments, wider than 120 columns
    cell.source = directive + "\n" + cell.source
    assert translations.comment_problems(english, comments, path.stem) == []
    entries = {message.context: message for message in comments if message.id}
    entries[f"{cell.id}/0"].string = "가" * 70  # a line the translation writes is still measured
    assert "columns wide" in "\n".join(translations.comment_problems(english, comments, path.stem))
