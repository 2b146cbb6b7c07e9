"""The cases of the comparison study: inputs, implementations, references.

A case is one loss, one dtype and one mode ("fwd": the loss alone, "grad":
the loss and its gradient with respect to the input) at one size.  Its
implementations are what a user would call: torch 1.13, scikit-learn 1.2,
the plain numpy expression, xent's binding in every variant this CPU runs,
and "memory": a numpy pass that reads every input array once (and, for
"grad", writes one array the size of the input), the memory-bandwidth limit
of this loss at this size measured in the same process.

Every implementation returns the loss (a float) or (loss, gradient); each
result is checked against a float64 numpy reference computed from the same
inputs, so a wrong kernel is reported, not timed.

Sizes are elements for bce / bce_logits and the number of logits or
probabilities n*k for the row losses (rows = size // k); times are divided
by `elems`, the number of elements (logits) actually processed.
"""

import numpy as np

SEED = 0x78656E74  # "xent", as bench/bench_python.py
LOGIT_STD = 2.0    # as the C harness and bench_python.py

# loss -> (k or None, has a gradient, has a torch reference, has sklearn)
LOSSES = {
    "bce":          (None, True, True, True),
    "bce_logits":   (None, True, True, False),
    "ce_k10":       (10, True, True, False),
    "ce_k1000":     (1000, True, True, False),
    "ce_k32000":    (32000, True, True, False),
    "nll_k10":      (10, True, True, False),
    "log_loss_bin": (None, False, False, True),
    "log_loss_k10": (10, False, False, True),
}
LOSS_ORDER = list(LOSSES)
# The C harness benchmarks that match a case of the study (float32 or
# float64, forward, same distributions, same n or n*k).
HARNESS_LOSS = {
    ("bce", "f32"): "bce_f32", ("bce", "f64"): "bce_f64",
    ("bce_logits", "f32"): "bce_logits_f32", ("bce_logits", "f64"): "bce_logits_f64",
    ("ce_k10", "f32"): "ce_f32_k10", ("ce_k1000", "f32"): "ce_f32_k1000",
    ("ce_k32000", "f32"): "ce_f32_k32000", ("log_loss_k10", "f32"): "log_loss_f32_k10",
}


DTYPES = {"f32": np.float32, "f64": np.float64}
MODES = ("fwd", "grad")

DESCRIPTIONS = {
    "bce": "BCE on probabilities, hard 0/1 targets, p uniform in (0, 1)",
    "bce_logits": "BCE on logits, hard targets, logits N(0, 2^2)",
    "ce_k10": "cross-entropy, k = 10, int64 class targets, logits N(0, 2^2)",
    "ce_k1000": "cross-entropy, k = 1000",
    "ce_k32000": "cross-entropy, k = 32000",
    "nll_k10": "NLL on log-probabilities (log-softmax of N(0, 2^2) logits), k = 10",
    "log_loss_bin": "sklearn log_loss, binary (1-D probabilities), eps auto",
    "log_loss_k10": "sklearn log_loss, k = 10 (random rows normalised to 1), eps auto",
}

# What each implementation computes, for the tables.
IMPL_TEXT = {
    "bce": {
        "torch": "F.binary_cross_entropy(p, y)",
        "sklearn": "log_loss(y, p)",
        "numpy": "-(y*log(p) + (1-y)*log1p(-p)).mean()",
        "numpy.grad": "(p - y) / (p*(1-p)) / n",
        "xent": "xent.binary_cross_entropy(p, y)",
    },
    "bce_logits": {
        "torch": "F.binary_cross_entropy_with_logits(z, y)",
        "numpy": "(maximum(z,0) - z*y + log1p(exp(-|z|))).mean()",
        "numpy.grad": "(1/(1+exp(-z)) - y) / n",
        "xent": "xent.binary_cross_entropy_with_logits(z, y)",
    },
    "ce": {
        "torch": "F.cross_entropy(z, t)",
        "numpy": "m = z.max(1); (log(exp(z-m).sum(1)) + m - z[i,t]).mean()",
        "numpy.grad": "softmax(z) - onehot(t), / n",
        "xent": "xent.cross_entropy(z, t)",
    },
    "nll_k10": {
        "torch": "F.nll_loss(x, t)",
        "numpy": "-x[arange(n), t].mean()",
        "numpy.grad": "zeros; g[arange(n), t] = -1/n",
        "xent": "xent.nll_loss(x, t)",
    },
    "log_loss": {
        "sklearn": "log_loss(y, P, labels=...)",
        "numpy": "P = clip(P, eps, 1-eps); P /= P.sum(1); -log(P[i, y]).mean()",
        "xent": "xent.log_loss(y, P, labels=...)",
    },
}


def impl_text(loss):
    if loss.startswith("ce_"):
        return IMPL_TEXT["ce"]
    if loss.startswith("log_loss"):
        return IMPL_TEXT["log_loss"]
    return IMPL_TEXT[loss]


def case_names(losses=None, dtypes=None, modes=None):
    """Every "loss/dtype/mode" of the study, in table order."""
    out = []
    for loss in losses or LOSS_ORDER:
        grad_ok = LOSSES[loss][1]
        for dt in dtypes or DTYPES:
            for mode in modes or MODES:
                if mode == "grad" and not grad_ok:
                    continue
                out.append("%s/%s/%s" % (loss, dt, mode))
    return out


def rows_of(loss, size):
    k = LOSSES[loss][0]
    return (size // k, k) if k else (size, None)


def _probabilities(rng, n, dt):
    """Uniform in (0, 1), never 0 or 1, exact in dt."""
    bits = 23 if dt == np.float32 else 52
    return ((rng.integers(0, 1 << bits, n, dtype=np.int64) + 0.5)
            * 2.0 ** -bits).astype(dt)


def _logits(rng, shape, dt):
    return (rng.standard_normal(shape) * LOGIT_STD).astype(dt)


def _as_words(a):
    """a's bytes as a 1-D array of the widest unsigned integers that fit."""
    flat = a.reshape(-1)
    for w in (np.uint64, np.uint32, np.uint16):
        if flat.nbytes % np.dtype(w).itemsize == 0:
            return flat.view(w)
    return flat.view(np.uint8)


def _log_softmax64(z):
    z = z.astype(np.float64)
    m = z.max(axis=1, keepdims=True)
    return z - m - np.log(np.exp(z - m).sum(axis=1, keepdims=True))


class Case:
    """One loss/dtype/mode at one size: .impls is {name: (setup, fn)},
    .ref the float64 reference loss, .ref_grad its gradient (or None)."""

    def __init__(self, name, size, mods, variants, default_variant, skip=()):
        self.name = name
        loss, dts, mode = name.split("/")
        self.loss, self.dts, self.mode = loss, dts, mode
        dt = DTYPES[dts]
        self.dt = dt
        self.grad = mode == "grad"
        self.tol = 1e-4 if dt == np.float32 else 1e-8
        rows, k = rows_of(loss, size)
        self.rows, self.k = rows, k
        self.elems = rows * (k or 1)
        self.size = size
        self.impls = {}
        self.ref = self.ref_grad = None
        self.notes = []
        if rows == 0:
            return
        rng = np.random.default_rng(SEED + LOSS_ORDER.index(loss))
        torch, F, xent = mods.get("torch"), mods.get("F"), mods["xent"]
        build = getattr(self, "_" + (loss.split("_k")[0] if loss.startswith(("ce_", "nll_"))
                                     else loss))
        xfn, inputs = build(rng, dt, torch, F, skip)
        if "numpy" in skip:
            self.impls.pop("numpy", None)
        # memory: read every input once (+ write one input-sized array for
        # grad): a bitwise-or reduction over the bytes viewed as uint64, the
        # fastest streaming read numpy has (~ the C harness's read-only pass
        # out of cache; np.add.reduce of float32 is compute-bound in cache)
        views = [_as_words(a) for a in inputs]
        big = max(inputs, key=lambda a: a.nbytes)
        if self.grad:
            buf = np.empty_like(big)
            rest = [v for a, v in zip(inputs, views) if a is not big]

            def memory():
                np.copyto(buf, big)
                for v in rest:
                    np.bitwise_or.reduce(v)
        else:
            def memory():
                for v in views:
                    np.bitwise_or.reduce(v)
        self.impls["memory"] = (None, memory)
        self.memory_bytes = sum(a.nbytes for a in inputs) + (big.nbytes if self.grad else 0)
        # xent: the default variant, then every other variant this CPU runs
        for v in [default_variant] + [v for v in variants if v != default_variant]:
            name = "xent" if v == default_variant else "xent[%s]" % v
            self.impls[name] = ((lambda v=v: xent.set_variant(v)), xfn)

    # ---- builders: set the references and the non-xent impls, return
    #      (xent thunk, input arrays) --------------------------------------

    def _bce(self, rng, dt, torch, F, skip):
        n, g = self.rows, self.grad
        p = _probabilities(rng, n, dt)
        yi = rng.integers(0, 2, n, dtype=np.int64)
        y = yi.astype(dt)
        p64, y64 = p.astype(np.float64), y.astype(np.float64)
        self.ref = float(-(y64 * np.log(p64) + (1 - y64) * np.log1p(-p64)).mean())
        if g:
            self.ref_grad = (p64 - y64) / np.maximum(p64 * (1 - p64), 1e-12) / n
        if torch is not None:
            pt, yt = torch.from_numpy(p), torch.from_numpy(y)
            if g:
                ptg = pt.clone().requires_grad_(True)

                def t_fn():
                    loss = F.binary_cross_entropy(ptg, yt)
                    gr, = torch.autograd.grad(loss, ptg)
                    return loss.item(), gr.numpy()
            else:
                def t_fn():
                    return F.binary_cross_entropy(pt, yt).item()
            self.impls["torch"] = (None, t_fn)
        if not g and "sklearn" not in skip:
            from sklearn.metrics import log_loss
            # sklearn clips p to [eps, 1 - eps] (eps of p's dtype): within tol
            self.impls["sklearn"] = (None, lambda: log_loss(yi, p, labels=[0, 1]))
        if g:
            def np_fn():
                loss = -(y * np.log(p) + (1 - y) * np.log1p(-p)).mean()
                return float(loss), (p - y) / (p * (1 - p)) / n
        else:
            def np_fn():
                return float(-(y * np.log(p) + (1 - y) * np.log1p(-p)).mean())
        self.impls["numpy"] = (None, np_fn)
        import xent
        fn = xent.binary_cross_entropy
        return (lambda: fn(p, y, grad=True)) if g else (lambda: fn(p, y)), [p, y]

    def _bce_logits(self, rng, dt, torch, F, skip):
        n, g = self.rows, self.grad
        z = _logits(rng, n, dt)
        y = rng.integers(0, 2, n, dtype=np.int64).astype(dt)
        z64, y64 = z.astype(np.float64), y.astype(np.float64)
        self.ref = float((np.maximum(z64, 0) - z64 * y64
                          + np.log1p(np.exp(-np.abs(z64)))).mean())
        if g:
            self.ref_grad = (1 / (1 + np.exp(-z64)) - y64) / n
        if torch is not None:
            zt, yt = torch.from_numpy(z), torch.from_numpy(y)
            if g:
                ztg = zt.clone().requires_grad_(True)

                def t_fn():
                    loss = F.binary_cross_entropy_with_logits(ztg, yt)
                    gr, = torch.autograd.grad(loss, ztg)
                    return loss.item(), gr.numpy()
            else:
                def t_fn():
                    return F.binary_cross_entropy_with_logits(zt, yt).item()
            self.impls["torch"] = (None, t_fn)

        def np_loss():
            return float((np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z)))).mean())
        if g:
            def np_fn():
                return np_loss(), (1 / (1 + np.exp(-z)) - y) / n
        else:
            np_fn = np_loss
        self.impls["numpy"] = (None, np_fn)
        import xent
        fn = xent.binary_cross_entropy_with_logits
        return (lambda: fn(z, y, grad=True)) if g else (lambda: fn(z, y)), [z, y]

    def _ce(self, rng, dt, torch, F, skip):
        n, k, g = self.rows, self.k, self.grad
        z = _logits(rng, (n, k), dt)
        t = rng.integers(0, k, n, dtype=np.int64)
        lsm = _log_softmax64(z)
        i = np.arange(n)
        self.ref = float(-lsm[i, t].mean())
        if g:
            sm = np.exp(lsm)
            sm[i, t] -= 1
            self.ref_grad = sm / n
            del sm
        del lsm
        if torch is not None:
            zt, tt = torch.from_numpy(z), torch.from_numpy(t)
            if g:
                ztg = zt.clone().requires_grad_(True)

                def t_fn():
                    loss = F.cross_entropy(ztg, tt)
                    gr, = torch.autograd.grad(loss, ztg)
                    return loss.item(), gr.numpy()
            else:
                def t_fn():
                    return F.cross_entropy(zt, tt).item()
            self.impls["torch"] = (None, t_fn)
        if g:
            def np_fn():
                m = z.max(axis=1, keepdims=True)
                e = np.exp(z - m)
                s = e.sum(axis=1, keepdims=True)
                loss = (np.log(s[:, 0]) + m[:, 0] - z[i, t]).mean()
                sm = e / s
                sm[i, t] -= 1
                sm /= n
                return float(loss), sm
        else:
            def np_fn():
                m = z.max(axis=1, keepdims=True)
                return float((np.log(np.exp(z - m).sum(axis=1)) + m[:, 0] - z[i, t]).mean())
        self.impls["numpy"] = (None, np_fn)
        import xent
        fn = xent.cross_entropy
        return (lambda: fn(z, t, grad=True)) if g else (lambda: fn(z, t)), [z, t]

    def _nll(self, rng, dt, torch, F, skip):
        n, k, g = self.rows, self.k, self.grad
        x64 = _log_softmax64(_logits(rng, (n, k), np.float64))
        x = x64.astype(dt)
        t = rng.integers(0, k, n, dtype=np.int64)
        i = np.arange(n)
        self.ref = float(-x[i, t].astype(np.float64).mean())
        if g:
            gr = np.zeros((n, k))
            gr[i, t] = -1.0 / n
            self.ref_grad = gr
        del x64
        if torch is not None:
            xt, tt = torch.from_numpy(x), torch.from_numpy(t)
            if g:
                xtg = xt.clone().requires_grad_(True)

                def t_fn():
                    loss = F.nll_loss(xtg, tt)
                    gr, = torch.autograd.grad(loss, xtg)
                    return loss.item(), gr.numpy()
            else:
                def t_fn():
                    return F.nll_loss(xt, tt).item()
            self.impls["torch"] = (None, t_fn)
        if g:
            def np_fn():
                gr = np.zeros_like(x)
                gr[i, t] = -1.0 / n
                return float(-x[i, t].mean()), gr
        else:
            def np_fn():
                return float(-x[i, t].mean())
        self.impls["numpy"] = (None, np_fn)
        import xent
        fn = xent.nll_loss
        return (lambda: fn(x, t, grad=True)) if g else (lambda: fn(x, t)), [x, t]

    def _log_loss_common(self, P, y, labels, dt, skip):
        eps = float(np.finfo(dt).eps)
        P64 = np.clip(P.astype(np.float64), eps, 1 - eps)
        if P64.ndim == 1:
            P64 = np.stack([1 - P64, P64], axis=1)
        P64 /= P64.sum(axis=1, keepdims=True)
        self.ref = float(-np.log(P64[np.arange(len(y)), y]).mean())
        del P64
        if "sklearn" not in skip:
            from sklearn.metrics import log_loss
            self.impls["sklearn"] = (None, lambda: log_loss(y, P, labels=labels))
        import xent
        fn = xent.log_loss
        return (lambda: fn(y, P, labels=labels)), [P, y]

    def _log_loss_bin(self, rng, dt, torch, F, skip):
        n = self.rows
        p = _probabilities(rng, n, dt)
        y = rng.integers(0, 2, n, dtype=np.int64)
        eps = dt(np.finfo(dt).eps)
        yf = y.astype(dt)

        def np_fn():
            pc = np.clip(p, eps, 1 - eps)
            return float(-(yf * np.log(pc) + (1 - yf) * np.log(1 - pc)).mean())
        self.impls["numpy"] = (None, np_fn)
        return self._log_loss_common(p, y, [0, 1], dt, skip)

    def _log_loss_k10(self, rng, dt, torch, F, skip):
        n, k = self.rows, self.k
        P = rng.random((n, k)) + 1e-3
        P = (P / P.sum(axis=1, keepdims=True)).astype(dt)
        y = rng.integers(0, k, n, dtype=np.int64)
        eps = dt(np.finfo(dt).eps)
        i = np.arange(n)

        def np_fn():
            pc = np.clip(P, eps, 1 - eps)
            pc /= pc.sum(axis=1, keepdims=True)
            return float(-np.log(pc[i, y]).mean())
        self.impls["numpy"] = (None, np_fn)
        return self._log_loss_common(P, y, list(range(k)), dt, skip)

    # ---- result check -------------------------------------------------

    def check(self, result):
        """None if result agrees with the float64 reference, else why not."""
        if result is None:          # the memory pass computes nothing to check
            return None
        grad = None
        if isinstance(result, tuple):
            result, grad = result
        try:
            v = float(result)
        except (TypeError, ValueError):
            return "not a number: %r" % (result,)
        err = abs(v - self.ref) / max(abs(self.ref), 1e-300)
        if not err <= self.tol:
            return "loss %.17g, reference %.17g (relative error %.3g > %g)" % (
                v, self.ref, err, self.tol)
        if self.grad:
            if grad is None:
                return "no gradient returned"
            grad = np.asarray(grad)
            if grad.shape != self.ref_grad.shape:
                return "gradient shape %s, expected %s" % (grad.shape, self.ref_grad.shape)
            scale = float(np.abs(self.ref_grad).max()) or 1.0
            gerr = float(np.abs(grad.astype(np.float64) - self.ref_grad).max()) / scale
            if not gerr <= self.tol:
                return "gradient max error %.3g of its largest entry > %g" % (gerr, self.tol)
        return None
