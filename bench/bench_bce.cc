// Google Benchmark harness for xent's binary cross-entropy, with the
// baselines it is judged against timed in the same run on the same inputs.
// main() is here; bench_losses.cc registers BCE on logits, cross-entropy,
// NLL and log-loss the same way.
//
// Names are  <loss>/<implementation>/<n>:
//   loss            bce_f32 (hard 0/1 targets), bce_f32_soft (targets
//                   uniform in [0,1]), bce_f64, bce_f64_soft, and
//                   bce_f32_none (reduction 'none', per-element output);
//                   and the math kernels alone at 4K and 64K: log_f32,
//                   log1m_f32 (out[i] = clamped log / log(1-x)), sum_f32
//                   (the compensated sum)
//   implementation  every name xent_list_variants() returns (forced with
//                   xent_set_variant), or a baseline base_* (bench/base_*.c);
//                   baselines built for AVX-512 only when the CPU has it
//   n               elements
// Counters: time_per_elem (CPU seconds per element, shown as ns) and bytes_per_second
// (input + target bytes).  bench/summary.py turns the JSON into ratios.
//
// No per-benchmark min time is set (Google Benchmark would append
// "/min_time:..." to every name): bench/run.sh runs the binary once per size
// group with --benchmark_filter and its own --benchmark_min_time.

#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "baselines.h"
#include "bench_common.h"
#include "xent.h"

namespace {

using xent_bench::Buf;
using xent_bench::close_enough;
using xent_bench::Rng;

constexpr size_t kSizes[] = {size_t(1) << 10, size_t(1) << 12, size_t(1) << 16,
                             size_t(1) << 20, size_t(1) << 24};

// p uniform in the open interval (0,1); soft targets uniform in [0,1);
// hard targets 0 or 1 with probability 1/2.
struct Data {
  size_t n;
  Buf<float> p, yh, ys, out;
  Buf<double> pd, yhd, ysd;
  double ref_f32_hard = NAN, ref_f32_soft = NAN, ref_f64_hard = NAN, ref_f64_soft = NAN;
  explicit Data(size_t n_)
      : n(n_), p(n_), yh(n_), ys(n_), out(n_), pd(n_), yhd(n_), ysd(n_) {
    Rng r(0x78656e74u ^ n_);  // "xent"
    for (size_t i = 0; i < n; i++) {
      uint64_t a = r.next(), b = r.next();
      // (k + 0.5) * 2^-23 with k < 2^23 fits a float exactly: p in (0,1),
      // never rounded to 1.  Likewise 2^-52 for double.
      p.ptr[i] = (float)(((double)(a >> 41) + 0.5) * 0x1p-23);
      ys.ptr[i] = (float)((double)(b >> 40) * 0x1p-24);  // [0,1)
      yh.ptr[i] = (float)((b >> 7) & 1);
      pd.ptr[i] = ((double)(a >> 12) + 0.5) * 0x1p-52;
      ysd.ptr[i] = (double)(b >> 11) * 0x1p-53;
      yhd.ptr[i] = yh.ptr[i];
      out.ptr[i] = 0.0f;
    }
    ref_f32_hard = base_libm_scalar_f32(p.ptr, yh.ptr, n);
    ref_f32_soft = base_libm_scalar_f32(p.ptr, ys.ptr, n);
    ref_f64_hard = base_libm_scalar_f64(pd.ptr, yhd.ptr, n);
    ref_f64_soft = base_libm_scalar_f64(pd.ptr, ysd.ptr, n);
  }
};

Data &data_for(size_t n) {
  static std::map<size_t, std::unique_ptr<Data>> cache;
  auto it = cache.find(n);
  if (it == cache.end()) it = cache.emplace(n, std::make_unique<Data>(n)).first;
  return *it->second;
}

enum class Loss { F32, F32_SOFT, F64, F64_SOFT, F32_NONE };

const char *loss_name(Loss l) {
  switch (l) {
    case Loss::F32: return "bce_f32";
    case Loss::F32_SOFT: return "bce_f32_soft";
    case Loss::F64: return "bce_f64";
    case Loss::F64_SOFT: return "bce_f64_soft";
    case Loss::F32_NONE: return "bce_f32_none";
  }
  return "?";
}
bool is_f64(Loss l) { return l == Loss::F64 || l == Loss::F64_SOFT; }
bool is_soft(Loss l) { return l == Loss::F32_SOFT || l == Loss::F64_SOFT; }

double reference(const Data &d, Loss l) {
  switch (l) {
    case Loss::F32: return d.ref_f32_hard;
    case Loss::F32_SOFT: return d.ref_f32_soft;
    case Loss::F64: return d.ref_f64_hard;
    case Loss::F64_SOFT: return d.ref_f64_soft;
    case Loss::F32_NONE: return d.ref_f32_hard;
  }
  return NAN;
}

// bytes_per_elem: bytes read (and written) per element.
void set_counters(benchmark::State &st, size_t n, size_t bytes_per_elem) {
  xent_bench::set_counters(st, n, n * bytes_per_elem);
}

void bm_xent(benchmark::State &st, const std::string &variant, Loss loss, size_t n) {
  if (xent_set_variant(variant.c_str()) != XENT_OK) {
    st.SkipWithError("xent_set_variant failed");
    return;
  }
  Data &d = data_for(n);
  xent_status s = XENT_OK;
  double r = 0.0;
  if (loss == Loss::F32_NONE) {
    for (auto _ : st) {
      s = xent_bce_f32(d.p.ptr, d.yh.ptr, nullptr, n, XENT_REDUCTION_NONE, 0u,
                       nullptr, d.out.ptr, nullptr, nullptr);
      benchmark::ClobberMemory();
    }
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) sum += d.out.ptr[i];
    r = sum / (double)n;
  } else if (is_f64(loss)) {
    const double *y = is_soft(loss) ? d.ysd.ptr : d.yhd.ptr;
    for (auto _ : st) {
      s = xent_bce_f64(d.pd.ptr, y, nullptr, n, XENT_REDUCTION_MEAN, 0u, &r,
                       nullptr, nullptr, nullptr);
      benchmark::DoNotOptimize(r);
      benchmark::ClobberMemory();
    }
  } else {
    const float *y = is_soft(loss) ? d.ys.ptr : d.yh.ptr;
    for (auto _ : st) {
      s = xent_bce_f32(d.p.ptr, y, nullptr, n, XENT_REDUCTION_MEAN, 0u, &r,
                       nullptr, nullptr, nullptr);
      benchmark::DoNotOptimize(r);
      benchmark::ClobberMemory();
    }
  }
  if (s != XENT_OK) {
    st.SkipWithError(xent_strerror(s));
    return;
  }
  if (!close_enough(r, reference(d, loss))) {
    st.SkipWithError("result differs from the glibc scalar loop by > 1e-5");
    return;
  }
  set_counters(st, n, is_f64(loss) ? 2 * sizeof(double) : 2 * sizeof(float));
}

using F32Fn = double (*)(const float *, const float *, size_t);
using F64Fn = double (*)(const double *, const double *, size_t);

void bm_base_f32(benchmark::State &st, F32Fn fn, Loss loss, size_t n, bool check) {
  Data &d = data_for(n);
  const float *y = is_soft(loss) ? d.ys.ptr : d.yh.ptr;
  double r = 0.0;
  for (auto _ : st) {
    r = fn(d.p.ptr, y, n);
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  if (check && !close_enough(r, reference(d, loss))) {
    st.SkipWithError("result differs from the glibc scalar loop by > 1e-5");
    return;
  }
  set_counters(st, n, 2 * sizeof(float));
}

void bm_base_f64(benchmark::State &st, F64Fn fn, Loss loss, size_t n, bool check) {
  Data &d = data_for(n);
  const double *y = is_soft(loss) ? d.ysd.ptr : d.yhd.ptr;
  double r = 0.0;
  for (auto _ : st) {
    r = fn(d.pd.ptr, y, n);
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  if (check && !close_enough(r, reference(d, loss))) {
    st.SkipWithError("result differs from the glibc scalar loop by > 1e-5");
    return;
  }
  set_counters(st, n, 2 * sizeof(double));
}

// ---- math kernels: the log alone and the compensated sum alone ----------
// log_f32 / log1m_f32: out[i] = max(log(x), -100) / max(log(1-x), -100)
// over p (bytes: read + write); sum_f32: the canonical compensated sum of p.

enum class Kernel { LOG, LOG1M, SUM };

using LogFn = void (*)(const float *, size_t, float *);

bool logs_agree(const Data &d, size_t n, bool log1m) {
  for (size_t i = 0; i < n && i < 256; i++) {
    float x = log1m ? std::log1p(-d.p.ptr[i]) : std::log(d.p.ptr[i]);
    if (!(std::fabs(d.out.ptr[i] - x) <= 1e-6f * std::fabs(x) + 1e-30f)) return false;
  }
  return true;
}

void bm_xent_kernel(benchmark::State &st, const std::string &variant, Kernel k, size_t n) {
  if (xent_set_variant(variant.c_str()) != XENT_OK) {
    st.SkipWithError("xent_set_variant failed");
    return;
  }
  Data &d = data_for(n);
  xent_status s = XENT_OK;
  double r = 0.0;
  for (auto _ : st) {
    switch (k) {
      case Kernel::LOG: s = xent_log_clamped_f32(d.p.ptr, n, d.out.ptr, nullptr); break;
      case Kernel::LOG1M: s = xent_log1m_clamped_f32(d.p.ptr, n, d.out.ptr, nullptr); break;
      case Kernel::SUM: s = xent_sum_f32(d.p.ptr, n, &r); break;
    }
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  if (s != XENT_OK) {
    st.SkipWithError(xent_strerror(s));
    return;
  }
  if (k == Kernel::SUM ? !close_enough(r, base_naive_sum_f32(d.p.ptr, n))
                       : !logs_agree(d, n, k == Kernel::LOG1M)) {
    st.SkipWithError("result differs from libm / a plain double sum");
    return;
  }
  set_counters(st, n, k == Kernel::SUM ? sizeof(float) : 2 * sizeof(float));
}

void bm_base_log(benchmark::State &st, LogFn fn, size_t n) {
  Data &d = data_for(n);
  for (auto _ : st) {
    fn(d.p.ptr, n, d.out.ptr);
    benchmark::ClobberMemory();
  }
  if (!logs_agree(d, n, false)) {
    st.SkipWithError("result differs from libm");
    return;
  }
  set_counters(st, n, 2 * sizeof(float));
}

void bm_base_sum(benchmark::State &st, size_t n) {
  Data &d = data_for(n);
  double r = 0.0;
  for (auto _ : st) {
    r = base_naive_sum_f32(d.p.ptr, n);
    benchmark::DoNotOptimize(r);
    benchmark::ClobberMemory();
  }
  set_counters(st, n, sizeof(float));
}

std::string bench_name(Loss l, const std::string &impl, size_t n) {
  return std::string(loss_name(l)) + "/" + impl + "/" + std::to_string(n);
}

void finish(benchmark::internal::Benchmark *b, size_t) { xent_bench::finish(b); }

void register_all(const std::vector<std::string> &variants, const xent_bench::Cpu &cpu) {
  // An AVX-512 baseline is registered only when this CPU can run it:
  // avx512f for the SLEEF and read-only ones (built -mavx512f), avx512dq
  // too for the libmvec one (built -mavx512f -mavx512dq).
  const bool avx2 = cpu.avx2;
  const bool avx512f = cpu.avx512f;
  const bool avx512 = cpu.avx512dq;

  struct F32Base { const char *name; F32Fn fn; bool ok; bool check; };
  struct F64Base { const char *name; F64Fn fn; bool ok; bool check; };
  const F32Base f32_bases[] = {
      {"base_libm_scalar", base_libm_scalar_f32, true, true},
      {"base_sleef_naive_avx2", base_sleef_naive_avx2_f32, avx2, true},
      {"base_libmvec_fastmath", base_libmvec_fastmath_avx2_f32, avx2, true},
      {"base_libmvec_fastmath_avx512", base_libmvec_fastmath_avx512_f32, avx512, true},
  };
  // The read-only pass reads the same bytes whatever the targets are, so it
  // is registered once per dtype (under the hard-target loss name).
  const F32Base f32_read[] = {
      {"base_read_only_avx2", base_read_only_avx2_f32, avx2, false},
      {"base_read_only_avx512", base_read_only_avx512_f32, avx512f, false},
  };
  const F64Base f64_bases[] = {
      {"base_libm_scalar", base_libm_scalar_f64, true, true},
  };
  const F64Base f64_read[] = {
      {"base_read_only_avx2", base_read_only_avx2_f64, avx2, false},
      {"base_read_only_avx512", base_read_only_avx512_f64, avx512f, false},
  };

  // Sizes outermost, so each size's buffers are hot in the same way for
  // xent and for the baselines that follow it.
  for (size_t n : kSizes) {
    for (Loss loss : {Loss::F32, Loss::F32_SOFT, Loss::F64, Loss::F64_SOFT}) {
      for (const std::string &v : variants)
        finish(benchmark::RegisterBenchmark(bench_name(loss, v, n).c_str(), bm_xent, v, loss, n), n);
      if (is_f64(loss)) {
        for (const F64Base &b : f64_bases)
          if (b.ok)
            finish(benchmark::RegisterBenchmark(bench_name(loss, b.name, n).c_str(), bm_base_f64,
                                                b.fn, loss, n, b.check), n);
        if (loss == Loss::F64)
          for (const F64Base &b : f64_read)
            if (b.ok)
              finish(benchmark::RegisterBenchmark(bench_name(loss, b.name, n).c_str(),
                                                  bm_base_f64, b.fn, loss, n, b.check), n);
      } else {
        for (const F32Base &b : f32_bases)
          if (b.ok)
            finish(benchmark::RegisterBenchmark(bench_name(loss, b.name, n).c_str(), bm_base_f32,
                                                b.fn, loss, n, b.check), n);
        if (loss == Loss::F32)
          for (const F32Base &b : f32_read)
            if (b.ok)
              finish(benchmark::RegisterBenchmark(bench_name(loss, b.name, n).c_str(),
                                                  bm_base_f32, b.fn, loss, n, b.check), n);
      }
    }
    // The log and the sum alone, at an L1 size and an L2 size.
    if (n == (size_t(1) << 12) || n == (size_t(1) << 16)) {
      const std::string sz = "/" + std::to_string(n);
      for (const std::string &v : variants) {
        finish(benchmark::RegisterBenchmark(("log_f32/" + v + sz).c_str(), bm_xent_kernel, v,
                                            Kernel::LOG, n), n);
        finish(benchmark::RegisterBenchmark(("log1m_f32/" + v + sz).c_str(), bm_xent_kernel, v,
                                            Kernel::LOG1M, n), n);
        finish(benchmark::RegisterBenchmark(("sum_f32/" + v + sz).c_str(), bm_xent_kernel, v,
                                            Kernel::SUM, n), n);
      }
      struct LogBase { const char *name; LogFn fn; bool ok; };
      const LogBase log_bases[] = {
          {"base_libm_scalar", base_libm_log_f32, true},
          {"base_sleef_u10_avx2", base_sleef_log_avx2_f32, avx2},
          {"base_sleef_u10_avx512", base_sleef_log_avx512_f32, avx512f},
          {"base_libmvec_fastmath", base_libmvec_log_avx2_f32, avx2},
          {"base_libmvec_fastmath_avx512", base_libmvec_log_avx512_f32, avx512},
      };
      for (const LogBase &b : log_bases)
        if (b.ok)
          finish(benchmark::RegisterBenchmark(("log_f32/" + std::string(b.name) + sz).c_str(),
                                              bm_base_log, b.fn, n), n);
      finish(benchmark::RegisterBenchmark(("sum_f32/base_naive_double" + sz).c_str(),
                                          bm_base_sum, n), n);
    }
    // Reduction 'none' (per-element output) at two sizes.
    if (n == (size_t(1) << 16) || n == (size_t(1) << 20))
      for (const std::string &v : variants)
        finish(benchmark::RegisterBenchmark(bench_name(Loss::F32_NONE, v, n).c_str(), bm_xent, v,
                                            Loss::F32_NONE, n), n);
  }
}

}  // namespace

int main(int argc, char **argv) {
  size_t count = 0;
  if (xent_list_variants(nullptr, 0, &count) != XENT_OK || count == 0) {
    std::fprintf(stderr, "xent_bench: xent_list_variants failed\n");
    return 1;
  }
  std::vector<const char *> names(count);
  xent_list_variants(names.data(), count, &count);
  std::vector<std::string> variants(names.begin(), names.begin() + (long)count);

  std::string joined;
  for (const std::string &v : variants) joined += (joined.empty() ? "" : ",") + v;
  benchmark::AddCustomContext("xent_variants", joined);
  benchmark::AddCustomContext("xent_default_variant", variants.front());
  const char *active = nullptr;
  if (xent_set_variant("auto") == XENT_OK && xent_get_variant(&active) == XENT_OK && active)
    benchmark::AddCustomContext("xent_auto_variant", active);

  const xent_bench::Cpu cpu = xent_bench::Cpu::detect();
  benchmark::AddCustomContext("cpu_avx2", cpu.avx2 ? "yes" : "no");
  benchmark::AddCustomContext("cpu_avx512f", cpu.avx512f ? "yes" : "no");
  register_all(variants, cpu);
  xent_bench::register_loss_benchmarks(variants, cpu);
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
