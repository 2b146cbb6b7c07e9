#!/usr/bin/python3
"""Ratios from one run of the xent benchmark harness.

    /usr/bin/python3 bench/summary.py RESULTS.json [MORE.json ...] [-o TABLE.md | TABLE.md]

Reads Google Benchmark JSON (--benchmark_out_format=json) from xent_bench,
takes each benchmark's median (its only run when there are no repetitions)
of the time_per_elem counter (CPU seconds per element), and prints Markdown:

* the target ratios, with PASS/MISS, for float32 hard (0/1) and soft
  targets: xent avx2 against the naive SLEEF AVX2 loop and against gcc's
  -ffast-math libmvec loop at n = 64K, avx512 against avx2 at 64K, and the
  default variant's speed at n = 16M as a share of a read-only pass over the
  same bytes (the memory-bandwidth limit);
* the same for the losses of bench_losses.cc: cross-entropy (k = 1000
  and 32000) at n*k = 16M as a share of a read-only pass over the logits
  (target >= 80%), and, without a target, the default variant's speed-up
  over the libm and libmvec loops and its share of the read-only pass for
  BCE on logits, cross-entropy, NLL and log-loss;
* ns per element (per logit for cross-entropy, per probability for
  log-loss, per row for NLL) for every implementation and size.

Targets that need a variant this CPU cannot run (avx512 without AVX-512)
are reported as "n/a (no AVX-512 on this CPU)" and not counted.

Several JSON files (bench/run.sh writes one per size group) are merged; a
name that appears twice keeps its last value.  Missing benchmarks show as
"n/a" and count as MISS.
"""

import argparse
import json
import re
import sys

K64 = 1 << 16
M16 = 1 << 24
NAME_RE = re.compile(r"^(?P<loss>[^/]+)/(?P<impl>[^/]+)/(?P<n>\d+)$")


def load(paths):
    """{(loss, impl, n): ns_per_element}, errors, context of the first file."""
    medians, singles, errors, context = {}, {}, {}, None
    for path in paths:
        with open(path) as fh:
            doc = json.load(fh)
        if context is None:
            context = doc.get("context", {})
        for b in doc.get("benchmarks", []):
            m = NAME_RE.match(b.get("run_name", b["name"]))
            if not m:
                continue
            key = (m["loss"], m["impl"], int(m["n"]))
            if b.get("error_occurred"):
                errors[key] = b.get("error_message", "error")
                continue
            t = b.get("time_per_elem")
            if t is None:
                continue
            ns = float(t) * 1e9
            if b.get("run_type") == "aggregate":
                if b.get("aggregate_name") == "median":
                    medians[key] = ns
            else:
                singles.setdefault(key, []).append(ns)
    result = {}
    for key, vals in singles.items():
        vals = sorted(vals)
        mid = len(vals) // 2
        result[key] = vals[mid] if len(vals) % 2 else 0.5 * (vals[mid - 1] + vals[mid])
    result.update(medians)
    return result, errors, context or {}


def size_label(n):
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return "%dM" % (n >> 20)
    if n >= 1 << 10 and n % (1 << 10) == 0:
        return "%dK" % (n >> 10)
    return str(n)


def fmt_ns(v):
    if v is None:
        return "n/a"
    return "%.3f" % v if v < 10 else "%.2f" % v


NO_AVX512 = "n/a (no AVX-512 on this CPU)"


def variants_of(ctx):
    return [v for v in ctx.get("xent_variants", "").split(",") if v]


def default_of(ctx):
    variants = variants_of(ctx)
    return ctx.get("xent_default_variant", variants[0] if variants else "avx2")


def has_avx512(ctx):
    """Whether the CPU that ran the harness can run the avx512 variant."""
    if "cpu_avx512f" in ctx:
        return ctx["cpu_avx512f"] == "yes"
    return "avx512" in variants_of(ctx)


def read_only(t, loss, n):
    """(ns, name) of the fastest read-only pass registered for loss at n
    (only the ones the CPU can run are), or (None, "base_read_only")."""
    ro = [(t[(loss, impl, n)], impl)
          for impl in ("base_read_only_avx2", "base_read_only_avx512")
          if (loss, impl, n) in t]
    return min(ro) if ro else (None, "base_read_only")


def target_rows(t, errors, ctx, loss):
    """The rows of the target table for one loss (bce_f32 or bce_f32_soft)."""
    default = default_of(ctx)
    variants = variants_of(ctx)
    soft = loss.endswith("_soft")
    label = "soft" if soft else "hard"
    rows = []

    def ratio_row(desc, n, fast_impl, slow_impl, target, fast_loss=loss, slow_loss=loss):
        if "avx512" in (fast_impl, slow_impl) and not has_avx512(ctx):
            rows.append([label, size_label(n), desc, "n/a", "n/a", "n/a", "≥ %g×" % target,
                         NO_AVX512])
            return
        fast = t.get((fast_loss, fast_impl, n))
        slow = t.get((slow_loss, slow_impl, n))
        r = slow / fast if fast and slow else None
        ok = r is not None and r >= target
        fast_s = "error" if (fast_loss, fast_impl, n) in errors else fmt_ns(fast)
        slow_s = "error" if (slow_loss, slow_impl, n) in errors else fmt_ns(slow)
        rows.append([label, size_label(n), desc, fast_s, slow_s,
                     "n/a" if r is None else "%.2f×" % r, "≥ %g×" % target,
                     "PASS" if ok else "MISS"])

    ratio_row("avx2 vs base_sleef_naive_avx2", K64, "avx2", "base_sleef_naive_avx2", 3.0)
    ratio_row("avx2 vs base_libmvec_fastmath (AVX2)", K64, "avx2", "base_libmvec_fastmath", 1.2)
    ratio_row("avx512 vs avx2", K64, "avx512", "avx2", 1.5)

    # The read-only pass reads the same bytes whatever the targets; it is
    # registered under the hard-target name only.  The limit is the faster
    # of its AVX2 and AVX-512 versions.
    ro_ns, ro_impl = read_only(t, loss.replace("_soft", ""), M16)

    def bw_row(impl, what):
        x = t.get((loss, impl, M16))
        share = ro_ns / x * 100 if x and ro_ns else None
        ok = share is not None and share >= 85
        rows.append([label, size_label(M16), "%s (%s) vs %s" % (what, impl, ro_impl),
                     "error" if (loss, impl, M16) in errors else fmt_ns(x), fmt_ns(ro_ns),
                     "n/a" if share is None else "%.0f%%" % share, "≥ 85%",
                     "PASS" if ok else "MISS"])

    bw_row(default, "default")
    own = [(t[(loss, v, M16)], v) for v in variants if (loss, v, M16) in t]
    if own:
        best = min(own)[1]
        if best != default:
            bw_row(best, "best")
    return rows


def share_row(t, errors, ctx, label, loss, n, impl, what, target):
    """impl's speed at n as a share of the read-only pass over the same
    bytes (registered under the same loss name): a target row."""
    ro_ns, ro_impl = read_only(t, loss, n)
    x = t.get((loss, impl, n))
    share = ro_ns / x * 100 if x and ro_ns else None
    ok = share is not None and share >= target
    return [label, size_label(n), "%s (%s) vs %s" % (what, impl, ro_impl),
            "error" if (loss, impl, n) in errors else fmt_ns(x), fmt_ns(ro_ns),
            "n/a" if share is None else "%.0f%%" % share, "≥ %g%%" % target,
            "PASS" if ok else "MISS"]


# The losses of bench_losses.cc: (loss, label, unit) in table order.
NEW_LOSSES = [
    ("bce_logits_f32", "BCE on logits, float32", "elem"),
    ("bce_logits_f64", "BCE on logits, float64", "elem"),
    ("ce_f32_k10", "cross-entropy, float32, k = 10", "logit"),
    ("ce_f32_k1000", "cross-entropy, float32, k = 1000", "logit"),
    ("ce_f32_k32000", "cross-entropy, float32, k = 32000", "logit"),
    ("nll_f32_k10", "NLL, float32, k = 10", "row"),
    ("log_loss_f32_k10", "log-loss, float32, k = 10", "prob"),
]
UNIT_WORDS = {"elem": "element", "logit": "logit", "prob": "probability", "row": "row"}
# Cross-entropy at n*k = 16M: the default variant >= 80% of the read-only
# pass over the logits.
CE_READ_TARGET = 80


def loss_target_rows(t, errors, ctx):
    default = default_of(ctx)
    rows = []
    for loss, label, _ in NEW_LOSSES:
        if not loss.startswith("ce_") or loss == "ce_f32_k10":
            continue
        lbl = label.replace("cross-entropy, float32, ", "CE ")
        rows.append(share_row(t, errors, ctx, lbl, loss, M16, default, "default",
                              CE_READ_TARGET))
        own = [(t[(loss, v, M16)], v) for v in variants_of(ctx) if (loss, v, M16) in t]
        if own and min(own)[1] != default:
            rows.append(share_row(t, errors, ctx, lbl, loss, M16, min(own)[1], "best",
                                  CE_READ_TARGET))
    return rows


def speedup_rows(t, errors, ctx):
    """Without targets: per new loss and size, the default variant's time and
    its speed-up over each baseline (>1 means xent is faster), and its share
    of the read-only pass where there is one."""
    default = default_of(ctx)
    rows = []
    for loss, label, unit in NEW_LOSSES:
        for n in sorted({n for (l, _, n) in t if l == loss}):
            x = t.get((loss, default, n))
            cells = ["%s (per %s)" % (label, UNIT_WORDS[unit]), size_label(n),
                     "error" if (loss, default, n) in errors else fmt_ns(x)]
            for base in ("base_libm_scalar", "base_libmvec_fastmath"):
                b = t.get((loss, base, n))
                cells.append("%.2f×" % (b / x) if x and b else "")
            ro_ns, _ = read_only(t, loss, n)
            cells.append("%.0f%%" % (ro_ns / x * 100) if x and ro_ns else "")
            rows.append(cells)
    return rows


def markdown(header, rows):
    out = ["| " + " | ".join(header) + " |",
           "| " + " | ".join("---" for _ in header) + " |"]
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(out)


def overview(t, errors, loss, unit="elem"):
    sizes = sorted({n for (l, _, n) in list(t) + list(errors) if l == loss})
    impls = []
    for (l, impl, _) in list(t) + list(errors):
        if l == loss and impl not in impls:
            impls.append(impl)
    xent = sorted([i for i in impls if not i.startswith("base_")],
                  key=lambda i: ("+sleef" in i, i))
    base = sorted(i for i in impls if i.startswith("base_"))
    rows = []
    for impl in xent + base:
        cells = []
        for n in sizes:
            if (loss, impl, n) in t:
                cells.append(fmt_ns(t[(loss, impl, n)]))
            elif (loss, impl, n) in errors:
                cells.append("error")
            else:
                cells.append("")
        rows.append([impl] + cells)
    return markdown(["%s ns/%s" % (loss, unit)] + [size_label(n) for n in sizes], rows)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("json", nargs="+", help="Google Benchmark JSON output(s)")
    ap.add_argument("-o", "--output", help="also write the Markdown here")
    args = ap.parse_args(argv)
    # "summary.py results.json table.md" works too.
    if not args.output and len(args.json) > 1 and args.json[-1].endswith(".md"):
        args.output = args.json.pop()

    t, errors, ctx = load(args.json)
    parts = []
    parts.append("## xent BCE: target ratios (float32, reduction mean, one run, medians)\n")
    parts.append("Default variant: `%s`; variants: `%s`; AVX-512: %s.\n" % (
        default_of(ctx), ctx.get("xent_variants", "?"),
        "yes" if has_avx512(ctx) else "no"))
    rows = target_rows(t, errors, ctx, "bce_f32") + target_rows(t, errors, ctx, "bce_f32_soft")
    new_rows = loss_target_rows(t, errors, ctx) if any(
        l.startswith("ce_") for (l, _, _) in list(t) + list(errors)) else []
    parts.append(markdown(["targets", "n", "comparison", "xent ns/elem",
                           "baseline ns/elem", "ratio", "target", "result"], rows))
    parts.append("")
    if new_rows:
        parts.append("## xent cross-entropy: target ratios (float32, index targets, mean)\n")
        parts.append("n = n·k logits; times per logit; the read-only pass reads the logits.\n")
        parts.append(markdown(["loss", "n·k", "comparison", "xent ns/logit",
                               "read-only ns/logit", "share", "target", "result"], new_rows))
        parts.append("")
    every = rows + new_rows
    passed = sum(r[-1] == "PASS" for r in every)
    na = sum(r[-1] == NO_AVX512 for r in every)
    parts.append("%d of %d targets met%s.%s\n" % (
        passed, len(every) - na,
        " (%d more need AVX-512, which this CPU lacks)" % na if na else "",
        "  **%d benchmarks failed their result check (see Errors).**"
        % len(errors) if errors else ""))
    speed = speedup_rows(t, errors, ctx)
    if speed:
        parts.append("## xent on logits, NLL, log-loss: speed-ups over the baselines (no target)\n")
        parts.append("The default variant (`%s`); ×: baseline time / xent time, above 1 "
                     "when xent is faster; share: read-only time / xent time.  n is "
                     "elements (BCE), n·k (cross-entropy, log-loss) or rows (NLL).\n"
                     % default_of(ctx))
        parts.append(markdown(["loss", "n", "xent ns", "vs base_libm_scalar",
                               "vs base_libmvec_fastmath", "share of read-only"], speed))
        parts.append("")
    parts.append("## ns per element (CPU time, median)\n")
    for loss in ("bce_f32", "bce_f32_soft", "bce_f64", "bce_f64_soft", "bce_f32_none",
                 "log_f32", "log1m_f32", "sum_f32"):
        if any(l == loss for (l, _, _) in t):
            parts.append(overview(t, errors, loss) + "\n")
    if any(l == loss for (l, _, _) in t for loss, _, _ in NEW_LOSSES):
        parts.append("## ns per element, logit, probability or row (CPU time, median)\n")
        parts.append("Cross-entropy and log-loss columns are n·k (rows = n·k / k, rounded "
                     "down), times per logit / probability; NLL columns are rows, times "
                     "per row.\n")
    for loss, _, unit in NEW_LOSSES:
        if any(l == loss for (l, _, _) in t):
            parts.append(overview(t, errors, loss, unit) + "\n")
    if errors:
        parts.append("## Errors\n")
        for (l, impl, n), msg in sorted(errors.items()):
            parts.append("- `%s/%s/%d`: %s" % (l, impl, n, msg))
        parts.append("")
    text = "\n".join(parts)
    print(text)
    if args.output:
        with open(args.output, "w") as fh:
            fh.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
