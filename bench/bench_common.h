// What the two harness files (bench_bce.cc, bench_losses.cc) share: aligned
// buffers, the fixed-seed generator, the counters, the result check and the
// CPU features that decide which baselines are registered.
#ifndef XENT_BENCH_COMMON_H
#define XENT_BENCH_COMMON_H

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace xent_bench {

template <typename T>
struct Buf {
  T *ptr = nullptr;
  explicit Buf(size_t n) {
    size_t bytes = (n * sizeof(T) + 63) / 64 * 64;
    ptr = static_cast<T *>(std::aligned_alloc(64, bytes ? bytes : 64));
    if (!ptr) {
      std::fprintf(stderr, "xent_bench: out of memory\n");
      std::exit(1);
    }
  }
  ~Buf() { std::free(ptr); }
  Buf(const Buf &) = delete;
  Buf &operator=(const Buf &) = delete;
};

// splitmix64: a fixed-seed generator, the same inputs in every run.
struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed) {}
  uint64_t next() {
    uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in the open interval (0, 1).
  double uniform() { return ((double)(next() >> 11) + 0.5) * 0x1p-53; }
  // Standard normal (Box-Muller, one of the pair).
  double normal() {
    const double u = uniform(), v = uniform();
    return std::sqrt(-2.0 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
};

// What the CPU can run: a baseline built with -mavx512f is registered only
// when the CPU has AVX-512F (and -mavx512dq ones only with AVX-512DQ too).
struct Cpu {
  bool avx2, avx512f, avx512dq;
  static Cpu detect() {
    Cpu c;
    c.avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    c.avx512f = __builtin_cpu_supports("avx512f");
    c.avx512dq = c.avx512f && __builtin_cpu_supports("avx512dq");
    return c;
  }
};

// elems: what time_per_elem divides by (elements, logits or rows);
// bytes: bytes read (and written) per iteration.
inline void set_counters(benchmark::State &st, size_t elems, size_t bytes) {
  const double it = (double)st.iterations();
  st.SetBytesProcessed((int64_t)(it * (double)bytes));
  st.SetItemsProcessed((int64_t)(it * (double)elems));
  // elems per iteration, as a rate (elements per second), inverted: seconds
  // per element.  The console prints it with an SI prefix ("0.55ns"); the
  // JSON holds seconds (summary.py converts to ns).
  st.counters["time_per_elem"] = benchmark::Counter(
      (double)elems, benchmark::Counter::kIsIterationInvariantRate |
                         benchmark::Counter::kInvert);
}

// A result off by more than this (relative to the reference) means the
// kernel is wrong, and a wrong kernel's timing means nothing.
inline bool close_enough(double got, double ref) {
  return std::isfinite(got) && std::fabs(got - ref) <= 1e-5 * std::fabs(ref);
}

inline void finish(benchmark::internal::Benchmark *b) { b->Unit(benchmark::kMicrosecond); }

// bench_losses.cc: BCE on logits, cross-entropy, NLL and log-loss.
void register_loss_benchmarks(const std::vector<std::string> &variants, const Cpu &cpu);

}  // namespace xent_bench

#endif
