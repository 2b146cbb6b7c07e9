"""Tables, targets and plots of the comparison study (compare/compare.py)."""

import importlib.util
import json
import os
import statistics

import cases as C

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
K64, M1, M16 = 1 << 16, 1 << 20, 1 << 24

REFS = ("torch", "sklearn", "numpy")
MODE_TEXT = {"fwd": "forward", "grad": "forward + gradient"}
DT_TEXT = {"f32": "float32", "f64": "float64"}
UNIT = {"bce": "element", "bce_logits": "element", "ce_k10": "logit",
        "ce_k1000": "logit", "ce_k32000": "logit", "nll_k10": "log-probability",
        "log_loss_bin": "probability", "log_loss_k10": "probability"}


def size_label(n):
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return "%dM" % (n >> 20)
    if n >= 1 << 10 and n % (1 << 10) == 0:
        return "%dK" % (n >> 10)
    return str(n)


def fmt_ns(v):
    if v is None:
        return ""
    if v >= 100:
        return "%.0f" % v
    if v >= 10:
        return "%.1f" % v
    if v >= 1:
        return "%.2f" % v
    return "%.3f" % v


def fmt_x(v):
    if v is None:
        return ""
    return "%.0f×" % v if v >= 100 else "%.1f×" % v if v >= 10 else "%.2f×" % v


def markdown(header, rows):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    out += ["| " + " | ".join(str(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


# ---------------------------------------------------------- the figures --

def stats(rec):
    """ns per element: median, min, max, q1, q3 of the repeats (or None)."""
    ts = sorted(rec.get("times") or [])
    if rec.get("error") or not ts:
        return None
    per = [t / rec["elems"] * 1e9 for t in ts]
    q = statistics.quantiles(per, n=4) if len(per) >= 2 else [per[0]] * 3
    return {"median": statistics.median(per), "min": per[0], "max": per[-1],
            "q1": q[0], "q3": q[2], "repeats": len(per), "number": rec["number"]}


def index(doc):
    """{(case, size, impl): record} with its stats under "ns"."""
    idx = doc.get("_index")
    if idx is None:
        idx = {}
        for r in doc["results"]:
            r["ns"] = stats(r)
            idx[(r["case"], r["size"], r["impl"])] = r
        doc["_index"] = idx
    return idx


def ns(doc, case, size, impl):
    r = index(doc).get((case, size, impl))
    return r["ns"]["median"] if r and r["ns"] else None


def impls_of(doc, case):
    seen = []
    for (c, _, impl) in index(doc):
        if c == case and impl not in seen:
            seen.append(impl)
    order = {"torch": 0, "sklearn": 1, "numpy": 2, "xent": 3, "memory": 9}
    return sorted(seen, key=lambda i: (order.get(i, 4 if "+sleef" not in i else 5), i))


def sizes_of(doc, case):
    return sorted({s for (c, s, _) in index(doc) if c == case})


# ------------------------------------------------------------ C harness --

def _summary_module():
    spec = importlib.util.spec_from_file_location(
        "xent_bench_summary", os.path.join(ROOT, "bench", "summary.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_harness(paths):
    """The C harness figures: [{loss, impl, n, ns}], its errors, context."""
    if not paths:
        return None
    t, errors, ctx = _summary_module().load(paths)
    return {"files": [os.path.relpath(p, ROOT) if p.startswith(ROOT) else p for p in paths],
            "figures": [{"loss": l, "impl": i, "n": n, "ns": v} for (l, i, n), v in sorted(t.items())],
            "errors": [{"loss": l, "impl": i, "n": n, "error": e}
                       for (l, i, n), e in sorted(errors.items())],
            "context": {k: v for k, v in ctx.items() if not isinstance(v, (list, dict))}}


def harness_tables(doc):
    h = doc.get("harness")
    if not h:
        return {}, {}, {}
    t = {(f["loss"], f["impl"], f["n"]): f["ns"] for f in h["figures"]}
    e = {(f["loss"], f["impl"], f["n"]): f["error"] for f in h["errors"]}
    return t, e, h["context"]


def harness_ns(doc, case, size, impl):
    """The C harness's ns per element for the same case, or None."""
    t, _, _ = harness_tables(doc)
    loss, dt, mode = case.split("/")
    hl = C.HARNESS_LOSS.get((loss, dt)) if mode == "fwd" else None
    return t.get((hl, impl, size)) if hl else None


# -------------------------------------------------------------- targets --

# (label, case, size, reference, minimum speed-up of xent over it)
BINDING_TARGETS = [
    ("xent.binary_cross_entropy ≥ 15× torch", "bce/f32/fwd", M1, "torch", 15.0),
    ("xent.binary_cross_entropy ≥ 200× sklearn", "bce/f32/fwd", M1, "sklearn", 200.0),
    ("xent.binary_cross_entropy_with_logits ≥ 15× torch", "bce_logits/f32/fwd", M1, "torch", 15.0),
    ("xent.cross_entropy k = 1000 ≥ 4× torch", "ce_k1000/f32/fwd", M16, "torch", 4.0),
    ("xent.cross_entropy k = 32000 ≥ 4× torch", "ce_k32000/f32/fwd", M16, "torch", 4.0),
    ("xent.log_loss k = 10 ≥ 100× sklearn", "log_loss_k10/f32/fwd", M1, "sklearn", 100.0),
]


def targets(doc):
    """Every target of the foundation and losses issues: MET, MISSED or
    not measured, with the figures (binding targets from the study, the C
    targets from the harness run through bench/summary.py)."""
    out = []
    for label, case, size, ref, want in BINDING_TARGETS:
        x, r = ns(doc, case, size, "xent"), ns(doc, case, size, ref)
        if x is None or r is None:
            res = "not measured" if (case, size, "xent") not in index(doc) else "error"
            ratio = None
        else:
            ratio = r / x
            res = "MET" if ratio >= want else "MISSED"
        out.append({"target": label, "source": "binding", "case": case, "n": size,
                    "xent_ns": x, "ref": ref, "ref_ns": r, "ratio": ratio,
                    "want": "≥ %g×" % want, "result": res,
                    "profile_specs": ["%s/%d/xent" % (case, size), "%s/%d/%s" % (case, size, ref)]})
    t, e, ctx = harness_tables(doc)
    if t:
        S = _summary_module()
        rows = (S.target_rows(t, e, ctx, "bce_f32") + S.target_rows(t, e, ctx, "bce_f32_soft")
                + S.loss_target_rows(t, e, ctx))
        for row in rows:
            label, n, comp, fast, slow, ratio, want, result = row
            if fast == "n/a" and slow == "n/a":
                res = "not measured"
            else:
                res = {"PASS": "MET", "MISS": "MISSED"}.get(result, result)
            size = {"64K": K64, "16M": M16}.get(n, 0)
            loss = "ce_k1000" if "k = 1000" in label else "ce_k32000" if "32000" in label else "bce"
            fast_side = comp.split(" vs ")[0]          # "avx2", "default (avx512)"
            variant = (fast_side.split("(", 1)[1].split(")", 1)[0] if "(" in fast_side
                       else fast_side.strip())
            impl = "xent" if variant == doc["default_variant"] else "xent[%s]" % variant
            out.append({"target": "C harness, %s targets: %s" % (label, comp), "source": "harness",
                        "case": "%s/f32/fwd" % loss, "n": size, "xent_ns": fast,
                        "ref": comp.split(" vs ")[-1], "ref_ns": slow, "ratio": ratio,
                        "want": want, "result": res,
                        "profile_specs": ["%s/f32/fwd/%d/%s" % (loss, size, impl)] if size else []})
    return out


def profile_digest(path, top=3):
    """'libxent 98%, python3.11 1%; Python: _indices 74%' from a profile file."""
    try:
        with open(path) as fh:
            text = fh.read()
    except OSError:
        return ""
    parts = []
    sec = text.split("## CPU samples by shared object", 1)
    if len(sec) == 2:
        dsos = []
        for ln in sec[1].split("##", 1)[0].splitlines():
            f = ln.split()
            if len(f) >= 2 and f[0].endswith("%"):
                name = f[1].split(".cpython")[0].split(".so")[0]
                if float(f[0].rstrip("%")) < 1:
                    continue
                dsos.append("%s %s" % (name, f[0].split(".")[0] + "%"))
        if dsos:
            parts.append(", ".join(dsos[:top]))
    sec = text.split("## CPU samples by symbol", 1)
    if len(sec) == 2:
        syms = []
        for ln in sec[1].split("##", 1)[0].splitlines():
            f = ln.split()
            if len(f) >= 4 and f[0].endswith("%") and not f[-1].startswith("0x"):
                syms.append("`%s` %s" % (f[-1], f[0].split(".")[0] + "%"))
        if syms:
            parts.append("symbols: " + ", ".join(syms[:top]))
    sec = text.split("## cProfile", 1)
    if len(sec) == 2:
        lines = sec[1].splitlines()
        total = None
        funcs = []
        for ln in lines:
            if "function calls" in ln and " in " in ln:
                try:
                    total = float(ln.rsplit(" in ", 1)[1].split()[0])
                except ValueError:
                    pass
            f = ln.split(None, 5)
            if total and len(f) == 6 and f[1].replace(".", "").isdigit():
                own = float(f[1])
                if own / total >= 0.05 and "compare/cases.py" not in f[5]:
                    name = f[5].split("(")[-1].rstrip(")") if "(" in f[5] else f[5]
                    name = name.strip("{}")
                    if name.startswith("method "):
                        name = name.split("'")[1]
                    elif name.startswith("built-in method "):
                        name = name[len("built-in method "):]
                    funcs.append("`%s` %d%%" % (name, round(100 * own / total)))
        if funcs:
            parts.append("Python own time: " + ", ".join(funcs[:4]))
    return "; ".join(parts)


def profiles_markdown(doc, outdir):
    if not doc.get("profiles"):
        return ""
    rows = []
    for spec, fname in doc["profiles"].items():
        rows.append(["`%s`" % spec, profile_digest(os.path.join(outdir, fname)),
                     "`results/%s`" % fname])
    return ("Where the time goes in the missed targets (perf `cpu-clock` samples of a worker "
            "looping over the one call, by shared object and symbol, and cProfile of the same "
            "calls; numpy and torch are stripped, so their own code shows only as the library):"
            "\n\n" + markdown(["case/size/impl", "where the time goes", "full profile"], rows)
            + "\n")


def targets_markdown(doc):
    rows = []
    for t in doc["targets"]:
        def f(v):
            return fmt_ns(v) if isinstance(v, float) else (v or "")
        ratio = t["ratio"]
        rows.append([t["target"], size_label(t["n"]) if t["n"] else "", f(t["xent_ns"]),
                     "%s %s" % (t["ref"], f(t["ref_ns"])) if t["source"] == "binding"
                     else f(t["ref_ns"]),
                     fmt_x(ratio) if isinstance(ratio, float) else (ratio or ""), t["want"],
                     "**%s**" % t["result"] if t["result"] == "MISSED" else t["result"]])
    met = sum(t["result"] == "MET" for t in doc["targets"])
    measured = sum(t["result"] in ("MET", "MISSED") for t in doc["targets"])
    text = markdown(["target", "n", "xent ns", "reference ns", "ratio", "wanted", "result"], rows)
    text += "\n\n%d of %d measured targets met." % (met, measured)
    text += "\n"
    if doc.get("profiles"):
        text += "\n" + profiles_markdown(doc, doc.get("_outdir", os.path.join(ROOT, "results")))
    return text


# --------------------------------------------------------------- tables --

def headline_rows(doc, dts="f32", size=M1):
    rows = []
    for loss in C.LOSS_ORDER:
        for mode in C.MODES:
            case = "%s/%s/%s" % (loss, dts, mode)
            if case not in doc["cases"]:
                continue
            x = ns(doc, case, size, "xent")
            if x is None:
                continue
            cells = [loss, "fwd" if mode == "fwd" else "fwd+grad"]
            refs = [ns(doc, case, size, r) for r in REFS]
            cells += [fmt_ns(v) for v in refs] + [fmt_ns(x)]
            cells += [fmt_x(v / x) if v else "" for v in refs]
            m = ns(doc, case, size, "memory")
            cells += [fmt_ns(m), "%.0f%%" % (100 * m / x) if m else ""]
            rows.append(cells)
    return rows


HEADLINE_HEADER = ["loss", "mode", "torch", "sklearn", "numpy", "xent", "× torch",
                   "× sklearn", "× numpy", "memory limit", "limit / xent"]


def about(doc):
    m = doc["machine"]
    v = doc["versions"]
    return ("%s (%s, %s cores%s), one thread; torch %s, scikit-learn %s, numpy %s, "
            "Python %s; xent variant `%s` (of %s); %s, median of %d repeats (%s); %s."
            % (m.get("cpu_model", "?"), m.get("machine"), m.get("cpus"),
               ", %s guest" % m["hypervisor_vendor"] if m.get("hypervisor_vendor") else "",
               v.get("torch", "-"), v.get("sklearn", "-"), v.get("numpy", "?"),
               v.get("python", "?"), doc["default_variant"], ", ".join(doc["variants"]),
               doc["timing"]["clock"], doc["timing"]["repeats"],
               "3 for calls over %g s" % doc["timing"]["slow_call_seconds"],
               doc["date"]))


MEMORY_TEXT = ("*memory limit*: a numpy pass over the same bytes in the same process, reading "
               "every input once (`np.bitwise_or.reduce` over each array viewed as uint64) and, "
               "with the gradient, writing one input-sized array (`np.copyto`); *limit / xent* "
               "= how close xent gets to it.")


def readme_markdown(doc):
    """docs/compare.md: the tables the README embeds."""
    text = ("<!-- generated by compare/compare.py (make compare); do not edit -->\n"
            "ns per element (logit, probability), float32, reduction mean, one thread; "
            "sizes are n·k for the row losses; × = the reference's time / xent's. "
            + MEMORY_TEXT + "\n\n")
    for size, where in ((M1, "inputs in the L3 cache"), (M16, "inputs streamed from memory")):
        rows = headline_rows(doc, "f32", size)
        if rows:
            text += "**n = %s** (%s)\n\n" % (size_label(size), where)
            text += markdown(HEADLINE_HEADER, rows) + "\n\n"
    text += about(doc) + "\n\n"
    text += "Targets of the foundation and losses issues:\n\n" + targets_markdown(doc)
    return text


def case_table(doc, case):
    sizes = sizes_of(doc, case)
    rows = []
    for impl in impls_of(doc, case):
        cells = [impl]
        for s in sizes:
            r = index(doc).get((case, s, impl))
            if r is None:
                cells.append("")
            elif r["error"]:
                cells.append("**error**")
            elif r["ns"]:
                st = r["ns"]
                spread = (st["max"] - st["min"]) / 2 / st["median"] * 100 if st["median"] else 0
                cells.append("%s ±%.0f%%" % (fmt_ns(st["median"]), spread))
            else:
                cells.append("")
        rows.append(cells)
    # the C harness, same benchmark, and the binding's overhead over it
    hl = [harness_ns(doc, case, s, doc["default_variant"]) for s in sizes]
    if any(hl):
        rows.append(["C harness `%s`" % doc["default_variant"]] + [fmt_ns(v) for v in hl])
        rows.append(["binding / C harness"] + [
            fmt_x(ns(doc, case, s, "xent") / v) if v and ns(doc, case, s, "xent") else ""
            for s, v in zip(sizes, hl)])
        ro = [min([x for x in (harness_ns(doc, case, s, "base_read_only_avx2"),
                               harness_ns(doc, case, s, "base_read_only_avx512")) if x] or [0])
              or None for s in sizes]
        if any(ro):
            rows.append(["C read-only pass (harness)"] + [fmt_ns(v) for v in ro])
    return markdown([case + " ns/" + UNIT[case.split("/")[0]]]
                    + [size_label(s) for s in sizes], rows)


def overhead_rows(doc):
    rows = []
    sizes = sorted({s for (_, s, _) in index(doc)})
    for (loss, dt) in C.HARNESS_LOSS:
        case = "%s/%s/fwd" % (loss, dt)
        if case not in doc["cases"]:
            continue
        cells = [case]
        any_ = False
        for s in sizes:
            h, b = harness_ns(doc, case, s, doc["default_variant"]), ns(doc, case, s, "xent")
            if h and b:
                cells.append("%.2f (%s / %s)" % (b / h, fmt_ns(b), fmt_ns(h)))
                any_ = True
            else:
                cells.append("")
        if any_:
            rows.append(cells)
    return sizes, rows


def full_markdown(doc):
    parts = ["# xent against torch, scikit-learn and numpy",
             "", "Generated by `compare/compare.py`%s." % (" --quick" if doc["quick"] else ""),
             "", about(doc), ""]
    m = doc["machine"]
    parts += ["CPU flags (SIMD): `%s`. Threads: %s. Load average at start %s, at end %s. "
              "Whole run %.0f s." % (m.get("cpu_simd_flags", "?"),
                                     ", ".join("%s=%s" % kv for kv in doc["threads"].items()),
                                     "/".join("%.2f" % x for x in m["load_avg_start"]),
                                     "/".join("%.2f" % x for x in m["load_avg_end"]),
                                     doc.get("seconds", 0)), ""]
    if doc["failures"]:
        parts += ["**Failures:** " + "; ".join(doc["failures"]), ""]
    wrong = [r for r in doc["results"] if r["error"]]
    if wrong:
        parts += ["## Wrong or failing results (not timed)", ""]
        parts += ["- `%s` n = %d `%s`: %s" % (r["case"], r["size"], r["impl"], r["error"])
                  for r in wrong] + [""]
    for dts in ("f32", "f64"):
        for size in (M1, M16):
            rows = headline_rows(doc, dts, size)
            if rows:
                parts += ["## %s, n = %s" % (DT_TEXT[dts], size_label(size)), "",
                          markdown(HEADLINE_HEADER, rows), ""]
    parts += ["## Targets", "", targets_markdown(doc)]
    sizes, rows = overhead_rows(doc)
    if rows:
        parts += ["## Binding overhead", "",
                  "xent through the Python binding / the same kernel in the C Google Benchmark "
                  "harness (`build/bench/xent_bench`, run in this study after the workers), "
                  "default variant, forward, ratio (binding ns / harness ns).", "",
                  markdown(["case"] + [size_label(s) for s in sizes], rows), ""]
    parts += ["## Every case", "",
              "ns per element (logit, probability), median ± half the range of the repeats "
              "over the median. " + MEMORY_TEXT.replace("*memory limit*", "`memory`") + " At small n it "
              "measures numpy's per-call overhead rather than bandwidth. Row losses: size = "
              "n·k, rows = size // k (k = 32000 starts at 64K).", ""]
    for case in doc["cases"]:
        if sizes_of(doc, case):
            parts += ["### %s — %s, %s, %s" % (case, C.DESCRIPTIONS[case.split("/")[0]],
                                               DT_TEXT[case.split("/")[1]],
                                               MODE_TEXT[case.split("/")[2]]), "",
                      case_table(doc, case), ""]
    parts += ["## What each implementation computes", ""]
    for loss in C.LOSS_ORDER:
        texts = C.impl_text(loss)
        parts.append("- **%s**: %s." % (loss, "; ".join("%s `%s`" % kv for kv in texts.items())))
    parts.append("- **xent[v]**: the same xent call with `xent.set_variant(v)`; **xent** is the "
                 "default variant `%s`." % doc["default_variant"])
    return "\n".join(parts) + "\n"


def summary_text(doc):
    lines = ["compare: targets"]
    for t in doc["targets"]:
        r = t["ratio"]
        lines.append("  %-8s %s at %s: %s" % (t["result"], t["target"],
                                              size_label(t["n"]) if t["n"] else "-",
                                              fmt_x(r) if isinstance(r, float) else r or ""))
    return "\n".join(lines)


# ---------------------------------------------------------------- plots --

STYLE = {"torch": ("#ee7733", "-", "o", 2.0), "sklearn": ("#009988", "-", "s", 2.0),
         "numpy": ("#0077bb", "-", "^", 2.0), "xent": ("#cc3311", "-", "D", 2.6),
         "memory": ("black", "--", None, 1.6)}


def plot_case(ax, doc, case, legend=True, title=None):
    sizes = sizes_of(doc, case)
    for impl in impls_of(doc, case):
        pts = [(index(doc)[(case, s, impl)]["elems"], ns(doc, case, s, impl)) for s in sizes
               if (case, s, impl) in index(doc) and ns(doc, case, s, impl)]
        if not pts:
            continue
        xs, ys = zip(*pts)
        if impl in STYLE:
            c, ls, mk, lw = STYLE[impl]
            lab = {"xent": "xent (%s)" % doc["default_variant"],
                   "memory": "memory limit (numpy read pass, same run)"}.get(impl, impl)
            ax.plot(xs, ys, color=c, ls=ls, marker=mk, lw=lw, ms=4, label=lab,
                    zorder=3 if impl == "xent" else 2)
        else:
            ax.plot(xs, ys, lw=0.9, ls=":" if "+sleef" in impl else "-", alpha=0.55,
                    marker=".", ms=3, label=impl)
    h = [(s, harness_ns(doc, case, s, doc["default_variant"])) for s in sizes]
    h = [(index(doc)[(case, s, "xent")]["elems"] if (case, s, "xent") in index(doc) else s, v)
         for s, v in h if v]
    if h:
        xs, ys = zip(*h)
        ax.plot(xs, ys, color="#cc3311", ls="none", marker="x", ms=7,
                label="C harness (%s)" % doc["default_variant"])
    ro = []
    for s in sizes:
        v = [x for x in (harness_ns(doc, case, s, "base_read_only_avx2"),
                         harness_ns(doc, case, s, "base_read_only_avx512")) if x]
        if v and (case, s, "xent") in index(doc):
            ro.append((index(doc)[(case, s, "xent")]["elems"], min(v)))
    if ro:
        xs, ys = zip(*ro)
        ax.plot(xs, ys, color="gray", ls=":", marker="+", ms=6, lw=1.2,
                label="C read-only pass (harness)")
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.25)
    ax.set_xlabel("n" if case.startswith(("bce", "log_loss_bin")) else "n·k")
    ax.set_ylabel("ns per %s" % UNIT[case.split("/")[0]])
    ax.set_title(title or case, fontsize=10)
    if legend:
        ax.legend(fontsize=7, ncol=2)


def plots(doc, outdir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    written = []
    for case in doc["cases"]:
        if not sizes_of(doc, case):
            continue
        fig, ax = plt.subplots(figsize=(7.5, 5))
        loss, dts, mode = case.split("/")
        plot_case(ax, doc, case, title="%s — %s, %s, one thread" % (
            C.DESCRIPTIONS[loss].split(",")[0] + ("" if "_k" not in loss else " " + loss),
            DT_TEXT[dts], MODE_TEXT[mode]))
        fig.tight_layout()
        path = os.path.join(outdir, "ns-%s-%s-%s.png" % (loss, dts, mode))
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    # the overview the README embeds: float32 forward, every loss
    panel = [c for c in C.case_names(dtypes=["f32"], modes=["fwd"])
             if c in doc["cases"] and sizes_of(doc, c)]
    if panel:
        cols = min(4, len(panel))
        rows = (len(panel) + cols - 1) // cols
        fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.6 * rows + 0.9),
                                 squeeze=False)
        handles = {}
        for ax, case in zip(axes.flat, panel):
            plot_case(ax, doc, case, legend=False, title=case.split("/")[0])
            for h, lab in zip(*ax.get_legend_handles_labels()):
                handles.setdefault(lab, h)
        for ax in list(axes.flat)[len(panel):]:
            ax.axis("off")
        fig.suptitle("xent vs torch %s, scikit-learn %s, numpy %s — float32, forward, "
                     "one thread, %s" % (doc["versions"].get("torch", "-"),
                                         doc["versions"].get("sklearn", "-"),
                                         doc["versions"].get("numpy", "?"),
                                         doc["machine"].get("cpu_model", "")), fontsize=11)
        fig.legend(list(handles.values()), list(handles.keys()), loc="lower center",
                   ncol=min(6, len(handles)), fontsize=8, frameon=False)
        fig.tight_layout(rect=(0, 0.07 if rows > 1 else 0.12, 1, 0.96))
        path = os.path.join(outdir, "compare.png")
        fig.savefig(path, dpi=100)
        plt.close(fig)
        written.append(path)
    # speed-ups over torch (and sklearn) at n = 1M
    size = M1 if any(s == M1 for (_, s, _) in index(doc)) else max(
        s for (_, s, _) in index(doc))
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(12, 4.6), gridspec_kw={"width_ratios": [3, 1.4]})
    for ax, ref, losses in ((a1, "torch", [l for l in C.LOSS_ORDER if C.LOSSES[l][2]]),
                            (a2, "sklearn", [l for l in C.LOSS_ORDER if C.LOSSES[l][3]])):
        groups = [(d, m) for d in ("f32", "f64") for m in C.MODES
                  if any("%s/%s/%s" % (l, d, m) in doc["cases"] for l in losses)]
        width = 0.8 / len(groups)
        for gi, (d, m) in enumerate(groups):
            xs, ys = [], []
            for li, loss in enumerate(losses):
                case = "%s/%s/%s" % (loss, d, m)
                x, r = ns(doc, case, size, "xent"), ns(doc, case, size, ref)
                if x and r:
                    xs.append(li + (gi - (len(groups) - 1) / 2) * width)
                    ys.append(r / x)
            if xs:
                bars = ax.bar(xs, ys, width, label="%s, %s" % (DT_TEXT[d], MODE_TEXT[m]))
                for b, y in zip(bars, ys):
                    ax.text(b.get_x() + b.get_width() / 2, y, "%.0f" % y if y >= 10 else
                            "%.1f" % y, ha="center", va="bottom", fontsize=6)
        ax.set_xticks(range(len(losses)))
        ax.set_xticklabels(losses, rotation=20, fontsize=8)
        ax.set_yscale("log")
        ax.axhline(1, color="black", lw=0.8)
        ax.set_ylabel("speed-up of xent over %s (×)" % ref)
        ax.set_title("xent (%s) over %s at n = %s" % (doc["default_variant"], ref,
                                                      size_label(size)), fontsize=10)
        ax.grid(True, axis="y", which="both", alpha=0.25)
        ax.legend(fontsize=7)
    fig.tight_layout()
    path = os.path.join(outdir, "speedup-%s.png" % size_label(size))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    written.append(path)
    return written


def write_all(doc, outdir, stamp):
    index(doc)
    clean = {k: v for k, v in doc.items() if not k.startswith("_")}
    text = json.dumps(clean, indent=1, default=str)
    written = []
    for name in ("compare-%s.json" % stamp, "compare.json"):
        path = os.path.join(outdir, name)
        with open(path, "w") as fh:
            fh.write(text)
        written.append(path)
    path = os.path.join(outdir, "compare.md")
    with open(path, "w") as fh:
        fh.write(full_markdown(doc))
    written.append(path)
    written += plots(doc, outdir)
    return written
