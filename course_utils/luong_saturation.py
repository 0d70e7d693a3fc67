"""How much of a Luong decoder's tanh sits on its flat tails (lesson 05, section 4).

The attentional state is h̃_t = activation(z_t) with z_t = W_c [c_t; h_t]. Where |z| > 3, tanh'(z) < 0.01: a tanh
unit there passes back less than 1 % of its gradient. ``saturated_share`` measures the share of such entries over
the real (non-padding) target positions of a batch, for a model with a ``LuongDecoder`` (no input feeding):

    share = saturated_share(model, source_ids, target_in)  # a float between 0 and 1
"""

import numpy as np

SATURATION = 3.0  # |z| above which tanh'(z) < 0.01 (benchmarks/luong_comparison.py uses the same threshold)


def attentional_preactivations(model, source_ids, target_in):
    """z = W_c [c_t; h_t] before h̃'s activation, at the real target positions: (positions, units), teacher-forced."""
    from keras import ops

    decoder = model.decoder
    if not all(hasattr(decoder, part) for part in ("rnn", "attention", "combine")):
        raise ValueError(
            f"attentional_preactivations needs a model with a LuongDecoder (a GRU over all steps, then attention and "
            f"W_c), got a {type(decoder).__name__}. Build it with Seq2Seq(attention='dot'/'general'/'concat') "
            f"without input feeding."
        )
    source_ids, target_in = np.asarray(source_ids), np.asarray(target_in)
    if len(source_ids) != len(target_in):
        raise ValueError(
            f"attentional_preactivations: {len(source_ids)} source rows but {len(target_in)} target rows; "
            f"pass the same sentences' source ids and decoder inputs."
        )
    encoder_outputs, state, mask = model.encoder(source_ids)  # (batch, T_in, 2u), (batch, 2u), (batch, T_in)
    outputs, _ = decoder.rnn(decoder.embedding(target_in), initial_state=state)  # h_t: (batch, T_out, units)
    context, _ = decoder.attention(outputs, encoder_outputs, mask)  # c_t: (batch, T_out, 2u)
    z = ops.matmul(ops.concatenate([context, outputs], axis=-1), decoder.combine.kernel)  # (batch, T_out, units)
    return np.asarray(z)[target_in != 0]  # padding positions left out


def saturated_share(model, source_ids, target_in, threshold=SATURATION) -> float:
    """The share of entries of z = W_c [c_t; h_t] with |z| > ``threshold``, over the real target positions."""
    return float((np.abs(attentional_preactivations(model, source_ids, target_in)) > threshold).mean())
