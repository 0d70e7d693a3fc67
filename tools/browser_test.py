"""Lesson 08 in a real browser, the way a learner uses it (``make browser-test``): in JupyterLab, or in the classic
notebook that Colab's kernel side runs (``--classic-notebook``, with ipywidgets 7's widgetsnbextension front end).

Starts the front end's server from a Python environment (this one, or ``--python``) on a free loopback port with a
token, serving a temporary copy of ``notebooks/`` (so that nothing in the repository is written), and drives
headless Chromium with Selenium. The same checks run in both front ends:

1. opens lesson 08 and checks that opening it does not mark it modified, and that the explorer's place shows a
   learner-facing note or picture, not a widget's plain-text representation;
2. runs all cells (Run → Run All Cells) and checks that no cell shows an error or stderr output;
3. types a date into the explorer, presses Enter, and checks that exactly one heatmap appears under it, a new
   picture (not the example's) with drawn cells (its PNG is decoded: a blank figure, axes without coloured cells,
   fails), and the output line for that date;
4. checks again that no cell shows an error or stderr output.

JupyterLab also checks that the course's settings reached it; the classic notebook, that it loaded the widgets
nbextension.

Needs Debian's ``chromium`` and ``chromium-driver`` (or CHROMIUM=/path and CHROMEDRIVER=/path) and Selenium
(requirements-browser.txt) in the Python that runs this script; the server's Python needs JupyterLab, or the
classic notebook (``notebook`` 6) and ipywidgets. Prints each step with its time; exits 1 and lists every failed
check otherwise. BROWSER_TEST_SCREENSHOT=/path/to.png saves the page as the test left it.

    python tools/browser_test.py [--classic-notebook] [--python /path/to/venv/bin/python] [--allow-root] [--keep-open]
"""

import argparse
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
LESSON = "08_attention_heatmaps.ipynb"
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


class JupyterLab:
    """JupyterLab 4, its application object exposed to the page for the checks (expose_app_in_browser)."""

    name = "JupyterLab"
    output_area = ".jp-OutputArea"  # a cell's outputs
    panel = "const panel = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
    state_script = (  # null until the notebook and its kernel session exist
        panel
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
    # not awaited (a returned promise would be held to the 60-s script timeout): the caller waits for the cells
    run_all_script = "window.jupyterapp.commands.execute('notebook:run-all-cells');"
    cell_script = panel + "return panel.content.widgets[arguments[0]].node;"

    def server_command(self, python: str, served: Path, state: Path, port: int, token: str) -> list[str]:
        return [
            python,
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
        ]

    def lesson_address(self, port: int, token: str) -> str:
        return f"http://127.0.0.1:{port}/lab/tree/{LESSON}?token={token}"

    def python_version_recorded(self, browser, lesson: Path) -> str | None:
        """Not seen in JupyterLab: any modification on opening fails the check."""
        return None

    def check_set_up(self, report: "Report", browser, port: int, token: str) -> None:
        from selenium.webdriver.common.by import By

        report.check(
            news_prompt_off(port, token) and "Jupyter news" not in browser.find_element(By.TAG_NAME, "body").text,
            "JupyterLab does not ask about news (the course's settings are installed in the environment)",
        )


class ClassicNotebook:
    """The classic notebook (``notebook`` 6, Colab's kernel side), through its page object ``Jupyter.notebook``.

    Widgets render through widgetsnbextension, which ipywidgets 7's wheel enables in its environment's sys-prefix.
    """

    name = "the classic notebook"
    output_area = ".output"  # a cell's outputs (each one an .output_area in it)
    state_script = """
const notebook = window.Jupyter && Jupyter.notebook;
if (!notebook || !notebook._fully_loaded || !notebook.kernel || !notebook.kernel.info_reply) return null;
const cells = notebook.get_cells().map((cell, index) => ({
  index, type: cell.cell_type,
  count: cell.cell_type === 'code' && cell.input_prompt_number !== '*' ? cell.input_prompt_number : null,
  running: cell.cell_type === 'code' && cell.input_prompt_number === '*',
  outputs: cell.cell_type === 'code' ? cell.output_area.toJSON() : []}));
return {dirty: notebook.dirty, tabDirty: document.querySelector('.autosave_status').textContent.includes('unsaved'),
        kernel: notebook.kernel.is_connected() ? (notebook.kernel_busy ? 'busy' : 'idle') : null, cells};
"""
    run_all_script = "Jupyter.notebook.execute_all_cells();"
    cell_script = "return Jupyter.notebook.get_cell(arguments[0]).element[0];"

    def server_command(self, python: str, served: Path, state: Path, port: int, token: str) -> list[str]:
        return [
            python,
            "-m",
            "notebook",
            "--no-browser",
            "--NotebookApp.ip=127.0.0.1",
            f"--NotebookApp.port={port}",
            "--NotebookApp.port_retries=0",
            f"--NotebookApp.token={token}",
            f"--NotebookApp.notebook_dir={served}",
        ]

    def lesson_address(self, port: int, token: str) -> str:
        return f"http://127.0.0.1:{port}/notebooks/{LESSON}?token={token}"

    def python_version_recorded(self, browser, lesson: Path) -> str | None:
        """The kernel's Python version and the stored one ("3.13.0, stored 3.11.7") when that is the only change
        opening made to the notebook's metadata, else None. The classic notebook records the kernel's version and
        marks the notebook modified (its kernel_ready handler), so a lesson stored under another Python opens
        modified there."""
        shown = browser.execute_script("return Jupyter.notebook.metadata;")
        stored = json.loads(lesson.read_text(encoding="utf-8"))["metadata"]
        shown_version = shown.get("language_info", {}).pop("version", None)
        stored_version = stored.get("language_info", {}).pop("version", None)
        if shown == stored and shown_version != stored_version:
            return f"{shown_version}, stored {stored_version}"
        return None

    def check_set_up(self, report: "Report", browser, port: int, token: str) -> None:
        loaded = browser.execute_script("return !!Jupyter.notebook.kernel.widget_manager;")
        report.check(
            loaded,
            "the classic notebook loaded the widgets nbextension (else: jupyter nbextension enable --py "
            "--sys-prefix widgetsnbextension, in the server's environment)",
        )


def start_server(
    front_end, python: str, served: Path, state: Path, port: int, token: str, allow_root: bool
) -> subprocess.Popen:
    """The front end's server from ``python``, serving ``served``, with its own settings, data and runtime files."""
    env = dict(
        os.environ,
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        JUPYTER_CONFIG_DIR=str(state / "config"),  # the environment's own sys-prefix configuration still applies
        JUPYTER_DATA_DIR=str(state / "data"),  # no trust database: the lesson opens as a downloaded one does
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    for name in ("PYTEST_CURRENT_TEST", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS"):
        env.pop(name, None)  # the kernel starts as a learner's would
    command = front_end.server_command(python, served, state, port, token) + (["--allow-root"] if allow_root else [])
    log_path = state / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=served)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(
                f"{front_end.name}'s server exited ({server.returncode}); its log:\n{log_path.read_text()}"
            )
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=2)
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit(f"{front_end.name}'s server did not answer within 90 s.")


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


def notebook_state(browser, front_end):
    """{dirty, tabDirty, kernel status, cells: [{index, type, count, running, outputs}]}; None while loading."""
    try:
        return browser.execute_script(front_end.state_script)
    except Exception:  # the page is still loading
        return None


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


def image_png(browser, image) -> bytes:
    """The PNG file of an <img> as the page received it (empty if it cannot be fetched)."""
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
    return base64.b64decode(png) if png else b""


def image_pixels(png: bytes) -> tuple[int, int, float]:
    """(width, height, share of coloured pixels) of a PNG file.

    Heatmap cells are coloured (viridis); text, axes and background are grey. A blank figure — axes, labels and
    colour bar but no cells — has only its colour bar coloured, about 2 % of the picture; a drawn heatmap over 40 %.
    """
    import matplotlib.image

    if not png:
        return 0, 0, 0.0
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    height, width = pixels.shape[:2]
    opaque = pixels[..., 3] > 0.5 if pixels.shape[-1] == 4 else True
    rgb = pixels[..., :3]
    coloured = (rgb.max(axis=-1) - rgb.min(axis=-1) > 0.15) & opaque
    return width, height, float(coloured.mean())


def shown_heatmaps(node) -> list:
    """The <img> elements shown in the explorer's widget (in the cell ``node``)."""
    from selenium.webdriver.common.by import By

    widget = node.find_elements(By.CSS_SELECTOR, ".jupyter-widgets.widget-vbox, .widget-vbox")
    return [
        image for image in (widget[0] if widget else node).find_elements(By.TAG_NAME, "img") if image.is_displayed()
    ]


def run(front_end, python: str, allow_root: bool, keep_open: bool) -> list[str]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    report = Report()
    with tempfile.TemporaryDirectory(prefix="browser-test-") as scratch:
        scratch = Path(scratch)
        served = scratch / "notebooks"
        shutil.copytree(ROOT / "notebooks", served, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        port, token = free_port(), secrets.token_hex(16)
        server = start_server(front_end, python, served, scratch, port, token, allow_root)
        report.step(f"{front_end.name} ({python}) {port=} serving a copy of notebooks/")
        browser = None
        try:
            browser = start_chromium(scratch / "chromium-profile")
            browser.get(front_end.lesson_address(port, token))
            state = wait_for(lambda: (s := notebook_state(browser, front_end)) and s["kernel"] == "idle" and s, 120)
            if not state:
                raise SystemExit(f"{LESSON} did not open with an idle kernel within 120 s.")
            report.step(f"opened {LESSON}; kernel idle")
            time.sleep(3)  # JupyterLab writes the kernel's metadata into the model right after the kernel starts
            state = notebook_state(browser, front_end)
            modified = state["dirty"] or state["tabDirty"]
            recorded = modified and front_end.python_version_recorded(browser, served / LESSON)
            but = f" (but for the kernel's Python version, which it records: {recorded})" if recorded else ""
            report.check(not modified or bool(recorded), "opening the lesson does not mark it modified" + but)
            front_end.check_set_up(report, browser, port, token)

            index = explorer_cell(state)
            report.check(index is not None, "the lesson has an explorer cell (a widget output)")
            if index is not None:
                outputs = cell_node(browser, front_end, index).find_elements(By.CSS_SELECTOR, front_end.output_area)
                before = outputs[0].text if outputs else ""
                images = outputs[0].find_elements(By.TAG_NAME, "img") if outputs else []
                pictures = [image_pixels(image_png(browser, image))[2] for image in images]
                report.check(
                    "VBox(" not in before
                    and "Dropdown(" not in before
                    and (max(pictures, default=0) > DRAWN_SHARE or "run the cells above" in before.lower()),
                    "before running, the explorer's place shows a picture or a note, not a widget's plain-text form "
                    f"({len(pictures)} picture(s); text {before[:80]!r})",
                )

            report.step("Run → Run All Cells")
            browser.execute_script(front_end.run_all_script)
            done = wait_for(lambda: run_finished(browser, front_end), RUN_ALL_LIMIT_S, pause=1)
            report.check(bool(done), f"all cells ran within {RUN_ALL_LIMIT_S} s")
            state = notebook_state(browser, front_end)
            problems = shown_problems(state)
            report.check(
                not problems,
                "after Run All no cell shows an error or stderr" + "".join(f"\n          {p}" for p in problems),
            )

            index = explorer_cell(state)
            if index is None:
                report.check(False, "the explorer appeared after Run All")
                return report.failures
            node = cell_node(browser, front_end, index)
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", node)
            entry = wait_for(lambda: node.find_elements(By.CSS_SELECTOR, ".widget-text input"), 30)
            report.check(bool(entry), "the explorer shows a text box")
            if not entry:
                return report.failures
            entry = entry[0]
            default_heatmaps = {image_png(browser, image) for image in shown_heatmaps(node)}  # the example's
            entry.click()
            entry.send_keys(Keys.CONTROL, "a")
            entry.send_keys(Keys.DELETE)
            entry.send_keys(TYPED_DATE, Keys.ENTER)
            report.step(f"typed {TYPED_DATE!r} and Enter into the explorer")
            shown = wait_for(lambda: EXPECTED_OUTPUT in node.text and node.text, 60)
            report.check(bool(shown), f"the explorer shows {EXPECTED_OUTPUT} for {TYPED_DATE!r}")
            time.sleep(3)  # let every message the input caused arrive and render
            images = shown_heatmaps(node)
            report.check(len(images) == 1, f"one heatmap under the explorer after one Enter (found {len(images)})")
            for number, image in enumerate(images):
                png = image_png(browser, image)
                width, height, share = image_pixels(png)
                report.check(
                    share > DRAWN_SHARE,
                    f"heatmap {number + 1} has drawn cells: {share:.0%} of its "
                    f"{width}x{height} pixels are coloured (a blank figure has about 2 %)",
                )
                report.check(
                    bool(default_heatmaps) and png not in default_heatmaps,
                    f"heatmap {number + 1} is a new picture, not the example's ({len(default_heatmaps)} shown before)",
                )
            problems = shown_problems(notebook_state(browser, front_end))
            report.check(
                not problems,
                "after typing no cell shows an error or stderr" + "".join(f"\n          {p}" for p in problems),
            )
        finally:
            if browser is not None and os.environ.get("BROWSER_TEST_SCREENSHOT"):
                browser.save_screenshot(os.environ["BROWSER_TEST_SCREENSHOT"])  # the page as the test left it
            if keep_open:
                input(f"{front_end.name} at {front_end.lesson_address(port, token)}; press Enter to stop ")
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


def run_finished(browser, front_end) -> bool:
    state = notebook_state(browser, front_end)
    if not state or state["kernel"] != "idle":
        return False
    return all(cell["count"] and not cell["running"] for cell in state["cells"] if cell["type"] == "code")


def cell_node(browser, front_end, index: int):
    return browser.execute_script(front_end.cell_script, index)


def main(arguments: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--classic-notebook", action="store_true", help="the classic notebook instead of JupyterLab")
    parser.add_argument("--python", default=sys.executable, help="the Python whose server and kernel run the lesson")
    parser.add_argument("--allow-root", action="store_true", help="let the server run as root")
    parser.add_argument("--keep-open", action="store_true", help="wait for Enter before stopping the server")
    options = parser.parse_args(arguments)
    front_end = ClassicNotebook() if options.classic_notebook else JupyterLab()
    failures = run(front_end, options.python, allow_root=options.allow_root, keep_open=options.keep_open)
    if failures:
        print(f"\nbrowser test FAILED ({len(failures)}):\n" + "\n".join(f"- {text}" for text in failures))
        sys.exit(1)
    print(f"\nbrowser test passed ({front_end.name})")


if __name__ == "__main__":
    main(sys.argv[1:])
