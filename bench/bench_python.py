#!/usr/bin/python3
"""xent's Python binding against what Python users call today.

    OMP_NUM_THREADS=1 PYTHONPATH=python /usr/bin/python3 bench/bench_python.py \
        [--sizes 65536,1048576,16777216] [--markdown FILE] [--json FILE]

Binary cross-entropy, float32, hard 0/1 targets, reduction mean, one
thread (torch.set_num_threads(1), OMP_NUM_THREADS=1), the same inputs for
everyone:

* torch   ``F.binary_cross_entropy(p, y)`` on float32 tensors (from_numpy)
* sklearn ``sklearn.metrics.log_loss(y, p)`` (binary, integer labels)
* numpy   ``-(y*np.log(p)+(1-y)*np.log1p(-p)).mean()``
* xent    ``xent.binary_cross_entropy(p, y)`` (numpy arrays, ctypes)

Each is timed with timeit on the process CPU clock (time.process_time, like
the C harness's CPU time, so other processes on the 2 shared cores skew it
less): ``number`` chosen so one repeat takes at least ~0.2 s, 5 repeats (3
when one call takes over 0.5 s), repeats round-robin over the
implementations, median per call.
Prints a Markdown table with the speed-up of xent over each; the targets
are >= 15x torch and >= 200x sklearn at n = 1M.  Every result is checked
against a float64 numpy mean (relative 1e-4); a disagreement is printed and
marked WRONG RESULT in the table.
"""

import os

# Before numpy / torch are imported: one thread everywhere.
for _v in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[_v] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import timeit  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402

TARGETS = {("torch", 1 << 20): 15.0, ("sklearn", 1 << 20): 200.0}
MIN_REPEAT_S = 0.2


def size_label(n):
    if n % (1 << 20) == 0:
        return "%dM" % (n >> 20)
    if n % (1 << 10) == 0:
        return "%dK" % (n >> 10)
    return str(n)


def make_inputs(n, seed=0x78656E74):
    """p uniform in the open interval (0,1), y 0/1 with probability 1/2."""
    rng = np.random.default_rng(seed)
    k = rng.integers(0, 1 << 23, n, dtype=np.int64)
    p = ((k + 0.5) * 2.0**-23).astype(np.float32)  # exact: never 0 or 1
    y = rng.integers(0, 2, n, dtype=np.int64)
    return p, y.astype(np.float32), y


def time_calls(fns):
    """{name: (median seconds per call, number, repeats)}.

    number is chosen per function so a repeat takes >= MIN_REPEAT_S; the
    repeats go round-robin over the functions, so a change in machine load
    during the run hits all of them alike."""
    clock = time.process_time
    plan = {}
    for k, fn in fns.items():
        fn()  # warm up (and page in)
        t0 = clock()
        fn()
        one = max(clock() - t0, 1e-7)
        plan[k] = (timeit.Timer(fn, timer=clock), max(1, int(math.ceil(MIN_REPEAT_S / one))),
                   3 if one > 0.5 else 5)
    times = {k: [] for k in fns}
    for rep in range(max(r for (_, _, r) in plan.values())):
        for k, (timer, number, repeat) in plan.items():
            if rep < repeat:
                times[k].append(timer.timeit(number) / number)
    return {k: (statistics.median(times[k]), plan[k][1], plan[k][2]) for k in fns}


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="65536,1048576,16777216",
                    help="comma-separated element counts")
    ap.add_argument("--markdown", help="also write the Markdown table here")
    ap.add_argument("--json", help="write the raw figures here")
    ap.add_argument("--skip", default="", help="comma-separated: torch,sklearn,numpy")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    skip = set(s for s in args.skip.split(",") if s)

    import xent

    impls = {}
    versions = {"numpy": np.__version__, "python": platform.python_version()}
    if "torch" not in skip:
        import torch
        import torch.nn.functional as F
        torch.set_num_threads(1)
        versions["torch"] = torch.__version__

        def torch_fn(p, y, yi):
            pt, yt = torch.from_numpy(p), torch.from_numpy(y)
            return lambda: F.binary_cross_entropy(pt, yt).item()
        impls["torch"] = ("torch F.binary_cross_entropy (float32)", torch_fn)
    if "sklearn" not in skip:
        import sklearn
        from sklearn.metrics import log_loss
        versions["sklearn"] = sklearn.__version__

        def sk_fn(p, y, yi):
            return lambda: log_loss(yi, p)
        impls["sklearn"] = ("sklearn log_loss (binary)", sk_fn)
    if "numpy" not in skip:
        def np_fn(p, y, yi):
            return lambda: float(-(y * np.log(p) + (1 - y) * np.log1p(-p)).mean())
        impls["numpy"] = ("numpy -(y*log(p)+(1-y)*log1p(-p)).mean()", np_fn)

    def xent_fn(p, y, yi):
        return lambda: xent.binary_cross_entropy(p, y)
    impls["xent"] = ("xent.binary_cross_entropy (%s)" % xent.variant(), xent_fn)

    results = []
    for n in sizes:
        p, y, yi = make_inputs(n)
        fns = {k: make(p, y, yi) for k, (_, make) in impls.items()}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = {k: float(f()) for k, f in fns.items()}
        # The float64 mean of the float64 terms is the yardstick; torch and
        # numpy sum in float32 / pairwise and sklearn clips p to
        # [2^-23, 1 - 2^-23]: 1e-4 relative covers all of them.
        p64, y64 = p.astype(np.float64), y.astype(np.float64)
        ref = float(-(y64 * np.log(p64) + (1 - y64) * np.log1p(-p64)).mean())
        agrees = {}
        for k, v in values.items():
            agrees[k] = abs(v - ref) <= 1e-4 * abs(ref)
            if not agrees[k]:
                print("bench_python: %s gives %r, expected %r at n=%d" % (k, v, ref, n),
                      file=sys.stderr)
        timed = {}
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            measured = time_calls(fns)
        for k in fns:
            sec, number, repeat = measured[k]
            timed[k] = sec
            results.append({"n": n, "impl": k, "seconds": sec,
                            "ns_per_elem": sec / n * 1e9, "number": number,
                            "repeat": repeat, "value": values[k], "agrees": agrees[k]})
            print("  n=%-9d %-8s %9.3f ns/elem" % (n, k, sec / n * 1e9),
                  file=sys.stderr, flush=True)
        for r in results:
            if r["n"] == n:
                r["xent_speedup"] = r["seconds"] / timed["xent"]

    lines = ["## xent vs Python references (BCE, float32, hard targets, mean, 1 thread, CPU time, median)",
             "",
             "Versions: %s; xent variant `%s`." % (
                 ", ".join("%s %s" % kv for kv in sorted(versions.items())), xent.variant()),
             "",
             "| n | implementation | ns/elem | ms/call | xent speed-up | target | result |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        tgt = TARGETS.get((r["impl"], r["n"]))
        if r["impl"] == "xent":
            sp = "1×"
        else:
            sp = "%.1f×" % r["xent_speedup"]
        result = ("PASS" if r["xent_speedup"] >= tgt else "MISS") if tgt else ""
        if not r["agrees"]:
            result = "WRONG RESULT %r" % r["value"]
        lines.append("| %s | %s | %.3f | %.3f | %s | %s | %s |" % (
            size_label(r["n"]), impls[r["impl"]][0], r["ns_per_elem"],
            r["seconds"] * 1e3, sp, "≥ %g×" % tgt if tgt else "", result))
    text = "\n".join(lines) + "\n"
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as fh:
            fh.write(text)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"versions": versions, "variant": xent.variant(),
                       "results": results}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
