#!/bin/sh
# Run the xent benchmarks and print the summary tables.
#
#   bench/run.sh [XENT_BENCH_BINARY [RESULTS_DIR]]
#
# Defaults: build/bench/xent_bench and build/bench-results (relative to the
# repository root).  `make bench` in a build directory calls this with that
# build's binary and <build>/bench-results.
#
# 1. the C harness, once per size group (each with its own min time, so
#    benchmark names stay plain: bce_f32/avx2/65536), 5 repetitions each,
#    repetitions interleaved in random order (so slow drifts in machine load
#    hit xent and its baselines alike), medians, JSON into
#    RESULTS_DIR/bench-{small,1m,16m}.json for BCE on probabilities and the
#    math kernels (bench_bce.cc), and RESULTS_DIR/bench-losses-{small,1m,16m}.json
#    for BCE on logits, cross-entropy, NLL and log-loss (bench_losses.cc,
#    shorter min time at 16M: its slowest cases take ~1 s a call);
# 2. bench/summary.py over those files -> RESULTS_DIR/summary.md;
# 3. bench/bench_python.py (torch, sklearn, numpy, xent through the
#    binding) -> RESULTS_DIR/python.md and python.json.
#
# Environment:
#   XENT_BENCH_REPS=N     repetitions per benchmark (default 5)
#   XENT_BENCH_QUICK=1    short min times (a smoke run; figures are noisy)
#   XENT_BENCH_PYTHON=0   skip the Python comparison
#   XENT_LIBRARY          shared library for the binding (default: libxent.so
#                         next to the harness's build directory)
# The whole run takes about 10-11 minutes on 2 cores (XENT_BENCH_QUICK=1:
# about 2, half of it the Python part).  Do not run it while
# something else is building: the figures are ratios from one run, but a busy
# machine still skews them.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
bin=${1:-$root/build/bench/xent_bench}
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
build=$(dirname "$(dirname "$bin")")
out=${2:-$build/bench-results}
reps=${XENT_BENCH_REPS:-5}
py=/usr/bin/python3

if [ ! -x "$bin" ]; then
    echo "run.sh: no benchmark binary at $bin (build the xent_bench target)" >&2
    exit 1
fi
mkdir -p "$out"

if [ "${XENT_BENCH_QUICK:-0}" = 1 ]; then
    t_small=0.02 t_1m=0.05 t_16m=0.1 tl_16m=0.1
else
    t_small=0.1 t_1m=0.2 t_16m=0.5 tl_16m=0.3
fi

# The two harness files' benchmarks, told apart by the loss name.
bce='^(bce_f|log_f|log1m_f|sum_f)[^/]*/[^/]*'
losses='^(bce_logits|ce_|nll_|log_loss_)[^/]*/[^/]*'

# One thread: the kernels are single-threaded, and so are the references.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

run_group() { # name filter min_time
    echo "== xent_bench: $1 (min time $3 s, $reps repetitions)"
    "$bin" --benchmark_filter="$2" --benchmark_min_time="$3" \
        --benchmark_repetitions="$reps" --benchmark_display_aggregates_only=true \
        --benchmark_enable_random_interleaving=true \
        --benchmark_out="$out/bench-$1.json" --benchmark_out_format=json \
        > "$out/bench-$1.txt" 2>&1
    # Progress: the medians (the runs themselves with one repetition).
    grep -E '^(bce_|ce_|nll_|log_loss_)' "$out/bench-$1.txt" | grep -vE '_(mean|stddev|cv) ' || true
}

start=$(date +%s)
run_group small "$bce/(1024|4096|65536)\$" "$t_small"
grep -E '^(Run on|xent_|cpu_|Load Average)' "$out/bench-small.txt" || true
run_group 1m "$bce/1048576\$" "$t_1m"
run_group 16m "$bce/16777216\$" "$t_16m"
run_group losses-small "$losses/(1024|4096|65536)\$" "$t_small"
run_group losses-1m "$losses/1048576\$" "$t_1m"
run_group losses-16m "$losses/16777216\$" "$tl_16m"

"$py" "$here/summary.py" "$out"/bench-small.json "$out"/bench-1m.json \
    "$out"/bench-16m.json "$out"/bench-losses-small.json "$out"/bench-losses-1m.json \
    "$out"/bench-losses-16m.json -o "$out/summary.md" > /dev/null

if [ "${XENT_BENCH_PYTHON:-1}" != 0 ]; then
    if [ -z "${XENT_LIBRARY:-}" ] && [ -e "$build/libxent.so" ]; then
        XENT_LIBRARY=$build/libxent.so
        export XENT_LIBRARY
    fi
    echo "== bench_python.py"
    rm -f "$out/python.md" "$out/python.json"
    PYTHONPATH="$root/python${PYTHONPATH:+:$PYTHONPATH}" "$py" "$here/bench_python.py" \
        --markdown "$out/python.md" --json "$out/python.json" > /dev/null ||
        echo "run.sh: bench_python.py failed" >&2
fi

echo
echo "== results in $out ($(($(date +%s) - start)) s)"
echo
cat "$out/summary.md"
[ -e "$out/python.md" ] && cat "$out/python.md"
exit 0
