"""Every lesson notebook is stored as one clean run and follows the course's opening and closing.

The rules live in ``problems_of``; the last tests feed it broken notebooks to show that it rejects them. The Korean
notebooks (notebooks/ko/, built by tools/translations.py) follow the same rules in Korean words (``WORDS``).
"""

import copy
import importlib.util
from pathlib import Path

import nbformat
import pytest

from course_utils.paths import course_root
from course_utils.repository import (
    BADGE,
    LANGUAGE_INFO_KEYS,
    NOTEBOOK_KERNELSPEC,
    STATED_MINUTES,
    colab_badge,
    colab_url,
    setup_cell_source,
)

ROOT = course_root()
_spec = importlib.util.spec_from_file_location("code_comments", ROOT / "tools" / "code_comments.py")
code_comments = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(code_comments)
LESSONS = [
    "01_rnn_recap",
    "02_vanilla_seq2seq",
    "03_teacher_forcing",
    "04_bahdanau_attention",
    "05_luong_attention",
    "06_decoding_and_evaluation",
    "07_date_normalization",
    "08_attention_heatmaps",
    "09_from_attention_to_transformer",
]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
KOREAN_NOTEBOOKS = sorted((ROOT / "notebooks" / "ko").glob("*.ipynb"))
MAX_BYTES = 2 * 2**20
NBVAL_MARKERS = {"NBVAL_IGNORE_OUTPUT", "NBVAL_SKIP", "NBVAL_CHECK_OUTPUT", "NBVAL_RAISES_EXCEPTION"}
# What the opening and closing say, per edition (KOREAN.md fixes the Korean words).
WORDS = {
    "en": {
        "opening": ("**What you'll learn**", "**CPU run time:**"),
        "sections": ("Summary", "Exercises"),
        "last": ("## Next lesson", "## Where to go next"),
        "glossary": "../GLOSSARY.md",
    },
    "ko": {
        "opening": ("**이 강의에서 배울 것**", "**CPU 실행 시간:**"),
        "sections": ("요약", "연습 문제"),
        "last": ("## 다음 강의", "## 더 나아가기"),
        "glossary": "../../GLOSSARY.md",
    },
}


def code_cells(notebook):
    return [cell for cell in notebook.cells if cell.cell_type == "code"]


def problems_of(notebook, file_name: str, size: int = 0, language: str = "en") -> list[str]:
    """Everything that breaks the course's notebook rules, as readable lines (empty when all is well).

    ``file_name`` is the path under notebooks/ (``ko/01_rnn_recap.ipynb`` for a Korean notebook)."""
    found = []
    if Path(file_name).stem not in LESSONS:
        found.append(f"not a lesson name (expected one of {LESSONS})")
    if size > MAX_BYTES:
        found.append(f"{size / 2**20:.1f} MB, over the 2 MB limit")
    metadata = notebook.metadata
    if (
        sorted(metadata) != ["kernelspec", "language_info"]
        or metadata.kernelspec != NOTEBOOK_KERNELSPEC
        or sorted(metadata.language_info) != sorted(LANGUAGE_INFO_KEYS)
    ):
        found.append(
            "its metadata is not what JupyterLab writes (kernelspec and the kernel's full language_info), "
            "so opening it would mark it modified: run `make notebooks` on it"
        )
    cells = code_cells(notebook)
    counts = [cell.execution_count for cell in cells]
    if counts != list(range(1, len(cells) + 1)):
        found.append(f"not stored as one top-to-bottom run: execution counts {counts}")
    for number, cell in enumerate(cells, start=1):
        if not cell.source.strip():
            found.append(f"code cell {number} is empty")
        for output in cell.outputs:
            if output.output_type == "error":
                found.append(f"code cell {number} stores an error ({output.ename})")
            if output.output_type == "stream" and output.name == "stderr":
                found.append(f"code cell {number} stores stderr output")
            if "image/svg+xml" in output.get("data", {}):
                found.append(f"code cell {number} stores an SVG image (nbval would compare it as text)")
        for line in cell.source.splitlines():
            if "NBVAL_" in line and line.strip().lstrip("#").strip() not in NBVAL_MARKERS:
                found.append(f"code cell {number}: {line.strip()!r} is not a whole-line nbval marker")
    found += opening_problems(notebook, file_name, language) + closing_problems(notebook, language)
    return found


def opening_problems(notebook, file_name: str, language: str = "en") -> list[str]:
    found = []
    first = notebook.cells[0] if notebook.cells else None
    if first is None or first.cell_type != "markdown" or not first.source.startswith("# "):
        return ["the first cell is not a Markdown title ('# ...')"]
    badge = BADGE.search(first.source)
    if not badge:
        found.append("no 'Open In Colab' badge in the opening cell")
    elif badge.group(1) != colab_url(file_name):
        found.append(f"the Colab badge points to {badge.group(1)}, not {colab_url(file_name)}")
    for required in WORDS[language]["opening"]:
        if required not in first.source:
            found.append(f"the opening cell lacks {required}")
    cells = code_cells(notebook)
    # The Korean edition translates the set-up cell's comments (tools/translations.py); its code is the same.
    same = (lambda source: source) if language == "en" else code_comments.without_comments
    if not cells or same(cells[0].source) != same(setup_cell_source()):
        found.append("the first code cell is not the standard set-up cell (run `make notebooks` to write it)")
    return found


def closing_problems(notebook, language: str = "en") -> list[str]:
    words = WORDS[language]
    headings = [
        line
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    ]
    found = [
        f"no '## {name}' section" for name in words["sections"] if not any(h.startswith(f"## {name}") for h in headings)
    ]
    if not headings or not headings[-1].startswith(words["last"]):
        found.append(f"the last section is not '{words['last'][0]}' (or '{words['last'][1]}')")
    markdown = "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    if f"({words['glossary']})" not in markdown:
        found.append(f"no link to the glossary ({words['glossary']})")
    return found


def test_there_are_notebooks_and_they_follow_the_lesson_order():
    stems = [path.stem for path in NOTEBOOKS]
    assert stems, "no notebooks found"
    assert stems == [lesson for lesson in LESSONS if lesson in stems]
    assert stems == LESSONS[: len(stems)], "lessons are added in order; none is missing in between"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_notebook_follows_the_rules(path):
    notebook = nbformat.read(path, as_version=4)
    assert problems_of(notebook, path.name, path.stat().st_size) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda path: path.stem)
def test_readme_links_the_notebook_with_the_same_colab_address(path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"(notebooks/{path.name})" in readme
    assert colab_url(path.name) in readme


# The Korean edition ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", KOREAN_NOTEBOOKS, ids=lambda path: path.stem)
def test_korean_notebook_follows_the_rules(path):
    notebook = nbformat.read(path, as_version=4)
    assert problems_of(notebook, f"ko/{path.name}", path.stat().st_size, language="ko") == []


@pytest.mark.parametrize("path", KOREAN_NOTEBOOKS, ids=lambda path: path.stem)
def test_korean_opening_states_the_english_time_limit(path, translations_tool):
    if translations_tool.is_pending(path):
        pytest.skip("Korean pending (tools/translations.py PENDING): its notebook is rebuilt once translated")
    english = nbformat.read(ROOT / "notebooks" / path.name, as_version=4).cells[0].source
    korean = nbformat.read(path, as_version=4).cells[0].source
    stated = STATED_MINUTES["en"].search(english)
    assert stated, "the English opening states no CPU run time in minutes"
    assert STATED_MINUTES["ko"].search(korean), "the Korean opening states no time as '**CPU 실행 시간:** ... N분'"
    assert STATED_MINUTES["ko"].search(korean).group(1) == stated.group(1)


@pytest.mark.parametrize("path", KOREAN_NOTEBOOKS, ids=lambda path: path.stem)
def test_korean_readme_links_the_korean_notebook_with_its_colab_address(path):
    readme = (ROOT / "README.ko.md").read_text(encoding="utf-8")
    assert f"(notebooks/ko/{path.name})" in readme
    assert colab_url(f"ko/{path.name}") in readme


def test_readmes_link_each_other():
    assert "(README.ko.md)" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "(README.md)" in (ROOT / "README.ko.md").read_text(encoding="utf-8")


def test_the_opening_patterns_read_what_the_course_writes():
    """BADGE and STATED_MINUTES (course_utils.repository) are what tools/execute_notebooks.py, tools/translations.py
    and these rules read: they must find the badge colab_badge writes and the time the openings state."""
    badge = colab_badge("ko/01_rnn_recap.ipynb")
    assert BADGE.search(f"Open it: {badge} (Korean)").group(1) == colab_url("ko/01_rnn_recap.ipynb")
    assert BADGE.sub("", f"a{badge}b") == "ab"
    english = "**CPU run time:** about 2.5 minutes on a 2-core CPU (135 s in its last run; limit 4 minutes)."
    korean = "**CPU 실행 시간:** 2코어 CPU에서 약 2.5분입니다(마지막 실행에서 135초, 한도 4분)."
    assert STATED_MINUTES["en"].search(english).group(1) == STATED_MINUTES["ko"].search(korean).group(1) == "2.5"
    assert not STATED_MINUTES["en"].search("CPU run time: 2 minutes"), "only the opening's bold label counts"


# The rules reject what they should ------------------------------------------------------------------------


@pytest.fixture
def good_notebook():
    path = NOTEBOOKS[0]
    return nbformat.read(path, as_version=4), path.name


def test_rules_accept_the_stored_notebook_and_reject_a_rerun_cell(good_notebook):
    notebook, name = good_notebook
    assert problems_of(notebook, name) == []
    broken = copy.deepcopy(notebook)
    code_cells(broken)[2].execution_count = 99
    assert any("execution counts" in p for p in problems_of(broken, name))


def test_rules_reject_errors_stderr_svg_and_loose_markers(good_notebook):
    notebook, name = good_notebook
    broken = copy.deepcopy(notebook)
    cell = code_cells(broken)[1]
    cell.outputs = [
        nbformat.v4.new_output("error", ename="ValueError", evalue="", traceback=[]),
        nbformat.v4.new_output("stream", name="stderr", text="oneDNN custom operations are on"),
        nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg/>"}),
    ]
    cell.source += "\n# NBVAL_IGNORE_OUTPUT (varies)"
    broken.metadata.language_info = {"name": "python"}  # what the executor used to store
    problems = "\n".join(problems_of(broken, name))
    for expected in ("stores an error", "stores stderr", "SVG", "whole-line nbval marker", "metadata"):
        assert expected in problems


def test_rules_reject_a_wrong_badge_a_changed_setup_cell_and_a_missing_closing(good_notebook):
    notebook, name = good_notebook
    broken = copy.deepcopy(notebook)
    broken.cells[0].source = broken.cells[0].source.replace(colab_url(name), colab_url("other.ipynb"))
    code_cells(broken)[0].source += "\nprint('extra')"
    broken.cells = [c for c in broken.cells if not c.source.startswith("## Summary")]
    broken.cells[-1].source = "## Appendix"
    problems = "\n".join(problems_of(broken, name))
    for expected in ("badge points to", "set-up cell", "'## Summary'", "Next lesson"):
        assert expected in problems
    assert problems_of(notebook, "99_extra.ipynb") and problems_of(notebook, name, size=3 * 2**20)


def test_korean_rules_reject_an_english_opening_a_wrong_badge_and_a_missing_closing():
    path = next(path for path in KOREAN_NOTEBOOKS)
    notebook = nbformat.read(path, as_version=4)
    name = f"ko/{path.name}"
    assert problems_of(notebook, name, language="ko") == []
    english = nbformat.read(ROOT / "notebooks" / path.name, as_version=4)
    problems = "\n".join(problems_of(english, name, language="ko"))
    for expected in (
        "badge points to",
        "이 강의에서 배울 것",
        "CPU 실행 시간",
        "'## 요약'",
        "'## 연습 문제'",
        "다음 강의",
        "GLOSSARY",
    ):
        assert expected in problems
    assert problems_of(notebook, path.name, language="ko"), "the badge of notebooks/ko/ must not be the English one"


def test_korean_set_up_cell_may_differ_from_the_english_in_its_comments_only():
    path = next(path for path in KOREAN_NOTEBOOKS)
    notebook = nbformat.read(path, as_version=4)
    name = f"ko/{path.name}"
    commented = copy.deepcopy(notebook)
    korean_comment = setup_cell_source().replace("# Set-up: run this first.", "# 설정 셀: 먼저 실행합니다.")
    code_cells(commented)[0].source = korean_comment
    assert problems_of(commented, name, language="ko") == []
    changed = copy.deepcopy(commented)
    code_cells(changed)[0].source += "\nprint('extra')  # 덧붙인 코드"
    assert "set-up cell" in "\n".join(problems_of(changed, name, language="ko"))
    assert "set-up cell" in "\n".join(problems_of(commented, path.name)), "the English set-up cell is compared whole"
