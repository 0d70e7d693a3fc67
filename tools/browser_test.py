"""Lesson 07 in JupyterLab in a real browser, the way a learner uses it (``make browser-test``).

Starts JupyterLab from the course's environment on a free loopback port with a token, serving a temporary copy of
``notebooks/`` (so that nothing in the repository is written), and drives headless Chromium with Selenium:

1. opens lesson 07 and checks that opening it does not mark it modified, and that the explorer's place shows a
   learner-facing note or picture, not a widget's plain-text representation;
2. runs all cells (Run → Run All Cells) and checks that no cell shows an error or stderr output;
3. types a date into the explorer, presses Enter, and checks that exactly one heatmap appears under it, with drawn
   cells (its PNG is decoded: a blank figure, axes without coloured cells, fails), and the output line for that date;
4. checks again that no cell shows an error or stderr output.

Needs Debian's ``chromium`` and ``chromium-driver`` (or CHROMIUM=/path and CHROMEDRIVER=/path) and Selenium
(requirements-browser.txt). Prints each step with its time; exits 1 and lists every failed check otherwise.
BROWSER_TEST_SCREENSHOT=/path/to.png saves the page as the test left it.

    python tools/browser_test.py [--allow-root] [--keep-open]
"""

import base64
import io
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LESSON = "07_attention_heatmaps.ipynb"
TYPED_DATE, EXPECTED_OUTPUT = "March 3rd 2021", "2021-03-03"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1400,1000",
]
RUN_ALL_LIMIT_S = 240
DRAWN_SHARE = 0.15  # share of coloured pixels: a drawn heatmap over 40 %, a blank figure about 2 % (colour bar)


class Report:
    def __init__(self):
        self.start, self.failures = time.perf_counter(), []

    def step(self, text: str) -> None:
        print(f"[{time.perf_counter() - self.start:6.1f} s] {text}", flush=True)

    def check(self, ok: bool, text: str) -> None:
        self.step(("ok      " if ok else "FAILED  ") + text)
        if not ok:
            self.failures.append(text)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_jupyterlab(served: Path, state: Path, port: int, token: str, allow_root: bool) -> subprocess.Popen:
    """JupyterLab from this environment, serving ``served``, with its own settings, workspaces and runtime files."""
    env = dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTER_CONFIG_DIR=str(state / "config"),
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    for name in ("PYTEST_CURRENT_TEST", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS"):
        env.pop(name, None)  # the kernel starts as a learner's would
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--notebook-dir={served}",
        f"--LabApp.user_settings_dir={state / 'settings'}",
        f"--LabApp.workspaces_dir={state / 'workspaces'}",
        "--LabApp.expose_app_in_browser=True",
    ] + (["--allow-root"] if allow_root else [])
    log = open(state / "jupyterlab.log", "w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=served)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"JupyterLab exited ({server.returncode}); its log:\n{(state / 'jupyterlab.log').read_text()}"
            )
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("JupyterLab did not answer within 90 s.")


def start_chromium(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    if not binary or not driver:
        raise SystemExit(
            "Chromium or chromedriver not found. On Debian: apt-get install chromium chromium-driver "
            "(or set CHROMIUM and CHROMEDRIVER to their paths)."
        )
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    browser = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    browser.set_script_timeout(60)
    return browser


def wait_for(condition, seconds: float, pause: float = 0.5):
    """The first truthy value of ``condition()`` within ``seconds``, else None."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(pause)
    return None


# JavaScript run in the page, through JupyterLab's application object (exposed by expose_app_in_browser).
PANEL = "const panel = window.jupyterapp.shell.currentWidget;"
NOTEBOOK_STATE = (
    PANEL
    + """
if (!panel || !panel.content || !panel.sessionContext) return null;
const kernel = panel.sessionContext.session && panel.sessionContext.session.kernel;
const cells = panel.content.widgets.map((cell, index) => ({
  index, type: cell.model.type,
  count: cell.model.type === 'code' ? cell.model.executionCount : null,
  running: cell.model.type === 'code' && cell.node.querySelector('.jp-InputPrompt').textContent.includes('*'),
  outputs: cell.model.type === 'code' ? cell.model.outputs.toJSON() : []}));
return {dirty: panel.context.model.dirty, tabDirty: !!document.querySelector('.lm-TabBar-tab.jp-mod-dirty'),
        kernel: kernel ? kernel.status : null, cells};
"""
)


def notebook_state(browser):
    return browser.execute_script(NOTEBOOK_STATE)


def shown_problems(state) -> list[str]:
    """Errors and stderr output the learner sees, one line each."""
    found = []
    for cell in state["cells"]:
        for output in cell["outputs"]:
            if output.get("output_type") == "error":
                found.append(f"cell {cell['index']}: error {output.get('ename')}: {output.get('evalue')}")
            elif output.get("output_type") == "stream" and output.get("name") == "stderr":
                text = output.get("text")
                text = "".join(text) if isinstance(text, list) else text
                found.append(f"cell {cell['index']}: stderr {text.strip()[:300]!r}")
    return found


def explorer_cell(state) -> int | None:
    for cell in state["cells"]:
        if any(WIDGET_VIEW in output.get("data", {}) for output in cell["outputs"]):
            return cell["index"]
    return None


def image_pixels(browser, image) -> tuple[int, int, float]:
    """(width, height, share of coloured pixels) of an <img>, from its PNG file as the page received it.

    Heatmap cells are coloured (viridis); text, axes and background are grey. A blank figure — axes, labels and
    colour bar but no cells — has only its colour bar coloured, about 2 % of the picture; a drawn heatmap over 40 %.
    """
    import matplotlib.image

    png = browser.execute_async_script(
        """
const done = arguments[arguments.length - 1];
fetch(arguments[0].src).then(answer => answer.arrayBuffer()).then(buffer => {
  const bytes = new Uint8Array(buffer);
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  done(btoa(text));
}).catch(() => done(null));""",
        image,
    )
    if not png:
        return 0, 0, 0.0
    pixels = matplotlib.image.imread(io.BytesIO(base64.b64decode(png)), format="png")
    height, width = pixels.shape[:2]
    opaque = pixels[..., 3] > 0.5 if pixels.shape[-1] == 4 else True
    rgb = pixels[..., :3]
    coloured = (rgb.max(axis=-1) - rgb.min(axis=-1) > 0.15) & opaque
    return width, height, float(coloured.mean())


def run(allow_root: bool, keep_open: bool) -> list[str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    report = Report()
    with tempfile.TemporaryDirectory(prefix="browser-test-") as scratch:
        scratch = Path(scratch)
        served = scratch / "notebooks"
        shutil.copytree(ROOT / "notebooks", served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        port, token = free_port(), secrets.token_hex(16)
        server = start_jupyterlab(served, scratch, port, token, allow_root)
        report.step(f"JupyterLab {port=} serving a copy of notebooks/")
        browser = None
        try:
            browser = start_chromium(scratch / "chromium-profile")
            browser.get(f"http://127.0.0.1:{port}/lab/tree/{LESSON}?token={token}")
            state = wait_for(lambda: (s := notebook_state_or_none(browser)) and s["kernel"] == "idle" and s, 120)
            if not state:
                raise SystemExit(f"{LESSON} did not open with an idle kernel within 120 s.")
            report.step(f"opened {LESSON}; kernel idle")
            time.sleep(3)  # JupyterLab writes the kernel's metadata into the model right after the kernel starts
            state = notebook_state(browser)
            report.check(not state["dirty"] and not state["tabDirty"], "opening the lesson does not mark it modified")
            report.check(
                news_prompt_off(port, token) and "Jupyter news" not in browser.find_element(By.TAG_NAME, "body").text,
                "JupyterLab does not ask about news (the course's settings are installed in the environment)",
            )

            index = explorer_cell(state)
            report.check(index is not None, "the lesson has an explorer cell (a widget output)")
            if index is not None:
                outputs = cell_node(browser, index).find_elements(By.CSS_SELECTOR, ".jp-OutputArea")
                before = outputs[0].text if outputs else ""
                images = outputs[0].find_elements(By.TAG_NAME, "img") if outputs else []
                pictures = [image_pixels(browser, image)[2] for image in images]
                report.check(
                    "VBox(" not in before
                    and "Dropdown(" not in before
                    and (max(pictures, default=0) > DRAWN_SHARE or "run the cells above" in before.lower()),
                    "before running, the explorer's place shows a picture or a note, not a widget's plain-text form "
                    f"({len(pictures)} picture(s); text {before[:80]!r})",
                )

            report.step("Run → Run All Cells")
            # not awaited here (a returned promise would be held to the 60-s script timeout): wait_for below waits
            browser.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells');")
            done = wait_for(lambda: run_finished(browser), RUN_ALL_LIMIT_S, pause=1)
            report.check(bool(done), f"all cells ran within {RUN_ALL_LIMIT_S} s")
            state = notebook_state(browser)
            problems = shown_problems(state)
            report.check(
                not problems,
                "after Run All no cell shows an error or stderr" + "".join(f"\n          {p}" for p in problems),
            )

            index = explorer_cell(state)
            if index is None:
                report.check(False, "the explorer appeared after Run All")
                return report.failures
            node = cell_node(browser, index)
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", node)
            entry = wait_for(lambda: node.find_elements(By.CSS_SELECTOR, ".widget-text input"), 30)
            report.check(bool(entry), "the explorer shows a text box")
            if not entry:
                return report.failures
            entry = entry[0]
            entry.click()
            entry.send_keys(Keys.CONTROL, "a")
            entry.send_keys(Keys.DELETE)
            entry.send_keys(TYPED_DATE, Keys.ENTER)
            report.step(f"typed {TYPED_DATE!r} and Enter into the explorer")
            shown = wait_for(lambda: EXPECTED_OUTPUT in node.text and node.text, 60)
            report.check(bool(shown), f"the explorer shows {EXPECTED_OUTPUT} for {TYPED_DATE!r}")
            time.sleep(3)  # let every message the input caused arrive and render
            widget = node.find_elements(By.CSS_SELECTOR, ".jupyter-widgets.widget-vbox, .widget-vbox")
            images = [
                image
                for image in (widget[0] if widget else node).find_elements(By.TAG_NAME, "img")
                if image.is_displayed()
            ]
            report.check(len(images) == 1, f"one heatmap under the explorer after one Enter (found {len(images)})")
            for number, image in enumerate(images):
                width, height, share = image_pixels(browser, image)
                report.check(
                    share > DRAWN_SHARE,
                    f"heatmap {number + 1} has drawn cells: {share:.0%} of its "
                    f"{width}x{height} pixels are coloured (a blank figure has about 2 %)",
                )
            problems = shown_problems(notebook_state(browser))
            report.check(
                not problems,
                "after typing no cell shows an error or stderr" + "".join(f"\n          {p}" for p in problems),
            )
        finally:
            if browser is not None and os.environ.get("BROWSER_TEST_SCREENSHOT"):
                browser.save_screenshot(os.environ["BROWSER_TEST_SCREENSHOT"])  # the page as the test left it
            if keep_open:
                input(f"JupyterLab at http://127.0.0.1:{port}/lab?token={token}; press Enter to stop ")
            if browser is not None:
                browser.quit()
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
    report.step("done")
    return report.failures


def news_prompt_off(port: int, token: str) -> bool:
    """The course's settings (tools/jupyterlab_settings.json5) reached JupyterLab: fetching news defaults to off."""
    address = f"http://127.0.0.1:{port}/lab/api/settings/@jupyterlab/apputils-extension:notification?token={token}"
    with urllib.request.urlopen(address, timeout=10) as answer:
        schema = json.load(answer)["schema"]
    return schema["properties"]["fetchNews"].get("default") == "false"


def notebook_state_or_none(browser):
    try:
        return browser.execute_script("if (!window.jupyterapp) return null;" + NOTEBOOK_STATE)
    except Exception:  # the page is still loading
        return None


def run_finished(browser) -> bool:
    state = notebook_state(browser)
    code = [cell for cell in state["cells"] if cell["type"] == "code"]
    return state["kernel"] == "idle" and all(cell["count"] and not cell["running"] for cell in code)


def cell_node(browser, index: int):
    return browser.execute_script(PANEL + "return panel.content.widgets[arguments[0]].node;", index)


def main(arguments: list[str]) -> None:
    failures = run(allow_root="--allow-root" in arguments, keep_open="--keep-open" in arguments)
    if failures:
        print(f"\nbrowser test FAILED ({len(failures)}):\n" + "\n".join(f"- {text}" for text in failures))
        sys.exit(1)
    print("\nbrowser test passed")


if __name__ == "__main__":
    main(sys.argv[1:])
