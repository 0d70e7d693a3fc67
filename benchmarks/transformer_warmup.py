"""Vaswani et al.'s warm-up schedule against the course's cosine recipe, on lesson 09's date Transformer.

Everything but the learning-rate schedule is transformer_comparison.py's "dates" part (make_splits(seed=0):
10,000 training dates, 2,000 held-out; batch 64; 4 epochs; Adam with Keras' defaults; d_model 64, 4 heads,
feed-forward 128, 2 + 2 blocks; seeds 0, 1, 2), so its recorded "Transformer" rows are the cosine side of the
comparison. The schedule: lr = d_model^-0.5 · min(step^-0.5, step · warmup^-1.5) with warmup = one epoch
(157 steps), course_utils.transformer.WarmupSchedule. Recorded per epoch as there: loss, held-out exact match,
seconds of training. The cosine side is recorded again here ("cosine_runs": Adam 5e-3 with cosine decay, the
course's recipe), in the same run and with the same code as the warm-up side, so the two differ in the schedule
only (transformer_comparison.json's rows were recorded earlier, with the course's code of then).

    python benchmarks/transformer_warmup.py     # 3 seeds × 2 schedules × 4 epochs, about 8 minutes on a 2-core CPU

Runs already recorded are kept and skipped. Output: benchmarks/recorded/transformer_warmup.json.
"""

import json
import platform
from pathlib import Path

import transformer_comparison as comparison

from course_utils import date_models
from course_utils.batches import training_steps

RECORDED = Path(__file__).resolve().parent / "recorded" / "transformer_warmup.json"
TRAIN_SIZE = 10_000
WARMUP_STEPS = training_steps(TRAIN_SIZE, epochs=1)  # one epoch of the course's batch size: 157 steps


def main():
    from course_utils.decoding import translate
    from course_utils.environment import set_up
    from course_utils.metrics import exact_match
    from course_utils.transformer import WarmupSchedule

    environment = set_up(seed=0, verbose=False)
    recorded = json.loads(RECORDED.read_text(encoding="utf-8")) if RECORDED.is_file() else {}
    recorded["machine"] = f"{environment.device}, Python {platform.python_version()}, TensorFlow/Keras as pinned"
    recorded["setting"] = (
        f"transformer_comparison.py's dates harness ({date_models.EPOCHS} epochs, batch {comparison.BATCH}, Adam "
        f"defaults), lr = d_model^-0.5 · min(step^-0.5, step · warmup^-1.5), d_model "
        f"{date_models.TRANSFORMER_SIZES['d_model']}, warmup {WARMUP_STEPS} steps; cosine_runs: Adam "
        f"{date_models.LEARNING_RATE} with cosine decay over the run (the course's recipe), same code and run"
    )
    recorded["warmup_steps"] = WARMUP_STEPS
    splits, arrays = comparison.date_harness()
    texts, answers = list(splits.test.text), list(splits.test.iso)
    schedules = {  # record key -> the learning rate train_and_score gets (a number: cosine decay over the run)
        "runs": lambda: WarmupSchedule(date_models.TRANSFORMER_SIZES["d_model"], WARMUP_STEPS),
        "cosine_runs": lambda: date_models.LEARNING_RATE,
    }
    for key, learning_rate in schedules.items():
        runs = recorded.setdefault(key, {})
        for seed in comparison.SEEDS:
            if str(seed) in runs:
                continue
            model = comparison.date_model("Transformer", seed)
            runs[str(seed)] = comparison.train_and_score(
                model, arrays, date_models.EPOCHS, learning_rate(), lambda m: exact_match(translate(m, texts), answers)
            )
            RECORDED.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            print(f"{key}, seed {seed}: {runs[str(seed)]}", flush=True)


if __name__ == "__main__":
    main()
