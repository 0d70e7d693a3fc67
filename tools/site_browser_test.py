"""The course website in a real browser (``make site-browser-test``): the built site (``make site``) served from a
local server on a free loopback port, read by headless Chromium through Selenium.

Checks, each reported as ok or FAILED:

1. each edition's home page lists every lesson (a link to each lesson's page, from the notebooks present);
2. a lesson page (lesson 01) shows typeset math (every math element holds a rendered MathJax element of some size,
   none is left as raw TeX), its figures (every picture decoded, with a size) and its tables;
3. a Korean page shows Hangul in the font shipped with the site: Chromium's own record of the fonts it drew the
   title with (CSS.getPlatformFontsForNode) names NanumGothic, the shipped file loaded, and a Hangul syllable is as
   wide as a Hangul glyph (about 1 em), not a missing-glyph box;
4. the Korean page's language switch lands on its English counterpart, and the English page's switch back on it;
5. search finds "attention" (English) and "어텐션" (Korean), served by the site's own search index;
6. the browser requested nothing outside the local server (Chrome's performance log: every request of every page),
   and the server answered every request (no missing file).

    python tools/site_browser_test.py [--site build/site] [--allow-root]

Needs Debian's ``chromium`` and ``chromium-driver`` (or CHROMIUM=/path and CHROMEDRIVER=/path) and Selenium
(requirements-browser.txt). Exits 1 and lists every failed check.
"""

import argparse
import functools
import http.server
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path

from browser_test import CHROMIUM_FLAGS, Report  # the lesson check's Chromium flags and its step-by-step report

ROOT = Path(__file__).resolve().parents[1]
LESSON = "01_rnn_recap"
SEARCHES = {"en": "attention", "ko": "어텐션"}


class Server:
    """A static server of the site on 127.0.0.1 that records what it answered."""

    def __init__(self, folder: Path):
        self.answers: list[tuple[str, int]] = []
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def send_response(self, code, message=None):
                server.answers.append((self.path, code))
                super().send_response(code, message)

        handler = functools.partial(Handler, directory=str(folder))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()


def start_browser(allow_root: bool):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM") or shutil.which("chromium") or "chromium"
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver"))
    return webdriver.Chrome(options=options, service=service)


def wait_for(driver, script: str, limit_s: float = 20, *args):
    """Runs script until it returns something true (returned), or until limit_s (returns the last value)."""
    deadline, value = time.monotonic() + limit_s, None
    while time.monotonic() < deadline:
        value = driver.execute_script(script, *args)
        if value:
            return value
        time.sleep(0.2)
    return value


class Requests:
    """Every request the browser made, read from Chrome's performance log."""

    def __init__(self, driver):
        self.driver, self.urls = driver, []

    def collect(self) -> None:
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message.get("method") == "Network.requestWillBeSent":
                self.urls.append(message["params"]["request"]["url"])


def lesson_stems(edition: str) -> list[str]:
    folder = ROOT / "notebooks" / ("ko" if edition == "ko" else "")
    return [path.stem for path in sorted(folder.glob("[0-9][0-9]_*.ipynb"))]


MATH = """
const maths = [...document.querySelectorAll('article .math')];
const typeset = maths.filter(m => { const c = m.querySelector('mjx-container');
    return c && c.getBoundingClientRect().width > 0; });
const raw = maths.filter(m => /\\\\\\(|\\\\\\[|\\$/.test(m.textContent) && !m.querySelector('mjx-container'));
return {maths: maths.length, typeset: typeset.length, raw: raw.length};
"""
FIGURES = """
const images = [...document.querySelectorAll('article img')];
return {images: images.length, drawn: images.filter(i => i.complete && i.naturalWidth > 0 && i.width > 0).length,
        tables: [...document.querySelectorAll('article table')].filter(t => t.getBoundingClientRect().height > 0
            && t.querySelectorAll('td').length > 0).length};
"""
HANGUL = """
const done = arguments[arguments.length - 1];
document.fonts.ready.then(() => {
  const faces = [...document.fonts].filter(f => f.family.replace(/"/g, '') === 'CourseHangul');
  const canvas = document.createElement('canvas').getContext('2d');
  const size = 40;
  canvas.font = `${size}px ${getComputedStyle(document.querySelector('article h1')).fontFamily}`;
  done({loaded: faces.filter(f => f.status === 'loaded').length,
        title: document.querySelector('article h1').textContent,
        width: canvas.measureText('한').width / size});
});
"""


def check_home(driver, base: str, report: Report) -> None:
    for edition in ("en", "ko"):
        driver.get(f"{base}{edition}/index.html")
        links = driver.execute_script(
            "return [...document.querySelectorAll('article table a')].map(a => a.getAttribute('href'))"
        )
        stems = sorted(set(lesson_stems("en")) | set(lesson_stems(edition)))
        missing = [stem for stem in stems if not any(link.split("#")[0].endswith(f"{stem}.html") for link in links)]
        report.check(
            not missing,
            f"{edition}/index.html lists every lesson ({len(stems)})" + (f": missing {missing}" if missing else ""),
        )


def check_lesson(driver, base: str, report: Report) -> None:
    driver.get(f"{base}en/{LESSON}.html")
    math = wait_for(driver, MATH.replace("return {", "const r = {") + "; return r.maths && r.typeset === r.maths && r;")
    math = math or driver.execute_script(MATH)
    report.check(
        math["maths"] > 0 and math["typeset"] == math["maths"] and not math["raw"],
        f"en/{LESSON}.html: math typeset by MathJax ({math['typeset']} of {math['maths']}, {math['raw']} left raw)",
    )
    all_drawn = "; return r.images && r.drawn === r.images && r;"
    shown = wait_for(driver, FIGURES.replace("return {", "const r = {") + all_drawn)
    shown = shown or driver.execute_script(FIGURES)
    report.check(
        shown["images"] > 0 and shown["drawn"] == shown["images"],
        f"en/{LESSON}.html: figures shown ({shown['drawn']} of {shown['images']} pictures decoded)",
    )
    report.check(shown["tables"] > 0, f"en/{LESSON}.html: tables shown ({shown['tables']})")


def check_hangul(driver, base: str, report: Report) -> None:
    driver.get(f"{base}ko/{LESSON}.html")
    seen = driver.execute_async_script(HANGUL)
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    document = driver.execute_cdp_cmd("DOM.getDocument", {"depth": -1})
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": "article h1"})
    fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    drawn = {font["familyName"] + (" (shipped)" if font["isCustomFont"] else ""): font["glyphCount"] for font in fonts}
    hangul = sum(1 for char in seen["title"] if "\uac00" <= char <= "\ud7a3")
    nanum = sum(count for name, count in drawn.items() if name == "NanumGothic (shipped)")
    report.check(
        hangul > 0 and nanum >= hangul,
        f"ko/{LESSON}.html: its title's {hangul} Hangul glyphs drawn in the shipped NanumGothic "
        f"(fonts Chromium used: {drawn})",
    )
    report.check(seen["loaded"] > 0, f"ko/{LESSON}.html: the shipped font file loaded ({seen['loaded']} face)")
    report.check(
        0.8 <= seen["width"] <= 1.1,
        f"ko/{LESSON}.html: a Hangul syllable is {seen['width']:.2f} em wide (a glyph, not a box)",
    )


def check_switch(driver, base: str, report: Report) -> None:
    for start, target in ((f"ko/{LESSON}.html", f"en/{LESSON}.html"), (f"en/{LESSON}.html", f"ko/{LESSON}.html")):
        driver.get(base + start)
        switches = driver.find_elements("css selector", "article a.course-language")
        if not switches:
            report.check(False, f"{start}: no language switch")
            continue
        switches[0].click()
        wait_for(driver, "return document.readyState === 'complete' && location.href", 10)
        landed = driver.current_url.removeprefix(base)
        report.check(landed == target, f"{start}: the language switch lands on {landed} (expected {target})")


def check_search(driver, base: str, report: Report) -> None:
    from urllib.parse import quote

    for edition, word in SEARCHES.items():
        driver.get(f"{base}{edition}/search.html?q={quote(word)}")
        found = wait_for(driver, "return document.querySelectorAll('#search-results ul.search li').length", 15)
        report.check(bool(found), f"{edition}/search.html finds {word!r} ({found or 0} pages)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--allow-root", action="store_true", help="accepted for symmetry with browser_test.py")
    args = parser.parse_args()
    if not (args.site / "en" / "index.html").exists():
        print(f"No site in {args.site}: run make site first", file=sys.stderr)
        return 1
    report, server = Report(), Server(args.site.resolve())
    report.step(f"serving {args.site} at {server.base}")
    driver = start_browser(args.allow_root)
    requests = Requests(driver)
    try:
        for check in (check_home, check_lesson, check_hangul, check_switch, check_search):
            check(driver, server.base, report)
            requests.collect()
        local = (server.base, "data:", "blob:", "about:")
        outside = sorted({url for url in requests.urls if not url.startswith(local)})
        report.check(
            not outside,
            f"no request outside the local server ({len(requests.urls)} requests)"
            + (f": {outside}" if outside else ""),
        )
        # /favicon.ico: Chromium asks every server for one by itself; the site's pages do not refer to it.
        unanswered = sorted({path for path, code in server.answers if code >= 400 and path != "/favicon.ico"})
        report.check(
            not unanswered, "the server answered every request" + (f": missing {unanswered}" if unanswered else "")
        )
    finally:
        driver.quit()
        server.close()
    if report.failures:
        report.step(f"{len(report.failures)} check(s) failed:\n  " + "\n  ".join(report.failures))
        return 1
    report.step("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
