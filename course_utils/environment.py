"""The set-up every notebook runs first: quiet TensorFlow logs, seeds, determinism and a one-line report.

Nothing happens on import. ``set_up()`` sets TensorFlow's logging variables *before* importing it,
which is why it, and not the notebook, imports TensorFlow first.

Why it is quiet: TensorFlow 2.21 writes C++ log lines straight to the process's standard error (file
descriptor 2), which JupyterLab shows as red text. Two kinds cannot be switched off by its variables: the
"All log messages before absl::InitializeLog()" warning with "Could not find cuda drivers" (once for each of
its two libraries, at import) and "failed call to cuInit" (probing for a GPU). ``set_up`` therefore points
descriptor 2 at a temporary file while it imports TensorFlow and probes the device, restores it, and passes
on every captured line that is not one of those known start-up notices (``STARTUP_NOTICES``).
"""

import contextlib
import os
import platform
import re
import sys
import tempfile
from dataclasses import dataclass

SCALE_VARIABLE = "COURSE_SCALE"


@dataclass(frozen=True)
class CourseEnvironment:
    """What ``set_up`` found and did."""

    seed: int
    scale: int  # multiply data sizes and epochs by this (1 on the CPU; see README "COURSE_SCALE")
    device: str  # "CPU (<n> cores)" or "GPU (<name>)"
    deterministic: bool  # op determinism on (bit-identical reruns on one machine)
    in_colab: bool
    versions: str
    gpu: "GpuSettings | None" = None  # what set_up did to the GPUs; None on a CPU

    @property
    def has_gpu(self) -> bool:
        return self.gpu is not None

    def report(self) -> str:
        place = " | Colab" if self.in_colab else ""
        gpu = f" | {self.gpu.report()}" if self.gpu else ""
        return (
            f"{self.versions} | {self.device}{gpu} | seed {self.seed} | scale {self.scale} | "
            f"op determinism {'on' if self.deterministic else 'off'}{place}"
        )


@dataclass(frozen=True)
class GpuSettings:
    """What ``configure_gpus`` set: TensorFloat-32 and memory growth, as TensorFlow reports them afterwards."""

    tensor_float_32: bool  # float32 matrix products rounded to 10 mantissa bits (TF's default on Ampere and newer)
    memory_growth: bool  # every GPU takes memory as it needs it instead of all of it at start

    def report(self) -> str:
        return f"TF32 {'on' if self.tensor_float_32 else 'off'} | memory growth {'on' if self.memory_growth else 'off'}"


def configure_gpus(config, gpus) -> GpuSettings:
    """Turn TensorFloat-32 off and memory growth on for ``gpus`` (``tf.config``'s physical devices).

    TF32: the lessons compare NumPy with Keras to 1e-6 and exercise checks use 1e-5, which float32 products rounded
    to TF32's 10 mantissa bits do not meet; the course's models are small, so full float32 costs little time.
    Memory growth: without it each process (a second kernel, a second test worker) takes the whole GPU at start.
    It can only be set before the GPUs are first used; when they already are (the set-up cell run again), the
    setting they have is reported, not assumed.
    """
    config.experimental.enable_tensor_float_32_execution(False)
    for gpu in gpus:
        try:
            config.experimental.set_memory_growth(gpu, True)
        except RuntimeError:  # "Physical devices cannot be modified after being initialized"
            pass
    return GpuSettings(
        tensor_float_32=config.experimental.tensor_float_32_execution_enabled(),
        memory_growth=all(config.experimental.get_memory_growth(gpu) for gpu in gpus),
    )


SUPPORTED_BACKEND = "tensorflow"


def check_backend(backend: str) -> None:
    """Refuse a Keras backend the course does not run on, saying how to choose TensorFlow."""
    if backend != SUPPORTED_BACKEND:
        raise RuntimeError(
            f"Keras is running on the {backend!r} backend, but this course runs on TensorFlow: its training steps "
            f"and decoding loops are TensorFlow code. Set the environment variable KERAS_BACKEND=tensorflow before "
            f"Keras is imported (in a notebook: run `%env KERAS_BACKEND=tensorflow`, then Kernel → Restart and run "
            f"the set-up cell again), and check that ~/.keras/keras.json does not name another backend."
        )


def in_colab() -> bool:
    """True inside a Google Colab runtime."""
    return "google.colab" in sys.modules


# C++ notices TensorFlow prints while it loads and looks for a GPU; harmless on a machine without one.
STARTUP_NOTICES = re.compile(
    r"All log messages before absl::InitializeLog\(\) is called"
    r"|cudart_stub\.cc.*Could not find cuda drivers"
    r"|failed call to cuInit"
    r"|Unable to register cu(DNN|FFT|BLAS) factory"
    r"|computation placer already registered"
    r"|oneDNN custom operations are on"
    r"|This TensorFlow binary is optimized to use available CPU instructions"
    r"|To enable the following instructions"
)


def set_tensorflow_variables() -> None:
    """Set the environment variables TensorFlow reads once, at import (so this must run before ``import tensorflow``).

    Logging: level 3 keeps only fatal messages off stderr: at level 2 the first ``fit`` after
    ``enable_op_determinism`` prints an "E... NodeDef mentions attribute use_unbounded_threadpool" line that means
    nothing to a learner. Python errors still raise as usual. GPU memory growth: every process that imports
    TensorFlow this way (a test worker, a kernel) takes GPU memory as it needs it, so two of them can share a GPU.
    A value already set is kept.
    """
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    # With oneDNN's optimisations on, TF 2.21 prints a notice on stderr at every start, at any log level.
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
    os.environ.setdefault("TF_FORCE_GPU_ALLOW_GROWTH", "true")


@contextlib.contextmanager
def startup_notices_hidden():
    """Point file descriptor 2 at a temporary file for the block; afterwards write to ``sys.stderr`` every
    captured line that is not one of TensorFlow's known start-up notices, so that real problems still show."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError, AttributeError):  # no descriptor 2 (e.g. pythonw): nothing to hide
        yield
        return
    with tempfile.TemporaryFile() as capture:
        os.dup2(capture.fileno(), 2)
        try:
            yield
        finally:
            with contextlib.suppress(OSError, ValueError, AttributeError):
                sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            capture.seek(0)
            captured = capture.read().decode("utf-8", errors="replace").splitlines()
            kept = [line for line in captured if line.strip() and not STARTUP_NOTICES.search(line)]
            if kept:
                print("\n".join(kept), file=sys.stderr)


def course_scale() -> int:
    """The scale factor from the environment variable COURSE_SCALE (default 1)."""
    text = os.environ.get(SCALE_VARIABLE, "1").strip()
    if not text.isdigit() or int(text) < 1:
        raise ValueError(
            f"{SCALE_VARIABLE}={text!r} is not a whole number of at least 1. "
            f"Set it to 1 on a CPU, or to e.g. 4 on a GPU runtime."
        )
    return int(text)


def set_up(seed: int = 0, *, deterministic: bool | None = None, verbose: bool = True) -> CourseEnvironment:
    """Seed Python, NumPy and TensorFlow, turn on op determinism (on the CPU by default), let plots show
    Korean, and print a one-line report.

    On a GPU it turns TensorFloat-32 off and memory growth on (``configure_gpus``), and op determinism is off by
    default: determinism costs speed there, and the notebooks assert bands, not exact numbers, for trained
    results. A Keras backend other than TensorFlow is refused with the fix (``check_backend``).
    """
    set_tensorflow_variables()
    with startup_notices_hidden():  # TensorFlow's C++ start-up notices (see the module's docstring)
        import keras
        import tensorflow as tf

        check_backend(keras.config.backend())
        tf.get_logger().setLevel("ERROR")  # e.g. retracing notices when each trained model compiles its decoder
        gpus = tf.config.list_physical_devices("GPU")
        gpu_settings = configure_gpus(tf.config, gpus) if gpus else None
        if gpus:
            name = tf.config.experimental.get_device_details(gpus[0]).get("device_name", "unknown")
            device = f"GPU ({name})"
        else:
            device = f"CPU ({os.cpu_count()} cores)"
        if deterministic is None:
            deterministic = not gpus
        keras.utils.set_random_seed(seed)
        if deterministic:
            tf.config.experimental.enable_op_determinism()
    from course_utils.fonts import use_korean_font

    use_korean_font()  # Korean dates and sentences appear on plot axes
    versions = f"Python {platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}"
    environment = CourseEnvironment(
        seed=seed,
        scale=course_scale(),
        device=device,
        deterministic=deterministic,
        in_colab=in_colab(),
        versions=versions,
        gpu=gpu_settings,
    )
    if verbose:
        print(environment.report())
    return environment
