"""The course website (``make site``): every stored lesson as a page, in English and in Korean, never executed.

    python tools/site.py [--out build/site] [--mathjax DIR]

Writes each edition's pages into build/site-src/<edition>/ and builds it with Sphinx (``-c site``, see site/conf.py)
with warnings as errors (-W --keep-going), then checks the built site:

- the page lists come from the notebooks present: ``notebooks/NN_*.ipynb`` (English) and ``notebooks/ko/NN_*.ipynb``
  (Korean); a lesson with no Korean notebook gets a Korean page that says its translation is pending and links to the
  English page;
- the home page of each edition is the README's lesson table (README.md, README.ko.md), its links pointing to the
  site's pages; a lesson missing from the table gets a row made from its notebook's title;
- each lesson page opens with a header: Open in Colab (the address of the notebook's own badge), the source notebook,
  a download of the stored notebook (copied next to the page), and the page in the other language (or a note that it
  is pending); the remote badge picture is dropped (the site asks the network for nothing);
- a widget output (lesson 08's explorer) shows its stored picture, with a note that it is interactive in JupyterLab
  or Colab;
- MathJax comes from the npm package ``mathjax`` (--mathjax: its es5 folder; ``make site`` installs it) and the
  Hangul font from koreanize-matplotlib's NanumGothic, both copied into the site;
- after the build every local href/src of every page must exist, and no page may load anything (script, style sheet,
  picture, font) from another host.

Exits 1 with every problem listed. The site is self-contained: open build/site/index.html from disk, or serve it.
"""

import argparse
import html
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from fontTools.ttLib import TTFont  # noqa: E402  (matplotlib's dependency)

from course_utils import __version__  # noqa: E402
from course_utils.repository import BADGE, BRANCH, REPOSITORY  # noqa: E402

EDITIONS = ("en", "ko")
NOTEBOOK_FOLDER = {"en": ROOT / "notebooks", "ko": ROOT / "notebooks" / "ko"}
README = {"en": ROOT / "README.md", "ko": ROOT / "README.ko.md"}
LESSONS_HEADING = {"en": "## Lessons", "ko": "## 강의 목록"}
GITHUB_BLOB = f"https://github.com/{REPOSITORY}/blob/{BRANCH}/"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
# matplotlib's animation player (lesson 04's to_jshtml) links Font Awesome 4 from a CDN; the theme ships Font Awesome.
PLAYER_CDN_STYLE = re.compile(
    r'<link rel="stylesheet"\s+href="https://maxcdn\.bootstrapcdn\.com/font-awesome/[^"]*">\n?'
)
LABELS = {
    "en": {
        "colab": "Open in Colab",
        "source": "Source notebook",
        "download": "Download the notebook (.ipynb)",
        "other": "한국어판",
        "pending": "한국어 번역 준비 중 — the Korean translation of this lesson is pending",
        "widget": "The explorer is interactive when you run the notebook in JupyterLab or Colab; "
        "this page shows its stored picture.",
        "glossary": "Glossary",
        "intro": "Every lesson as it is stored: executed and validated, its figures and tables as a learner sees "
        "them. To run a lesson, open it in Colab or in JupyterLab (`make lab`).",
    },
    "ko": {
        "colab": "Colab에서 열기",
        "source": "원본 노트북",
        "download": "노트북 내려받기 (.ipynb)",
        "other": "English",
        "widget": "이 탐색기는 JupyterLab이나 Colab에서 노트북을 실행하면 직접 다룰 수 있습니다. "
        "이 페이지에는 저장된 그림이 보입니다.",
        "glossary": "용어집",
        "intro": "저장된 그대로의 강의입니다. 실행하고 검증한 노트북의 그림과 표를 학습자가 보는 모습 그대로 "
        "보여 줍니다. 강의를 실행하려면 Colab이나 JupyterLab(`make lab`)에서 여십시오.",
        "pending_page": "이 강의의 한국어 번역은 아직 준비 중입니다. 영어판을 읽으십시오:",
    },
}
# The Hangul font shipped with the site: koreanize-matplotlib's NanumGothic (SIL Open Font License).
FONTS = ("NanumGothic.ttf", "NanumGothicBold.ttf")
MATHJAX_PARTS = ("tex-chtml-full.js", "a11y", "ui", "input", "output/chtml", "adaptors")


def lessons(edition: str) -> dict[str, Path]:
    """{"01_rnn_recap": path} of the edition's stored notebooks, in order."""
    return {path.stem: path for path in sorted(NOTEBOOK_FOLDER[edition].glob("[0-9][0-9]_*.ipynb"))}


def markdown_of(cell: dict) -> str:
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def notebook_title(path: Path) -> str:
    first = markdown_of(json.loads(path.read_text(encoding="utf-8"))["cells"][0])
    return first.splitlines()[0].lstrip("# ").strip()


def rewrite_links(text: str, edition: str, present: set[str], folder: str) -> str:
    """Relative links of a lesson, README or glossary (in folder, relative to the checkout), made to point to the
    site's pages or, for other files of the repository, to GitHub; a link to a file that does not exist fails."""

    def replace(match: re.Match) -> str:
        label, target = match.group(1), match.group(2)
        if re.match(r"[a-z]+:|#", target):
            return match.group(0)
        path, _, anchor = target.partition("#")
        name = Path(path).name
        stem = Path(name).stem
        if name == "GLOSSARY.md":
            new = "glossary.md"
        elif re.fullmatch(r"[0-9][0-9]_\w+\.ipynb", name):
            new = f"{stem}.ipynb" if stem in present else f"{stem}.md"
        else:  # a file of the repository (data/README.md, course_utils/...): its page on GitHub
            file = os.path.normpath(os.path.join(folder, path)).replace(os.sep, "/")
            if not (ROOT / file).exists():
                raise SystemExit(f"{folder or '.'}: a link to {target}, which does not exist")
            new = GITHUB_BLOB + file
        return f"[{label}]({new}{'#' + anchor if anchor else ''})"

    return re.sub(r"(?<!!)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(([^)\s]+)\)", replace, text)


def header(edition: str, stem: str, colab: str, present_other: bool) -> str:
    labels, other = LABELS[edition], "ko" if edition == "en" else "en"
    folder = "notebooks/ko/" if edition == "ko" else "notebooks/"
    links = [
        f'<a class="course-button course-colab" href="{html.escape(colab)}">{labels["colab"]}</a>',
        f'<a class="course-button" href="{GITHUB_BLOB}{folder}{stem}.ipynb">{labels["source"]}</a>',
        f'<a class="course-button" href="_notebooks/{stem}.ipynb" download>{labels["download"]}</a>',
    ]
    if present_other:
        links.append(
            f'<a class="course-button course-language" href="../{other}/{stem}.html" hreflang="{other}">'
            f"{labels['other']}</a>"
        )
    else:
        links.append(f'<span class="course-pending">{labels["pending"]}</span>')
    return '<div class="course-header">\n' + "\n".join(links) + "\n</div>"


def lesson_page(edition: str, path: Path, present: set[str], present_other: bool) -> dict:
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "markdown":
            source = markdown_of(cell)
            if index == 0:
                badge = BADGE.search(source)
                if not badge:
                    raise SystemExit(f"{path}: no Colab badge in the first cell")
                source = BADGE.sub(
                    lambda _: "\n" + header(edition, path.stem, badge.group(1), present_other) + "\n", source
                )
            cell = {**cell, "source": rewrite_links(source, edition, present, str(path.parent.relative_to(ROOT)))}
        for output in cell.get("outputs", []):
            if "text/html" in output.get("data", {}):
                text = markdown_of({"source": output["data"]["text/html"]})
                output["data"]["text/html"] = PLAYER_CDN_STYLE.sub("", text)
        cells.append(cell)
        widget_outputs = [output for output in cell.get("outputs", []) if WIDGET_VIEW in output.get("data", {})]
        if widget_outputs:
            for output in widget_outputs:
                del output["data"][WIDGET_VIEW]  # its stored picture (image/png) is what the page shows
                if "image/png" not in output["data"]:
                    raise SystemExit(f"{path}: a widget output without a stored picture")
            cells.append(
                {
                    "cell_type": "markdown",
                    "id": f"site-widget-note-{index}",
                    "metadata": {},
                    "source": f'<p class="course-widget-note">{LABELS[edition]["widget"]}</p>',
                }
            )
    return {**notebook, "cells": cells}


def lesson_table(edition: str, pages: dict[str, Path], present_other: set[str]) -> str:
    """The README's lesson table, its links pointing to the site's pages; rows for notebooks it lacks."""
    text = README[edition].read_text(encoding="utf-8")
    section = text.split(LESSONS_HEADING[edition], 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    head, body = rows[:2], rows[2:]
    by_number = {row.split("|")[1].strip(): row for row in body}
    stems = sorted(set(lessons("en")) | set(pages))
    unknown = sorted(set(by_number) - {stem[:2] for stem in stems})
    if unknown:
        raise SystemExit(f"{README[edition].name} lists lesson(s) {', '.join(unknown)} with no notebook in notebooks/")
    out = []
    for stem in stems:
        number = stem[:2]
        row = by_number.get(number)
        if row is None:
            title = notebook_title(pages.get(stem) or lessons("en")[stem])
            row = f"| {number} | [{title}](notebooks/{stem}.ipynb) | | | |"
        row = rewrite_links(row, edition, set(pages), "")
        row = re.sub(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)]*)\)", r"[Colab](\1)", row)
        if stem not in pages:
            row = row.replace(f"]({stem}.md)", f"]({stem}.md) (번역 준비 중)")
        out.append(row)
    return "\n".join(head + out)


def home_page(edition: str, pages: dict[str, Path], present_other: set[str]) -> str:
    labels = LABELS[edition]
    title = README[edition].read_text(encoding="utf-8").splitlines()[0].lstrip("# ")
    other = "ko" if edition == "en" else "en"
    toc = [f"{stem}.ipynb" if stem in pages else f"{stem}.md" for stem in sorted(set(lessons("en")) | set(pages))]
    return "\n".join(
        [
            f"# {title}",
            "",
            f'<div class="course-header"><a class="course-button course-language" href="../{other}/index.html" '
            f'hreflang="{other}">{LABELS[edition]["other"] if edition == "en" else "English"}</a></div>',
            "",
            labels["intro"],
            "",
            lesson_table(edition, pages, present_other),
            "",
            f"[{labels['glossary']}](glossary.md) · `course_utils` {__version__}",
            "",
            "```{toctree}",
            ":hidden:",
            ":maxdepth: 1",
            "",
            *toc,
            "glossary",
            "```",
            "",
        ]
    )


def pending_page(stem: str) -> str:
    english = notebook_title(lessons("en")[stem])
    return (
        f"# {english}\n\n{LABELS['ko']['pending_page']} "
        f'<a class="course-language" href="../en/{stem}.html" hreflang="en">{html.escape(english)} (English)</a>\n'
    )


def write_sources(edition: str, src: Path) -> dict[str, Path]:
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    pages = lessons(edition)
    other = lessons("ko" if edition == "en" else "en")
    for stem, path in pages.items():
        page = lesson_page(edition, path, set(pages), stem in other)
        (src / f"{stem}.ipynb").write_text(json.dumps(page, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for stem in sorted(set(lessons("en")) - set(pages)):  # lessons not translated yet
        (src / f"{stem}.md").write_text(pending_page(stem), encoding="utf-8")
    (src / "index.md").write_text(home_page(edition, pages, set(other)), encoding="utf-8")
    glossary = rewrite_links((ROOT / "GLOSSARY.md").read_text(encoding="utf-8"), edition, set(pages), "")
    (src / "glossary.md").write_text(glossary, encoding="utf-8")
    return pages


def copy_static(static: Path, mathjax: Path) -> None:
    if static.exists():
        shutil.rmtree(static)
    (static / "mathjax").mkdir(parents=True)
    for part in MATHJAX_PARTS:
        source, target = mathjax / part, static / "mathjax" / part
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    fonts = Path(importlib.util.find_spec("koreanize_matplotlib").origin).parent / "fonts"
    for font in FONTS:
        # Chromium's font sanitiser (OTS) refuses these files for their empty TSI* tables (hinting sources of
        # Microsoft's VTT, unused when drawing): the site serves each font without them.
        face = TTFont(fonts / font)
        for table in [tag for tag in face.keys() if tag.startswith("TSI")]:
            del face[table]
        face.save(static / font)


LOCAL_REF = re.compile(r"""\b(href|src)\s*=\s*["']([^"']+)["']""")
LOADING_TAG = re.compile(r"<(script|img|link|iframe|source|video|audio|object|embed)\b[^>]*>", re.IGNORECASE)
LOADED = re.compile(r"""\b(?:src|href|data)\s*=\s*["']([^"']+)["']""")
LINK_LOADS = re.compile(r"""\brel\s*=\s*["'][^"']*(stylesheet|preload|prefetch|icon|manifest)""")
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)""")


def check_site(out: Path) -> list[str]:
    """Every local link and reference exists; nothing is loaded from another host."""
    problems = []
    for page in sorted(out.rglob("*.html")):
        if "_static" in page.parts:
            continue  # the theme's Jinja macro files, not pages
        text = page.read_text(encoding="utf-8")
        for _, target in LOCAL_REF.findall(text):
            target = html.unescape(target)
            if re.match(r"[a-zA-Z][a-zA-Z+.-]*:|#|//", target):
                continue
            path = target.split("#", 1)[0].split("?", 1)[0]
            if path and not (page.parent / path).exists():
                problems.append(f"{page.relative_to(out)}: broken link {target}")
        for tag in LOADING_TAG.finditer(text):
            if tag.group(1).lower() == "link" and not LINK_LOADS.search(tag.group(0)):
                continue  # rel="next", "search", "index" and the like are links, not loads
            for target in LOADED.findall(tag.group(0)):
                if re.match(r"(https?:)?//", target):
                    problems.append(f"{page.relative_to(out)}: loads {target} from the network")
    for sheet in sorted(out.rglob("*.css")):
        for target in CSS_URL.findall(sheet.read_text(encoding="utf-8", errors="replace")):
            if re.match(r"(https?:)?//", target):
                problems.append(f"{sheet.relative_to(out)}: loads {target} from the network")
    return problems


def build(out: Path, mathjax: Path) -> int:
    start = time.perf_counter()
    if not (mathjax / "tex-chtml-full.js").exists():
        print(f"No MathJax in {mathjax} (make site installs the npm package mathjax there)", file=sys.stderr)
        return 1
    work = ROOT / "build" / "site-src"
    static = work / "_static"
    copy_static(static, mathjax)
    if out.exists():
        shutil.rmtree(out)
    failed = False
    for edition in EDITIONS:
        src = work / edition
        pages = write_sources(edition, src)
        env = {
            **os.environ,
            "COURSE_SITE_EDITION": edition,
            "COURSE_SITE_STATIC": str(static),
            "COURSE_SITE_VERSION": __version__,
        }
        command = [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-W",
            "--keep-going",
            "-c",
            str(ROOT / "site"),
            "-d",
            str(work / f".doctrees-{edition}"),
            str(src),
            str(out / edition),
        ]
        if subprocess.run(command, env=env).returncode:
            failed = True
            continue
        downloads = out / edition / "_notebooks"
        downloads.mkdir()
        for stem, path in pages.items():
            shutil.copy2(path, downloads / f"{stem}.ipynb")
    # MyST-NB's working copies of the outputs (its jupyter_execute folder, beside the editions): each page's
    # pictures are in its edition's _images; empty _sources folders (html_copy_source is off).
    shutil.rmtree(out / "jupyter_execute", ignore_errors=True)
    for edition in EDITIONS:
        shutil.rmtree(out / edition / "_sources", ignore_errors=True)
    if failed:
        print("make site: Sphinx reported warnings or errors (above)", file=sys.stderr)
        return 1
    (out / "index.html").write_text(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta http-equiv="refresh" content="0; url=en/index.html"><title>Seq2seq &amp; Attention with Keras</title>'
        '</head><body><p><a href="en/index.html">English</a> · <a href="ko/index.html" hreflang="ko">한국어</a></p>'
        "</body></html>\n",
        encoding="utf-8",
    )
    problems = check_site(out)
    for problem in problems:
        print("make site:", problem, file=sys.stderr)
    if problems:
        return 1
    pages = len([page for page in out.rglob("*.html") if "_static" not in page.parts])
    print(f"make site: {os.path.relpath(out, ROOT)}/index.html, {pages} pages, in {time.perf_counter() - start:.1f} s")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--mathjax", type=Path, default=ROOT / ".venv" / "mathjax-3.2.2" / "package" / "es5")
    args = parser.parse_args()
    return build(args.out.resolve(), args.mathjax.resolve())


if __name__ == "__main__":
    sys.exit(main())
