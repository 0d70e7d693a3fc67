import os
import re
import subprocess
import sys

import pytest

from course_utils import environment, paths
from course_utils.repository import CLONE_FOLDER

# TensorFlow's start-up lines that set_up's variables silence (its CUDA probe lines come before it reads them)
SILENCED_LINE = re.compile(r"oneDNN custom operations|cpu_feature_guard")


def test_importing_the_package_imports_no_tensorflow():
    code = "import course_utils, course_utils.paths, course_utils.vocabulary, sys; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_course_root_found_from_notebooks_folder_and_elsewhere(monkeypatch, tmp_path):
    root = paths.course_root()
    monkeypatch.chdir(root / "notebooks")
    assert paths.course_root() == root
    monkeypatch.chdir(tmp_path)  # outside the repo: found through the package's location
    assert paths.course_root() == root


def test_colab_clone_folder_is_found(monkeypatch, tmp_path):
    clone = tmp_path / CLONE_FOLDER
    (clone / "data").mkdir(parents=True)
    (clone / "course_utils").mkdir()
    (clone / "data" / "README.md").write_text("data")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "__file__", "/nonexistent/course_utils/paths.py")
    assert paths.course_root() == clone


def test_missing_course_folder_explains_the_fix(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "__file__", "/nonexistent/course_utils/paths.py")
    monkeypatch.delenv(paths.ROOT_VARIABLE, raising=False)
    with pytest.raises(FileNotFoundError, match="set the environment variable COURSE_ROOT"):
        paths.course_root()


def test_missing_data_file_lists_available_files():
    with pytest.raises(FileNotFoundError, match=r"Files there: .*kor-eng.txt"):
        paths.data_path("no-such-file.txt")


def test_scale_setting(monkeypatch):
    monkeypatch.delenv(environment.SCALE_VARIABLE, raising=False)
    assert environment.course_scale() == 1
    monkeypatch.setenv(environment.SCALE_VARIABLE, "4")
    assert environment.course_scale() == 4
    for bad in ("0", "two", "-1", "1.5"):
        monkeypatch.setenv(environment.SCALE_VARIABLE, bad)
        with pytest.raises(ValueError, match="whole number"):
            environment.course_scale()


def run_set_up_in_a_fresh_process(code_after: str = "") -> subprocess.CompletedProcess:
    """set_up(seed=3) in a new interpreter whose environment has none of TensorFlow's variables (tests/conftest.py
    sets them in this process, so checking them here would prove nothing)."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("TF_")}
    code = f"from course_utils.environment import set_up\nenv = set_up(seed=3)\n{code_after}"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=clean)


def test_set_up_reports_versions_device_and_seed_and_quiets_tensorflow():
    result = run_set_up_in_a_fresh_process(
        "import os\nprint(env.device, env.in_colab, *(os.environ[name] for name in ('TF_CPP_MIN_LOG_LEVEL', "
        "'TF_ENABLE_ONEDNN_OPTS')))"
    )
    report, found = result.stdout.splitlines()
    assert "TensorFlow" in report and "Keras" in report and "seed 3" in report
    *device, in_colab, log_level, onednn = found.split()
    assert device[0] in ("CPU", "GPU") and in_colab == "False" and log_level in {"1", "2", "3"} and onednn == "0"
    # op determinism is on by default on a CPU and off on a GPU (set_up's docstring); either way the report says so
    assert ("op determinism on" in report) == (device[0] == "CPU")
    assert ("TF32 off | memory growth on" in report) == (device[0] == "GPU")
    assert not SILENCED_LINE.search(result.stderr)  # set before TensorFlow was imported: those lines are gone


def test_the_fresh_process_check_sees_tensorflow_noise_when_set_up_comes_too_late():
    """The check above can fail: TensorFlow imported before set_up() writes its C++ start-up lines on stderr."""
    clean = {name: value for name, value in os.environ.items() if not name.startswith("TF_")}
    code = "import tensorflow\nfrom course_utils.environment import set_up\nset_up(seed=3)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=clean)
    assert SILENCED_LINE.search(result.stderr)


def test_set_up_in_one_test_leaves_the_tests_after_it_alone():
    """Tests that need set_up() run it in a fresh process, so op determinism and seeds in this one are untouched
    (otherwise whether a later test runs deterministically would depend on the order the tests run in)."""
    from tensorflow.python.framework import config  # the only place TensorFlow says whether determinism is on

    assert not config.is_op_determinism_enabled()


def test_startup_notices_are_hidden_and_other_native_stderr_lines_still_show(capfd):
    with environment.startup_notices_hidden():
        os.write(
            2,
            b"WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
            b"I0000 00:00:1.5 42 cudart_stub.cc:31] Could not find cuda drivers on your machine, GPU will "
            b"not be used.\nE0000 00:00:1.6 42 cuda_platform.cc:52] failed call to cuInit: UNKNOWN ERROR (303)\n"
            b"something the learner must see\n",
        )
    assert capfd.readouterr().err == "something the learner must see\n"
    os.write(2, b"after the block\n")  # descriptor 2 is restored
    assert capfd.readouterr().err == "after the block\n"


def test_set_up_prints_nothing_on_stderr_in_a_real_kernel():
    """What JupyterLab shows: a kernel forwards everything written to descriptor 2 as red stderr output."""
    from jupyter_client.manager import start_new_kernel

    kernel_env = {
        key: value
        for key, value in os.environ.items()
        # pytest's variable would stop ipykernel from forwarding descriptor 2; the TF variables are ours
        if key not in {"PYTEST_CURRENT_TEST", "TF_CPP_MIN_LOG_LEVEL", "TF_ENABLE_ONEDNN_OPTS"}
    }
    kernel_env["PYTHONPATH"] = os.pathsep.join([str(paths.course_root()), kernel_env.get("PYTHONPATH", "")])
    manager, client = start_new_kernel(kernel_name="python3", env=kernel_env)
    streams = {"stdout": "", "stderr": ""}
    try:
        code = (
            "from course_utils.environment import set_up\nenv = set_up(seed=0)\nimport os\n"
            "os.write(2, b'descriptor 2 still reaches the notebook\\n')"
        )
        client.execute(code)
        last_id = client.execute("import time; time.sleep(0.5)")  # lets the kernel's descriptor-2 reader catch up
        while True:
            message = client.get_iopub_msg(timeout=120)
            if message["msg_type"] == "stream":
                streams[message["content"]["name"]] += message["content"]["text"]
            if (
                message["parent_header"].get("msg_id") == last_id
                and message["msg_type"] == "status"
                and message["content"]["execution_state"] == "idle"
            ):
                break
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert "TensorFlow" in streams["stdout"]
    assert streams["stderr"].strip() == "descriptor 2 still reaches the notebook"


def test_korean_text_in_plots_renders_without_missing_glyph_warnings(tmp_path):
    import warnings

    import matplotlib.pyplot as plt

    from course_utils.plotting import use_korean_font

    assert use_korean_font() == "NanumGothic"
    figure, axes = plt.subplots()
    axes.set_title("1969년 7월 20일 일요일")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph ... missing" when a font lacks Hangul
        figure.savefig(tmp_path / "korean.png")
    plt.close(figure)


class FakeGpuConfig:
    """The part of ``tf.config`` that ``configure_gpus`` uses, for GPUs that this machine does not have.
    ``initialized`` GPUs refuse a new memory-growth setting, as TensorFlow's do once they have been used."""

    def __init__(self, initialized=False):
        self.tf32, self.growth, self.initialized = True, {}, initialized  # TF32 is TensorFlow's default on Ampere+
        self.experimental = self

    def enable_tensor_float_32_execution(self, enabled):
        self.tf32 = enabled

    def tensor_float_32_execution_enabled(self):
        return self.tf32

    def set_memory_growth(self, device, enable):
        if self.initialized:
            raise RuntimeError("Physical devices cannot be modified after being initialized")
        self.growth[device] = enable

    def get_memory_growth(self, device):
        return self.growth.get(device, False)


def test_configure_gpus_turns_tf32_off_and_memory_growth_on_for_every_gpu():
    config = FakeGpuConfig()
    settings = environment.configure_gpus(config, ["GPU:0", "GPU:1"])
    assert config.tf32 is False and config.growth == {"GPU:0": True, "GPU:1": True}
    assert settings == environment.GpuSettings(tensor_float_32=False, memory_growth=True)
    assert settings.report() == "TF32 off | memory growth on"


def test_configure_gpus_reports_the_growth_setting_gpus_already_in_use_keep():
    """The set-up cell run a second time: the GPUs are initialised and keep memory growth off; say so."""
    settings = environment.configure_gpus(FakeGpuConfig(initialized=True), ["GPU:0"])
    assert settings == environment.GpuSettings(tensor_float_32=False, memory_growth=False)
    assert "memory growth off" in settings.report()


# set_up on a machine whose TensorFlow lists one (fake) Ampere GPU: TensorFlow's GPU calls are replaced by recorders.
FAKE_GPU_SET_UP = """
import tensorflow as tf
calls = []
tf.config.list_physical_devices = lambda kind=None: ["fake GPU"] if kind == "GPU" else ["fake CPU"]
experimental = tf.config.experimental
experimental.get_device_details = lambda device: {"device_name": "NVIDIA L4"}
state = {"tf32": True, "growth": False}
experimental.enable_tensor_float_32_execution = lambda on: (calls.append(("tf32", on)), state.update(tf32=on))
experimental.tensor_float_32_execution_enabled = lambda: state["tf32"]
experimental.set_memory_growth = lambda device, on: (calls.append(("growth", device, on)), state.update(growth=on))
experimental.get_memory_growth = lambda device: state["growth"]
experimental.enable_op_determinism = lambda: calls.append(("determinism",))
from course_utils.environment import set_up
env = set_up(seed=1)
print(sorted(calls), env.has_gpu, env.deterministic)
"""


def test_set_up_on_a_gpu_turns_tf32_off_memory_growth_on_and_determinism_off_and_says_so():
    clean = {name: value for name, value in os.environ.items() if not name.startswith("TF_")}
    clean["TF_CPP_MIN_LOG_LEVEL"] = "3"  # the script imports TensorFlow before set_up: keep its notices off
    result = subprocess.run([sys.executable, "-c", FAKE_GPU_SET_UP], capture_output=True, text=True, env=clean)
    assert result.returncode == 0, result.stderr
    report, calls = result.stdout.splitlines()
    assert "| GPU (NVIDIA L4) | TF32 off | memory growth on |" in report and "op determinism off" in report
    assert calls == "[('growth', 'fake GPU', True), ('tf32', False)] True False"


def test_set_up_refuses_a_keras_backend_other_than_tensorflow():
    with pytest.raises(RuntimeError, match="KERAS_BACKEND=tensorflow"):
        environment.check_backend("jax")
    environment.check_backend("tensorflow")  # the one it runs on
    # Keras as KERAS_BACKEND=jax leaves it (jax itself is not installed here): set_up stops before configuring TF
    code = (
        "import keras\nkeras.config.backend = lambda: 'jax'\n"
        "from course_utils.environment import set_up\nset_up()\nprint('configured')"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode != 0 and "running on the 'jax' backend" in result.stderr
    assert "configured" not in result.stdout
