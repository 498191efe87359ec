"""The recipes of the PyTorch curve corpora: data/curves-torch/dev.jsonl and holdout.jsonl.

A recipe is a dict: id, family, label (the pattern its set-up is built to produce), and the training
configuration read by generate.train (data, seed, split, model, optimizer, lr, schedule, batch,
epochs, ...). `epochs` is the number of full-batch steps when batch is None. The dev set uses seeds
0-9; the holdout uses different families and seeds 100 and up.
"""

TAB = ["iris", "wine", "breast_cancer", "digits"]


def R(out, label, family, **c):
    keys = [k for k in ("data", "model", "opt", "lr", "seed") if k in c]
    c["id"] = family + "-" + "-".join(str(c[k]) for k in keys)
    if "tag" in c:
        c["id"] += "-" + str(c.pop("tag"))
    c.update(label=label, family=family)
    out.append(c)


def dev():
    o = []
    H, S, SL, O, U, OS, D, I = ("healthy_convergence", "still_improving", "slow_progress", "overfitting",
                                 "underfitting", "oscillating", "diverging", "insufficient_data")
    for s in (0, 1, 2):
        for d in TAB:
            # healthy: sensible lr, trained to the plateau
            R(o, H, "dev_healthy_softmax_adam", data=d, model="linear", opt="adam", lr=0.01, wd=3e-2, epochs=400, seed=s)
            R(o, H, "dev_healthy_mlp_adam", data=d, model="mlp", hidden=[32], opt="adam", lr=0.01, wd=3e-2, batch=64, epochs=60, seed=s)
            R(o, H, "dev_healthy_softmax_sgd", data=d, model="linear", opt="sgd", lr=0.5, wd=2e-2, epochs=300, seed=s)
            # still improving: 20-50x smaller lr, stopped mid-descent
            R(o, S, "dev_improving_softmax_sgd", data=d, model="linear", opt="sgd", lr=0.003 if d == "breast_cancer" else 0.01, epochs=120, seed=s)
            R(o, S, "dev_improving_mlp_sgd", data=d, model="mlp", hidden=[32], opt="sgd", lr=0.003, batch=16, epochs=25, seed=s)
            R(o, S, "dev_improving_mlp_adam", data=d, model="mlp", hidden=[32], opt="adam", lr=3e-4, epochs=300, seed=s)
            # slow progress: lr 100-1000x too small
            R(o, SL, "dev_slow_softmax_sgd", data=d, model="linear", opt="sgd", lr=1e-4 if d == "breast_cancer" else 2e-4, epochs=300, seed=s)
            R(o, SL, "dev_slow_mlp_sgd", data=d, model="mlp", hidden=[32], opt="sgd", lr=2e-4, batch=16, epochs=40, seed=s)
            R(o, SL, "dev_slow_mlp_adam", data=d, model="mlp", hidden=[32], opt="adam", lr={"iris": 3e-5, "wine": 3e-5, "breast_cancer": 1e-5, "digits": 5e-6}[d], batch=32, epochs=60, seed=s)
            # underfitting: heavy L2, trained to the plateau
            R(o, U, "dev_underfit_softmax_l2", data=d, model="linear", opt="sgd", lr=0.1, wd=5.0, epochs=300, seed=s)
            R(o, U, "dev_underfit_mlp_wd", data=d, model="mlp", hidden=[32], opt="adam", lr=0.01, wd=1.0, epochs=300, seed=s)
            # insufficient data: a few epochs
            R(o, I, "dev_short_mlp_adam", data=d, model="mlp", hidden=[32], opt="adam", lr=0.01, batch=32, epochs=8 + 4 * s, seed=s)
            R(o, I, "dev_short_softmax_sgd", data=d, model="linear", opt="sgd", lr=0.5, epochs=10 + 4 * s, seed=s)
    for s in range(5):
        # overfitting: wide MLP / unregularized model on a tiny training subset
        R(o, O, "dev_overfit_wide_mlp_adam", data="digits", train_rows=60, model="mlp", hidden=[128, 128], opt="adam", lr=1e-3, epochs=200, val_every=8, seed=s)
        R(o, O, "dev_overfit_wide_mlp_adam", data="breast_cancer", train_rows=40, model="mlp", hidden=[128, 128], opt="adam", lr=1e-3, epochs=200, val_every=8, seed=s)
        R(o, O, "dev_overfit_wide_mlp_sgd", data="wine", train_rows=30, label_noise=0.2, model="mlp", hidden=[256], opt="sgd", lr=0.2, epochs=400, val_every=10, seed=s)
        R(o, O, "dev_overfit_softmax_adam", data="digits", train_rows=50, model="linear", opt="adam", lr=0.01, epochs=300, val_every=10, seed=s)
        # underfitting: a 1-unit bottleneck on digits; a linear model on iris versicolor vs rest
        R(o, U, "dev_underfit_bottleneck", data="digits", model="mlp", hidden=[1], opt="adam", lr=0.03, batch=64, epochs=100, seed=s)
        R(o, U, "dev_underfit_not_separable", data="iris", positive=1, model="linear", opt="adam", lr=0.05, epochs=300, seed=s)
        # oscillating: lr far above the stability limit, label noise, tiny batches
        R(o, OS, "dev_osc_logreg_sgd_batch4", data="breast_cancer", label_noise=0.2, model="linear", opt="sgd", lr=[0.3, 0.5, 0.7, 0.4, 0.6][s], batch=4, epochs=60, seed=s)
        R(o, OS, "dev_osc_mlp_adam_batch4", data="iris", label_noise=0.2, model="mlp", hidden=[32], opt="adam", lr=0.5, batch=4, epochs=100, seed=s)
        R(o, OS, "dev_osc_softmax_sgd_batch2", data="wine", label_noise=0.2, model="linear", opt="sgd", lr=[0.5, 0.7, 1.0, 0.6, 0.8][s], batch=2, epochs=60, seed=s)
        R(o, OS, "dev_osc_mlp_sgd_batch2", data="wine", label_noise=0.3, model="mlp", hidden=[32], opt="sgd", lr=[0.3, 0.25, 0.35, 0.2, 0.3][s], batch=2, epochs=40, seed=s)
        R(o, OS, "dev_osc_softmax_adam_batch4", data="iris", label_noise=0.1, model="linear", opt="adam", lr=[1.0, 2.0, 0.5, 1.5, 3.0][s], batch=4, epochs=100, seed=s)
        # diverging: lr above 2/L on least squares, raw unscaled features, SGD on an MLP with a huge lr
        R(o, D, "dev_diverge_lsq_gd", data=TAB[s % 4], loss="mse", model="linear", opt="sgd", lr=[1.5, 2.0, 0.6, 1.0, 2.5][s], epochs=200, seed=s)
        R(o, D, "dev_diverge_raw_features", data=["wine", "breast_cancer"][s % 2], scale="raw", loss="mse", model="linear", opt="sgd", lr=[1e-5, 2e-6, 3e-6, 1e-6, 5e-6][s], epochs=200, seed=s)
        R(o, D, "dev_diverge_mlp_sgd", data=TAB[s % 4], loss="mse", model="mlp", hidden=[64, 64], opt="sgd", lr=[5.0, 3.0, 4.0, 6.0, 5.0][s], epochs=200, seed=s)
        R(o, D, "dev_diverge_mlp_adam", data=TAB[(s + 1) % 4], loss="mse", model="mlp", hidden=[64, 64], opt="adam", lr=[1.0, 3.0, 10.0, 5.0, 2.0][s], epochs=200, seed=s)
    for s in range(5, 10):  # more cheap blow-ups: least squares above 2/L, raw features
        R(o, D, "dev_diverge_lsq_gd", data=TAB[s % 4], loss="mse", model="linear", opt="sgd", lr=[1.2, 1.3, 0.5, 1.1, 1.4][s - 5], epochs=200, seed=s)
        R(o, D, "dev_diverge_raw_features", data=["wine", "breast_cancer"][s % 2], scale="raw", loss="mse", model="linear", opt="sgd", lr=[4e-6, 2e-6, 8e-6, 1.5e-6, 6e-6][s - 5], epochs=200, seed=s)
    return o


def holdout():
    o = []
    H, S, SL, O, U, OS, D, I = ("healthy_convergence", "still_improving", "slow_progress", "overfitting",
                                 "underfitting", "oscillating", "diverging", "insufficient_data")
    sub = dict(data="digits", train_rows=500, val_frac=0.2)  # digits nets train on 500 rows to bound the generation time
    for s in range(100, 106):
        # healthy
        R(o, H, "ho_healthy_deep_mlp_nesterov_cosine", **sub, model="mlp", hidden=[128, 128, 128], opt="nesterov", lr=0.05, wd=5e-4, sched="cosine", batch=32, epochs=30, seed=s)
        R(o, H, "ho_healthy_cnn_adamw_steplr", **sub, model="cnn", opt="adamw", lr=3e-3, wd=1e-2, sched="step", every=0.3, gamma=0.3, batch=32, epochs=25, seed=s)
        R(o, H, "ho_healthy_rmsprop_warmup_cosine", data=["breast_cancer", "wine", "iris"][s % 3], model="mlp", hidden=[64, 64], opt="rmsprop", lr=1e-3, wd=1e-3, sched="warmup_cosine", batch=32, epochs=60, seed=s)
        R(o, H, "ho_healthy_adagrad_softmax", data=TAB[s % 4], model="linear", opt="adagrad", lr=0.5, wd=3e-2, epochs=300, seed=s)
        R(o, H, "ho_healthy_finetune_adam", data="digits", classes=[5, 6, 7, 8, 9], finetune="full", model="mlp", hidden=[128, 128], opt="adam", lr=1e-3, wd=1e-2, sched="cosine", batch=64, epochs=30, seed=s)
        # still improving
        R(o, S, "ho_improving_cnn_momentum", **sub, model="cnn", opt="momentum", lr=0.001, batch=32, epochs=25, seed=s)
        R(o, S, "ho_improving_deep_mlp_adamw", **sub, model="mlp", hidden=[128, 128, 128], opt="adamw", lr=1e-4, wd=1e-2, batch=32, epochs=25, seed=s)
        R(o, S, "ho_improving_rmsprop", data=["breast_cancer", "wine", "iris"][s % 3], model="mlp", hidden=[64, 64], opt="rmsprop", lr=1e-4, batch=16, epochs=40, seed=s)
        R(o, S, "ho_improving_adagrad_softmax", data=TAB[s % 4], model="linear", opt="adagrad", lr=0.01, epochs=100, seed=s)
        R(o, S, "ho_improving_finetune_frozen_low_lr", data="digits", classes=[5, 6, 7, 8, 9], finetune="frozen", model="mlp", hidden=[128, 128], opt="sgd", lr=0.003, batch=32, epochs=25, seed=s)
        # slow progress: poor initialization, or a far too small lr with other optimizers
        R(o, SL, "ho_slow_huge_init_tanh", data=TAB[s % 4], model="mlp", hidden=[64], act="tanh", init_scale=10.0, opt="sgd", lr=2e-4, epochs=300, seed=s)
        R(o, SL, "ho_slow_small_init_tanh", data=TAB[(s + 2) % 4], model="mlp", hidden=[64, 64], act="tanh", init_scale=[0.02, 0.05, 0.1][s % 3], opt="sgd", lr=0.1, epochs=300, seed=s)
        R(o, SL, "ho_slow_cnn_adamw_tiny_lr", **sub, model="cnn", opt="adamw", lr=3e-6, batch=32, epochs=25, seed=s)
        R(o, SL, "ho_slow_rmsprop_tiny_lr", data=TAB[s % 4], model="mlp", hidden=[64, 64], opt="rmsprop", lr=3e-6, batch=32, epochs=40, seed=s)
        R(o, SL, "ho_slow_nesterov_tiny_lr", data=TAB[(s + 1) % 4], model="mlp", hidden=[128, 128], opt="nesterov", lr=1e-5, batch=32, epochs=30, seed=s)
        # overfitting
        R(o, O, "ho_overfit_deep_mlp_adamw", data="digits", train_rows=80, label_noise=0.1, model="mlp", hidden=[128, 128, 128], opt="adamw", lr=1e-3, wd=0.0, batch=16, epochs=80, val_every=2, seed=s)
        R(o, O, "ho_overfit_cnn_adam", data="digits", train_rows=100, val_frac=0.2, model="cnn", opt="adam", lr=3e-3, batch=20, epochs=60, val_every=2, seed=s)
        R(o, O, "ho_overfit_rmsprop_small_split", data="breast_cancer", train_rows=40, model="mlp", hidden=[128, 128], opt="rmsprop", lr=1e-3, batch=8, epochs=60, val_every=2, seed=s)
        R(o, O, "ho_overfit_noisy_labels_nesterov", data="wine", train_rows=40, label_noise=0.3, model="mlp", hidden=[128, 128], opt="nesterov", lr=0.02, batch=8, epochs=120, val_every=3, seed=s)
        R(o, O, "ho_overfit_adagrad_noisy", data="iris", train_rows=40, label_noise=0.3, model="mlp", hidden=[128, 128], opt="adagrad", lr=0.05, batch=8, epochs=120, val_every=3, seed=s)
        # underfitting
        R(o, U, "ho_underfit_momentum_l2", data=TAB[(s + 2) % 4], model="linear", opt="momentum", lr=0.05, wd=2.0, batch=32, epochs=40, seed=s)
        R(o, U, "ho_underfit_rmsprop_bottleneck", data=["digits", "wine"][s % 2], model="mlp", hidden=[64, 1], opt="rmsprop", lr=1e-3, batch=64, epochs=60, seed=s)
        R(o, U, "ho_underfit_adagrad_weak_feature", data="breast_cancer", features=[9, 14, 19][s % 3:s % 3 + 1], model="linear", opt="adagrad", lr=0.3, epochs=300, seed=s)
        # oscillating
        R(o, OS, "ho_osc_rmsprop_noisy", data="iris", label_noise=0.3, model="mlp", hidden=[64], opt="rmsprop", lr=[0.05, 0.1, 0.2][s % 3], batch=4, epochs=100, seed=s)
        R(o, OS, "ho_osc_momentum_batch2", data="breast_cancer", label_noise=0.1, model="linear", opt="momentum", lr=[0.02, 0.05, 0.1][s % 3], batch=2, epochs=40, seed=s)
        R(o, OS, "ho_osc_nesterov_high_lr_noisy", data="iris", label_noise=0.2, model="mlp", hidden=[32], opt="nesterov", lr=[0.3, 0.5, 1.0][s % 3], batch=4, epochs=100, seed=s)
        # diverging
        R(o, D, "ho_diverge_warmup_to_huge_lr", data=TAB[s % 3], model="mlp", hidden=[64, 64], opt="sgd", lr=50.0, sched="warmup", warm=0.5, batch=32, epochs=60, seed=s)
        R(o, D, "ho_diverge_rising_lr", data=TAB[(s + 1) % 4], loss="mse", model="linear", opt="sgd", lr=0.05, sched="exp", gamma=1.05, epochs=300, seed=s)
        # insufficient data
        R(o, I, "ho_short_cnn", **sub, model="cnn", opt="adamw", lr=3e-3, batch=32, epochs=5 + s % 3 * 4, seed=s)
        R(o, I, "ho_short_adagrad", data=TAB[s % 4], model="linear", opt="adagrad", lr=0.5, epochs=12 + s % 3 * 3, seed=s)
    for s in range(106, 112):  # more seeds of cheap families, so that every label reaches 25
        R(o, D, "ho_diverge_rising_lr", data=TAB[(s + 1) % 4], loss="mse", model="linear", opt="sgd", lr=0.05, sched="exp", gamma=[1.03, 1.05, 1.08][s % 3], epochs=300, seed=s)
        R(o, D, "ho_diverge_warmup_to_huge_lr", data=TAB[s % 3], model="mlp", hidden=[64, 64], opt="sgd", lr=50.0, sched="warmup", warm=0.5, batch=32, epochs=60, seed=s)
        R(o, OS, "ho_osc_momentum_batch2", data="breast_cancer", label_noise=0.1, model="linear", opt="momentum", lr=[0.02, 0.05, 0.1][s % 3], batch=2, epochs=40, seed=s)
        R(o, OS, "ho_osc_nesterov_high_lr_noisy", data="iris", label_noise=0.2, model="mlp", hidden=[32], opt="nesterov", lr=[0.3, 0.5, 1.0][s % 3], batch=4, epochs=100, seed=s)
        R(o, U, "ho_underfit_adagrad_weak_feature", data="breast_cancer", features=[9, 14, 19][s % 3:s % 3 + 1], model="linear", opt="adagrad", lr=0.3, epochs=300, seed=s)
    for s in range(112, 118):  # further seeds and two cheap families, so that every label reaches 25 after the rules
        R(o, D, "ho_diverge_rising_lr", data=TAB[(s + 1) % 4], loss="mse", model="linear", opt="sgd", lr=0.05, sched="exp", gamma=[1.03, 1.05, 1.08][s % 3], epochs=300, seed=s)
        R(o, D, "ho_diverge_rising_lr_momentum", data=TAB[s % 4], loss="mse", model="linear", opt="momentum", lr=0.005, sched="exp", gamma=[1.03, 1.05, 1.08][s % 3], epochs=300, seed=s)
        R(o, OS, "ho_osc_nesterov_high_lr_noisy", data="iris", label_noise=0.2, model="mlp", hidden=[32], opt="nesterov", lr=[0.3, 0.5, 1.0][s % 3], batch=4, epochs=100, seed=s)
        R(o, OS, "ho_osc_momentum_batch2", data="breast_cancer", label_noise=0.1, model="linear", opt="momentum", lr=[0.02, 0.05, 0.1][s % 3], batch=2, epochs=40, seed=s)
        R(o, SL, "ho_slow_huge_init_tanh", data=TAB[s % 4], model="mlp", hidden=[64], act="tanh", init_scale=10.0, opt="sgd", lr=2e-4, epochs=300, seed=s)
        R(o, U, "ho_underfit_nesterov_not_separable", data="iris", positive=1, model="linear", opt="nesterov", lr=0.1, epochs=300, seed=s)
        R(o, U, "ho_underfit_rmsprop_not_separable", data="iris", positive=1, model="linear", opt="rmsprop", lr=0.01, batch=16, epochs=60, seed=s)
        R(o, H, "ho_healthy_deep_mlp_nesterov_cosine", **sub, model="mlp", hidden=[128, 128, 128], opt="nesterov", lr=0.05, wd=5e-4, sched="cosine", batch=32, epochs=30, seed=s)
        R(o, S, "ho_improving_cnn_momentum", **sub, model="cnn", opt="momentum", lr=0.001, batch=32, epochs=25, seed=s)
    for s in range(118, 124):  # underfitting fell short (16): two cheap heavy-L2 softmax families
        R(o, U, "ho_underfit_adagrad_heavy_l2", data=TAB[s % 4], model="linear", opt="adagrad", lr=0.5, wd=5.0, epochs=300, seed=s)
        R(o, U, "ho_underfit_adamw_heavy_wd", data=TAB[s % 4], model="linear", opt="adamw", lr=0.05, wd=30.0, epochs=300, seed=s)
    for s in range(124, 128):  # underfitting still one short (24): four more seeds of the heavy-wd AdamW softmax regression
        R(o, U, "ho_underfit_adamw_heavy_wd", data=["iris", "wine", "digits", "iris"][s - 124], model="linear", opt="adamw", lr=0.05, wd=30.0, epochs=300, seed=s)
    return o


def recipes(which):
    return dev() if which == "dev" else holdout()
