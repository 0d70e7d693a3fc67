"""Attention mechanisms side by side on lesson 04's translation harness, several seeds (lessons 04 and 05).

Every run uses the same data (course_utils.translation.french_english(): 12,000 French–English training pairs of
at most 10 tokens, 1,000 held-out pairs, seed 0), the same encoder (bidirectional GRU, 64 units per direction,
embeddings of 64), batch 64, 5 epochs, Adam with cosine decay over the 5 epochs: lesson 04's harness and budget.
Only the decoder changes (and, where a name says so, the learning rate). For each configuration and seed it
records, per epoch: training loss, held-out corpus BLEU of greedy decoding, seconds of training (clock stopped
while evaluating), and for the Luong decoders without input feeding a diagnosis of h̃ = f(W_c [c; h]) on a fixed
batch of 512 training pairs: the share of pre-activations z = W_c [c; h] with |z| > 3 (where tanh'(z) < 0.01,
so a tanh passes back less than 1 % of the gradient), and gradient norms of the loss with respect to W_c, the
decoder's GRU and the encoder.

    python benchmarks/luong_comparison.py               # all configurations, seeds 0 1 2 (about 25 min, 2-core CPU)
    python benchmarks/luong_comparison.py --seeds 0     # one seed
    python benchmarks/luong_comparison.py --smoke       # 200 pairs, 1 epoch, 2 configurations: checks the script

Results go to benchmarks/recorded/luong_comparison.json (runs already there are kept and skipped, so an
interrupted run resumes). The summary table (mean ± standard deviation over seeds) is printed at the end.
"""

import argparse
import json
import platform
import statistics
import time
from pathlib import Path

import numpy as np

RECORDED = Path(__file__).resolve().parent / "recorded" / "luong_comparison.json"
EPOCHS, BATCH, LEARNING_RATE, EMBEDDING, UNITS = 5, 64, 3e-3, 64, 64
SIZE_MATCHED_UNITS = 105  # a vanilla model with about as many parameters as the Bahdanau model (869,373)
SATURATION = 3.0  # |z| above which tanh'(z) < 0.01

# name -> how the model differs from lesson 04's (attention kind, units, h̃ activation, input feeding, learning rate)
CONFIGS = {
    "vanilla (lesson 02 size)": dict(attention=None),
    "vanilla (size-matched)": dict(attention=None, units=SIZE_MATCHED_UNITS),
    "Bahdanau": dict(attention="bahdanau"),
    "Luong dot, linear h̃": dict(attention="dot", activation=None),
    "Luong general, linear h̃": dict(attention="general", activation=None),
    "Luong concat, linear h̃": dict(attention="concat", activation=None),
    "Luong general, tanh h̃": dict(attention="general", activation="tanh"),
    "Luong general + input feeding, linear h̃": dict(attention="general", activation=None, input_feeding=True),
    "Luong general + input feeding, tanh h̃": dict(attention="general", activation="tanh", input_feeding=True),
    "Luong general, tanh h̃, lr 1e-3": dict(attention="general", activation="tanh", learning_rate=1e-3),
    "Luong general, linear h̃, lr 1e-3": dict(attention="general", activation=None, learning_rate=1e-3),
}

# the order of the runs: what the lessons need most first, so that an interrupted benchmark has it
RUN_ORDER = [
    "Bahdanau",
    "Luong dot, linear h̃",
    "Luong general, linear h̃",
    "Luong concat, linear h̃",
    "Luong general, tanh h̃",
    "Luong general + input feeding, linear h̃",
    "vanilla (size-matched)",
    "vanilla (lesson 02 size)",
    "Luong general + input feeding, tanh h̃",
    "Luong general, tanh h̃, lr 1e-3",
    "Luong general, linear h̃, lr 1e-3",
]


def harness(smoke=False):
    from course_utils.translation import french_english

    data = french_english(train_size=200 if smoke else 12_000, test_size=100 if smoke else 1_000, seed=0)
    return data, data.arrays(data.train)


def build(config, data, seed):
    """The Seq2Seq model of a configuration, seeded."""
    import keras

    from course_utils.seq2seq import Seq2Seq

    settings = CONFIGS[config]
    keras.utils.set_random_seed(seed)
    return Seq2Seq(
        data.source_vocabulary,
        data.target_vocabulary,
        source_length=data.source_length,
        target_length=data.target_length,
        attention=settings["attention"],
        embedding_dim=EMBEDDING,
        units=settings.get("units", UNITS),
        luong_activation=settings.get("activation", "tanh"),
        input_feeding=settings.get("input_feeding", False),
    )


def compile_for(config, model, examples, epochs=EPOCHS):
    from course_utils.seq2seq import compile_seq2seq

    learning_rate = CONFIGS[config].get("learning_rate", LEARNING_RATE)
    return compile_seq2seq(model, learning_rate=learning_rate, decay_steps=epochs * int(np.ceil(examples / BATCH)))


def diagnose(model, inputs, targets):
    """Saturation of z = W_c [c; h] and gradient norms, for a Luong decoder without input feeding."""
    import keras
    import tensorflow as tf
    from keras import ops

    source, target_in = inputs
    decoder = model.decoder
    loss_function = keras.losses.SparseCategoricalCrossentropy(from_logits=True, ignore_class=0)
    with tf.GradientTape() as tape:
        encoder_outputs, state, mask = model.encoder(source)
        outputs, _ = decoder.rnn(decoder.embedding(target_in), initial_state=state)  # h_t
        context, _ = decoder.attention(outputs, encoder_outputs, mask)  # c_t
        z = ops.matmul(ops.concatenate([context, outputs], axis=-1), decoder.combine.kernel)  # W_c [c; h]
        attentional = ops.tanh(z) if decoder.activation == "tanh" else z
        loss = loss_function(targets, decoder.output_layer(attentional))
    parts = {
        "W_c": [decoder.combine.kernel],
        "decoder GRU": decoder.rnn.trainable_weights,
        "encoder": model.encoder.trainable_weights,
        "output layer": decoder.output_layer.trainable_weights,
    }
    gradients = tape.gradient(loss, [w for weights in parts.values() for w in weights])
    norms, start = {}, 0
    for name, weights in parts.items():
        chosen = gradients[start : start + len(weights)]
        norms[name] = float(np.sqrt(sum(float(ops.sum(tf.square(tf.convert_to_tensor(g)))) for g in chosen)))
        start += len(weights)
    real = np.asarray(target_in) != 0  # real target positions only
    z = np.asarray(z)[real]  # (positions, units)
    return {
        "saturated_share": float((np.abs(z) > SATURATION).mean()),
        "mean_abs_z": float(np.abs(z).mean()),
        "gradient_norms": norms,
    }


def run(config, seed, data, arrays, epochs=EPOCHS):
    """Train one configuration from one seed; returns what is recorded for it."""
    import keras

    from course_utils.decoding import translate
    from course_utils.metrics import corpus_bleu

    (source, target_in), target_out = arrays
    model = build(config, data, seed)
    compile_for(config, model, len(target_out), epochs)
    diagnosable = CONFIGS[config]["attention"] in ("dot", "general", "concat") and not CONFIGS[config].get(
        "input_feeding"
    )
    probe = ((source[:512], target_in[:512]), target_out[:512])
    record = {"loss": [], "bleu": [], "epoch_seconds": [], "diagnosis": []}
    sources, references = list(data.test.source), list(data.test.reference)

    class Clock(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            record["epoch_seconds"].append(round(time.perf_counter() - self.start, 2))
            record["loss"].append(round(float(logs["loss"]), 4))
            record["bleu"].append(round(corpus_bleu(translate(model, sources), references).score, 2))
            if diagnosable:
                record["diagnosis"].append(diagnose(model, *probe))

    model((source[:2], target_in[:2]))  # build, so that the diagnosis at initialisation can run
    if diagnosable:
        record["diagnosis"].append(diagnose(model, *probe))  # before training: "epoch 0"
    model.fit((source, target_in), target_out, epochs=epochs, batch_size=BATCH, verbose=0, callbacks=[Clock()])
    record["parameters"] = model.count_params()
    return record


def first_epoch_loss(config, seed=0):
    """The training loss after one epoch of a configuration (the schedule of the full run): a cheap slice that
    tests/test_luong_comparison.py re-checks against the recorded file."""
    data, arrays = harness()
    (source, target_in), target_out = arrays
    model = build(config, data, seed)
    compile_for(config, model, len(target_out))
    history = model.fit((source, target_in), target_out, epochs=1, batch_size=BATCH, verbose=0)
    return float(history.history["loss"][0])


def load_recorded(path=RECORDED):
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {"runs": {}}


def summary(recorded):
    """One row per configuration: parameters, final BLEU mean ± std (and min, max), s/epoch, epochs to BLEU 10."""
    import pandas as pd

    rows = []
    for config in CONFIGS:
        runs = recorded["runs"].get(config, {})
        if not runs:
            continue
        final = [r["bleu"][-1] for r in runs.values()]
        steady = [statistics.median(r["epoch_seconds"][1:] or r["epoch_seconds"]) for r in runs.values()]
        reach = [next((i + 1 for i, b in enumerate(r["bleu"]) if b >= 10), None) for r in runs.values()]
        rows.append(
            {
                "configuration": config,
                "parameters": next(iter(runs.values()))["parameters"],
                "seeds": len(runs),
                "BLEU mean": statistics.mean(final),
                "BLEU std": statistics.stdev(final) if len(final) > 1 else 0.0,
                "BLEU min": min(final),
                "BLEU max": max(final),
                "s/epoch": statistics.median(steady),
                "epochs to BLEU 10": "/".join("–" if r is None else str(r) for r in reach),
            }
        )
    return pd.DataFrame(rows).set_index("configuration")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--configs", nargs="+", default=RUN_ORDER, help="names from CONFIGS")
    parser.add_argument("--smoke", action="store_true", help="200 pairs, 1 epoch, 2 configurations; nothing saved")
    arguments = parser.parse_args()
    from course_utils.environment import set_up

    environment = set_up(seed=0)
    data, arrays = harness(arguments.smoke)
    if arguments.smoke:
        for config in ["Luong general, tanh h̃", "Luong general + input feeding, linear h̃"]:
            record = run(config, 0, data, arrays, epochs=1)
            print(config, json.dumps(record)[:300])
        return
    recorded = load_recorded()
    recorded["harness"] = (
        f"french_english() (12,000 training pairs of at most 10 tokens, 1,000 held-out, seed 0); embeddings "
        f"{EMBEDDING}, encoder GRU {UNITS} per direction, batch {BATCH}, {EPOCHS} epochs, Adam {LEARNING_RATE} "
        f"with cosine decay (lesson 04's harness); greedy decoding, corpus BLEU (sacrebleu)"
    )
    recorded["machine"] = f"{environment.device}, {platform.python_version()}, TensorFlow/Keras as in requirements"
    for seed in arguments.seeds:
        for config in arguments.configs:
            if str(seed) in recorded["runs"].get(config, {}):
                continue
            start = time.perf_counter()
            record = run(config, seed, data, arrays)
            recorded["runs"].setdefault(config, {})[str(seed)] = record
            RECORDED.parent.mkdir(exist_ok=True)
            RECORDED.write_text(json.dumps(recorded, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            print(
                f"seed {seed} {config}: BLEU by epoch {record['bleu']}, loss {record['loss']}, "
                f"{time.perf_counter() - start:.0f} s",
                flush=True,
            )
    print(summary(recorded).round(2).to_string())


if __name__ == "__main__":
    main()
