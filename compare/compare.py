#!/usr/bin/python3
"""The comparison study: xent against PyTorch, scikit-learn and numpy.

    /usr/bin/python3 compare/compare.py [--quick] [--out DIR] [--sizes LIST]
        [--only LOSS,...] [--dtypes f32,f64] [--modes fwd,grad]
        [--reps R] [--min-time S] [--no-harness | --harness-json FILE ...]
        [--profile SPEC ...] [--no-profile] [--docs | --no-docs]

Every xent loss, in its default variant and every other variant this CPU
runs, against its reference (torch 1.13 F.binary_cross_entropy,
binary_cross_entropy_with_logits, cross_entropy with k = 10, 1000, 32000,
nll_loss; sklearn 1.2 log_loss, binary and k = 10) and the plain numpy
expression, float32 and float64, forward alone and forward + gradient
(torch autograd), n = 1K .. 16M, single-threaded.

One worker process per size (``compare.py --worker --n N``, JSON on
stdout) times every implementation of every case at that size
round-robin, so the ratios are measured side by side; the driver then runs
the C Google Benchmark harness (build/bench/xent_bench) on the matching
benchmarks, and writes into DIR (default results/):

  compare-<timestamp>.json, compare.json   everything: machine, versions,
                                            thread settings, every repeat
  compare.md                                the tables
  compare.png                               overview plot (float32 forward)
  ns-<loss>-<dtype>-<mode>.png              ns per element against n, per case
  speedup-1M.png                            speed-ups over torch at n = 1M
  profile-*.txt                             perf profiles of missed targets

and, for a full run into results/ (not --quick), docs/compare.png and
docs/compare.md, the plot and table the README embeds.

--quick: n = 1K and 64K, 2 repeats, short timings, no profiles, never
touches docs/: checks that the study runs end to end (< 1 minute).  The
exit status is 1 when any result disagrees with its float64 reference,
a worker or the harness fails, or an output file is missing.

--profile SPEC (repeatable) profiles one implementation with perf:
SPEC = loss/dtype/mode/size/impl, e.g. ce_k1000/f32/fwd/16777216/xent.
By default a full run profiles xent and the reference of every missed
target.
"""

import os

# Before numpy / torch are imported (in the workers): one thread everywhere.
THREAD_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS",
               "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")
for _v in THREAD_VARS:
    os.environ[_v] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

FULL_SIZES = [1 << s for s in (10, 12, 14, 16, 18, 20, 22, 24)]
QUICK_SIZES = [1 << 10, 1 << 16]
PY = "/usr/bin/python3"
SLOW_CALL_S = 0.25     # calls slower than this get 3 repeats of 1 call


def size_label(n):
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return "%dM" % (n >> 20)
    if n >= 1 << 10 and n % (1 << 10) == 0:
        return "%dK" % (n >> 10)
    return str(n)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- worker --

def import_refs(skip):
    import numpy as np
    mods = {"np": np}
    versions = {"numpy": np.__version__, "python": platform.python_version()}
    if "torch" not in skip:
        import torch
        import torch.nn.functional as F
        torch.set_num_threads(1)
        try:
            torch.set_num_interop_threads(1)
        except RuntimeError:
            pass
        mods["torch"], mods["F"] = torch, F
        versions["torch"] = torch.__version__
    if "sklearn" not in skip:
        import sklearn
        versions["sklearn"] = sklearn.__version__
    sys.path.insert(0, os.path.join(ROOT, "python"))
    import xent
    mods["xent"] = xent
    versions["xent"] = getattr(xent, "__version__", "?")
    return mods, versions


def time_case(case, reps, min_time, clock):
    """[{impl, times, number, error}]: every implementation of one case,
    repeats round-robin over the implementations."""
    out, plan = [], []
    for impl, (setup, fn) in case.impls.items():
        rec = {"impl": impl, "times": [], "number": 0, "error": None}
        out.append(rec)
        try:
            if setup:
                setup()
            t0 = clock()
            res = fn()                      # warm-up, page-in, and the check
            first = clock() - t0
            rec["error"] = case.check(res)
            del res
            if rec["error"]:
                continue
            if first > SLOW_CALL_S:
                one = first
            else:
                t0 = clock()
                fn()
                one = max(clock() - t0, 1e-7)
        except Exception as e:  # a failing implementation is reported, not timed
            rec["error"] = "%s: %s" % (type(e).__name__, e)
            continue
        if one > SLOW_CALL_S:
            number, nrep = 1, min(reps, 3)
        else:
            number, nrep = max(1, int(math.ceil(min_time / one))), reps
        rec["number"] = number
        plan.append((rec, setup, fn, number, nrep))
    for rep in range(max([p[4] for p in plan] or [0])):
        for rec, setup, fn, number, nrep in plan:
            if rep >= nrep or rec["error"]:
                continue
            try:
                if setup:
                    setup()
                t0 = clock()
                for _ in range(number):
                    fn()
                rec["times"].append((clock() - t0) / number)
            except Exception as e:
                rec["error"] = "%s: %s" % (type(e).__name__, e)
    return out


def worker(args):
    import numpy as np  # noqa: F401
    import cases as C
    skip = set(s for s in args.skip.split(",") if s)
    mods, versions = import_refs(skip)
    xent = mods["xent"]
    variants = xent.variants()
    default = xent.variant()
    clock = time.process_time if args.clock == "process" else time.perf_counter
    names = args.cases.split(",") if args.cases else C.case_names()
    results = []
    for name in names:
        t0 = time.perf_counter()
        case = C.Case(name, args.n, mods, variants, default, skip)
        if not case.impls:
            continue
        if args.impl:
            case.impls = {k: v for k, v in case.impls.items() if k == args.impl}
        bad = os.environ.get("XENT_COMPARE_PERTURB")   # self-test of the result check
        if bad in case.impls:
            setup, fn = case.impls[bad]

            def wrong(fn=fn):
                r = fn()
                return (r[0] * 1.001, r[1]) if isinstance(r, tuple) else r * 1.001
            case.impls[bad] = (setup, wrong)
        if args.loop:
            loop_for_profile(case, args.loop, args.cprofile)
            return 0
        for rec in time_case(case, args.reps, args.min_time, clock):
            rec.update(case=name, loss=case.loss, dtype=case.dts, mode=case.mode,
                       size=args.n, elems=case.elems, rows=case.rows, k=case.k,
                       bytes=case.memory_bytes)
            results.append(rec)
            if rec["error"]:
                log("compare: %s n=%d %s: %s" % (name, args.n, rec["impl"], rec["error"]))
        log("  %-24s n=%-9d %5.1f s" % (name, args.n, time.perf_counter() - t0))
        del case
        xent.set_variant(default)
    threads = {v: os.environ.get(v) for v in THREAD_VARS}
    if "torch" in mods:
        threads["torch.get_num_threads"] = mods["torch"].get_num_threads()
        threads["torch.get_num_interop_threads"] = mods["torch"].get_num_interop_threads()
    json.dump({"n": args.n, "versions": versions, "variants": variants,
               "default_variant": default, "threads": threads,
               "library": xent.library_path() if callable(getattr(xent, "library_path", None))
               else str(getattr(xent, "library_path", "?")),
               "results": results}, sys.stdout)
    return 0


def loop_for_profile(case, seconds, cprofile=None):
    """Call the (single) implementation of case for `seconds`, after
    telling the driver on stdout that the set-up is done; with cprofile,
    under cProfile, and write its statistics there."""
    (impl, (setup, fn)), = case.impls.items()
    if setup:
        setup()
    fn()
    print("READY", flush=True)
    prof = None
    if cprofile:
        import cProfile
        prof = cProfile.Profile()
        prof.enable()
    t_end = time.perf_counter() + seconds
    calls = 0
    while time.perf_counter() < t_end:
        fn()
        calls += 1
    if prof:
        prof.disable()
        import io
        import pstats
        buf = io.StringIO()
        st = pstats.Stats(prof, stream=buf)
        st.sort_stats("tottime").print_stats(18)
        with open(cprofile, "w") as fh:
            fh.write("%d calls\n" % calls)
            fh.write("\n".join(ln for ln in buf.getvalue().splitlines()
                               if ln.strip())[:6000] + "\n")


# ---------------------------------------------------------------- driver --

def machine_info():
    info = {"platform": platform.platform(), "machine": platform.machine(),
            "cpus": os.cpu_count()}
    try:
        with open("/proc/cpuinfo") as fh:
            text = fh.read()
        m = re.search(r"^model name\s*:\s*(.*)$", text, re.M)
        info["cpu_model"] = m.group(1).strip() if m else "?"
        m = re.search(r"^flags\s*:\s*(.*)$", text, re.M)
        flags = m.group(1).split() if m else []
        info["cpu_flags"] = " ".join(flags)
        info["cpu_simd_flags"] = " ".join(f for f in flags if re.match(
            r"(sse|ssse|avx|fma|f16c|bmi|amx)", f))
        m = re.search(r"^cpu MHz\s*:\s*(.*)$", text, re.M)
        info["cpu_mhz"] = m.group(1).strip() if m else "?"
    except OSError:
        pass
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
        for key in ("Hypervisor vendor", "L1d cache", "L2 cache", "L3 cache"):
            m = re.search(r"^%s:\s*(.*)$" % key, lscpu, re.M)
            if m:
                info[key.lower().replace(" ", "_")] = m.group(1).strip()
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as fh:
            info["mem_total"] = fh.readline().split(":")[1].strip()
    except OSError:
        pass
    info["load_avg_start"] = list(os.getloadavg())
    return info


def worker_env(args):
    env = dict(os.environ)
    for v in THREAD_VARS:
        env[v] = "1"
    env["PYTHONPATH"] = os.path.join(ROOT, "python") + (
        ":" + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    if args.library:
        env["XENT_LIBRARY"] = args.library
    return env


def worker_cmd(args, n, cases=None, impl=None, loop=None):
    cmd = [PY, os.path.abspath(__file__), "--worker", "--n", str(n),
           "--reps", str(args.reps), "--min-time", str(args.min_time),
           "--clock", args.clock]
    if cases:
        cmd += ["--cases", ",".join(cases)]
    if args.skip:
        cmd += ["--skip", args.skip]
    if impl:
        cmd += ["--impl", impl]
    if loop:
        cmd += ["--loop", str(loop)]
    return cmd


def run_workers(args, sizes, cases, failures):
    runs = []
    for n in sizes:
        t0 = time.perf_counter()
        log("compare: worker n = %s (%d cases)" % (size_label(n), len(cases)))
        p = subprocess.run(worker_cmd(args, n, cases), env=worker_env(args),
                           stdout=subprocess.PIPE, text=True)
        if p.returncode != 0:
            failures.append("worker n=%d exited with status %d" % (n, p.returncode))
            continue
        try:
            doc = json.loads(p.stdout)
        except ValueError as e:
            failures.append("worker n=%d: bad JSON (%s)" % (n, e))
            continue
        doc["seconds"] = time.perf_counter() - t0
        runs.append(doc)
        log("compare: n = %s done in %.0f s" % (size_label(n), doc["seconds"]))
    return runs


def harness_filter(default, sizes):
    import cases as C
    losses = "|".join(sorted(set(C.HARNESS_LOSS.values())))
    impls = "|".join(re.escape(x) for x in
                     sorted({default, "base_read_only_avx2", "base_read_only_avx512"}))
    ns = "|".join(str(n) for n in sizes)
    parts = ["^(%s)/(%s)/(%s)$" % (losses, impls, ns)]
    # what bench/summary.py needs for the foundation targets (64K and 16M)
    t_ns = "|".join(str(n) for n in (1 << 16, 1 << 24) if n in sizes)
    if t_ns:
        parts.append("^bce_f32(_soft)?/(avx2|avx512|base_sleef_naive_avx2|base_libmvec_fastmath|"
                     "base_read_only_avx2|base_read_only_avx512|%s)/(%s)$"
                     % (re.escape(default), t_ns))
    return "|".join("(%s)" % p for p in parts)


def run_harness(args, default, sizes, outdir, failures):
    """[(path of Google Benchmark JSON)] from the C harness, run now."""
    if args.harness_json:
        return args.harness_json
    if args.no_harness:
        return []
    binary = args.harness or os.path.join(ROOT, "build", "bench", "xent_bench")
    if not os.access(binary, os.X_OK):
        log("compare: no harness binary at %s: no binding-overhead comparison" % binary)
        return []
    out = os.path.join(outdir, "harness.json")
    cmd = [binary, "--benchmark_filter=" + harness_filter(default, sizes),
           "--benchmark_min_time=%g" % (0.01 if args.quick else 0.1),
           "--benchmark_repetitions=%d" % (1 if args.quick else 3),
           "--benchmark_display_aggregates_only=true",
           "--benchmark_enable_random_interleaving=true",
           "--benchmark_out=" + out, "--benchmark_out_format=json"]
    t0 = time.perf_counter()
    log("compare: C harness %s" % binary)
    env = worker_env(args)
    p = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if p.returncode != 0 or not os.path.exists(out):
        failures.append("C harness failed (%d): %s" % (p.returncode, p.stderr[-500:]))
        return []
    log("compare: C harness done in %.0f s" % (time.perf_counter() - t0))
    return [out]


def profile_path(spec, outdir):
    loss, dt, mode, n, impl = spec.split("/")
    tag = re.sub(r"[^A-Za-z0-9_.+-]+", "_", "%s-%s-%s-%s-%s" % (loss, dt, mode,
                                                             size_label(int(n)), impl))
    return os.path.join(outdir, "profile-%s.txt" % tag)


def run_profile(args, spec, outdir):
    """perf profile of one implementation: results/profile-<spec>.txt."""
    loss, dt, mode, n, impl = spec.split("/")
    txt = profile_path(spec, outdir)
    perf = shutil.which("perf")
    if not perf:
        with open(txt, "w") as fh:
            fh.write("perf is not installed (apt-get install linux-perf)\n")
        return txt
    data = os.path.join(tempfile.mkdtemp(prefix="xent-perf-"), "perf.data")
    seconds = args.profile_seconds
    p = subprocess.Popen(worker_cmd(args, int(n), ["%s/%s/%s" % (loss, dt, mode)], impl,
                                    loop=seconds + 3),
                         env=worker_env(args), stdout=subprocess.PIPE, text=True)
    line = p.stdout.readline()  # READY: the inputs are built
    if line.strip() != "READY":
        p.wait()
        with open(txt, "w") as fh:
            fh.write("worker did not start (%r)\n" % line)
        return txt
    rec = subprocess.run([perf, "record", "-q", "-e", "cpu-clock", "-F", "4000", "-o", data,
                          "-p", str(p.pid), "--", "sleep", str(seconds)],
                         capture_output=True, text=True)
    p.wait()
    def report(sort, limit):
        r = subprocess.run([perf, "report", "--stdio", "-i", data, "--no-children",
                            "--sort", sort, "--percent-limit", "0.5"],
                           capture_output=True, text=True)
        lines = [ln.rstrip() for ln in r.stdout.splitlines()
                 if ln.strip() and not ln.startswith("#")]
        return "\n".join(lines[:limit]) or r.stderr[-500:]
    # right away: perf resolves symbols from the files on disk, and build/
    # may be rebuilt by someone else later
    by_dso, by_sym = report("dso", 15), report("dso,sym", 30)
    # the same case at the Python level: which functions the time is in
    prof = os.path.join(os.path.dirname(data), "cprofile.txt")
    subprocess.run(worker_cmd(args, int(n), ["%s/%s/%s" % (loss, dt, mode)], impl,
                              loop=1.5) + ["--cprofile", prof],
                   env=worker_env(args), stdout=subprocess.DEVNULL)
    with open(txt, "w") as fh:
        fh.write("# %s: where the time goes\n" % spec)
        fh.write("# perf record -e cpu-clock -F 4000 -p <worker> -- sleep %d, on the worker\n"
                 "#   %s\n" % (seconds, " ".join(worker_cmd(args, int(n), [
                     "%s/%s/%s" % (loss, dt, mode)], impl, seconds + 3))))
        fh.write("# (numpy and torch are stripped: their symbols show as addresses)\n\n")
        fh.write("## CPU samples by shared object\n\n%s\n\n" % by_dso)
        fh.write("## CPU samples by symbol\n\n%s\n\n" % by_sym)
        if rec.returncode != 0:
            fh.write("perf record: %s\n\n" % rec.stderr[-800:])
        if os.path.exists(prof):
            with open(prof) as pf:
                fh.write("## cProfile of the same calls (Python functions, by own time)\n\n"
                         + pf.read())
    shutil.rmtree(os.path.dirname(data), ignore_errors=True)
    return txt


README_BEGIN = "<!-- compare:begin (make compare writes this part; do not edit) -->"
README_END = "<!-- compare:end -->"


def splice_readme(md):
    """docs/compare.md's tables into README.md between the markers, so the
    README's table is regenerated with the plot, never edited by hand."""
    path = os.path.join(ROOT, "README.md")
    try:
        text = open(path).read()
    except OSError:
        return
    a, b = text.find(README_BEGIN), text.find(README_END)
    if a < 0 or b < a:
        return
    body = md.split("\n", 1)[1] if md.startswith("<!--") else md
    text = text[:a + len(README_BEGIN)] + "\n" + body.rstrip("\n") + "\n" + text[b:]
    with open(path, "w") as fh:
        fh.write(text)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--quick", action="store_true",
                    help="small sizes, few repeats (CI); never writes docs/")
    ap.add_argument("--out", help="output directory (default results/)")
    ap.add_argument("--sizes", help="comma-separated sizes (elements or n*k)")
    ap.add_argument("--only", help="comma-separated losses (default all)")
    ap.add_argument("--dtypes", help="f32,f64")
    ap.add_argument("--modes", help="fwd,grad")
    ap.add_argument("--reps", type=int, help="repeats per implementation (5; quick 2)")
    ap.add_argument("--min-time", type=float, help="seconds per repeat (0.05; quick 0.002)")
    ap.add_argument("--clock", choices=("process", "wall"), default="process",
                    help="time.process_time (CPU time, default) or time.perf_counter")
    ap.add_argument("--skip", default="", help="comma-separated: torch,sklearn,numpy")
    ap.add_argument("--library", help="libxent.so to use (sets XENT_LIBRARY)")
    ap.add_argument("--harness", help="the C harness binary (build/bench/xent_bench)")
    ap.add_argument("--harness-json", action="append",
                    help="use this Google Benchmark JSON instead of running the harness")
    ap.add_argument("--no-harness", action="store_true")
    ap.add_argument("--profile", action="append", default=[],
                    help="loss/dtype/mode/size/impl to profile with perf (repeatable)")
    ap.add_argument("--no-profile", action="store_true",
                    help="do not profile the missed targets")
    ap.add_argument("--profile-seconds", type=int, default=3)
    ap.add_argument("--render", metavar="JSON",
                    help="no measuring: redo the tables, targets, plots (and the profiles of "
                         "missed targets, unless --no-profile) from a compare.json")
    ap.add_argument("--docs", dest="docs", action="store_true", default=None,
                    help="write docs/compare.png and docs/compare.md (default: a full "
                         "run into results/)")
    ap.add_argument("--no-docs", dest="docs", action="store_false")
    # worker mode (internal)
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--n", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--cases", help=argparse.SUPPRESS)
    ap.add_argument("--impl", help=argparse.SUPPRESS)
    ap.add_argument("--loop", type=float, help=argparse.SUPPRESS)
    ap.add_argument("--cprofile", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.reps is None:
        args.reps = 2 if args.quick else 5
    if args.min_time is None:
        args.min_time = 0.002 if args.quick else 0.05
    if args.worker:
        return worker(args)

    import cases as C
    import report as R
    t_start = time.perf_counter()
    default_out = os.path.join(ROOT, "results")
    outdir = os.path.abspath(args.out or default_out)
    os.makedirs(outdir, exist_ok=True)
    if args.docs is None:
        args.docs = not args.quick and outdir == default_out and not (
            args.sizes or args.only or args.dtypes or args.modes)
    sizes = ([int(s) for s in args.sizes.split(",") if s] if args.sizes
             else QUICK_SIZES if args.quick else FULL_SIZES)
    only = [s for s in args.only.split(",") if s] if args.only else None
    for name in only or []:
        if name not in C.LOSSES:
            ap.error("unknown loss %r (one of %s)" % (name, ", ".join(C.LOSSES)))
    cases = C.case_names(only, args.dtypes and args.dtypes.split(","),
                         args.modes and args.modes.split(","))
    failures = []

    if args.library:
        os.environ["XENT_LIBRARY"] = args.library
    sys.path.insert(0, os.path.join(ROOT, "python"))
    try:
        import xent
        default = xent.variant()
        variants = xent.variants()
    except Exception as e:  # no library, or XENT_VARIANT names a bad variant
        log("compare: FAILED: cannot load xent: %s: %s" % (type(e).__name__, e))
        return 1
    log("compare: %d cases x %d sizes, variants %s (default %s), out %s"
        % (len(cases), len(sizes), ",".join(variants), default, outdir))

    if args.render:
        with open(args.render) as fh:
            doc = json.load(fh)
        failures = doc["failures"]
        args.quick = doc.get("quick", False)
        args.reps = doc["timing"]["repeats"]
        args.min_time = doc["timing"]["min_seconds_per_repeat"]
        args.docs = bool(args.docs)     # docs/ only when asked for
        log("compare: rendering %s (measured %s) into %s" % (args.render, doc["date"], outdir))
    else:
        machine = machine_info()
        runs = run_workers(args, sizes, cases, failures)
        harness_files = run_harness(args, default, sizes, outdir, failures)

        doc = {
            "tool": "compare/compare.py", "argv": argv, "quick": args.quick,
            "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "machine": machine,
            "default_variant": default, "variants": variants,
            "versions": runs[0]["versions"] if runs else {},
            "threads": runs[0]["threads"] if runs else {},
            "library": runs[0]["library"] if runs else None,
            "timing": {"clock": "time.process_time (CPU time)" if args.clock == "process"
                       else "time.perf_counter (wall time)",
                       "repeats": args.reps, "min_seconds_per_repeat": args.min_time,
                       "slow_call_seconds": SLOW_CALL_S,
                       "slow_call_repeats": min(args.reps, 3),
                       "order": "one worker process per size; per case, every "
                                "implementation once per round, rounds repeated"},
            "sizes": sizes, "cases": cases,
            "results": [r for run in runs for r in run["results"]],
            "worker_seconds": {str(run["n"]): run["seconds"] for run in runs},
            "harness": R.load_harness(harness_files),
            "failures": failures,
        }
        doc["machine"]["load_avg_end"] = list(os.getloadavg())

    targets = R.targets(doc)
    doc["targets"] = targets
    profiles = list(args.profile)
    missed = list(dict.fromkeys(s for t in targets if t["result"] == "MISSED"
                                for s in t["profile_specs"]))
    doc["profiles"] = {}
    if not args.quick and not args.no_profile:
        profiles += missed
    elif args.render:   # --render --no-profile: keep the profiles already there
        doc["profiles"] = {s: os.path.basename(profile_path(s, outdir)) for s in missed
                           if os.path.exists(profile_path(s, outdir))}
    profiles = list(dict.fromkeys(profiles))    # each implementation once
    for spec in profiles:
        log("compare: profiling %s" % spec)
        doc["profiles"][spec] = os.path.basename(run_profile(args, spec, outdir))
    if not args.render:
        doc["seconds"] = time.perf_counter() - t_start
    doc["_outdir"] = outdir

    stamp = time.strftime("%Y%m%d-%H%M%S")
    written = R.write_all(doc, outdir, stamp)
    if args.docs:
        docs = os.path.join(ROOT, "docs")
        os.makedirs(docs, exist_ok=True)
        shutil.copyfile(os.path.join(outdir, "compare.png"), os.path.join(docs, "compare.png"))
        with open(os.path.join(docs, "compare.md"), "w") as fh:
            fh.write(R.readme_markdown(doc))
        written += [os.path.join(docs, "compare.png"), os.path.join(docs, "compare.md")]
        splice_readme(R.readme_markdown(doc))
    missing = [p for p in written if not os.path.exists(p) or os.path.getsize(p) == 0]
    wrong = [r for r in doc["results"] if r["error"]]
    print(R.summary_text(doc))
    for m in missing:
        log("compare: missing output %s" % m)
    for f in failures:
        log("compare: FAILED: %s" % f)
    log("compare: %d results (%d wrong or failing), %.0f s, written to %s"
        % (len(doc["results"]), len(wrong), time.perf_counter() - t_start, outdir))
    return 1 if (missing or wrong or failures or not doc["results"]) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
